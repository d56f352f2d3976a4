#!/usr/bin/env python3
"""The analyzer over many escrow files: wall time and peak memory, against a plain JSON parse of the same files.

Writes N escrow files made from real recorded ones (analyzer/src/test/resources/recorded/clean/): each copy
gets its own escrow id, wallet ids and start time; they run three at a time, as in the skill's scenario, each
of the three on its own wallet-rpc ports. Then, in the same run:
  baseline  python3 parses every file (json.load), nothing else;
  analyzer  tools/analyze-escrow --json DIR: every file read, diagnosed alone and all together (Pattern B).
Reported: wall time of each, their ratio, the analyzer's peak RSS, and its verdicts (all must be clean).

Usage: bench/analyzer_bench.py [--files N] [--runs R]
"""
import argparse, glob, json, os, resource, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATES = os.path.join(ROOT, "analyzer/src/test/resources/recorded/clean")
TOOL = os.path.join(ROOT, "tools/analyze-escrow")


def generate(out, n):
    templates = [json.load(open(f)) for f in sorted(glob.glob(os.path.join(TEMPLATES, "escrow_*.json")))]
    if not templates:
        sys.exit(f"no template in {TEMPLATES}")
    group_start, group_end = 1_800_000_000_000, 1_800_000_000_000
    for i in range(n):
        events = templates[i % len(templates)]
        t0 = events[0]["timestamp"]
        if i % 3 == 0:  # the skill's three concurrent escrows, then the next three
            group_start = group_end + 100
        start = group_start + (i % 3) * 50
        group_end = max(group_end, start + events[-1]["timestamp"] - t0)
        ports = {}
        escrow = f"esc-bench-{i:05d}"
        copy = []
        for e in events:
            e = json.loads(json.dumps(e))
            e["timestamp"] = start + (e["timestamp"] - t0)
            if e.get("rpc_port") is not None:
                # Three escrows overlap at any time: each of the three gets its own block of ports.
                e["rpc_port"] = ports.setdefault(e["rpc_port"], 20000 + (i % 3) * 100 + len(ports))
            d = e.get("details", {})
            for key in ("wallet_id", "lease_id"):
                if isinstance(d.get(key), str):
                    d[key] = f"{d[key]}-{i}"
            if "escrow_id" in d:
                d["escrow_id"] = escrow
            copy.append(e)
        with open(os.path.join(out, f"escrow_{escrow}.json"), "w") as f:
            json.dump(copy, f, separators=(",", ":"))


def timed(cmd):
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return time.perf_counter() - t, p


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    subprocess.run([TOOL, "--help"], stdout=subprocess.DEVNULL, check=True)  # builds it if needed, untimed
    work = tempfile.mkdtemp(prefix="analyzer-bench-")
    try:
        generate(work, args.files)
        size = sum(os.path.getsize(f) for f in glob.glob(os.path.join(work, "*.json")))
        parse = f"import glob,json\nfor f in glob.glob('{work}/*.json'): json.load(open(f))"
        base, full = [], []
        for _ in range(args.runs):
            base.append(timed([sys.executable, "-c", parse])[0])
            seconds, p = timed([TOOL, "--json", work])
            full.append(seconds)
        if p.returncode not in (0, 1):
            sys.exit(p.stderr.decode())
        doc = json.loads(p.stdout)
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child: the analyzer
        b, a = statistics.median(base), statistics.median(full)
        print(f"{args.files} files, {size / 2**20:.1f} MiB, {sum(e['event_count'] for e in doc['escrows'])} events")
        print(f"baseline (python json.load of every file): {b:.2f} s")
        print(f"analyzer --json (read, diagnose each and all together): {a:.2f} s  -> ratio {a / b:.2f}; peak RSS {peak_mib:.0f} MiB")
        print(f"verdicts: {doc['summary']['clean']} clean, problems {doc['summary']['by_pattern']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
