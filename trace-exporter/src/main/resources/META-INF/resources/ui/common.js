// Shared by the trace browser's pages: the JSON API, and an escrow's events turned into what is drawn
// (RPC calls as intervals, snapshots, round boundaries, lease waits). No framework, no build step.

export async function api(path) {
  const r = await fetch(path, { headers: { Accept: "application/json" } });
  if (!r.ok) {
    let detail = `${r.status}`;
    try { detail = (await r.json()).detail ?? detail; } catch { /* not problem+json */ }
    throw new Error(`${path}: ${detail}`);
  }
  return r.json();
}

export const ROLES = ["buyer", "vendor", "arbiter"];

/**
 * RPC calls: a START paired with its END or ERROR by span id; a call still running ends at `now`. Each keeps
 * the index of its END/ERROR event (`endIndex`): its position in escrow_<id>.json, the analyzer's "event #N".
 */
export function calls(events, now = Date.now()) {
  const open = new Map();
  const out = [];
  events.forEach((e, index) => {
    const d = e.details ?? {};
    if (e.event_type === "RPC_CALL_START") {
      const call = { role: e.role, port: e.rpc_port, method: d.method, start: e.timestamp, end: null, failed: false,
        round: d.round ?? null, walletId: d.wallet_id, spanId: d.span_id, running: true, startIndex: index, endIndex: null };
      open.set(d.span_id, call);
      out.push(call);
    } else if (e.event_type === "RPC_CALL_END" || e.event_type === "RPC_CALL_ERROR") {
      let call = open.get(d.span_id);
      if (!call) { // the START was not recorded: rebuild it from the duration
        call = { role: e.role, port: e.rpc_port, method: d.method, start: e.timestamp - (d.duration_ms ?? 0), spanId: d.span_id,
          walletId: d.wallet_id };
        out.push(call);
      }
      open.delete(d.span_id);
      Object.assign(call, { end: e.timestamp, running: false, failed: e.event_type === "RPC_CALL_ERROR" || d.success === false,
        error: d.error ?? null, errorCode: d.error_code ?? null, durationMs: d.duration_ms, round: call.round ?? d.round ?? null,
        endIndex: index });
    }
  });
  const last = events.length ? Math.max(...events.map((e) => e.timestamp)) : now;
  for (const c of out) if (c.end === null) c.end = Math.max(last, c.start);
  return out;
}

/** Wallet-state snapshots (ENABLE_INSTRUMENTATION=1): a marker per role, its state on hover. */
export function snapshots(events) {
  return events.filter((e) => e.event_type.startsWith("SNAPSHOT_")).map((e) => ({
    role: e.role ?? e.details?.role, port: e.rpc_port, at: e.timestamp, type: e.event_type, state: e.details ?? {},
  }));
}

/**
 * A non-custodial setup's mailbox messages (PARTY_MESSAGE: who sent which round, its hash, whether it was
 * refused): a marker on the sender's lane, so the parties' side shows beside their wallet calls.
 */
export function messages(events) {
  return events.filter((e) => e.event_type === "PARTY_MESSAGE").map((e) => {
    const d = e.details ?? {};
    return { role: e.role, at: e.timestamp, round: d.round, sha256: d.sha256 ?? "", outcome: d.outcome ?? null,
      refused: d.success === false, error: d.error ?? null, signer: d.signer_sha256 ?? null };
  });
}

/**
 * A custodial setup's abandoned attempts (ATTEMPT_ABANDONED: a fault whose outcome is unknown, after which the
 * setup started over on three new wallets): a marker on the lane of the wallet the fault hit.
 */
export function abandonedAttempts(events) {
  return events.filter((e) => e.event_type === "ATTEMPT_ABANDONED").map((e) => {
    const d = e.details ?? {};
    return { role: e.role, at: e.timestamp, attempt: d.attempt, fault: d.fault ?? "", round: d.round, operation: d.operation ?? "",
      walletId: d.wallet_id ?? null, wallets: d.wallets ?? {}, reason: d.reason ?? "" };
  });
}

/**
 * A payout the parties make (PARTY_PAYOUT: a sync epoch opened, an export or import, a stale party, a transaction
 * set accepted or refused, a signature awaited or overdue, a submitted payout): a marker on the lane of the party
 * it concerns, on the escrow's lane when it concerns none (an epoch opened). Hashes only, as in the file.
 */
export function payoutSteps(events) {
  return events.filter((e) => e.event_type === "PARTY_PAYOUT").map((e) => {
    const d = e.details ?? {};
    return { role: e.role, at: e.timestamp, step: d.step ?? "", epoch: d.epoch, operation: d.operation ?? null, outcome: d.outcome ?? null,
      refused: d.success === false, error: d.error ?? null, reason: d.reason ?? null, staleRoles: d.stale_roles ?? null,
      txset: d.txset_sha256 ?? null, destination: d.destination_sha256 ?? null, expected: d.expected_sha256 ?? null,
      signer: d.signer ?? null, since: d.since ?? null, deadline: d.deadline ?? null };
  });
}

/** The first 12 hex digits of a hash and an ellipsis, as the analyzer writes them. */
export function shortHash(hash) {
  return hash ? `${hash.slice(0, 12)}…` : "?";
}

/**
 * Where each round began. Every step of a round is a STATE_CHANGE to ROUND_n stamped with the step's start
 * (round 1 has two: prepare_multisig, then make_multisig); the round begins with its first.
 */
export function rounds(events) {
  const byRound = new Map();
  for (const e of events) {
    if (e.event_type !== "STATE_CHANGE" || e.details?.round == null) continue;
    const r = byRound.get(e.details.round) ?? { round: e.details.round, at: e.timestamp, steps: [] };
    r.at = Math.min(r.at, e.timestamp);
    r.steps.push(e.details.operation);
    byRound.set(e.details.round, r);
  }
  return [...byRound.values()].sort((x, y) => x.at - y.at);
}

/** The states the escrow went through, in order (INITIALIZING, ROUND_1, …, READY or FAILED, payouts). */
export function states(events) {
  return events.filter((e) => e.event_type === "STATE_CHANGE").map((e) => ({ at: e.timestamp, state: e.details?.state }));
}

/** Time spent waiting for a lease (LEASE_ACQUIRED carries wait_ms). */
export function leaseWaits(events) {
  return events.filter((e) => e.event_type === "LEASE_ACQUIRED" && (e.details?.wait_ms ?? 0) > 0)
    .map((e) => ({ start: e.timestamp - e.details.wait_ms, end: e.timestamp, waitMs: e.details.wait_ms, outcome: e.details.outcome }));
}

export function traceIds(events) {
  return [...new Set(events.map((e) => e.trace_id).filter(Boolean))];
}

/**
 * The traces one escrow's story is spread over (the setup's request, each funding check, the payout or the
 * dispute are requests of their own), in time order, each named by what happened in it.
 */
export function traces(events) {
  return traceIds(events).map((id) => {
    const mine = events.filter((e) => e.trace_id === id);
    const [start, end] = span(mine);
    return { id, start, end, events: mine.length, phase: phase(mine) };
  }).sort((x, y) => x.start - y.start);
}

function phase(events) {
  const states = new Set(events.filter((e) => e.event_type === "STATE_CHANGE").map((e) => e.details?.state));
  const methods = new Set(events.map((e) => e.details?.method));
  if (states.has("INITIALIZING") || [...states].some((s) => String(s).startsWith("ROUND_"))) return "setup";
  if (states.has("DISPUTED") || states.has("RESOLVED")) return "dispute";
  // A payout the parties make is a trace per step of theirs (a sync, a transaction set, a signature).
  if (["PAYOUT_PENDING", "RELEASED", "REFUNDED"].some((s) => states.has(s)) || methods.has("sign_multisig")
    || events.some((e) => e.event_type === "PARTY_PAYOUT")) return "payout";
  if (states.has("FUNDED") || methods.has("get_transfers")) return "funding check";
  return "other";
}

/**
 * Links to Jaeger, only when trace-exporter knows where a Jaeger UI is (exporter.jaeger-ui-url): one search
 * for every trace of the escrow (its spans carry escrow.id), or one trace.
 */
export function jaegerLinks(base) {
  if (!base) return null;
  const root = base.replace(/\/$/, "");
  return {
    escrow: (id, t0, t1) => `${root}/search?service=escrow-service&tags=${encodeURIComponent(JSON.stringify({ "escrow.id": id }))}`
      + `&lookback=custom&start=${(t0 - 60000) * 1000}&end=${(t1 + 60000) * 1000}&limit=100`,
    trace: (traceId) => `${root}/trace/${traceId}`,
  };
}

export function span(events) {
  const ts = events.map((e) => e.timestamp);
  return ts.length ? [Math.min(...ts), Math.max(...ts)] : [0, 0];
}

export function ms(value) {
  if (value == null) return "–";
  return value >= 10000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("data-") || k.startsWith("aria-") || k === "role" || k === "href" || k === "title" || k === "id" || k === "type" || k === "download") node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children.flat(Infinity)) if (c != null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

/**
 * Text with the analyzer's ✅/❌ (and ⚠) drawn as CSS marks: Debian's chromium has no emoji font, so the
 * characters themselves would show as empty boxes.
 */
export function richText(text) {
  return String(text ?? "").split(/(\u274C|\u2705|\u26A0\uFE0F?)/u).filter((part) => part !== "").map((part) =>
    part === "\u274C" ? el("span", { class: "mark bad", title: "wrong", role: "img", "aria-label": "wrong" })
      : part === "\u2705" ? el("span", { class: "mark good", title: "as expected", role: "img", "aria-label": "as expected" })
        : part.startsWith("\u26A0") ? el("span", { class: "mark warn", title: "warning", role: "img", "aria-label": "warning" })
          : part);
}

/** An escrow's status as a coloured tag (READY, FUNDED, RELEASED, REFUNDED, RESOLVED, FAILED, …). */
export function statusTag(status, attrs = {}) {
  return el("span", { ...attrs, class: `status status-${status}`, "data-status": status }, status ?? "–");
}

/** A payout the parties make is held up (the analyzer's STALE_MULTISIG, TXSET_REFUSED, SIGNER_OVERDUE): named for what. */
const PAYOUT_BADGES = { STALE_MULTISIG: "stale multisig", TXSET_REFUSED: "tx set refused", SIGNER_OVERDUE: "signer overdue" };

/**
 * The diagnosis badge: "clean", "healed" (started over after a fault, or a payout step mended later), "Pattern B",
 * a held-up payout by what holds it ("tx set refused"), or "…" while the escrow runs.
 */
export function badge(report) {
  if (!report) return el("span", { class: "badge pending" }, "…");
  if (report.diagnosis?.healed) {
    return el("span", { class: "badge healed", "data-pattern": "HEALED", title: report.diagnosis.findings[0]?.cause ?? "" }, "healed");
  }
  const f = report.diagnosis?.findings?.[0];
  if (!report.diagnosis?.problem_found || !f) return el("span", { class: "badge clean", "data-pattern": "clean" }, "clean");
  return el("span", { class: `badge pattern-${f.pattern ?? "x"}`, "data-pattern": f.pattern ?? "other", title: f.title },
    PAYOUT_BADGES[f.pattern] ?? (f.pattern ? `Pattern ${f.pattern}` : f.title));
}

/**
 * The diagnosis panel: pattern, the blamed call (wallet, round, operation and that call's own error), where the
 * failure surfaced when that was another call, the state before, why and the fix. Operation, round and error
 * come from one call (the server's blamed_call): a finding may name round 1's call as the cause while its
 * error text is round 2's.
 */
export function diagnosisPanel(report) {
  const d = report.diagnosis;
  if (d?.healed) {
    // Not a failure: each abandoned attempt, what hit it and where, and that nothing is left to do.
    return el("section", { class: "diagnosis healed", id: "diagnosis" },
      el("h2", {}, d.findings[0].title),
      d.findings.map((h) => [el("p", { "data-field": "cause" }, richText(h.cause)),
        h.evidence?.length ? el("ul", {}, h.evidence.map((x) => el("li", {}, richText(x)))) : null]),
      el("h3", {}, "Fix"), el("p", { "data-field": "fix" }, d.findings[0].fix ?? ""));
  }
  if (!d?.problem_found) {
    return el("section", { class: "diagnosis clean", id: "diagnosis" }, el("h2", {}, "Diagnosis: no problem found"),
      el("p", {}, `${report.rpc_calls} wallet RPC calls, ${report.rpc_failed} failed; status `, statusTag(report.status), "."));
  }
  const f = d.findings[0];
  if (PAYOUT_BADGES[f.pattern]) return payoutPanel(d, f);
  const blamed = report.blamed_call ?? null;
  const failed = report.first_failed_call ?? null;
  const same = (c) => c && (blamed ? c.end_index === blamed.end_index
    : c.role === f.role && c.method === f.operation && (f.round == null || c.round === f.round));
  const surfaced = failed && !same(failed) ? failed : null;
  const wallet = blamed ?? { role: f.role, wallet_id: f.wallet_id, rpc_port: f.rpc_port };
  const error = blamed ? (blamed.success ? "none: this call succeeded, the failure came later" : blamed.error)
    : same(failed) ? failed.error : surfaced ? "–" : f.error;
  const state = f.state_before?.state ?? {};
  // Several wallets failing at once is said as such (the analyzer's sentence), never as one wallet's failure.
  const many = (d.surfaced?.wallets?.length ?? 0) > 1;
  const at = failed ? ` (event #${failed.end_index})` : "";
  const surfacedText = many ? `${d.surfaced.summary}${at}`
    : surfaced ? `${surfaced.method} on the ${surfaced.role} wallet, round ${surfaced.round ?? "?"}${at}: ${surfaced.error ?? "failed"}` : null;
  return el("section", { class: "diagnosis problem", id: "diagnosis" },
    el("h2", {}, f.title ?? "Problem found"),
    el("dl", {},
      el("dt", {}, "Wallet"), el("dd", { "data-field": "role" }, `${wallet.role ?? "–"} (${wallet.wallet_id ?? "?"}, port ${wallet.rpc_port ?? "?"})`),
      el("dt", {}, "Round"), el("dd", { "data-field": "round" }, blamed?.round ?? f.round ?? "–"),
      el("dt", {}, "Operation"), el("dd", { "data-field": "operation" }, blamed?.method ?? f.operation ?? "–",
        blamed ? el("span", { class: "muted" }, ` (event #${blamed.end_index}, marked in the timeline)`) : null),
      el("dt", {}, "Error"), el("dd", { "data-field": "error" }, error ?? "–"),
      surfacedText ? [el("dt", {}, "Surfaced as"), el("dd", { "data-field": "surfaced" }, surfacedText)] : null,
      el("dt", {}, "State before"), el("dd", {}, f.state_before
        ? `${f.state_before.snapshot}: ${Object.entries(state).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}` : "no snapshot")),
    el("h3", {}, "Why"), el("p", { "data-field": "cause" }, richText(f.cause)),
    f.evidence?.length ? el("ul", {}, f.evidence.map((x) => el("li", {}, richText(x)))) : null,
    el("h3", {}, "Fix"), el("p", { "data-field": "fix" }, f.fix ?? ""),
    f.other_escrows?.length ? el("p", {}, f.pattern === "A" ? "The wallet came from: " : "Ran at the same time: ", f.other_escrows.map((o, i) =>
      [i ? ", " : "", el("a", { href: `escrow.html?id=${encodeURIComponent(o)}` }, o)])) : null);
}

/**
 * A held-up payout the parties make: a party and an epoch rather than a wallet of the service and a round, then
 * why and the fix; what else was seen (a signer overdue behind a refused set) and what healed, below.
 */
function payoutPanel(d, f) {
  const others = d.findings.filter((x) => x !== f);
  return el("section", { class: "diagnosis problem", id: "diagnosis", "data-pattern": f.pattern },
    el("h2", {}, f.title),
    el("dl", {},
      el("dt", {}, "Party"), el("dd", { "data-field": "role" }, f.role ?? "–"),
      el("dt", {}, "Payout"), el("dd", { "data-field": "operation" }, f.operation ?? "–"),
      el("dt", {}, "Epoch"), el("dd", { "data-field": "epoch" }, f.state_before?.state?.epoch ?? "–"),
      el("dt", {}, "Refused"), el("dd", { "data-field": "error" }, f.error ?? "–")),
    el("h3", {}, "Why"), el("p", { "data-field": "cause" }, richText(f.cause)),
    f.evidence?.length ? el("ul", {}, f.evidence.map((x) => el("li", {}, richText(x)))) : null,
    el("h3", {}, "Fix"), el("p", { "data-field": "fix" }, f.fix ?? ""),
    others.length ? [el("h3", {}, "Also seen"), el("ul", { "data-field": "also" }, others.map((x) =>
      el("li", { "data-pattern": x.pattern }, x.pattern === "HEALED" ? richText(x.cause) : [`${x.title}: `, richText(x.cause)])))] : null);
}

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}
