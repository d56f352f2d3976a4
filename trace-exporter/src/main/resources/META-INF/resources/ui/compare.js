import { api, span, ms, el, badge, param } from "./common.js";
import { timeline, enableTooltips } from "./timeline.js";
import { escrowLanes, roundLines } from "./lanes.js";

// Two escrows, each from its own start on the same scale, with the first event where they differ marked
// (the analyzer's --compare), and their event-type distribution side by side.
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
    return e ? [{ at: e.timestamp, cls: "divergence", short: "first divergence",
      label: `first divergence: event ${e.index}, ${e.event_type}${e.role ? ` (${e.role})` : ""}${e.details?.method ? ` ${e.details.method}` : ""}` }] : [];
  };
  const types = Object.entries(cmp.event_types ?? {});
  const one = (id, events, t0, report, which) => el("section", { class: "compared", "data-escrow": id },
    el("h2", {}, el("a", { href: `escrow.html?id=${q(id)}` }, id), " ", badge(report), " ",
      el("span", { class: "muted" }, `${report.status} · ${ms(span(events)[1] - t0)}`)),
    timeline({ lanes: escrowLanes(events), t0, t1: t0 + range, verticals: [...roundLines(events), ...marks(which)] }));
  main.replaceChildren(
    el("h1", {}, "Compare escrows"),
    el("p", { id: "divergence", "data-diverged": String(cmp.diverged) }, cmp.diverged
      ? `They diverge at event ${cmp.divergence_event}: ${describe(cmp.event_1)} against ${describe(cmp.event_2)}. Marked in red below; both timelines start at their escrow's first event.`
      : "No divergence: the same steps in the same order per round and role (as in the analyzer's --compare, the wallet "
        + "calls the gateway makes while granting a lease are left out: they depend on the pool, not on the escrow)."),
    one(a, ea, a0, ra, "event_1"),
    one(b, eb, b0, rb, "event_2"),
    el("h2", {}, "Event types"),
    el("table", { class: "distribution" }, el("thead", {}, el("tr", {}, el("th", {}, "Event type"), el("th", {}, a), el("th", {}, b))),
      el("tbody", {}, types.map(([t, [x, y]]) => el("tr", { class: x !== y ? "differs" : "" }, el("td", {}, t),
        el("td", { class: "num" }, x), el("td", { class: "num" }, y))))));
}

function describe(e) {
  return e ? `${e.event_type}${e.role ? ` (${e.role})` : ""}${e.details?.method ? ` ${e.details.method}` : ""}` : "the end";
}

if (a && b) render().catch((e) => main.replaceChildren(el("p", { class: "error", id: "error" }, String(e.message))));
else main.replaceChildren(el("p", { class: "error" }, "Two escrows are needed: compare.html?a=ID&b=ID"));
