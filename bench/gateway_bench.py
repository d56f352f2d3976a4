#!/usr/bin/env python3
"""wallet-gateway benchmark, every figure measured in one run on this machine.

1. A 2-of-3 multisig setup (prepare, make, exchange x2, three wallets in parallel per round)
   through the gateway -- lease of three new wallets included -- against the same calls made
   directly to three monero-wallet-rpc processes on pre-created wallets. Rounds alternate
   (direct, gateway, direct, ...) so machine noise hits both; the figure is the ratio of medians.
2. Lease acquire+release per second with the pool idle (re-leasing a parked wallet, and an
   escrow-shaped set of three).
3. Time to recover from kill -9 of a wallet-rpc process under a lease.

Only the standard library; needs monero-wallet-rpc (Debian's monero package), java and the
built gateway (built here if missing). Usage: bench/gateway_bench.py [--rounds N] [--json FILE]
"""
import argparse, concurrent.futures as cf, hashlib, http.client, json, os, secrets, shutil, signal, socket
import statistics, subprocess, sys, tempfile, time, urllib.error, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JAR = os.path.join(ROOT, "wallet-gateway/target/quarkus-app/quarkus-run.jar")
ROLES = ["buyer", "vendor", "arbiter"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DigestRpc:
    """JSON-RPC to one monero-wallet-rpc with digest auth on a kept-alive connection, reusing the
    nonce as the gateway's client does (monero-wallet-rpc ties a digest session to its connection)."""

    def __init__(self, port, user, password):
        self.port, self.user, self.password = port, user, password
        self.conn, self.nonce, self.realm, self.nc = None, None, None, 0

    def _auth(self):
        self.nc += 1
        md5 = lambda s: hashlib.md5(s.encode()).hexdigest()
        cnonce, nc = secrets.token_hex(8), f"{self.nc:08x}"
        ha1, ha2 = md5(f"{self.user}:{self.realm}:{self.password}"), md5("POST:/json_rpc")
        resp = md5(f"{ha1}:{self.nonce}:{nc}:{cnonce}:auth:{ha2}")
        return (f'Digest username="{self.user}", realm="{self.realm}", nonce="{self.nonce}", uri="/json_rpc", '
                f'algorithm=MD5, qop=auth, nc={nc}, cnonce="{cnonce}", response="{resp}"')

    def call(self, method, params=None, timeout=120):
        body = json.dumps({"jsonrpc": "2.0", "id": "0", "method": method, "params": params or {}})
        for _ in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            self.conn.timeout = timeout
            if self.conn.sock:
                self.conn.sock.settimeout(timeout)
            headers = {"Content-Type": "application/json"}
            if self.nonce:
                headers["Authorization"] = self._auth()
            try:
                self.conn.request("POST", "/json_rpc", body, headers)
                r = self.conn.getresponse()
                data = r.read()
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn, self.nonce = None, None
                raise
            if r.status == 401:
                for h in r.headers.get_all("WWW-Authenticate") or []:
                    if "algorithm=MD5," in h.replace(" ", "") + ",":
                        parts = dict(p.strip().split("=", 1) for p in h[len("Digest "):].split(","))
                        self.nonce, self.realm, self.nc = parts["nonce"].strip('"'), parts["realm"].strip('"'), 0
                continue
            reply = json.loads(data)
            if "error" in reply:
                raise RuntimeError(f"{method}: {reply['error']}")
            return reply["result"]
        raise RuntimeError("digest authentication failed")


class Gateway:
    def __init__(self, port, token):
        self.base, self.token = f"http://127.0.0.1:{port}", token

    def req(self, method, path, body=None, fencing=None, timeout=120):
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        if fencing is not None:
            headers["Fencing-Token"] = str(fencing)
        data = None if body is None else json.dumps(body).encode()
        try:
            with urllib.request.urlopen(urllib.request.Request(self.base + path, data, headers, method=method),
                                        timeout=timeout) as r:
                text = r.read()
                return r.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def ok(self, method, path, body=None, fencing=None):
        status, reply = self.req(method, path, body, fencing)
        if status >= 300:
            raise RuntimeError(f"{method} {path}: {status} {reply}")
        return reply


def others(infos, role):
    return sorted(v for k, v in infos.items() if k != role)


def setup(pool, step):
    """The setup itself, identical for both paths: step(role, name, infos) returns the call's result."""
    infos = dict(zip(ROLES, pool.map(lambda r: step(r, "prepare", None)["multisig_info"], ROLES)))
    results = dict(zip(ROLES, pool.map(lambda r: step(r, "make", others(infos, r)), ROLES)))
    for _ in range(2):
        infos = {r: results[r]["multisig_info"] for r in ROLES}
        results = dict(zip(ROLES, pool.map(lambda r: step(r, "exchange", others(infos, r)), ROLES)))
    addresses = {results[r]["address"] for r in ROLES}
    assert len(addresses) == 1 and "" not in addresses, f"addresses differ: {addresses}"
    return addresses.pop()


def direct_step(wallets):
    """setup()'s step made directly on monero-wallet-rpc: wallets maps each role to its DigestRpc."""
    def step(role, name, infos):
        if name == "prepare":
            return wallets[role].call("prepare_multisig", {"enable_multisig_experimental": True})
        if name == "make":
            return wallets[role].call("make_multisig", {"multisig_info": infos, "threshold": 2, "password": "p"})
        return wallets[role].call("exchange_multisig_keys", {"multisig_info": infos, "password": "p"})
    return step


def direct_round(pool, rpcs, n):
    names = {r: f"d{n}-{r}" for r in ROLES}
    list(pool.map(lambda r: rpcs[r].call("create_wallet", {"filename": names[r], "password": "p", "language": "English"}), ROLES))
    time.sleep(3)  # "pre-created": let the processes settle, as the gateway's spares have long since

    t = time.perf_counter()
    setup(pool, direct_step(rpcs))
    elapsed = time.perf_counter() - t
    list(pool.map(lambda r: rpcs[r].call("close_wallet"), ROLES))
    return elapsed


def wait_idle(gw, spares, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        p = gw.ok("GET", "/v1/pool")
        if p["busy"] == 0 and p["waiting"] == 0 and p["healthy"] == p["size"] and p["spares"] >= spares:
            return
        time.sleep(0.2)
    raise RuntimeError(f"pool not idle: {p}")


def gateway_round(pool, gw, n):
    wait_idle(gw, 6)
    t = time.perf_counter()
    lease = gw.ok("POST", "/v1/leases", {"holder": f"bench-{n}", "wallets": {r: {} for r in ROLES}, "wait_seconds": 60})
    lid, tok = lease["lease_id"], lease["fencing_token"]
    acquired = time.perf_counter()

    def step(role, name, infos):
        path = f"/v1/leases/{lid}/wallets/{role}/multisig/{name}"
        body = None if infos is None else ({"multisig_info": infos, "threshold": 2} if name == "make" else {"multisig_info": infos})
        return gw.ok("POST", path, body, tok)

    setup(pool, step)
    done = time.perf_counter()
    gw.ok("DELETE", f"/v1/leases/{lid}", fencing=tok)
    return done - t, acquired - t, time.perf_counter() - done


def lease_rate(gw, wallets, seconds=10.0):
    """Acquire+release cycles per second of existing (parked) wallets, pool otherwise idle."""
    count, t = 0, time.perf_counter()
    while time.perf_counter() - t < seconds:
        lease = gw.ok("POST", "/v1/leases", {"holder": "bench-rate", "wallets": {r: {"wallet_id": w} for r, w in wallets.items()}})
        gw.ok("DELETE", f"/v1/leases/{lease['lease_id']}", fencing=lease["fencing_token"])
        count += 1
    return count / (time.perf_counter() - t), count


def kill_recovery(gw):
    lease = gw.ok("POST", "/v1/leases", {"holder": "bench-kill", "wallets": {"buyer": {}}})
    lid, tok, index = lease["lease_id"], lease["fencing_token"], lease["wallets"]["buyer"]["process"]
    pid = gw.ok("GET", "/v1/pool")["processes"][index]["pid"]
    os.kill(pid, signal.SIGKILL)
    t = time.perf_counter()
    while gw.req("GET", f"/v1/leases/{lid}/wallets/buyer/state", fencing=tok)[0] != 200:
        time.sleep(0.02)
    elapsed = time.perf_counter() - t
    gw.ok("DELETE", f"/v1/leases/{lid}", fencing=tok)
    return elapsed


def start_direct(work, base_port, procs, names=ROLES):
    """Starts one plain wallet-rpc per name; appends each to procs at once, so cleanup finds them all."""
    rpcs = {}
    for i, role in enumerate(names):
        d = os.path.join(work, f"direct-{role}")
        os.makedirs(os.path.join(d, "wallets"))
        user, password = "bench", secrets.token_hex(12)
        conf = os.path.join(d, "rpc.conf")
        with open(os.open(conf, os.O_CREAT | os.O_WRONLY, 0o600), "w") as f:
            f.write(f"rpc-login={user}:{password}\n")
        port = base_port + i
        procs.append(subprocess.Popen(["monero-wallet-rpc", "--rpc-bind-port", str(port), "--rpc-bind-ip", "127.0.0.1",
                                       "--config-file", conf, "--wallet-dir", os.path.join(d, "wallets"),
                                       "--daemon-ssl", "disabled", "--rpc-ssl", "disabled", "--non-interactive",
                                       "--log-file", os.path.join(d, "rpc.log"), "--log-level", "0", "--offline", "--stagenet"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
        rpcs[role] = DigestRpc(port, user, password)
    for role in names:
        deadline = time.time() + 30
        while True:
            try:
                rpcs[role].call("get_version", timeout=2)
                break
            except Exception:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
    return rpcs


def start_gateway(work, rpc_base, pool_size, spares=3, token=None):
    if not os.path.exists(JAR):
        subprocess.run(["mvn", "-B", "-q", "package", "-DskipTests"], cwd=ROOT, check=True)
    port, token = free_port(), token or secrets.token_hex(16)
    env = dict(os.environ, GATEWAY_API_TOKEN=token, GATEWAY_WALLET_SECRET=secrets.token_hex(16),
               GATEWAY_DATA_DIR=os.path.join(work, "gateway"), GATEWAY_POOL_SIZE=str(pool_size),
               GATEWAY_POOL_BASE_PORT=str(rpc_base), GATEWAY_WALLETS_SPARES=str(spares), QUARKUS_HTTP_PORT=str(port),
               OTEL_SDK_DISABLED="true")
    log = open(os.path.join(work, "gateway.log"), "w")
    proc = subprocess.Popen(["java", "-jar", JAR], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    gw = Gateway(port, token)
    gw.proc = proc
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(gw.base + "/q/health", timeout=2):
                return proc, gw
        except Exception:
            time.sleep(0.3)
    raise RuntimeError("gateway did not become healthy")


def stop_all(services, wallet_rpcs):
    """SIGTERM to the services (they store and close their wallets), then to the plain wallet-rpcs; SIGKILL if they linger."""
    for p in [p for p in services if p]:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(90)
        except subprocess.TimeoutExpired:
            p.kill()
    for p in wallet_rpcs:
        p.terminate()
    for p in wallet_rpcs:
        try:
            p.wait(15)
        except subprocess.TimeoutExpired:
            p.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", help="write the figures to this file too")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="gateway-bench-")
    direct_procs, gateway_proc = [], None
    try:
        rpcs = start_direct(work, 18720, direct_procs)
        # Pool 9 as ./stack up runs it, 6 spares: a setup leaves 3 warm, so no spare is created while it
        # runs (min-spares-while-busy), and 3 processes stay free to park released wallets in.
        gateway_proc, gw = start_gateway(work, 18730, 9, spares=6)
        direct, through, acquire, release = [], [], [], []
        with cf.ThreadPoolExecutor(3) as pool:
            for n in range(args.rounds):
                wait_idle(gw, 6)  # the gateway's spare refill must not run during the baseline either
                direct.append(direct_round(pool, rpcs, n))
                total, acq, rel = gateway_round(pool, gw, n)
                through.append(total); acquire.append(acq); release.append(rel)
                print(f"round {n + 1}/{args.rounds}: direct {direct[-1]:.3f} s, gateway {total:.3f} s "
                      f"(lease {acq * 1000:.0f} ms), ratio {total / direct[-1]:.3f}", flush=True)
        wait_idle(gw, 6)
        one = gw.ok("POST", "/v1/leases", {"holder": "bench-seed", "wallets": {r: {} for r in ROLES}})
        gw.ok("DELETE", f"/v1/leases/{one['lease_id']}", fencing=one["fencing_token"])
        ids = {r: one["wallets"][r]["wallet_id"] for r in ROLES}
        rate1, n1 = lease_rate(gw, {"buyer": ids["buyer"]})
        rate3, n3 = lease_rate(gw, ids)
        wait_idle(gw, 6)
        recoveries = [kill_recovery(gw) for _ in range(3)]
        result = {
            "rounds": args.rounds,
            "direct_setup_s": direct, "gateway_setup_s": through,
            "direct_median_s": statistics.median(direct), "gateway_median_s": statistics.median(through),
            "ratio_of_medians": statistics.median(through) / statistics.median(direct),
            "lease_acquire_median_ms": statistics.median(acquire) * 1000,
            "lease_release_median_ms": statistics.median(release) * 1000,
            "lease_cycles_per_s_1_wallet": rate1, "lease_cycles_per_s_3_wallets": rate3,
            "kill9_recovery_s": recoveries, "kill9_recovery_median_s": statistics.median(recoveries),
            "machine": {"cpus": os.cpu_count()},
        }
        print()
        print(f"2-of-3 setup, median of {args.rounds}: direct {result['direct_median_s']:.3f} s, "
              f"through the gateway {result['gateway_median_s']:.3f} s -> ratio {result['ratio_of_medians']:.3f} (target <= 1.10)")
        print(f"  lease of 3 new wallets (warm spares): {result['lease_acquire_median_ms']:.0f} ms; release {result['lease_release_median_ms']:.0f} ms")
        print(f"lease acquire+release, pool idle: {rate1:.1f}/s (1 parked wallet, {n1} cycles), {rate3:.1f}/s (3 parked wallets, {n3} cycles)")
        print(f"kill -9 of a leased wallet-rpc -> wallet usable again: median {result['kill9_recovery_median_s']:.2f} s "
              f"({', '.join(f'{r:.2f}' for r in recoveries)})")
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=2)
    finally:
        stop_all([gateway_proc], direct_procs)
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    sys.exit(main())
