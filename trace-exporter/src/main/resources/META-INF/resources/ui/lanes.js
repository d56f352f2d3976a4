// An escrow's events as timeline lanes: its traces, its own lane (lease waits, states), then one per role with
// its wallet RPC calls, snapshots and, non-custodial, its messages to the mailbox and its payout steps. Used by the escrow page and
// the compare view. What the diagnosis decided
// (the blamed call, which ports were shared) comes from the diagnosis API's report, not from guessing here.
import { calls, snapshots, messages, abandonedAttempts, payoutSteps, rounds, states, leaseWaits, traces, ms, shortHash, ROLES } from "./common.js";

export function callTip(c) {
  return `${c.method} (${c.role}, port ${c.port ?? "?"}) ${c.running ? "running" : ms(c.end - c.start)}`
    + `${c.round != null ? `, round ${c.round}` : ""}${c.endIndex != null ? `, event #${c.endIndex}` : ""}`
    + `${c.failed ? `\nFAILED${c.errorCode != null ? ` (${c.errorCode})` : ""}: ${c.error ?? ""}` : ""}`;
}

function messageTip(m) {
  const what = m.round === 4 ? "address" : `round ${m.round} info`;
  return `${m.role} sent its ${what} to the mailbox (sha256 ${m.sha256.slice(0, 12)}…)`
    + `${m.signer ? `\nsigned by wallet key sha256 ${m.signer.slice(0, 12)}…` : ""}`
    + `${m.refused ? `\nREFUSED: ${m.error ?? m.outcome ?? ""}` : m.outcome === "SAME" ? "\nthe same again (idempotent)" : ""}`;
}

function abandonedTip(a) {
  return `attempt ${a.attempt} abandoned: ${a.fault} at ${a.operation} in round ${a.round ?? "?"} on the ${a.role} wallet`
    + `${a.walletId ? ` (${a.walletId})` : ""}\nthe setup started over on three new wallets; these are not used again: `
    + Object.values(a.wallets).join(", ");
}

function payoutTip(p) {
  const lines = [`payout step ${p.step}${p.role && p.role !== "coordinator" ? ` (${p.role})` : ""}, epoch ${p.epoch ?? "?"}`
    + `${p.operation ? `, ${p.operation}` : ""}${p.outcome ? `: ${p.outcome}` : ""}`];
  if (p.staleRoles) lines.push(`not imported: ${p.staleRoles}`);
  if (p.txset) lines.push(`transaction set sha256 ${shortHash(p.txset)}`);
  if (p.destination || p.expected) lines.push(`pays sha256 ${shortHash(p.destination)}, recorded payout address sha256 ${shortHash(p.expected)}`);
  if (p.signer) lines.push(`signer ${p.signer}, awaited since ${p.since ?? "?"}, deadline ${p.deadline ?? "?"}`);
  if (p.refused) lines.push(`REFUSED: ${p.error ?? p.reason ?? ""}`);
  else if (p.reason) lines.push(p.reason);
  return lines.join("\n");
}

function payoutPoint(p) {
  return { at: p.at, cls: `payout${p.refused ? " refused" : ""}`, tip: payoutTip(p),
    attrs: { "data-payout-step": p.step, "data-epoch": p.epoch, "data-refused": p.refused ? "true" : null } };
}

function snapshotTip(s) {
  const st = s.state;
  return `${s.type} (${s.role}, port ${s.port ?? "?"})\nis_multisig=${st.is_multisig} ready=${st.ready} threshold=${st.threshold}/${st.total}`
    + `\nbalance=${JSON.stringify(st.balance)} file_exists=${st.file_exists}\naddress_hash=${(st.address_hash ?? "").slice(0, 16)}…`;
}

/**
 * A role's ports, in the order it first used them, "— SHARED" only for a port another wallet used at the same
 * time (report.ports, decided on the server): one port after another (setup, then payout leases) is normal.
 */
function portLabel(role, all, report) {
  const uses = (report?.ports ?? []).filter((u) => u.role === role);
  const ports = uses.length ? uses.map((u) => u.rpc_port)
    : [...new Set(all.filter((c) => c.role === role).map((c) => c.port).filter((p) => p != null))];
  const shared = uses.filter((u) => u.shared).map((u) => u.rpc_port);
  if (!ports.length) return { text: "no calls", shared };
  return { text: `port${ports.length > 1 ? "s" : ""} ${ports.join(", ")}${shared.length ? ` — SHARED: ${shared.join(", ")}` : ""}`, shared };
}

/** The lanes of one escrow; `report` (its diagnosis) marks the blamed call, the first failure and shared calls. */
export function escrowLanes(events, report = null) {
  const all = calls(events);
  const snaps = snapshots(events);
  const mail = messages(events);
  const abandoned = abandonedAttempts(events);
  const payout = payoutSteps(events);
  const blamed = report?.blamed_call?.end_index;
  const surfaced = report?.first_failed_call?.end_index;
  const sharedCalls = new Set(report?.shared_calls ?? []);
  const roles = [...ROLES, ...new Set(all.map((c) => c.role).filter((r) => r && !ROLES.includes(r)))];
  const story = traces(events);
  const lanes = [];
  if (story.length > 1) {
    lanes.push({
      label: "traces", sublabel: `${story.length} requests, one escrow`, attrs: { "data-lane": "traces" },
      bars: story.map((t, i) => ({ start: t.start, end: t.end, cls: `trace t${i % 2}`, text: t.phase, minWidth: 4,
        tip: `${t.phase}: trace ${t.id}\n${t.events} events, ${ms(t.end - t.start)}`, attrs: { "data-trace": t.id, "data-phase": t.phase } })),
    });
  }
  lanes.push({
    label: "escrow", sublabel: "lease, states", attrs: { "data-lane": "escrow" },
    bars: leaseWaits(events).map((w) => ({ start: w.start, end: w.end, cls: "lease-wait", tip: `waited ${ms(w.waitMs)} for a lease (${w.outcome})`,
      text: "lease wait" })),
    points: [...states(events).map((s) => ({ at: s.at, cls: `state state-${s.state}`, tip: `state ${s.state}`, attrs: { "data-state": s.state } })),
      // A payout step of no party (a sync epoch opened) belongs to the escrow itself.
      ...payout.filter((p) => !roles.includes(p.role)).map(payoutPoint)],
  });
  for (const role of roles) {
    const ports = portLabel(role, all, report);
    lanes.push({
      label: role,
      sublabel: ports.text,
      warn: ports.shared.length > 0,
      attrs: { "data-lane-role": role, "data-shared-ports": ports.shared.join(",") },
      bars: all.filter((c) => c.role === role).map((c) => {
        const isBlamed = c.endIndex != null && c.endIndex === blamed;
        const isSurfaced = c.endIndex != null && c.endIndex === surfaced && !isBlamed;
        return {
          start: c.start, end: c.end, text: c.method, failedMark: c.failed, pointer: isBlamed ? "cause" : isSurfaced ? "failed first" : null,
          cls: `rpc${c.failed ? " failed" : ""}${c.running ? " running" : ""}${isBlamed ? " blamed" : ""}${sharedCalls.has(c.endIndex) ? " shared" : ""}`,
          tip: `${isBlamed ? "BLAMED by the diagnosis\n" : isSurfaced ? "the first call that failed\n" : ""}${callTip(c)}`,
          attrs: { "data-method": c.method, "data-span": c.spanId, "data-failed": c.failed, "data-event": c.endIndex,
            "data-blamed": isBlamed ? "true" : null, "data-surfaced": isSurfaced ? "true" : null },
        };
      }),
      points: [
        ...snaps.filter((s) => s.role === role).map((s) => ({ at: s.at, cls: "snapshot", tip: snapshotTip(s), attrs: { "data-snapshot": s.type } })),
        ...mail.filter((m) => m.role === role).map((m) => ({ at: m.at, cls: `message${m.refused ? " refused" : ""}`, tip: messageTip(m),
          attrs: { "data-message-round": m.round, "data-refused": m.refused ? "true" : null } })),
        ...abandoned.filter((a) => a.role === role).map((a) => ({ at: a.at, cls: "abandoned", tip: abandonedTip(a),
          attrs: { "data-attempt": a.attempt, "data-fault": a.fault } })),
        ...payout.filter((p) => p.role === role).map(payoutPoint),
      ],
    });
  }
  return lanes;
}

/** Round boundaries; round 4 (operation "state") is the skill's final verification, named so. */
export function roundLines(events) {
  return rounds(events).map((r) => r.round > 3
    ? { at: r.at, cls: "round", label: `final verification starts: ${r.steps.join(", ")}`, short: "verify" }
    : { at: r.at, cls: "round", label: `round ${r.round} starts: ${r.steps.join(", ")}`, short: `R${r.round}` });
}

/** A vertical line at the call the diagnosis blames, labelled with what it was. */
export function causeLine(report, prefix = "cause") {
  const c = report?.blamed_call;
  return c ? [{ at: c.start, cls: "cause", priority: 1, label: `${prefix}: ${c.method} on the ${c.role} wallet, round ${c.round ?? "?"}, event #${c.end_index}`,
    short: `${prefix}: #${c.end_index} ${c.method} (${c.role}, R${c.round ?? "?"})` }] : [];
}
