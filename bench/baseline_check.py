#!/usr/bin/env python3
"""Is escrow_bench.py's direct path the fastest honest one? Three concurrent 2-of-3 setups directly on 9
monero-wallet-rpc, two ways, one run: escrow_bench's own (the same 9 processes batch after batch, wallets created
and left to settle 3 s before the clock starts, as the gateway's spares have long since) and a plain script's (9
fresh processes per batch, wallets created right before, no settle). Reported: the p50 of each setup's time.

Usage: bench/baseline_check.py [--batches 4]
"""
import argparse, concurrent.futures as cf, os, shutil, statistics, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import escrow_bench as eb  # noqa: E402
import gateway_bench as gb  # noqa: E402


def setups(pool, rpcs):
    """Three setups at once on the wallets open in rpcs; each one's time."""
    return list(pool.map(eb.timed_direct_setup, [{r: rpcs[f"{r}{k}"] for r in gb.ROLES} for k in range(3)]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batches", type=int, default=4)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="baseline-check-")
    names = [f"{r}{k}" for k in range(3) for r in gb.ROLES]
    reused, fresh, procs = [], [], []
    pool = cf.ThreadPoolExecutor(9)
    try:
        rpcs = gb.start_direct(work, 18820, procs, names)
        for b in range(args.batches):
            reused += eb.direct_setups(pool, rpcs, f"r{b}", 3)
            print("escrow_bench's direct path:", ", ".join(f"{x:.2f}" for x in reused[-3:]), "s", flush=True)
        gb.stop_all([], procs)
        procs.clear()
        for b in range(args.batches):
            w = os.path.join(work, f"fresh{b}")
            os.makedirs(w)
            batch = gb.start_direct(w, 18830 + 10 * (b % 2), procs, names)
            list(pool.map(lambda n: batch[n].call("create_wallet", {"filename": "f" + n, "password": "p", "language": "English"}), names))
            fresh += setups(pool, batch)
            print("fresh processes, no settle:", ", ".join(f"{x:.2f}" for x in fresh[-3:]), "s", flush=True)
            gb.stop_all([], procs)
            procs.clear()
    finally:
        gb.stop_all([], procs)
        shutil.rmtree(work, ignore_errors=True)
    print("p50: escrow_bench's direct path %.2f s, fresh processes %.2f s" % (statistics.median(reused), statistics.median(fresh)))


if __name__ == "__main__":
    sys.exit(main())
