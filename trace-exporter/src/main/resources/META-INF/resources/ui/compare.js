import { api, span, ms, el, badge, statusTag, param } from "./common.js";
import { timeline, enableTooltips } from "./timeline.js";
import { escrowLanes, roundLines, causeLine } from "./lanes.js";

// Two escrows, each from its own start on the same scale, with the first event where they differ marked (the
// analyzer's --compare) and, apart from it, the call each one's diagnosis blames: the first difference is often
// only where a cause shows (wrong infos at round 1's make_multisig fail at round 2). Events are numbered as in
// their escrow_<id>.json (the analyzer's event #N), not by their place in the comparison's canonical order.
const a = param("a");
const b = param("b");
const main = document.querySelector("main");
enableTooltips();

async function render() {
  const q = encodeURIComponent;
  const [ea, eb, cmp, ra, rb] = await Promise.all([api(`/api/traces/${q(a)}`), api(`/api/traces/${q(b)}`),
    api(`/api/traces/${q(a)}/compare/${q(b)}`), api(`/api/traces/${q(a)}/diagnosis`), api(`/api/traces/${q(b)}/diagnosis`)]);
  const [a0, a1] = span(ea);
  const [b0, b1] = span(eb);
  const range = Math.max(a1 - a0, b1 - b0, 1);
  const marks = (which) => {
    const e = cmp.diverged ? cmp[which] : null;
    return e ? [{ at: e.timestamp, cls: "divergence", priority: 2, short: `first difference: #${e.index} ${short(e)}`,
      label: `first difference: event #${e.index} of this file, ${describe(e)}` }] : [];
  };
  const types = Object.entries(cmp.event_types ?? {});
  const one = (id, events, t0, report, which) => el("section", { class: "compared", "data-escrow": id },
    el("h2", {}, el("a", { href: `escrow.html?id=${q(id)}` }, id), " ", badge(report), " ", statusTag(report.status), " ",
      el("span", { class: "muted" }, ms(span(events)[1] - t0))),
    timeline({ lanes: escrowLanes(events, report), t0, t1: t0 + range,
      verticals: [...roundLines(events), ...marks(which), ...causeLine(report)] }));
  main.replaceChildren(...[
    el("h1", {}, "Compare escrows"),
    el("p", { id: "divergence", "data-diverged": String(cmp.diverged), "data-event-1": cmp.event_1?.index, "data-event-2": cmp.event_2?.index },
      cmp.diverged
        ? `The first difference: event #${cmp.event_1?.index ?? "–"} of ${a} (${describe(cmp.event_1)}) against event #${cmp.event_2?.index ?? "–"}`
          + ` of ${b} (${describe(cmp.event_2)}), numbered as in each file. Marked in red below; both timelines start at their escrow's first event.`
        : "No divergence: the same steps in the same order per round and role (as in the analyzer's --compare, the wallet "
          + "calls the gateway makes while granting a lease are left out: they depend on the pool, not on the escrow)."),
    causes([[a, ra], [b, rb]], cmp),
    one(a, ea, a0, ra, "event_1"),
    one(b, eb, b0, rb, "event_2"),
    el("h2", {}, "Event types"),
    el("table", { class: "distribution" }, el("thead", {}, el("tr", {}, el("th", {}, "Event type"), el("th", {}, a), el("th", {}, b))),
      el("tbody", {}, types.map(([t, [x, y]]) => el("tr", { class: x !== y ? "differs" : "" }, el("td", {}, t),
        el("td", { class: "num" }, x), el("td", { class: "num" }, y)))))].filter(Boolean));
}

/** What each escrow's diagnosis blames, when it lies before the first difference: the cause, not the symptom. */
function causes(pairs, cmp) {
  const lines = pairs.filter(([, r]) => r.blamed_call).map(([id, r], i) => {
    const c = r.blamed_call;
    const diverged = cmp[id === a ? "event_1" : "event_2"];
    const before = diverged && c.end_index < diverged.index;
    return el("li", { "data-cause": id, "data-event": c.end_index },
      `${id}: the diagnosis (${r.diagnosis.findings[0].title}) blames event #${c.end_index}, ${c.method} on the ${c.role} wallet in round ${c.round ?? "?"}`,
      before ? ` — before the first difference, which is where it showed.` : ".", " Marked \"cause\".");
  });
  return lines.length ? el("ul", { id: "causes" }, lines) : null;
}

function short(e) {
  return `${e.details?.method ?? e.details?.state ?? e.event_type}${e.role ? ` (${e.role})` : ""}`;
}

function describe(e) {
  return e ? `${e.event_type}${e.role ? ` (${e.role})` : ""}${e.details?.method ? ` ${e.details.method}` : ""}` : "the end";
}

if (a && b) render().catch((e) => main.replaceChildren(el("p", { class: "error", id: "error" }, String(e.message))));
else main.replaceChildren(el("p", { class: "error" }, "Two escrows are needed: compare.html?a=ID&b=ID"));
