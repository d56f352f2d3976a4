#!/usr/bin/env python3
"""escrow-service benchmark: POST /api/escrow/init latency against the direct-RPC floor, one run.

The floor is the same 2-of-3 setup (prepare, make, exchange x2; three wallets in parallel per
round) made directly to monero-wallet-rpc on three pre-created wallets per escrow, with as many
processes as the stack has (9: three escrows at once). The stack's figure is the whole HTTP call a
user makes: persist, lease three warm wallets, the setup through the gateway, persist, release.
At concurrency 1 and 3 (the skill's loop), batches alternate direct/stack so noise hits both.
Reported: p50 and p95 of each and their ratios (target <= 1.2).

Usage: bench/escrow_bench.py [--batches N] [--json FILE]   (needs the built jars: ./stack test, or
mvn -B package -DskipTests)
"""
import argparse, concurrent.futures as cf, json, os, secrets, shutil, signal, statistics, subprocess, sys, tempfile
import time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway_bench as gb  # noqa: E402

SETTLE_S = 3
ESCROW_JAR = os.path.join(gb.ROOT, "escrow-service/target/quarkus-app/quarkus-run.jar")


def timed_direct_setup(group):
    """One setup directly on the wallets open in group (role -> DigestRpc), its three calls of a round at once; seconds."""
    inner = cf.ThreadPoolExecutor(3)
    t = time.perf_counter()
    gb.setup(inner, gb.direct_step(group))
    inner.shutdown()
    return time.perf_counter() - t


def direct_setups(pool, rpcs, batch, concurrency):
    """concurrency setups at once, each on its own three processes; returns each one's latency."""
    groups = [{r: rpcs[f"{r}{k}"] for r in gb.ROLES} for k in range(concurrency)]
    names = [{r: f"b{batch}-{k}-{r}" for r in gb.ROLES} for k in range(concurrency)]
    jobs = [(g, n) for g, n in zip(groups, names)]
    list(pool.map(lambda j: [j[0][r].call("create_wallet", {"filename": j[1][r], "password": "p", "language": "English"})
                             for r in gb.ROLES], jobs))
    # "Pre-created": let the processes settle after creation, as the gateway's spares have long since.
    time.sleep(SETTLE_S)

    latencies = list(pool.map(timed_direct_setup, groups))
    list(pool.map(lambda g: [g[r].call("close_wallet") for r in gb.ROLES], groups))
    return latencies


def stack_inits(pool, escrow_port, batch, concurrency):
    def one(k):
        body = json.dumps({"buyer_id": f"buyer{batch}-{k}", "vendor_id": f"vendor{batch}-{k}", "amount": 1000000}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{escrow_port}/api/escrow/init", body,
                                     {"Content-Type": "application/json"})
        t = time.perf_counter()
        with urllib.request.urlopen(req, timeout=600) as r:
            reply = json.load(r)
        assert reply["status"] == "READY", reply
        return time.perf_counter() - t

    return list(pool.map(one, range(concurrency)))


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def start_service(jar, env, work, name):
    """Starts a Quarkus jar on a free port with `env` added, its log in work/<name>.log; waits until healthy."""
    port = gb.free_port()
    full = dict(os.environ, QUARKUS_HTTP_PORT=str(port), **env)
    proc = subprocess.Popen(["java", "-jar", jar], env=full, stdout=open(os.path.join(work, name + ".log"), "w"),
                            stderr=subprocess.STDOUT, cwd=work)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/q/health", timeout=2):
                return proc, port
        except Exception:
            time.sleep(0.3)
    raise RuntimeError(name + " did not become healthy")


def start_escrow(work, gw):
    # In prod escrow-service starts only with a key for callers' tokens; the bench's calls come from this
    # machine without one and act as marketplace, as with ./stack up (ESCROW_AUTH_LOOPBACK_ROLE).
    private, public = os.path.join(work, "jwt-private.pem"), os.path.join(work, "jwt-public.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", private], check=True,
                   capture_output=True)
    subprocess.run(["openssl", "pkey", "-in", private, "-pubout", "-out", public], check=True, capture_output=True)
    return start_service(ESCROW_JAR, dict(WALLET_GATEWAY_URL=gw.base, GATEWAY_API_TOKEN=gw.token,
                                          ESCROW_DATA_DIR=os.path.join(work, "escrow"), OTEL_SDK_DISABLED="true",
                                          ESCROW_INSTANCE_ID="bench", ESCROW_JWT_PUBLIC_KEY=public,
                                          ESCROW_AUTH_LOOPBACK_ROLE="marketplace"), work, "escrow")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batches", type=int, default=5, help="batches per concurrency level")
    ap.add_argument("--json")
    args = ap.parse_args()
    for jar in (gb.JAR, ESCROW_JAR):
        if not os.path.exists(jar):
            subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=gb.ROOT, check=True)
    work = tempfile.mkdtemp(prefix="escrow-bench-")
    direct_procs, gw, escrow_proc = [], None, None
    try:
        rpcs = gb.start_direct(work, 18740, direct_procs, [f"{r}{k}" for k in range(3) for r in gb.ROLES])
        _, gw = gb.start_gateway(work, 18750, 9, spares=9)
        escrow_proc, escrow_port = start_escrow(work, gw)
        stack_inits(cf.ThreadPoolExecutor(1), escrow_port, "warmup", 1)  # JIT and connection pools, untimed
        results = {}
        with cf.ThreadPoolExecutor(9) as pool:
            for concurrency in (1, 3):
                direct, stack = [], []
                for b in range(args.batches):
                    gb.wait_idle(gw, 9)  # no spare refill in the background of the baseline either
                    direct += direct_setups(pool, rpcs, f"c{concurrency}-{b}", concurrency)
                    gb.wait_idle(gw, 9)
                    stack += stack_inits(pool, escrow_port, f"c{concurrency}-{b}", concurrency)
                    print(f"concurrency {concurrency}, batch {b + 1}/{args.batches}: direct "
                          f"{', '.join(f'{x:.2f}' for x in direct[-concurrency:])} s; stack "
                          f"{', '.join(f'{x:.2f}' for x in stack[-concurrency:])} s", flush=True)
                results[f"c{concurrency}"] = {
                    "direct_s": direct, "stack_s": stack,
                    "direct_p50": statistics.median(direct), "direct_p95": p95(direct),
                    "stack_p50": statistics.median(stack), "stack_p95": p95(stack),
                    "ratio_p50": statistics.median(stack) / statistics.median(direct),
                    "ratio_p95": p95(stack) / p95(direct),
                }
        print()
        for level, r in results.items():
            print(f"{level}: direct p50 {r['direct_p50']:.2f} s p95 {r['direct_p95']:.2f} s | stack p50 {r['stack_p50']:.2f} s "
                  f"p95 {r['stack_p95']:.2f} s | ratio p50 {r['ratio_p50']:.3f}, p95 {r['ratio_p95']:.3f} (target <= 1.2)")
        if args.json:
            with open(args.json, "w") as f:
                json.dump(results, f, indent=2)
    finally:
        gb.stop_all([escrow_proc, getattr(gw, "proc", None)], direct_procs)
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    sys.exit(main())
