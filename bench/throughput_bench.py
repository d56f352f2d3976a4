#!/usr/bin/env python3
"""Sustained throughput: escrows per minute of back-to-back skill loops against the direct floor, one run.

Stack: escrow-service and wallet-gateway (9 wallet-rpc processes, 9 spares) as ./stack up runs them; the
skill's loop (three concurrent inits, then the next three) back to back. Every escrow takes three new
wallets, so the spare keeper's create_wallet is on the path as soon as the warm spares run out.
Floor: the same number of 2-of-3 setups made directly on 9 plain monero-wallet-rpc processes, the fastest
honest way: three lanes, each on three processes of its own, each setup on three wallets created right
before it (create_wallet on the path, in parallel) and closed after; the lanes run independently (no
lockstep between setups, unlike the skill's loop).
The time is split in halves that alternate (stack, floor, stack, floor) so drift hits both. Reported:
escrows per minute of each and the ratio (target >= 0.95), and where the floor's time goes (create_wallet,
the setup's calls, close_wallet).

Usage: bench/throughput_bench.py [--seconds 300] [--json FILE]   (needs the built jars, as escrow_bench.py)
"""
import argparse, concurrent.futures as cf, json, os, shutil, statistics, subprocess, sys, tempfile, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import escrow_bench as eb  # noqa: E402
import gateway_bench as gb  # noqa: E402


def stack_loops(pool, escrow_port, seconds, tag):
    """Skill loops back to back for `seconds`: returns (escrows, wall seconds)."""
    started, done, batch = time.perf_counter(), 0, 0
    while time.perf_counter() - started < seconds:
        eb.stack_inits(pool, escrow_port, f"{tag}-{batch}", 3)
        done, batch = done + 3, batch + 1
    return done, time.perf_counter() - started


def direct_lanes(rpcs, setups, tag):
    """`setups` setups on three independent lanes (create -> setup -> close); returns (wall, phase seconds)."""
    phases = {"create_wallet": 0.0, "setup": 0.0, "close_wallet": 0.0}
    lock = threading.Lock()
    counter = iter(range(setups))

    def counter_items():
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            yield n

    def lane(k):
        group = {r: rpcs[f"{r}{k}"] for r in gb.ROLES}
        inner = cf.ThreadPoolExecutor(3)
        for n in counter_items():
            names = {r: f"{tag}-{k}-{n}-{r}" for r in gb.ROLES}
            t0 = time.perf_counter()
            list(inner.map(lambda r: group[r].call("create_wallet", {"filename": names[r], "password": "p", "language": "English"}),
                           gb.ROLES))
            t1 = time.perf_counter()
            gb.setup(inner, gb.direct_step(group))
            t2 = time.perf_counter()
            list(inner.map(lambda r: group[r].call("close_wallet"), gb.ROLES))
            t3 = time.perf_counter()
            with lock:
                phases["create_wallet"] += t1 - t0
                phases["setup"] += t2 - t1
                phases["close_wallet"] += t3 - t2
        inner.shutdown()

    started = time.perf_counter()
    with cf.ThreadPoolExecutor(3) as lanes:
        list(lanes.map(lane, range(3)))
    return time.perf_counter() - started, phases


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=300, help="time of the stack's loops (the floor makes as many setups)")
    ap.add_argument("--json")
    args = ap.parse_args()
    for jar in (gb.JAR, eb.ESCROW_JAR):
        if not os.path.exists(jar):
            subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=gb.ROOT, check=True)
    work = tempfile.mkdtemp(prefix="throughput-bench-")
    direct_procs, gw, escrow_proc = [], None, None
    try:
        rpcs = gb.start_direct(work, 18800, direct_procs, [f"{r}{k}" for k in range(3) for r in gb.ROLES])
        _, gw = gb.start_gateway(work, 18810, 9, spares=9)
        escrow_proc, escrow_port = eb.start_escrow(work, gw)
        with cf.ThreadPoolExecutor(3) as pool:
            eb.stack_inits(pool, escrow_port, "warmup", 3)  # JIT and connection pools, untimed
            direct_lanes(rpcs, 3, "warmup")
            gb.wait_idle(gw, 9)
            stack_escrows, stack_s, floor_setups, floor_s = 0, 0.0, 0, 0.0
            phases = {"create_wallet": 0.0, "setup": 0.0, "close_wallet": 0.0}
            for half in range(2):
                n, s = stack_loops(pool, escrow_port, args.seconds / 2, f"half{half}")
                stack_escrows, stack_s = stack_escrows + n, stack_s + s
                print(f"half {half + 1}: stack {n} escrows in {s:.1f} s ({n * 60 / s:.2f}/min)", flush=True)
                gb.wait_idle(gw, 9)  # the stack's refill is over before the floor runs: each half pays its own
                wall, p = direct_lanes(rpcs, n, f"half{half}")
                floor_setups, floor_s = floor_setups + n, floor_s + wall
                for k in phases:
                    phases[k] += p[k]
                print(f"half {half + 1}: floor {n} setups in {wall:.1f} s ({n * 60 / wall:.2f}/min)", flush=True)
                gb.wait_idle(gw, 9)
        stack_rate, floor_rate = stack_escrows * 60 / stack_s, floor_setups * 60 / floor_s
        lane_s = sum(phases.values())
        result = {
            "stack_escrows": stack_escrows, "stack_s": stack_s, "stack_per_min": stack_rate,
            "floor_setups": floor_setups, "floor_s": floor_s, "floor_per_min": floor_rate,
            "ratio": stack_rate / floor_rate,
            "floor_share": {k: v / lane_s for k, v in phases.items()},
            "floor_mean_s": {k: v / floor_setups for k, v in phases.items()},
        }
        print()
        print(f"stack {stack_rate:.2f} escrows/min | floor {floor_rate:.2f} setups/min | ratio {result['ratio']:.3f} (target >= 0.95)")
        print("floor's time per setup: " + ", ".join(f"{k} {result['floor_mean_s'][k]:.2f} s ({result['floor_share'][k]:.0%})"
                                                     for k in phases))
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=2)
    finally:
        gb.stop_all([escrow_proc, getattr(gw, "proc", None)], direct_procs)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
