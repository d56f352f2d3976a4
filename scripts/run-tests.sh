#!/usr/bin/env bash
# The test suite in two streams at once, after one reactor build (./stack test calls this):
#   1. mvn install -DskipTests -Pnative-sources   every module compiled, packaged (with its native-image sources)
#                                                 and installed once, so the two runs below build nothing again
#   2. unit  mvn surefire:test                    every module's unit and @QuarkusTest tests, module after module
#      it    mvn failsafe:integration-test ...    the integration tests (*IT), each class a whole stack of processes
# The suite is CPU-bound (monero-wallet-rpc creating wallets and running multisig rounds, JVMs starting): two
# streams fill the gaps where one waits, a third only slowed all of them down (timeouts on 2 cores). They share
# nothing: the tests' ports, data directories and databases are apart.
# Every JVM of the run (Maven, test forks, the services the tests start) compiles with C1 only and collects with
# the serial collector: C2 compiling code that runs for seconds cost about half of the JVMs' CPU here.
# Each stream's whole output goes to LOG_DIR/test-<stream>.log and, prefixed with [unit] or [it], to stdout.
# Exit status: non-zero when either stream failed; both run to the end first.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOGS="${1:?usage: run-tests.sh LOG_DIR [MAVEN_ARGS...]}"
shift
# --fail-at-end: a failing module does not hide the results of the ones after it.
MVN=(mvn -B -Dstyle.color=never --no-transfer-progress --fail-at-end "$@")
mkdir -p "$LOGS"
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:+$JAVA_TOOL_OPTIONS }-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
cd "$ROOT" || exit 1

"${MVN[@]}" install -DskipTests -Pnative-sources || exit 1

# stream NAME MAVEN_ARGS...: one Maven run, its output in a log and, prefixed, on stdout; its status in a file.
stream() {
  local name="$1"
  shift
  ("${MVN[@]}" "$@" 2>&1; echo $? > "$LOGS/test-$name.status") | tee "$LOGS/test-$name.log" | sed -u "s/^/[$name] /"
}

started=$SECONDS
stream unit surefire:test &
unit=$!
stream it failsafe:integration-test failsafe:verify -pl wallet-gateway,escrow-service &
it=$!
wait "$unit" "$it"

status=0
for name in unit it; do
  result="$(cat "$LOGS/test-$name.status" 2>/dev/null || echo 1)"
  if [ "$result" = 0 ]; then
    printf 'tests: %-4s passed (log: %s)\n' "$name" "$LOGS/test-$name.log"
  else
    printf 'tests: %-4s FAILED (log: %s)\n' "$name" "$LOGS/test-$name.log"
    grep -E '^\[ERROR\] (Tests run|Failures|Errors|  )' "$LOGS/test-$name.log" | head -40
    status=1
  fi
done
printf 'tests: both streams done in %d s\n' "$((SECONDS - started))"
exit "$status"
