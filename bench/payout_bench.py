#!/usr/bin/env python3
"""Payout latency: from the block that confirms an escrow's funding to its payout submitted, on a regtest chain.

MONEROD=regtest ./stack up in a scratch STACK_HOME (ports 196xx), then per round two escrows (three with
--parties), each funded from the faucet with exactly its amount and confirmed by 10 blocks:
  escrow-service: POST /api/escrow/{id}/release right after the 10th block: the funding check that finds it
                  FUNDED, the payout (lease, sync, outgoing check, export/import, sweep, sign, submit), the
                  database; until the answer (RELEASED, submitted).
  baseline:       the least any implementation must do, straight at wallet-gateway: lease the two wallets,
                  refresh both, export ×2, import ×2, sweep_all, sign_multisig, submit_multisig.
  parties:        (--parties) a non-custodial escrow (custody parties: buyer and vendor on monero-wallet-rpc of
                  their own, set up with tools/escrow-party join beforehand, untimed): right after the 10th block,
                  both parties' `escrow-party sync` at once (export, exchange through escrow-service, import),
                  then the vendor's `release` (sweep_all to its address, escrow-service checks the set with the
                  arbiter's describe_transfer) and the buyer's `sign` (its own check, sign, submit, report) at
                  once; until the buyer's client exits with the transaction submitted. Then one block is mined and
                  the time until escrow-service says RELEASED is noted apart (it looks every watch interval, 10 s).
The order alternates per round. Reported: medians, their ratio, the median of per-round ratios, and the
wallet RPC calls of each escrow-service payout (from its escrow_<id>.json); with --parties also the
non-custodial median, its ratio to the custodial release's (the issue's figure) and the share of it spent in sync.

Usage: bench/payout_bench.py [--rounds N] [--parties] [--json FILE]
"""
import argparse, importlib.util, json, os, shutil, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
XMR = 1_000_000_000_000
PORTS = {"ESCROW_HTTP_PORT": "19680", "GATEWAY_HTTP_PORT": "19681", "EXPORTER_HTTP_PORT": "19682",
         "GATEWAY_POOL_BASE_PORT": "19700", "MONEROD_RPC_PORT": "19691", "MONEROD_P2P_PORT": "19690", "FAUCET_RPC_PORT": "19692"}


def http(method, url, body=None, headers=None, timeout=300):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data, dict({"Content-Type": "application/json"}, **(headers or {})), method=method)
    with urllib.request.urlopen(request, timeout=timeout) as r:
        text = r.read()
        return json.loads(text) if text else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--parties", action="store_true", help="also a non-custodial release per round")
    ap.add_argument("--json")
    args = ap.parse_args()
    parties = None
    home = tempfile.mkdtemp(prefix="payout-bench-")
    env = dict(os.environ, STACK_HOME=home, MONEROD="regtest", GATEWAY_POOL_SIZE="6", **PORTS)
    env.pop("ENABLE_INSTRUMENTATION", None)
    os.environ.update({k: v for k, v in env.items() if k in PORTS or k == "STACK_HOME"})
    spec = importlib.util.spec_from_file_location("wallets", os.path.join(ROOT, "tools/regtest-wallets.py"))
    wallets = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(wallets)  # reads STACK_HOME and the ports from the environment set above
    escrow_url = "http://127.0.0.1:%s" % PORTS["ESCROW_HTTP_PORT"]
    gateway_url = "http://127.0.0.1:%s/v1/leases" % PORTS["GATEWAY_HTTP_PORT"]
    try:
        subprocess.run([os.path.join(ROOT, "stack"), "up"], cwd=home, env=env, check=True, stdout=subprocess.DEVNULL)
        token = next(l.split("=", 1)[1].strip() for l in open(os.path.join(home, "secrets.env")) if l.startswith("GATEWAY_API_TOKEN="))
        auth = {"Authorization": "Bearer " + token}
        payee = wallets.use("payee")
        faucet = wallets.use("faucet")

        def funded_escrow(n):
            e = http("POST", escrow_url + "/api/escrow/init", {"buyer_id": "b%d" % n, "vendor_id": "v%d" % n, "amount": XMR,
                                                               "vendor_payout_address": payee})
            assert e["status"] == "READY", e
            return e

        def confirm(address):
            """Pays XMR to address from the faucet; returns when the 10th confirming block is mined."""
            wallets.use("faucet")
            wallets.rpc(wallets.WALLETS, "refresh")
            if wallets.height() < 100:
                wallets.mine(100 - wallets.height(), faucet)
                wallets.rpc(wallets.WALLETS, "refresh")
            sent = wallets.rpc(wallets.WALLETS, "transfer", {"destinations": [{"address": address, "amount": XMR}]})
            wallets.mine(10, faucet)
            for _ in range(10):
                wallets.rpc(wallets.WALLETS, "refresh")
                if wallets.rpc(wallets.WALLETS, "get_transfer_by_txid", {"txid": sent["tx_hash"]})["transfer"]["confirmations"] >= 10:
                    break
                wallets.mine(1, faucet)

        def through_service(e):
            confirm(e["multisig_address"])
            t = time.perf_counter()
            paid = http("POST", escrow_url + "/api/escrow/%s/release" % e["escrow_id"])
            elapsed = time.perf_counter() - t
            assert paid["status"] == "RELEASED", paid
            return elapsed

        def baseline(e):
            confirm(e["multisig_address"])
            t = time.perf_counter()
            lease = http("POST", gateway_url, {"holder": e["escrow_id"], "ttl_seconds": 120, "wait_seconds": 60, "wallets": {
                "buyer": {"wallet_id": e["wallets"]["buyer"]}, "vendor": {"wallet_id": e["wallets"]["vendor"]}}}, auth)
            h = dict(auth, **{"Fencing-Token": str(lease["fencing_token"])})
            w = lambda role, op: "%s/%s/wallets/%s/%s" % (gateway_url, lease["lease_id"], role, op)
            for role in ("buyer", "vendor"):
                http("POST", w(role, "refresh"), None, h)
            info = {role: http("POST", w(role, "multisig/export"), None, h)["info"] for role in ("buyer", "vendor")}
            http("POST", w("buyer", "multisig/import"), {"info": [info["vendor"]]}, h)
            http("POST", w("vendor", "multisig/import"), {"info": [info["buyer"]]}, h)
            txset = http("POST", w("buyer", "sweep"), {"address": payee}, h)["multisig_txset"]
            signed = http("POST", w("vendor", "sign"), {"tx_data_hex": txset}, h)["tx_data_hex"]
            submitted = http("POST", w("vendor", "submit"), {"tx_data_hex": signed}, h)["tx_hash_list"]
            elapsed = time.perf_counter() - t
            http("DELETE", "%s/%s" % (gateway_url, lease["lease_id"]), None, h)
            assert len(submitted) == 1
            return elapsed

        if args.parties:
            parties = Parties(home, escrow_url, "127.0.0.1:%s" % PORTS["MONEROD_RPC_PORT"], payee)

        def through_parties(e):
            confirm(e["multisig_address"])
            return parties.release(e, lambda: wallets.mine(1, faucet))

        service, base, ratios, calls, nc, nc_sync, nc_seen = [], [], [], [], [], [], []
        for n in range(args.rounds):
            a, b = funded_escrow(2 * n), funded_escrow(2 * n + 1)
            c = parties.escrow(n) if parties else None
            if n % 2 == 0:
                service.append(through_service(a)); base.append(baseline(b))
            else:
                base.append(baseline(b)); service.append(through_service(a))
            if c:
                total, synced, seen = through_parties(c)
                nc.append(total); nc_sync.append(synced); nc_seen.append(seen)
                print("round %d/%d: non-custodial %.2f s to submitted (sync %.2f s), RELEASED %.2f s after its block"
                      % (n + 1, args.rounds, total, synced, seen), flush=True)
            ratios.append(service[-1] / base[-1])
            calls.append(rpc_calls(os.path.join(home, "escrow_%s.json" % a["escrow_id"])))
            print("round %d/%d: escrow-service %.2f s, baseline %.2f s, %s wallet RPC calls" % (n + 1, args.rounds, service[-1],
                                                                                          base[-1], calls[-1]), flush=True)
        result = {"rounds": args.rounds, "service_p50_s": statistics.median(service), "baseline_p50_s": statistics.median(base),
                  "ratio_of_medians": statistics.median(service) / statistics.median(base),
                  "median_of_ratios": statistics.median(ratios), "rpc_calls_per_payout": statistics.median(c for c in calls if c)}
        if nc:
            result.update({"parties_p50_s": statistics.median(nc), "parties_vs_custodial": statistics.median(nc) / statistics.median(service),
                           "parties_sync_share": statistics.median(s / t for s, t in zip(nc_sync, nc)),
                           "parties_released_after_block_p50_s": statistics.median(nc_seen)})
        print(json.dumps(result, indent=2))
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=2)
    finally:
        if parties:
            parties.stop()
        subprocess.run([os.path.join(ROOT, "stack"), "down"], cwd=home, env=env, stdout=subprocess.DEVNULL)
        shutil.rmtree(home, ignore_errors=True)


class Parties:
    """Buyer's and vendor's own monero-wallet-rpc (against the regtest monerod, 127.0.0.1), a new wallet in each
    per escrow, and tools/escrow-party driving them: what a non-custodial escrow's parties run."""

    def __init__(self, home, escrow_url, daemon, payee):
        self.home, self.escrow_url, self.payee = home, escrow_url, payee
        self.dir = os.path.join(home, "parties")
        os.makedirs(self.dir)
        self.procs, self.ports = [], {}
        for i, role in enumerate(("buyer", "vendor")):
            port = 19710 + i
            log = open(os.path.join(self.dir, role + ".out"), "w")
            self.procs.append(subprocess.Popen(["monero-wallet-rpc", "--daemon-address", daemon, "--trusted-daemon", "--wallet-dir",
                                                self.dir, "--rpc-bind-ip", "127.0.0.1", "--rpc-bind-port", str(port),
                                                "--disable-rpc-login", "--non-interactive", "--log-file",
                                                os.path.join(self.dir, role + ".log")], stdout=log, stderr=subprocess.STDOUT))
            self.ports[role] = port
        for role in self.ports:
            for _ in range(120):
                try:
                    self.rpc(role, "get_version")
                    break
                except OSError:
                    time.sleep(0.5)

    def rpc(self, role, method, params=None):
        reply = http("POST", "http://127.0.0.1:%d/json_rpc" % self.ports[role],
                     {"jsonrpc": "2.0", "id": "0", "method": method, "params": params or {}})
        if "error" in reply:
            raise RuntimeError("%s %s: %s" % (role, method, reply["error"]))
        return reply["result"]

    def client(self, command, e, role):
        return subprocess.Popen([os.path.join(ROOT, "tools/escrow-party"), command, "--service", self.escrow_url, "--escrow",
                                 e["escrow_id"], "--role", role, "--token-file", os.path.join(self.dir, "%s-%s.token" % (e["escrow_id"], role)),
                                 "--wallet-rpc", "http://127.0.0.1:%d/json_rpc" % self.ports[role], "--state-dir",
                                 os.path.join(self.dir, "state")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self, *clients):
        for c in clients:
            out, err = c.communicate(timeout=600)
            if c.returncode != 0:
                sys.exit("payout_bench: escrow-party %s exited %d: %s" % (c.args[1], c.returncode, err[-2000:]))

    def escrow(self, n):
        """A READY non-custodial escrow paying the vendor's release to the payee (set up untimed)."""
        for role in self.ports:
            self.rpc(role, "create_wallet", {"filename": "p%d-%s" % (n, role), "password": "", "language": "English"})
        e = http("POST", self.escrow_url + "/api/escrow/init", {"buyer_id": "pb%d" % n, "vendor_id": "pv%d" % n, "amount": XMR,
                                                              "custody": "parties", "vendor_payout_address": self.payee})
        for role, token in e["party_tokens"].items():
            with open(os.path.join(self.dir, "%s-%s.token" % (e["escrow_id"], role)), "w") as f:
                f.write(token)
        self.run(self.client("join", e, "buyer"), self.client("join", e, "vendor"))
        e = http("GET", self.escrow_url + "/api/escrow/" + e["escrow_id"])
        assert e["status"] == "READY", e
        return e

    def release(self, e, mine_one):
        """(to submitted, of it in sync, RELEASED after the block) in seconds."""
        t = time.perf_counter()
        self.run(self.client("sync", e, "buyer"), self.client("sync", e, "vendor"))
        synced = time.perf_counter() - t
        self.run(self.client("release", e, "vendor"), self.client("sign", e, "buyer"))
        total = time.perf_counter() - t
        mine_one()
        t = time.perf_counter()
        while http("GET", self.escrow_url + "/api/escrow/" + e["escrow_id"])["status"] != "RELEASED":
            if time.perf_counter() - t > 120:
                sys.exit("payout_bench: escrow %s not RELEASED 120 s after its block" % e["escrow_id"])
            time.sleep(0.2)
        return total, synced, time.perf_counter() - t

    def stop(self):
        for p in self.procs:  # by pid: the processes started here
            p.terminate()
            try:
                p.wait(20)
            except subprocess.TimeoutExpired:
                p.kill()


def rpc_calls(path):
    """Wallet RPC calls of the escrow's payout: between its PAYOUT_PENDING and RELEASED events (files arrive within ~1 s)."""
    for _ in range(20):
        try:
            events = json.load(open(path))
            states = [e for e in events if e["event_type"] == "STATE_CHANGE"]
            start = next(e["timestamp"] for e in states if e["details"].get("state") == "PAYOUT_PENDING")
            end = next(e["timestamp"] for e in states if e["details"].get("state") == "RELEASED")
            return sum(1 for e in events if e["event_type"] == "RPC_CALL_END" and start <= e["timestamp"] <= end)
        except (OSError, ValueError, StopIteration):
            time.sleep(0.5)
    return None


if __name__ == "__main__":
    sys.exit(main())
