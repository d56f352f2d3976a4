#!/usr/bin/env python3
"""What READY escrows cost while they wait for funds: the funding watcher leases each one's arbiter wallet every
watch interval. With the pool full of spares (./stack's default), a wallet closed for a spare at once cost every
check two open_wallet (the wallet, then the displaced spare), 2-5 s of monero-wallet-rpc CPU each.

Per round: MONEROD=regtest ./stack up in a scratch STACK_HOME (ports 197xx/198xx), the skill's three inits, then
45 s for each escrow's first check, then --seconds of nothing: wallet-rpc CPU (from /proc) and open_wallet calls
(the gateway's metrics) in that time.
Each round twice, interleaved: with the default keep time, and with GATEWAY_WALLETS_KEEP_NAMED_PARKED=0s (parked
wallets closed for spares at once, as before). Reported: the medians and default over baseline.

Usage: bench/funds_idle_bench.py [--rounds N] [--seconds S]
"""
import argparse, json, os, re, statistics, sys, time, urllib.request

from scratch_stack import scratch_stack

PORTS = {"ESCROW_HTTP_PORT": "19780", "GATEWAY_HTTP_PORT": "19781", "EXPORTER_HTTP_PORT": "19782",
         "GATEWAY_POOL_BASE_PORT": "19800", "MONEROD_RPC_PORT": "19881", "MONEROD_P2P_PORT": "19880",
         "FAUCET_RPC_PORT": "19889"}


def wallet_rpc_ticks(home):
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = open("/proc/%s/cmdline" % pid, "rb").read().decode(errors="replace")
            if "monero-wallet-rpc" in cmd and home in cmd:
                stat = open("/proc/%s/stat" % pid).read()
                fields = stat[stat.rindex(")") + 2:].split()
                total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total


def opens():
    with urllib.request.urlopen("http://127.0.0.1:%s/q/metrics" % PORTS["GATEWAY_HTTP_PORT"], timeout=10) as r:
        text = r.read().decode()
    return sum(float(m.group(1)) for m in re.finditer(r'^wallet_rpc_call_seconds_count\{method="open_wallet"[^}]*\} ([0-9.]+)', text, re.M))


def round_(seconds, extra):
    with scratch_stack("funds-idle-bench-", dict(os.environ, MONEROD="regtest", **PORTS, **extra)) as (home, env, up):
        for i in range(3):
            body = json.dumps({"buyer_id": "buyer%d" % i, "vendor_id": "vendor%d" % i, "amount": 1000000}).encode()
            req = urllib.request.Request("http://localhost:%s/api/escrow/init" % PORTS["ESCROW_HTTP_PORT"], data=body,
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=300) as r:
                if json.load(r).get("status") != "READY":
                    sys.exit("funds_idle_bench: an init did not end READY")
        time.sleep(45)  # each escrow's first check opens its arbiter's wallet (setup parked it, spares displace it)
        ticks, opened = wallet_rpc_ticks(home), opens()
        time.sleep(seconds)
        return {"cpu_s_per_min": (wallet_rpc_ticks(home) - ticks) / 100 * 60 / seconds,
                "opens_per_min": (opens() - opened) * 60 / seconds}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--seconds", type=int, default=60)
    args = ap.parse_args()
    results = {"kept": [], "closed at once": []}
    for n in range(args.rounds):
        for kind, extra in (("kept", {}), ("closed at once", {"GATEWAY_WALLETS_KEEP_NAMED_PARKED": "0s"})):
            r = round_(args.seconds, extra)
            results[kind].append(r)
            print("%s round %d: wallet-rpc %.1f s of CPU a minute, %.1f open_wallet a minute, 3 READY escrows" % (
                kind, n + 1, r["cpu_s_per_min"], r["opens_per_min"]), flush=True)
    for key, what in (("cpu_s_per_min", "wallet-rpc CPU s/min"), ("opens_per_min", "open_wallet/min")):
        new = statistics.median(r[key] for r in results["kept"])
        old = statistics.median(r[key] for r in results["closed at once"])
        print("%s: %.2f kept, %.2f closed at once: ratio %.3f" % (what, new, old, new / old if old else float("nan")))


if __name__ == "__main__":
    main()
