// An unmodified monero-ts (npm) as a marketplace would use it: only the URLs and the login of a lease answer.
//   node multisig.mjs setup '{"urls": [three rpc_url], "username": …, "password": …}'
//     prepare → make → exchange → exchange on the three wallets; prints {"addresses": [...], "multisig": [...]}
//   node multisig.mjs probe '{"urls": [one rpc_url], "username": …, "password": …}'
//     one call (get_address); prints {"ok": true} or {"error": "...", "status": 401}
import moneroTs from "monero-ts";

const [mode, json] = process.argv.slice(2);
const { urls, username, password } = JSON.parse(json);
const wallets = await Promise.all(urls.map((uri) =>
  moneroTs.connectToWalletRpc({ uri, username, password, proxyToWorker: false })));

// The caller's own password on make/exchange: the gateway puts in the wallet's, whatever is sent here.
const CALLER_PASSWORD = "a password the gateway must ignore";
const others = (infos, i) => infos.filter((_, j) => j !== i);

try {
  if (mode === "probe") {
    await wallets[0].getPrimaryAddress();
    console.log(JSON.stringify({ ok: true }));
  } else {
    const prepared = [];
    for (const w of wallets) prepared.push(await w.prepareMultisig());
    const made = [];
    for (let i = 0; i < wallets.length; i++) made.push(await wallets[i].makeMultisig(others(prepared, i), 2, CALLER_PASSWORD));
    let infos = made;
    let results = [];
    for (let round = 2; round <= 3; round++) {
      results = [];
      for (let i = 0; i < wallets.length; i++) results.push(await wallets[i].exchangeMultisigKeys(others(infos, i), CALLER_PASSWORD));
      infos = results.map((r) => r.getMultisigHex() ?? "");
    }
    const multisig = [];
    for (const w of wallets) {
      const info = await w.getMultisigInfo();
      multisig.push({ multisig: info.getIsMultisig(), ready: info.getIsReady(), threshold: info.getThreshold(), total: info.getNumParticipants() });
    }
    console.log(JSON.stringify({ addresses: results.map((r) => r.getAddress()), multisig }));
  }
} catch (e) {
  console.log(JSON.stringify({ error: String(e.message ?? e), status: e.getCode ? e.getCode() : e.response?.status ?? e.statusCode }));
  process.exitCode = 3;
}
