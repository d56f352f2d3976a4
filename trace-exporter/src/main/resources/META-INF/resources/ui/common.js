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

/** RPC calls: a START paired with its END or ERROR by span id; a call still running ends at `now`. */
export function calls(events, now = Date.now()) {
  const open = new Map();
  const out = [];
  for (const e of events) {
    const d = e.details ?? {};
    if (e.event_type === "RPC_CALL_START") {
      const call = { role: e.role, port: e.rpc_port, method: d.method, start: e.timestamp, end: null, failed: false,
        round: d.round ?? null, walletId: d.wallet_id, spanId: d.span_id, running: true };
      open.set(d.span_id, call);
      out.push(call);
    } else if (e.event_type === "RPC_CALL_END" || e.event_type === "RPC_CALL_ERROR") {
      let call = open.get(d.span_id);
      if (!call) { // the START was not recorded: rebuild it from the duration
        call = { role: e.role, port: e.rpc_port, method: d.method, start: e.timestamp - (d.duration_ms ?? 0), spanId: d.span_id };
        out.push(call);
      }
      open.delete(d.span_id);
      Object.assign(call, { end: e.timestamp, running: false, failed: e.event_type === "RPC_CALL_ERROR" || d.success === false,
        error: d.error ?? null, errorCode: d.error_code ?? null, durationMs: d.duration_ms, round: call.round ?? d.round ?? null });
    }
  }
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
    else if (k.startsWith("data-") || k === "href" || k === "title" || k === "id" || k === "type" || k === "download") node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children.flat(Infinity)) if (c != null) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

/** The diagnosis badge: "clean", "Pattern B", or "…" while the escrow runs. */
export function badge(report) {
  if (!report) return el("span", { class: "badge pending" }, "…");
  const f = report.diagnosis?.findings?.[0];
  if (!report.diagnosis?.problem_found || !f) return el("span", { class: "badge clean", "data-pattern": "clean" }, "clean");
  return el("span", { class: `badge pattern-${f.pattern ?? "x"}`, "data-pattern": f.pattern ?? "other", title: f.title },
    f.pattern ? `Pattern ${f.pattern}` : f.title);
}

/** The diagnosis panel: pattern, role, round, operation, the state before, why and the fix. */
export function diagnosisPanel(report) {
  const d = report.diagnosis;
  if (!d?.problem_found) {
    return el("section", { class: "diagnosis clean", id: "diagnosis" }, el("h2", {}, "Diagnosis: no problem found"),
      el("p", {}, `${report.rpc_calls} wallet RPC calls, ${report.rpc_failed} failed; status ${report.status}.`));
  }
  const f = d.findings[0];
  const state = f.state_before?.state ?? {};
  return el("section", { class: "diagnosis problem", id: "diagnosis" },
    el("h2", {}, f.title ?? "Problem found"),
    el("dl", {},
      el("dt", {}, "Wallet"), el("dd", { "data-field": "role" }, `${f.role ?? "–"} (${f.wallet_id ?? "?"}, port ${f.rpc_port ?? "?"})`),
      el("dt", {}, "Round"), el("dd", { "data-field": "round" }, f.round ?? "–"),
      el("dt", {}, "Operation"), el("dd", {}, f.operation ?? "–"),
      el("dt", {}, "Error"), el("dd", {}, f.error ?? "–"),
      el("dt", {}, "State before"), el("dd", {}, f.state_before
        ? `${f.state_before.snapshot}: ${Object.entries(state).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ")}` : "no snapshot")),
    el("h3", {}, "Why"), el("p", { "data-field": "cause" }, f.cause ?? ""),
    f.evidence?.length ? el("ul", {}, f.evidence.map((x) => el("li", {}, x))) : null,
    el("h3", {}, "Fix"), el("p", { "data-field": "fix" }, f.fix ?? ""),
    f.other_escrows?.length ? el("p", {}, "Ran at the same time: ", f.other_escrows.map((o, i) =>
      [i ? ", " : "", el("a", { href: `escrow.html?id=${encodeURIComponent(o)}` }, o)])) : null);
}

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}
