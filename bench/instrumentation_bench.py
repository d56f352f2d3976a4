#!/usr/bin/env python3
"""Instrumentation overhead: POST /api/escrow/init latency with ENABLE_INSTRUMENTATION=1 vs unset, same run.

One gateway (pool 6, all warm) and one trace-exporter; two escrow-service instances, identical but
for ENABLE_INSTRUMENTATION, both exporting spans to the exporter. Inits alternate between them, one
at a time, the pool idle before each, so noise hits both. Reported: median and p95 of each, the
ratio of medians and the median of the per-round ratios (each round pairs one init of each, back
to back, so it cancels the slow drifts of a noisy 2-core machine). Target <= 1.05.

Usage: bench/instrumentation_bench.py [--rounds N] [--json FILE] [--keep-files DIR]
"""
import argparse, json, os, shutil, signal, statistics, subprocess, sys, tempfile, time, urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gateway_bench as gb  # noqa: E402
import escrow_bench as eb  # noqa: E402

EXPORTER_JAR = os.path.join(gb.ROOT, "trace-exporter/target/quarkus-app/quarkus-run.jar")


def init(port, n):
    body = json.dumps({"buyer_id": f"b{n}", "vendor_id": f"v{n}", "amount": 1000000}).encode()
    t = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/api/escrow/init", body,
                                                       {"Content-Type": "application/json"}), timeout=300) as r:
        assert json.load(r)["status"] == "READY"
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--json")
    ap.add_argument("--keep-files", metavar="DIR", help="copy the escrow_<id>.json files written here")
    args = ap.parse_args()
    for jar in (gb.JAR, eb.ESCROW_JAR, EXPORTER_JAR):
        if not os.path.exists(jar):
            subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=gb.ROOT, check=True)
    work = tempfile.mkdtemp(prefix="instrumentation-bench-")
    procs, gw = [], None
    try:
        exporter, exporter_port = eb.start_service(EXPORTER_JAR, {"EXPORTER_OUTPUT_DIR": os.path.join(work, "files")}, work, "exporter")
        procs.append(exporter)
        _, gw = gb.start_gateway(work, 18760, 6, spares=6)
        otlp = {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{exporter_port}", "WALLET_GATEWAY_URL": gw.base,
                "GATEWAY_API_TOKEN": gw.token}
        on, on_port = eb.start_service(eb.ESCROW_JAR, dict(otlp, ENABLE_INSTRUMENTATION="1", ESCROW_DATA_DIR=os.path.join(work, "on"),
                                               ESCROW_INSTANCE_ID="on"), work, "escrow-on")
        off, off_port = eb.start_service(eb.ESCROW_JAR, dict(otlp, ESCROW_DATA_DIR=os.path.join(work, "off"), ESCROW_INSTANCE_ID="off"),
                              work, "escrow-off")
        procs += [on, off]
        for port in (on_port, off_port):  # JIT warm-up, untimed
            gb.wait_idle(gw, 6)
            init(port, "warm")
        with_i, without = [], []
        for n in range(args.rounds):
            for port, bucket in ((on_port, with_i), (off_port, without)) if n % 2 == 0 else ((off_port, without), (on_port, with_i)):
                gb.wait_idle(gw, 6)
                bucket.append(init(port, f"{n}-{port}"))
            print(f"round {n + 1}/{args.rounds}: instrumented {with_i[-1]:.3f} s, plain {without[-1]:.3f} s", flush=True)
        files = len([f for f in os.listdir(os.path.join(work, "files")) if f.startswith("escrow_")])
        result = {"instrumented_s": with_i, "plain_s": without, "instrumented_p50": statistics.median(with_i),
                  "plain_p50": statistics.median(without), "instrumented_p95": eb.p95(with_i), "plain_p95": eb.p95(without),
                  "ratio_p50": statistics.median(with_i) / statistics.median(without),
                  "paired_ratio_median": statistics.median(a / b for a, b in zip(with_i, without)), "escrow_files": files}
        print(f"\ninit p50: instrumented {result['instrumented_p50']:.3f} s, plain {result['plain_p50']:.3f} s -> ratio "
              f"{result['ratio_p50']:.3f}, median of per-round ratios {result['paired_ratio_median']:.3f} (target <= 1.05); p95 {result['instrumented_p95']:.3f} / {result['plain_p95']:.3f} s; "
              f"{files} escrow files written")
        if args.keep_files:
            shutil.copytree(os.path.join(work, "files"), args.keep_files, dirs_exist_ok=True)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=2)
    finally:
        # The exporter last, so the spans the others flush on their way out still reach the files.
        gb.stop_all(procs[1:] + [getattr(gw, "proc", None)] + procs[:1], [])
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    sys.exit(main())
