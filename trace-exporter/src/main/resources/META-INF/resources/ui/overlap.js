import { api, calls, span, ms, el, badge, statusTag, diagnosisPanel, param } from "./common.js";
import { timeline, enableTooltips } from "./timeline.js";
import { callTip } from "./lanes.js";

// Several escrows on one time axis, one lane per wallet-rpc port. With the gateway each escrow has its own
// processes, so no two escrows' calls share a lane at the same time; when they do (Pattern B: one
// instance shared), the overlapping bars are outlined and counted.
const main = document.querySelector("main");
enableTooltips();
const COLOURS = 8;

async function chosen() {
  const ids = param("ids");
  if (ids) return { focus: null, ids: ids.split(",").filter(Boolean) };
  const id = param("id");
  const list = await api("/api/traces");
  const me = list.find((s) => s.escrow_id === id);
  if (!me) throw new Error(`no escrow ${id}`);
  const end = me.start + me.duration_ms;
  return { focus: id, ids: list.filter((s) => s.start <= end && s.start + s.duration_ms >= me.start).map((s) => s.escrow_id) };
}

async function render() {
  const { focus, ids } = await chosen();
  const q = encodeURIComponent;
  const events = await Promise.all(ids.map((id) => api(`/api/traces/${q(id)}`)));
  const reports = await Promise.all(ids.map((id) => api(`/api/traces/${q(id)}/diagnosis`)));
  const all = ids.flatMap((id, i) => calls(events[i]).map((c) => ({ ...c, escrow: id, colour: i % COLOURS })));
  const ports = [...new Set(all.map((c) => c.port).filter((p) => p != null))].sort((x, y) => x - y);
  const overlaps = new Map(); // port -> number of overlapping pairs of calls from different escrows
  for (const c of all) c.overlapping = false;
  for (const port of ports) {
    const on = all.filter((c) => c.port === port).sort((x, y) => x.start - y.start);
    let n = 0;
    for (let i = 0; i < on.length; i++) {
      for (let j = i + 1; j < on.length && on[j].start < on[i].end; j++) {
        if (on[j].escrow !== on[i].escrow) { n++; on[i].overlapping = on[j].overlapping = true; }
      }
    }
    overlaps.set(port, n);
  }
  const t0 = Math.min(...events.map((e) => span(e)[0]));
  const t1 = Math.max(...events.map((e) => span(e)[1]));
  const lanes = ports.map((port) => {
    const on = all.filter((c) => c.port === port);
    const escrows = [...new Set(on.map((c) => c.escrow))];
    return {
      label: `port ${port}`,
      sublabel: `${escrows.length} escrow${escrows.length > 1 ? "s" : ""} · ${[...new Set(on.map((c) => c.role))].join(", ")}`
        + (overlaps.get(port) ? ` · ${overlaps.get(port)} overlaps` : ""),
      warn: overlaps.get(port) > 0,
      rows: escrows.length, // one thin row per escrow: simultaneous calls of two escrows show side by side
      attrs: { "data-port": port, "data-overlaps": overlaps.get(port) },
      bars: on.map((c) => ({ start: c.start, end: c.end, text: c.method, row: escrows.indexOf(c.escrow), failedMark: c.failed,
        cls: `rpc e${c.colour}${c.failed ? " failed" : ""}${c.overlapping ? " overlapping" : ""}`,
        tip: `${c.escrow}\n${callTip(c)}`, attrs: { "data-escrow": c.escrow, "data-method": c.method } })),
    };
  });
  const total = [...overlaps.values()].reduce((x, y) => x + y, 0);
  const worst = ports.filter((p) => overlaps.get(p) > 0);
  const focusReport = reports[ids.indexOf(focus)] ?? reports.find((r) => r.diagnosis?.problem_found) ?? reports[0];
  main.replaceChildren(
    el("h1", {}, `${ids.length} escrows on one time axis, by wallet-rpc port`),
    el("p", { id: "overlap-summary", class: total ? "error" : "", "data-overlaps": total }, total
      ? `${total} pairs of calls from different escrows ran at the same time on ${worst.map((p) => `port ${p}`).join(", ")}: `
        + "one monero-wallet-rpc instance served several escrows at once (Pattern B)."
      : "No two escrows' calls overlapped on a port: each escrow had its own wallet-rpc processes."),
    el("ul", { class: "legend" }, ids.map((id, i) => el("li", { "data-escrow": id }, el("span", { class: `swatch e${i % COLOURS}` }),
      el("a", { href: `escrow.html?id=${q(id)}` }, id), " ", badge(reports[i]), " ", statusTag(reports[i].status), " ",
      el("span", { class: "muted" }, ms(span(events[i])[1] - span(events[i])[0]))))),
    el("figure", { id: "timeline" }, timeline({ lanes, t0, t1 }),
      el("figcaption", {}, "One colour per escrow; outlined: a call that overlapped another escrow's call on the same port.")),
    ...(focusReport ? [el("p", { class: "muted" }, `Diagnosis of ${focusReport.escrow_id}:`), diagnosisPanel(focusReport)] : []));
}

render().catch((e) => main.replaceChildren(el("p", { class: "error", id: "error" }, String(e.message))));
