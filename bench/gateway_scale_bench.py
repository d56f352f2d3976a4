#!/usr/bin/env python3
"""Scaling wallet-gateway out: the same burst of inits through one gateway pod and through two.

Two real wallet-gateways, each with a pool of 3 monero-wallet-rpc processes (one escrow at a time, as a
pod with a small pool), and two escrow-services on the same database engine: the baseline lists one
gateway (WALLET_GATEWAY_URLS=pod 0), the other lists both. Bursts of --burst concurrent inits alternate
between them, so noise hits both. Reported per side: the median time for a whole burst to be READY and
the inits' p50 latency; and their ratios (two pods / one pod). Also: how the two-pod side spread its
escrows over the pods (from the `gateway` field each escrow records).

Usage: bench/gateway_scale_bench.py [--rounds N] [--burst K] [--json FILE]   (needs the built jars)
"""
import argparse, collections, concurrent.futures as cf, json, os, secrets, shutil, statistics, subprocess, sys, tempfile, time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway_bench as gb  # noqa: E402
import escrow_bench as eb  # noqa: E402

POOL = 3


def burst(pool, port, tag, k):
    """k inits at once; returns (seconds until all are READY, each one's latency, each one's gateway)."""
    def one(i):
        body = json.dumps({"buyer_id": f"b-{tag}-{i}", "vendor_id": f"v-{tag}-{i}", "amount": 1000000}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/escrow/init", body, {"Content-Type": "application/json"})
        t = time.perf_counter()
        with urllib.request.urlopen(req, timeout=900) as r:
            reply = json.load(r)
        assert reply["status"] == "READY", reply
        return time.perf_counter() - t, reply["gateway"]

    t = time.perf_counter()
    results = list(pool.map(one, range(k)))
    return time.perf_counter() - t, [r[0] for r in results], [r[1] for r in results]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--burst", type=int, default=4)
    ap.add_argument("--json")
    args = ap.parse_args()
    for jar in (gb.JAR, eb.ESCROW_JAR):
        if not os.path.exists(jar):
            subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=gb.ROOT, check=True)
    work = tempfile.mkdtemp(prefix="gateway-scale-bench-")
    gws, services = [], []
    try:
        token = secrets.token_hex(16)  # escrow-service has one bearer token for all pods
        for n, base in enumerate((18760, 18770)):
            os.makedirs(os.path.join(work, f"pod{n}"))
            gws.append(gb.start_gateway(os.path.join(work, f"pod{n}"), base, POOL, spares=POOL, token=token)[1])
        sides = {}
        for name, urls in (("one_pod", gws[0].base), ("two_pods", f"{gws[0].base},{gws[1].base}")):
            os.makedirs(os.path.join(work, name))
            proc, port = eb.start_service(eb.ESCROW_JAR, dict(WALLET_GATEWAY_URLS=urls, GATEWAY_API_TOKEN=token,
                                                              ESCROW_DATA_DIR=os.path.join(work, name, "db"),
                                                              OTEL_SDK_DISABLED="true", ESCROW_INSTANCE_ID=name),
                                          os.path.join(work, name), "escrow")
            services.append(proc)
            sides[name] = port
        results = {s: {"burst_s": [], "latency_s": []} for s in sides}
        spread = collections.Counter()
        with cf.ThreadPoolExecutor(args.burst) as pool:
            for side, port in sides.items():  # warm-up, untimed: JIT, connections
                for gw in gws:
                    gb.wait_idle(gw, POOL)
                burst(pool, port, f"warm-{side}", 1)
            for r in range(args.rounds):
                for side, port in sides.items():
                    for gw in gws:
                        gb.wait_idle(gw, POOL)  # spares refilled on both pods before every burst
                    took, latencies, pods = burst(pool, port, f"{side}-{r}", args.burst)
                    results[side]["burst_s"].append(took)
                    results[side]["latency_s"] += latencies
                    if side == "two_pods":
                        spread.update(pods)
                    print(f"round {r + 1}/{args.rounds} {side}: burst of {args.burst} READY in {took:.1f} s", flush=True)
        summary = {}
        for side, r in results.items():
            summary[side] = {"burst_p50": statistics.median(r["burst_s"]), "latency_p50": statistics.median(r["latency_s"]),
                             "latency_p95": eb.p95(r["latency_s"]), **r}
        summary["ratio_burst_p50"] = summary["two_pods"]["burst_p50"] / summary["one_pod"]["burst_p50"]
        summary["ratio_latency_p50"] = summary["two_pods"]["latency_p50"] / summary["one_pod"]["latency_p50"]
        summary["two_pods_spread"] = dict(spread)
        print()
        for side in sides:
            s = summary[side]
            print(f"{side}: burst of {args.burst} READY in p50 {s['burst_p50']:.1f} s; init latency p50 {s['latency_p50']:.1f} s, "
                  f"p95 {s['latency_p95']:.1f} s")
        print(f"ratio two pods / one pod: burst {summary['ratio_burst_p50']:.2f}, init latency p50 {summary['ratio_latency_p50']:.2f}")
        print(f"two pods' escrows per pod: {dict(spread)}")
        if args.json:
            with open(args.json, "w") as f:
                json.dump(summary, f, indent=2)
    finally:
        gb.stop_all(services + [getattr(gw, "proc", None) for gw in gws], [])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
