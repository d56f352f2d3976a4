#!/usr/bin/env python3
"""Payout latency: from the block that confirms an escrow's funding to its payout submitted, on a regtest chain.

MONEROD=regtest ./stack up in a scratch STACK_HOME (ports 196xx), then per round two escrows, each funded
from the faucet with exactly its amount and confirmed by 10 blocks:
  escrow-service: POST /api/escrow/{id}/release right after the 10th block: the funding check that finds it
                  FUNDED, the payout (lease, sync, outgoing check, export/import, sweep, sign, submit), the
                  database; until the answer (RELEASED, submitted).
  baseline:       the least any implementation must do, straight at wallet-gateway: lease the two wallets,
                  refresh both, export ×2, import ×2, sweep_all, sign_multisig, submit_multisig.
The order alternates per round. Reported: medians, their ratio, the median of per-round ratios, and the
wallet RPC calls of each escrow-service payout (from its escrow_<id>.json).

Usage: bench/payout_bench.py [--rounds N] [--json FILE]
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
    ap.add_argument("--json")
    args = ap.parse_args()
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

        service, base, ratios, calls = [], [], [], []
        for n in range(args.rounds):
            a, b = funded_escrow(2 * n), funded_escrow(2 * n + 1)
            if n % 2 == 0:
                service.append(through_service(a)); base.append(baseline(b))
            else:
                base.append(baseline(b)); service.append(through_service(a))
            ratios.append(service[-1] / base[-1])
            calls.append(rpc_calls(os.path.join(home, "escrow_%s.json" % a["escrow_id"])))
            print("round %d/%d: escrow-service %.2f s, baseline %.2f s, %s wallet RPC calls" % (n + 1, args.rounds, service[-1],
                                                                                          base[-1], calls[-1]), flush=True)
        result = {"rounds": args.rounds, "service_p50_s": statistics.median(service), "baseline_p50_s": statistics.median(base),
                  "ratio_of_medians": statistics.median(service) / statistics.median(base),
                  "median_of_ratios": statistics.median(ratios), "rpc_calls_per_payout": statistics.median(c for c in calls if c)}
        print(json.dumps(result, indent=2))
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=2)
    finally:
        subprocess.run([os.path.join(ROOT, "stack"), "down"], cwd=home, env=env, stdout=subprocess.DEVNULL)
        shutil.rmtree(home, ignore_errors=True)


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
