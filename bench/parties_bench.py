#!/usr/bin/env python3
"""Non-custodial vs custodial setup: the whole 2-of-3 setup of one escrow, in the same run.

Baseline (custodial): POST /api/escrow/init, which answers READY — the service runs all three wallets in the
gateway. Measured (custody "parties"): POST /api/escrow/init with "custody": "parties", then buyer and vendor,
each on a monero-wallet-rpc of its own outside the gateway, run their rounds through the mailbox (prepare,
PUT, long-poll GET, make_multisig, PUT, …, the address) while the service's arbiter wallet plays its part,
until the escrow is READY. The parties' wallets are created before the clock starts, as the gateway's spares
are. The parties' side is driven from here (the protocol's round trips, not a client's JVM start). Batches
alternate, so noise hits both; each path runs once untimed first (JIT, connection pools, the first queries).
Reported: median of each and their ratio (target <= 1.25).

Usage: bench/parties_bench.py [--batches N] [--json FILE]   (needs the built jars: ./stack test, or
mvn -B package -DskipTests)
"""
import argparse, concurrent.futures as cf, json, os, shutil, statistics, subprocess, sys, tempfile, time, urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import escrow_bench as eb  # noqa: E402
import gateway_bench as gb  # noqa: E402


def call(port, method, path, body=None, token=None, expect=(200, 201)):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Party-Token"] = token
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", None if body is None else json.dumps(body).encode(), headers,
                                 method=method)
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            assert r.status in expect, (path, r.status)
            return json.load(r)
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"{method} {path}: HTTP {e.code} {e.read().decode(errors='replace')}") from None


def party(port, escrow_id, role, token, wallet):
    """One party's whole side of the setup; returns the address its wallet computed."""
    base = f"/api/escrow/{escrow_id}/parties/{role}"

    def others(rnd):
        while True:
            view = call(port, "GET", f"{base}/rounds/{rnd}?wait=30", token=token)
            if view["complete"]:
                return view["infos"]

    info = wallet.call("prepare_multisig", {"enable_multisig_experimental": True})["multisig_info"]
    call(port, "PUT", f"{base}/rounds/1", {"info": info}, token)
    info = wallet.call("make_multisig", {"multisig_info": others(1), "threshold": 2, "password": "p"})["multisig_info"]
    call(port, "PUT", f"{base}/rounds/2", {"info": info}, token)
    info = wallet.call("exchange_multisig_keys", {"multisig_info": others(2), "password": "p"})["multisig_info"]
    call(port, "PUT", f"{base}/rounds/3", {"info": info}, token)
    address = wallet.call("exchange_multisig_keys", {"multisig_info": others(3), "password": "p"})["address"]
    call(port, "PUT", f"{base}/address", {"address": address}, token)
    return address


def parties_setup(pool, port, wallets, batch):
    for role in ("buyer", "vendor"):
        wallets[role].call("create_wallet", {"filename": f"{batch}-{role}", "password": "p", "language": "English"})
    time.sleep(eb.SETTLE_S)  # pre-created, as the gateway's spares are
    t = time.perf_counter()
    escrow = call(port, "POST", "/api/escrow/init", {"buyer_id": f"buyer{batch}", "vendor_id": f"vendor{batch}", "amount": 1000000,
                                                     "custody": "parties"})
    tokens = escrow["party_tokens"]
    runs = {r: pool.submit(party, port, escrow["escrow_id"], r, tokens[r], wallets[r]) for r in ("buyer", "vendor")}
    addresses = {r: f.result() for r, f in runs.items()}
    assert addresses["buyer"] == addresses["vendor"], addresses
    while True:
        now = call(port, "GET", f"/api/escrow/{escrow['escrow_id']}")
        if now["status"] != "AWAITING_PARTIES":
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - t
    assert now["status"] == "READY" and now["multisig_address"] == addresses["buyer"], now
    for role in ("buyer", "vendor"):
        wallets[role].call("close_wallet")
    return elapsed


def custodial_setup(port, batch):
    t = time.perf_counter()
    reply = call(port, "POST", "/api/escrow/init", {"buyer_id": f"buyer{batch}", "vendor_id": f"vendor{batch}", "amount": 1000000})
    assert reply["status"] == "READY", reply
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batches", type=int, default=5)
    ap.add_argument("--json")
    args = ap.parse_args()
    for jar in (gb.JAR, eb.ESCROW_JAR):
        if not os.path.exists(jar):
            subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=gb.ROOT, check=True)
    work = tempfile.mkdtemp(prefix="parties-bench-")
    party_procs, gw, escrow_proc = [], None, None
    try:
        wallets = gb.start_direct(work, 18770, party_procs, ["buyer", "vendor"])
        _, gw = gb.start_gateway(work, 18780, 9, spares=9)
        escrow_proc, port = eb.start_escrow(work, gw)
        custodial_setup(port, "warmup")  # JIT and connection pools, untimed
        custodial, parties = [], []
        with cf.ThreadPoolExecutor(2) as pool:
            gb.wait_idle(gw, 9)
            parties_setup(pool, port, wallets, "warmup")  # the same for the mailbox's paths, untimed
            for b in range(args.batches):
                gb.wait_idle(gw, 9)
                custodial.append(custodial_setup(port, f"c{b}"))
                gb.wait_idle(gw, 9)
                parties.append(parties_setup(pool, port, wallets, f"p{b}"))
                print(f"batch {b + 1}/{args.batches}: custodial {custodial[-1]:.2f} s, parties {parties[-1]:.2f} s", flush=True)
        result = {"custodial_s": custodial, "parties_s": parties, "custodial_p50": statistics.median(custodial),
                  "parties_p50": statistics.median(parties), "ratio_p50": statistics.median(parties) / statistics.median(custodial)}
        print(f"\ncustodial p50 {result['custodial_p50']:.2f} s | parties p50 {result['parties_p50']:.2f} s | "
              f"ratio {result['ratio_p50']:.3f} (target <= 1.25)")
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=2)
    finally:
        gb.stop_all([escrow_proc, getattr(gw, "proc", None)], party_procs)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
