#!/usr/bin/env bash
# The test suite in two streams at once, after one reactor build (./stack test calls this):
#   1. mvn install -DskipTests -Pnative-sources   every module compiled, packaged (with its native-image sources)
#                                                 and installed once, so the two runs below build nothing again
#   2. unit  mvn surefire:test                    every module's unit and @QuarkusTest tests, module after module
#      it    mvn failsafe:integration-test ...    the integration tests (*IT): whole stacks of processes, two
#                                                 classes at a time (forks, in escrow-service's pom)
# The two streams mostly wait on wallet-rpc processes and on each other's CPU, so together they take about as long
# as the integration tests alone. They share nothing: the tests' ports, data directories and databases are apart.
# Each stream's whole output goes to $LOGS/test-<stream>.log and, prefixed with [unit] or [it], to stdout.
# Exit status: non-zero when either stream failed; both run to the end first.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOGS="${1:?usage: run-tests.sh LOG_DIR [MAVEN_ARGS...]}"
shift
MVN=(mvn -B -Dstyle.color=never --no-transfer-progress "$@")
mkdir -p "$LOGS"
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
