#!/usr/bin/env bash
# The private regtest chain behind MONEROD=regtest ./stack up, and the developer wallets on it. ./stack calls this
# script; the commands a user types are ./stack fund | wallet | balance | mine.
#
#   start                    a regtest monerod (127.0.0.1:MONEROD_RPC_PORT, default 18081) and a developer
#                            wallet-rpc (127.0.0.1:FAUCET_RPC_PORT, default 18089) holding a faucet, a miner and the
#                            parties' own wallets; both stop with ./stack down
#   stop | status            stop both / one line each while they run
#   fund ESCROW_ID [AMOUNT]  pays the escrow's multisig address from the faucet (default: the escrow's amount) and
#                            mines the blocks that confirm it; prints the escrow's funding status
#   wallet NAME              creates (or opens) a regtest wallet and prints its address: a payout address
#   balance NAME             prints a regtest wallet's balance
#   mine N [ADDRESS]         mines N blocks; the rewards go to ADDRESS, or by default to the developer "miner" wallet,
#                            nobody's in the escrows, so a party's balance shows only what it was paid
# The wallet commands are tools/regtest-wallets.py.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/stack-common.sh
. "$ROOT/scripts/stack-common.sh"
MONEROD_RPC_PORT="${MONEROD_RPC_PORT:-18081}"
FAUCET_RPC_PORT="${FAUCET_RPC_PORT:-18089}"
export STACK_HOME MONEROD_RPC_PORT FAUCET_RPC_PORT

height() {
  curl -fsS --max-time 5 "http://127.0.0.1:$MONEROD_RPC_PORT/json_rpc" -H 'Content-Type: application/json' \
    -d '{"jsonrpc":"2.0","id":"0","method":"get_info"}' 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["result"]["height"])' 2>/dev/null
}

start_monerod() {
  if running monerod; then say "monerod already running (pid $(pid_of monerod))"; return; fi
  mkdir -p "$STACK_HOME/data/monerod-regtest"
  # --keep-fakechain: regtest wipes its chain at every start otherwise, and the wallets and escrows kept
  # under data/*-regtest would then describe coins that no longer exist.
  spawn monerod "$STACK_HOME/logs/monerod.out" monerod --regtest --keep-fakechain --offline --fixed-difficulty 1 \
    --data-dir "$STACK_HOME/data/monerod-regtest" \
    --rpc-bind-ip 127.0.0.1 --rpc-bind-port "$MONEROD_RPC_PORT" --p2p-bind-ip 127.0.0.1 --p2p-bind-port "${MONEROD_P2P_PORT:-18080}" \
    --no-zmq --no-igd --hide-my-port --non-interactive --log-file "$STACK_HOME/logs/monerod.log"
  local deadline=$((SECONDS + 60))
  printf 'waiting for monerod (regtest) to answer'
  until height >/dev/null; do
    if ! running monerod; then printf '\n'; tail -20 "$STACK_HOME/logs/monerod.out" >&2; die "monerod exited during start"; fi
    [ "$SECONDS" -ge "$deadline" ] && die "monerod did not answer in 60 s (log: $STACK_HOME/logs/monerod.log)"
    printf '.'; sleep 1
  done
  printf ' ready\n'
}

# The developer wallets: a wallet-rpc of their own, never one of the gateway's. Both SSL modes off (plain HTTP on
# loopback): 0.18 generates an RSA-4096 key for each client left in SSL's autodetect mode, the daemon client
# of every wallet it opens among them, and fund, wallet and balance each open one.
start_faucet() {
  if running faucet; then return; fi
  mkdir -p "$STACK_HOME/data/faucet-regtest"
  spawn faucet "$STACK_HOME/logs/faucet-wallet-rpc.out" monero-wallet-rpc --daemon-address "127.0.0.1:$MONEROD_RPC_PORT" \
    --trusted-daemon --daemon-ssl disabled --rpc-ssl disabled --wallet-dir "$STACK_HOME/data/faucet-regtest" --rpc-bind-ip 127.0.0.1 --rpc-bind-port "$FAUCET_RPC_PORT" \
    --rpc-login "$(secret FAUCET_RPC_LOGIN)" --non-interactive --log-file "$STACK_HOME/logs/faucet-wallet-rpc.log"
  say "started the developer wallet-rpc (pid $(pid_of faucet), 127.0.0.1:$FAUCET_RPC_PORT): ./stack fund | wallet | balance | mine"
}

case "${1:-}" in
  start) start_monerod; start_faucet ;;
  stop) stop faucet; stop monerod ;;
  status)
    if running monerod; then printf '%-16s running (pid %s)  regtest height %s\n' monerod "$(pid_of monerod)" "$(height || echo '?')"; fi
    if running faucet; then printf '%-16s running (pid %s)  developer wallets on 127.0.0.1:%s\n' faucet "$(pid_of faucet)" "$FAUCET_RPC_PORT"; fi
    ;;
  fund|wallet|balance|mine)
    running monerod || die "no regtest monerod: start the stack with MONEROD=regtest ./stack up"
    if [ "$1" != mine ] || [ $# -ne 3 ]; then
      running faucet || die "no developer wallets: start the stack with MONEROD=regtest ./stack up"
    fi
    exec python3 "$ROOT/tools/regtest-wallets.py" "$@"
    ;;
  *) die "usage: scripts/regtest.sh start | stop | status | fund ESCROW_ID [AMOUNT] | wallet NAME | balance NAME | mine N [ADDRESS]" ;;
esac
