# shellcheck shell=bash
# Sourced by ./stack and scripts/regtest.sh: messages, the processes they start (pid files under
# $STACK_HOME/pids), the generated secrets, and every Debian package the launcher installs.
# Expects ROOT (the repository) to be set.

STACK_HOME="${STACK_HOME:-$ROOT/.stack}"

say() { printf '%s\n' "$*"; }
die() { printf 'stack: %s\n' "$*" >&2; exit 1; }

# need_package COMMAND "PACKAGES" WHY: installs the Debian packages when COMMAND is missing (as root), or says how.
need_package() {
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's $2 ($3)..."
    # shellcheck disable=SC2086 # several packages
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $2 >/dev/null
  else
    die "$1 not found: run 'sudo apt-get install -y $2' ($3) and try again"
  fi
}

# install_for COMMAND: everything ./stack COMMAND needs, in one place (.ci/run relies on it too).
install_for() {
  need_package monero-wallet-rpc monero "monero-wallet-rpc, monerod"
  need_package openssl openssl "the escrow API's local signing key and tokens"
  case "$1" in
    test)
      need_package npm "nodejs npm" "deploy/ validation and the trace browser's tests"
      need_package chromium chromium "headless browser for the trace browser's tests"
      need_package pg_ctlcluster postgresql "escrow-service's persistence tests on a real PostgreSQL"
      ;;
    reliability)
      need_package pg_ctlcluster postgresql "PostgreSQL, for the restart test (it runs a private cluster of its own)"
      ;;
  esac
  case "$1" in
    test|reliability|build)
      command -v java >/dev/null 2>&1 || die "java not found: install a JDK 17 (Debian: apt-get install -y openjdk-17-jdk-headless)"
      command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven (Debian: apt-get install -y maven)"
      ;;
  esac
}

# Secrets are generated once and kept: the wallet secret derives every wallet password.
secrets() {
  local file="$STACK_HOME/secrets.env"
  mkdir -p "$STACK_HOME"
  if [ ! -f "$file" ]; then
    (umask 077; {
      printf 'GATEWAY_API_TOKEN=%s\n' "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
      printf 'GATEWAY_WALLET_SECRET=%s\n' "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    } > "$file")
  fi
  if ! grep -q '^FAUCET_RPC_LOGIN=' "$file"; then
    printf 'FAUCET_RPC_LOGIN=faucet:%s\n' "$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> "$file"
  fi
  if ! grep -q '^EXPORTER_INGEST_TOKEN=' "$file"; then
    printf 'EXPORTER_INGEST_TOKEN=%s\n' "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" >> "$file"
  fi
  printf '%s' "$file"
}

secret() { grep "^$1=" "$(secrets)" | cut -d= -f2-; }

# The escrow API's local identity provider: an RSA key (kept, like the secrets) and a token per role, signed with
# it, in $STACK_HOME/jwt/ (owner only). escrow-service verifies them against public.pem; a marketplace's own
# identity provider takes this place in production (docs/escrow-service.md, "Who may call").
ESCROW_JWT_ISSUER_LOCAL=escrow-stack-local
escrow_identity() {
  local dir="$STACK_HOME/jwt" role
  if [ ! -f "$dir/private.pem" ]; then
    (umask 077; mkdir -p "$dir" && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/private.pem" 2>/dev/null) \
      || die "cannot generate the escrow API's signing key in $dir"
    openssl pkey -in "$dir/private.pem" -pubout -out "$dir/public.pem" 2>/dev/null
  fi
  for role in marketplace arbiter operator; do
    # A year, as befits a key that never leaves this machine; delete the file for a new one.
    [ -s "$dir/$role.jwt" ] || (umask 077; mint_token "$dir/private.pem" "local-$role" "$role" 31536000 > "$dir/$role.jwt")
  done
  printf '%s' "$dir"
}

# mint_token KEY SUBJECT ROLE SECONDS: an RS256 JWT from the local issuer.
mint_token() {
  local now header claims signature
  now="$(date +%s)"
  header="$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)"
  claims="$(printf '{"iss":"%s","sub":"%s","groups":["%s"],"iat":%d,"exp":%d,"jti":"%s"}' "$ESCROW_JWT_ISSUER_LOCAL" "$2" "$3" \
    "$now" "$((now + $4))" "$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')" | b64url)"
  signature="$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign "$1" -binary | b64url)"
  printf '%s.%s.%s\n' "$header" "$claims" "$signature"
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

pid_of() { local f="$STACK_HOME/pids/$1.pid"; if [ -f "$f" ]; then cat "$f"; fi; }
# A killed process nobody has reaped yet (a zombie) answers kill -0, but is not running.
running() {
  local pid; pid="$(pid_of "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ! grep -qE '^[0-9]+ \(.*\) Z' "/proc/$pid/stat" 2>/dev/null
}

# spawn NAME LOG COMMAND...: runs COMMAND in the background, its output appended to LOG, its pid in pids/NAME.pid.
spawn() {
  local name="$1" log="$2"; shift 2
  mkdir -p "$STACK_HOME/logs" "$STACK_HOME/pids"
  nohup "$@" >> "$log" 2>&1 &
  echo $! > "$STACK_HOME/pids/$name.pid"
}

# stop NAME [restart]: SIGTERM, then SIGKILL after 60 s; by the pid in its pid file only. With "restart", it does not
# wait for the exited process to be reaped: its successor needs the port, which an exited process no longer holds.
stop() {
  local name="$1" pid; pid="$(pid_of "$name")"
  if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then rm -f "$STACK_HOME/pids/$name.pid"; return 0; fi
  say "stopping $name (pid $pid)..."
  kill -TERM "$pid"
  local deadline=$((SECONDS + 60))
  while running "$name" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.5; done
  if running "$name"; then say "$name did not stop in 60 s; SIGKILL"; kill -KILL "$pid"; fi
  # Exited is not yet gone: until its new parent reaps it, the pid still answers (here 1.3-1.7 s after the exit).
  # Wait a moment for that, so that whoever checks right after down finds the process gone, not a zombie.
  if [ "${2:-}" != restart ]; then
    local reaped=$((SECONDS + 5))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$reaped" ]; do sleep 0.2; done
  fi
  rm -f "$STACK_HOME/pids/$name.pid"
}
