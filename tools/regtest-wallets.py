#!/usr/bin/env python3
"""Developer wallets on the stack's regtest chain, for walking the funds path by hand (./stack fund|wallet|balance|mine).

A faucet, a miner and the parties' own payout wallets live in one monero-wallet-rpc that ./stack up starts beside
the regtest monerod (scripts/regtest.sh; 127.0.0.1, digest login from $STACK_HOME/secrets.env). These wallets are
outside the escrow stack on purpose: they play the buyer paying in and the parties receiving payouts.

  fund ESCROW_ID [AMOUNT]   pay the escrow's multisig address from the faucet (default: the escrow's amount) and
                            mine the blocks that confirm it; the faucet mines its own coins when it runs short
  wallet NAME               create (or open) wallet NAME and print its address: a payout address for a party
  balance NAME              refresh wallet NAME and print its balance and unlocked balance (atomic units)
  mine N [ADDRESS]          mine N blocks paying ADDRESS, by default the "miner" wallet: nobody's, so the blocks that
                            confirm and unlock a payout do not add coinbases to the wallets a reader checks

Environment: STACK_HOME, MONEROD_RPC_PORT, FAUCET_RPC_PORT, ESCROW_HTTP_PORT, FUND_CONFIRMATIONS (10).
"""
import hashlib
import http.client
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

HOME = os.environ.get("STACK_HOME", os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".stack"))
MONEROD = "http://127.0.0.1:%s/json_rpc" % os.environ.get("MONEROD_RPC_PORT", "18081")
WALLETS = "http://127.0.0.1:%s/json_rpc" % os.environ.get("FAUCET_RPC_PORT", "18089")
ESCROW = "http://127.0.0.1:%s" % os.environ.get("ESCROW_HTTP_PORT", "8080")
CONFIRMATIONS = int(os.environ.get("FUND_CONFIRMATIONS", "10"))
# The developer wallet-rpc's --wallet-dir (scripts/regtest.sh): the wallets, and each one's remembered address.
WALLET_DIR = os.path.join(HOME, "data", "faucet-regtest")
COINBASE_MATURITY = 60
NAME = re.compile(r"[A-Za-z0-9_-]{1,64}$")


def die(message):
    print("stack: " + message, file=sys.stderr)
    sys.exit(1)


def login():
    with open(os.path.join(HOME, "secrets.env")) as f:
        for line in f:
            if line.startswith("FAUCET_RPC_LOGIN="):
                return line.strip().split("=", 1)[1].split(":", 1)
    die("no FAUCET_RPC_LOGIN in %s/secrets.env: start the stack with MONEROD=regtest ./stack up" % HOME)


def digest(challenge, user, password, uri, nc):
    """RFC 7616 digest (MD5, qop=auth), as monero-wallet-rpc's --rpc-login asks for it."""
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', challenge))
    md5 = lambda text: hashlib.md5(text.encode()).hexdigest()
    cnonce = os.urandom(8).hex()
    ha1 = md5("%s:%s:%s" % (user, fields["realm"], password))
    ha2 = md5("POST:" + uri)
    response = md5("%s:%s:%08x:%s:auth:%s" % (ha1, fields["nonce"], nc, cnonce, ha2))
    return ('Digest username="%s", realm="%s", nonce="%s", uri="%s", algorithm=MD5, qop=auth, nc=%08x, cnonce="%s", response="%s"'
            % (user, fields["realm"], fields["nonce"], uri, nc, cnonce, response))


def post(url, body, timeout):
    """POSTs JSON. The wallet-rpc's digest login ties its nonce to the connection, so the challenge is
    answered on the same keep-alive connection that received it."""
    parsed = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"}
        connection.request("POST", parsed.path, body, headers)
        reply = connection.getresponse()
        payload = reply.read()
        if reply.status == 401 and url == WALLETS:
            challenge = next(h for h in reply.headers.get_all("WWW-Authenticate") if "algorithm=MD5," in h.replace(" ", "") + ",")
            user, password = login()
            headers["Authorization"] = digest(challenge, user, password, parsed.path, 1)
            connection.request("POST", parsed.path, body, headers)
            reply = connection.getresponse()
            payload = reply.read()
        if reply.status != 200:
            raise urllib.error.URLError("HTTP %d" % reply.status)
        return json.loads(payload)
    except OSError as e:
        raise urllib.error.URLError(e)
    finally:
        connection.close()


def rpc(url, method, params=None, timeout=120):
    body = json.dumps({"jsonrpc": "2.0", "id": "0", "method": method, "params": params or {}}).encode()
    try:
        reply = post(url, body, timeout)
    except urllib.error.URLError as e:
        die("%s: %s unreachable (%s): is the stack up with MONEROD=regtest?" % (method, url, e))
    if "error" in reply:
        raise RuntimeError("%s: %s" % (method, reply["error"].get("message")))
    return reply["result"]


def remembered(name):
    """Where wallet NAME's address is kept beside the wallets once known."""
    return os.path.join(WALLET_DIR, name + ".address")


def use(name, quiet=True):
    """Opens wallet NAME, creating it on first use; returns its address.

    monero-wallet-rpc spends seconds on each wallet it opens or creates (an RSA-4096 key per wallet object in 0.18),
    so a wallet that is open already (the one whose address is NAME's remembered one) is not opened again: ./stack
    fund run once per escrow opens the faucet once."""
    try:
        with open(remembered(name)) as f:
            known = f.read().strip()
        if rpc(WALLETS, "get_address", {"account_index": 0})["address"] == known:
            return known
    except (OSError, RuntimeError):
        pass  # not remembered yet, or no wallet open: open it
    if not quiet:
        verb = "opening" if os.path.exists(os.path.join(WALLET_DIR, name + ".keys")) else "creating"
        print("%s regtest wallet %s (monero-wallet-rpc takes a few seconds per wallet)..." % (verb, name), file=sys.stderr, flush=True)
    try:
        rpc(WALLETS, "open_wallet", {"filename": name, "password": ""})
    except RuntimeError:
        rpc(WALLETS, "create_wallet", {"filename": name, "password": "", "language": "English"})
    address = rpc(WALLETS, "get_address", {"account_index": 0})["address"]
    with open(remembered(name), "w") as f:
        f.write(address + "\n")
    return address


def mine(blocks, address):
    rpc(MONEROD, "generateblocks", {"amount_of_blocks": blocks, "wallet_address": address, "starting_nonce": 0})


def miner():
    """The miner wallet's address: remembered, so that mining does not open a wallet each time."""
    if os.path.exists(remembered("miner")):
        with open(remembered("miner")) as f:
            return f.read().strip()
    return use("miner", quiet=False)


def mine_command(blocks, address=None):
    address = address or miner()
    try:
        mine(blocks, address)
    except RuntimeError as e:
        die("generateblocks failed (is %s a mainnet-type address?): %s" % (address, e))
    print("mined %d blocks to %s; height %d" % (blocks, address, height()))


def height():
    return rpc(MONEROD, "get_info")["height"]


def escrow(escrow_id):
    if not re.match(r"[A-Za-z0-9_-]{1,64}$", escrow_id):
        die("not an escrow id: %r" % escrow_id)
    try:
        return json.load(urllib.request.urlopen(ESCROW + "/api/escrow/" + escrow_id, timeout=30))
    except urllib.error.HTTPError as e:
        die("escrow %s: HTTP %d %s" % (escrow_id, e.code, e.read().decode(errors="replace")))
    except urllib.error.URLError as e:
        die("escrow-service unreachable at %s (%s)" % (ESCROW, e))


def fund(escrow_id, amount=None):
    e = escrow(escrow_id)
    if not e.get("multisig_address"):
        die("escrow %s is %s: it has no multisig address to fund" % (escrow_id, e["status"]))
    amount = int(amount) if amount is not None else e["amount"]
    faucet = use("faucet")
    rpc(WALLETS, "refresh")
    # A transfer needs 15 decoys besides its own output, all unlocked: a new chain needs some depth first.
    if height() < COINBASE_MATURITY + 40:
        print("faucet: mining %d blocks to its own address (coinbase unlocks after %d)" % (COINBASE_MATURITY + 40 - height(),
                                                                                       COINBASE_MATURITY))
        mine(COINBASE_MATURITY + 40 - height(), faucet)
        rpc(WALLETS, "refresh")
    # Then again only when it runs dry.
    for rounds in range(6):
        if rpc(WALLETS, "get_balance", {"account_index": 0})["unlocked_balance"] >= amount * 2:
            break
        if rounds == 5:
            die("the faucet does not see the coins it mined: its wallet belongs to another chain? (remove %s)"
                % WALLET_DIR)
        print("faucet: mining %d blocks to its own address (coinbase unlocks after %d)" % (COINBASE_MATURITY + 10, COINBASE_MATURITY))
        mine(COINBASE_MATURITY + 10, faucet)
        rpc(WALLETS, "refresh")
    sent = rpc(WALLETS, "transfer", {"destinations": [{"address": e["multisig_address"], "amount": amount}], "priority": 0})
    confirmations = confirm(sent["tx_hash"], faucet)
    print("funded escrow %s: %d atomic units to %s, tx %s, fee %d; confirmed by %d blocks (height %d)" % (
        escrow_id, amount, e["multisig_address"], sent["tx_hash"], sent["fee"], confirmations, height()))
    try:
        status = json.load(urllib.request.urlopen(ESCROW + "/api/escrow/" + escrow_id + "/funding", timeout=120))
        print("funding: %s, received %d of %d, %d confirmations; escrow %s" % (
            status["state"], status["received"], status["expected"], status["confirmations"], status["escrow_status"]))
    except urllib.error.HTTPError as e:
        print("funding check: HTTP %d %s" % (e.code, e.read().decode(errors="replace")))


def confirm(txid, address, timeout=120):
    """Mines until the daemon has the transaction CONFIRMATIONS blocks deep; returns its confirmations.

    monerod takes a wallet's transaction into its pool as a local one and makes it minable only once its
    Dandelion++ relay has run, asynchronously (with no peers: at once, but on another thread): blocks mined
    right after the transfer can miss it. So the depth is read from the daemon, never assumed."""
    mine(CONFIRMATIONS, address)
    deadline = time.time() + timeout
    while True:
        found = post(MONEROD.replace("/json_rpc", "/get_transactions"), json.dumps({"txs_hashes": [txid]}).encode(), 30)
        tx = (found.get("txs") or [{}])[0]
        if tx.get("in_pool") is False and "block_height" in tx:
            depth = height() - tx["block_height"]
            if depth >= CONFIRMATIONS:
                return depth
            mine(CONFIRMATIONS - depth, address)
            continue
        if time.time() > deadline:
            die("transaction %s is not in a block after %d s (the daemon %s): see %s/logs/monerod.log" % (
                txid, timeout, "has it in its pool" if tx.get("in_pool") else "does not know it", HOME))
        time.sleep(0.5)
        mine(1, address)


def wallet(name):
    print(use(name, quiet=False))


def balance(name):
    use(name, quiet=False)
    rpc(WALLETS, "refresh")
    b = rpc(WALLETS, "get_balance", {"account_index": 0})
    print("%s balance %d unlocked %d" % (name, b["balance"], b["unlocked_balance"]))


def main(argv):
    if len(argv) >= 2 and argv[0] == "fund" and len(argv) <= 3:
        if len(argv) == 3 and not argv[2].isdigit():
            die("AMOUNT is atomic units, a whole number")
        fund(argv[1], argv[2] if len(argv) == 3 else None)
    elif len(argv) == 2 and argv[0] in ("wallet", "balance"):
        if not NAME.match(argv[1]) or argv[1] == "faucet" and argv[0] == "wallet":
            die("wallet names are 1-64 characters of [A-Za-z0-9_-] (and not the faucet's)")
        (wallet if argv[0] == "wallet" else balance)(argv[1])
    elif argv[:1] == ["mine"] and len(argv) in (2, 3) and argv[1].isdigit() and int(argv[1]) > 0:
        mine_command(int(argv[1]), argv[2] if len(argv) == 3 else None)
    else:
        die("usage: ./stack fund ESCROW_ID [AMOUNT] | wallet NAME | balance NAME | mine N [ADDRESS]")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except RuntimeError as e:
        die(str(e))
