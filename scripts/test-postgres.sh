#!/usr/bin/env bash
# A local PostgreSQL for the persistence tests (Debian's postgresql package, its default cluster).
#   scripts/test-postgres.sh up     start the cluster (as root; ./stack test installs it), create a fresh
#                                   escrow_test database; prints KEY=VALUE lines for the tests
#   scripts/test-postgres.sh down   stop the cluster again if 'up' started it
set -euo pipefail
STATE="${TMPDIR:-/tmp}/escrow-test-postgres.started"
die() { printf 'test-postgres: %s\n' "$*" >&2; exit 1; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi; }

cluster() { pg_lsclusters -h 2>/dev/null | awk 'NR==1 {print $1, $2, $3, $4}'; }

up() {
  # ./stack test installs the package (scripts/stack-common.sh, with everything else the tests need).
  command -v pg_lsclusters >/dev/null 2>&1 || die "PostgreSQL not installed: run 'sudo apt-get install -y postgresql' and try again"
  if [ -z "$(cluster)" ]; then
    [ "$(id -u)" = 0 ] || die "no PostgreSQL cluster: run 'sudo pg_createcluster --start 15 main'"
    pg_createcluster "$(ls /usr/lib/postgresql | sort -V | tail -1)" main >&2
  fi
  read -r version name port status < <(cluster)
  if [ "$status" != online ]; then
    [ "$(id -u)" = 0 ] || die "PostgreSQL $version/$name is down: run 'sudo pg_ctlcluster $version $name start'"
    # Its messages (e.g. "Removed stale pid file." after a machine's unclean stop) go to stderr: stdout is
    # the KEY=VALUE lines ./stack test exports.
    pg_ctlcluster "$version" "$name" start >&2
    echo "$version $name" > "$STATE"
  fi
  for _ in $(seq 1 60); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 0.5; done
  pg_isready -q -h 127.0.0.1 -p "$port" || die "PostgreSQL did not come up on port $port"
  as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'escrow_test') THEN
    CREATE ROLE escrow_test LOGIN PASSWORD 'escrow_test';
  END IF;
END $$;
DROP DATABASE IF EXISTS escrow_test;
CREATE DATABASE escrow_test OWNER escrow_test;
SQL
  echo "ESCROW_TEST_POSTGRES_URL=jdbc:postgresql://127.0.0.1:$port/escrow_test"
  echo "ESCROW_TEST_POSTGRES_USER=escrow_test"
  echo "ESCROW_TEST_POSTGRES_PASSWORD=escrow_test"
}

down() {
  if [ -f "$STATE" ]; then
    read -r version name < "$STATE"
    pg_ctlcluster "$version" "$name" stop || true
    rm -f "$STATE"
  fi
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  *) die "usage: scripts/test-postgres.sh up|down" ;;
esac
