#!/usr/bin/env python3
"""Is the pool warm when ./stack up says ready? The skill's three-escrow loop right after up returns, against the
same loop once the pool is warm again, in the same run.

Per round: ./stack up in a fresh scratch STACK_HOME (ports 195xx/196xx, wallet-rpc from 19600), then at once the
skill's loop (three concurrent POST /api/escrow/init, as the skill writes it): "cold". Then, each time after the
gateway's readiness says the spare wallets are all back (spares N/N), the same loop again: "warm" (median of
--warm loops). Reported: up's wall time, cold, warm, and the ratio cold/warm (target <= 1.15). With --unwaited,
the same round once more with STACK_WARM_TIMEOUT=0 (up returns without waiting for the spares, as it did before):
what the wait saves. With --one-at-a-time, each round once more with GATEWAY_WALLETS_REFILL_PARALLELISM=1 (the
spare keeper making one wallet at a time, as it did before), interleaved: up's wall time and the refill after the
first loop (the spares back to N/N), default over one at a time.

Usage: bench/warm_pool_bench.py [--rounds N] [--warm N] [--unwaited] [--one-at-a-time] [--json FILE]
"""
import argparse, json, os, statistics, subprocess, sys, time, urllib.request

from scratch_stack import scratch_stack

PORTS = {"ESCROW_HTTP_PORT": "19580", "GATEWAY_HTTP_PORT": "19581", "EXPORTER_HTTP_PORT": "19582",
         "GATEWAY_POOL_BASE_PORT": "19600"}
# The skill's step 2, verbatim but for the port.
LOOP = """for i in {1..3}; do
  curl -X POST http://localhost:%s/api/escrow/init \\
    -H "Content-Type: application/json" \\
    -d "{\\"buyer_id\\": \\"buyer$i\\", \\"vendor_id\\": \\"vendor$i\\", \\"amount\\": 1000000}" &
done
wait
""" % PORTS["ESCROW_HTTP_PORT"]


def loop(home):
    """Runs the skill's loop; returns its wall time, after checking that the three escrows are READY."""
    started = time.monotonic()
    out = subprocess.run(["bash", "-c", LOOP], cwd=home, capture_output=True, text=True).stdout
    elapsed = time.monotonic() - started
    ready = out.count('"status":"READY"')
    if ready != 3:
        sys.exit("warm_pool_bench: %d of 3 escrows READY: %s" % (ready, out))
    return elapsed


def spares():
    with urllib.request.urlopen("http://127.0.0.1:%s/q/health/ready" % PORTS["GATEWAY_HTTP_PORT"], timeout=10) as r:
        checks = json.load(r)["checks"]
    warm, target = next(c["data"]["spares"] for c in checks if "spares" in c.get("data", {})).split("/")
    return int(warm), int(target)


def wait_warm(timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        warm, target = spares()
        if warm >= target:
            return
        time.sleep(1)
    sys.exit("warm_pool_bench: the pool did not warm up again in %d s" % timeout)


def round_(warm_loops, env_extra):
    env = dict(os.environ, **PORTS, **env_extra)
    for name in ("ENABLE_INSTRUMENTATION", "ESCROW_FAULT", "GATEWAY_FAULT", "MONEROD"):
        env.pop(name, None)
    with scratch_stack("warm-pool-bench-", env) as (home, env, up):
        at_return = "%d/%d" % spares()
        cold = loop(home)
        warm = []
        refill = None
        for _ in range(warm_loops):
            waited = time.monotonic()
            wait_warm()
            refill = time.monotonic() - waited if refill is None else refill
            warm.append(loop(home))
        return {"up_s": up, "spares_when_up_returned": at_return, "cold_s": cold, "warm_s": warm,
                "ratio": cold / statistics.median(warm), "refill_s": refill}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--warm", type=int, default=3, help="warm loops per round (median)")
    ap.add_argument("--unwaited", action="store_true", help="also a round with STACK_WARM_TIMEOUT=0")
    ap.add_argument("--one-at-a-time", action="store_true",
                    help="also each round with GATEWAY_WALLETS_REFILL_PARALLELISM=1, interleaved")
    ap.add_argument("--json")
    args = ap.parse_args()
    results = {"waited": [], "unwaited": [], "one-at-a-time": []}
    plan = []
    for n in range(args.rounds):
        plan.append(("waited", {}))
        if args.one_at_a_time:
            plan.append(("one-at-a-time", {"GATEWAY_WALLETS_REFILL_PARALLELISM": "1"}))
    plan += [("unwaited", {"STACK_WARM_TIMEOUT": "0"})] if args.unwaited else []
    for kind, extra in plan:
        r = round_(args.warm, extra)
        results[kind].append(r)
        print("%s round %d: up %.1f s (spares %s when it returned) | loop right after up %.2f s | warm %s s | "
              "ratio cold/warm %.2f | refill after it %.1f s" % (kind, len(results[kind]), r["up_s"], r["spares_when_up_returned"],
                                                                r["cold_s"], ", ".join("%.2f" % w for w in r["warm_s"]),
                                                                r["ratio"], r["refill_s"]), flush=True)
    ratio = statistics.median(r["ratio"] for r in results["waited"])
    print("ratio cold/warm (median of %d rounds): %.2f (target <= 1.15)" % (len(results["waited"]), ratio))
    if results["one-at-a-time"]:
        for key, what in (("up_s", "up (9 spares made)"), ("refill_s", "refill of 9 spares after a loop")):
            new = statistics.median(r[key] for r in results["waited"])
            old = statistics.median(r[key] for r in results["one-at-a-time"])
            print("%s: %.1f s side by side, %.1f s one at a time: ratio %.2f" % (what, new, old, new / old))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
