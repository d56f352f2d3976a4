#!/usr/bin/env bash
# trace-exporter ingest throughput (OTLP/HTTP protobuf, escrow-shaped spans) against a do-nothing
# OTLP sink measured by the same client in the same run, plus the exporter's peak memory.
#   bench/ingest_bench.sh [SECONDS] [THREADS] [SPANS_PER_REQUEST]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_PER_RUN="${1:-20}" THREADS="${2:-8}" PER_REQUEST="${3:-512}"
JAR="$ROOT/trace-exporter/target/quarkus-app/quarkus-run.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q package -DskipTests)
WORK="$(mktemp -d)"
# The client needs only the OTLP protobuf classes: take them from the exporter's own build.
CP="$(ls "$ROOT"/trace-exporter/target/quarkus-app/lib/main/{com.google.protobuf.protobuf-java-,io.opentelemetry.proto.opentelemetry-proto-}*.jar | tr '\n' ':')"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

EXPORTER_PORT="$(free_port)" SINK_PORT="$(free_port)"
EXPORTER_OUTPUT_DIR="$WORK/files" QUARKUS_HTTP_PORT="$EXPORTER_PORT" java ${EXPORTER_JAVA_OPTS:--Xmx512m} -jar "$JAR" > "$WORK/exporter.log" 2>&1 &
EXPORTER_PID=$!
java -cp "$CP" "$ROOT/bench/IngestBench.java" sink "$SINK_PORT" & SINK_PID=$!
trap 'kill $EXPORTER_PID $SINK_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$EXPORTER_PORT/q/health" >/dev/null && break; sleep 0.5; done

run() { java -cp "$CP" "$ROOT/bench/IngestBench.java" load "$1" "$SECONDS_PER_RUN" "$THREADS" "$PER_REQUEST"; }
run "http://127.0.0.1:$EXPORTER_PORT/v1/traces" > /dev/null   # warm-up (JIT), not counted
SINK="$(run "http://127.0.0.1:$SINK_PORT/v1/traces")"
EXPORTER="$(run "http://127.0.0.1:$EXPORTER_PORT/v1/traces")"
RSS_KB="$(awk '/VmHWM/ {print $2}' /proc/$EXPORTER_PID/status)"
FILES="$(ls "$WORK/files" | wc -l)"
python3 - "$SINK" "$EXPORTER" "$RSS_KB" "$FILES" <<'PY'
import json, sys
sink, exporter, rss, files = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"do-nothing sink:  {sink['spans_per_s']:>10,.0f} spans/s")
print(f"trace-exporter:   {exporter['spans_per_s']:>10,.0f} spans/s  ({exporter['refused_requests']} requests refused), "
      f"ratio to the sink {exporter['spans_per_s'] / sink['spans_per_s']:.2f}; peak RSS {rss / 1024:.0f} MiB; {files} escrow files")
print("target: >= 50,000 spans/s")
PY
