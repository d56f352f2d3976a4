// An escrow's events as timeline lanes: its own lane (lease waits, states), then one per role with its
// wallet RPC calls and snapshots. Used by the escrow page and the compare view.
import { calls, snapshots, rounds, states, leaseWaits, ms, ROLES } from "./common.js";

export function callTip(c) {
  return `${c.method} (${c.role}, port ${c.port ?? "?"}) ${c.running ? "running" : ms(c.end - c.start)}`
    + `${c.round != null ? `, round ${c.round}` : ""}${c.failed ? `\nFAILED${c.errorCode != null ? ` (${c.errorCode})` : ""}: ${c.error ?? ""}` : ""}`;
}

function snapshotTip(s) {
  const st = s.state;
  return `${s.type} (${s.role}, port ${s.port ?? "?"})\nis_multisig=${st.is_multisig} ready=${st.ready} threshold=${st.threshold}/${st.total}`
    + `\nbalance=${JSON.stringify(st.balance)} file_exists=${st.file_exists}\naddress_hash=${(st.address_hash ?? "").slice(0, 16)}…`;
}

/** The lanes of one escrow: its own (lease waits, states), then one per role with its calls and snapshots. */
export function escrowLanes(events) {
  const all = calls(events);
  const snaps = snapshots(events);
  const portsOf = (role) => [...new Set(all.filter((c) => c.role === role).map((c) => c.port).filter((p) => p != null))];
  const roles = [...ROLES, ...new Set(all.map((c) => c.role).filter((r) => r && !ROLES.includes(r)))];
  const portOwners = new Map();
  for (const r of roles) for (const p of portsOf(r)) portOwners.set(p, [...(portOwners.get(p) ?? []), r]);
  const lanes = [{
    label: "escrow", sublabel: "lease, states", attrs: { "data-lane": "escrow" },
    bars: leaseWaits(events).map((w) => ({ start: w.start, end: w.end, cls: "lease-wait", tip: `waited ${ms(w.waitMs)} for a lease (${w.outcome})`,
      text: "lease wait" })),
    points: states(events).map((s) => ({ at: s.at, cls: `state state-${s.state}`, tip: `state ${s.state}`, attrs: { "data-state": s.state } })),
  }];
  for (const role of roles) {
    const ports = portsOf(role);
    const shared = ports.filter((p) => portOwners.get(p).length > 1);
    lanes.push({
      label: role,
      sublabel: ports.length ? `port${ports.length > 1 ? "s" : ""} ${ports.join(", ")}${shared.length ? " — SHARED" : ""}` : "no calls",
      warn: shared.length > 0,
      attrs: { "data-lane-role": role },
      bars: all.filter((c) => c.role === role).map((c) => ({
        start: c.start, end: c.end, cls: `rpc${c.failed ? " failed" : ""}${c.running ? " running" : ""}`, tip: callTip(c), text: c.method,
        attrs: { "data-method": c.method, "data-span": c.spanId, "data-failed": c.failed },
      })),
      points: snaps.filter((s) => s.role === role).map((s) => ({ at: s.at, cls: "snapshot", tip: snapshotTip(s), attrs: { "data-snapshot": s.type } })),
    });
  }
  return lanes;
}

export function roundLines(events) {
  return rounds(events).map((r) => ({ at: r.at, cls: "round", label: `round ${r.round} starts: ${r.steps.join(", ")}`, short: `R${r.round}` }));
}
