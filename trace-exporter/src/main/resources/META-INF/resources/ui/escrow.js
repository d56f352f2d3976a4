import { api, traces, jaegerLinks, span, ms, el, badge, statusTag, diagnosisPanel, param } from "./common.js";
import { timeline, enableTooltips } from "./timeline.js";
import { escrowLanes, roundLines } from "./lanes.js";

const id = param("id");
const main = document.querySelector("main");
enableTooltips();

async function render() {
  const [events, report, config, list] = await Promise.all([api(`/api/traces/${encodeURIComponent(id)}`),
    api(`/api/traces/${encodeURIComponent(id)}/diagnosis`), api("/api/ui/config"), api("/api/traces")]);
  const summary = list.find((s) => s.escrow_id === id) ?? {};
  const [t0, t1] = span(events);
  const jaeger = jaegerLinks(config.jaeger_url);
  const story = traces(events);
  const others = list.filter((s) => s.escrow_id !== id);
  main.replaceChildren(
    el("h1", {}, "Escrow ", el("code", { id: "escrow-id" }, id), " ", badge(report)),
    el("p", { class: "facts" },
      statusTag(summary.status ?? report.status, { id: "status" }), " · started ",
      new Date(t0).toLocaleString(), " · ", ms(t1 - t0), " · ", `${events.length} events, ${report.rpc_calls} RPC calls (${report.rpc_failed} failed)`),
    el("p", { class: "actions" },
      jaeger ? [el("a", { href: jaeger.escrow(id, t0, t1), class: "jaeger", id: "jaeger-escrow", target: "_blank" },
        story.length > 1 ? `Its ${story.length} traces in Jaeger` : "Its trace in Jaeger"), " "] : null,
      el("a", { href: `/api/traces/${encodeURIComponent(id)}/file`, download: `escrow_${id}.json`, id: "download" }, `Download escrow_${id}.json`), " ",
      el("a", { href: `overlap.html?id=${encodeURIComponent(id)}`, id: "overlap-link" }, "Escrows at the same time, by port"), " ",
      others.length ? el("select", { id: "compare", onchange: (e) => { if (e.target.value) location.href = `compare.html?a=${encodeURIComponent(id)}&b=${encodeURIComponent(e.target.value)}`; } },
        el("option", { value: "" }, "Compare with…"), others.map((o) => el("option", { value: o.escrow_id }, `${o.escrow_id} (${o.status})`))) : null),
    el("figure", { id: "timeline" }, timeline({ lanes: escrowLanes(events, report), t0, t1, verticals: roundLines(events) }),
      el("figcaption", {}, "Bars: wallet RPC calls (red and crossed: failed; outlined with an arrow: the call the diagnosis blames, "
        + "or the first that failed when that was another). Diamonds: wallet-state snapshots, state changes and (non-custodial) messages to the mailbox "
        + "and payout steps (teal; red when refused); hover for details. "
        + "Dashed lines: round boundaries. Amber: waiting for a lease. Top lane: the requests (traces) this escrow's story spans.")),
    traceTable(story, t0, jaeger),
    diagnosisPanel(report));
}

/** The escrow's traces together: what each request did, when, and (with a Jaeger UI configured) a link to it. */
function traceTable(story, t0, jaeger) {
  return el("section", { id: "traces" }, el("h2", {}, story.length > 1 ? `One escrow, ${story.length} traces` : "Its trace"),
    el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "Request"), el("th", {}, "From"), el("th", {}, "Took"), el("th", {}, "Events"),
      el("th", {}, "Trace id"))),
    el("tbody", {}, story.map((t) => el("tr", { "data-trace": t.id }, el("td", {}, t.phase), el("td", { class: "num" }, `+${ms(t.start - t0)}`),
      el("td", { class: "num" }, ms(t.end - t.start)), el("td", { class: "num" }, t.events),
      el("td", {}, jaeger ? el("a", { href: jaeger.trace(t.id), class: "jaeger", target: "_blank" }, el("code", {}, t.id)) : el("code", {}, t.id)))))));
}

let shown = -1;

/** Re-drawn when the escrow's event count changes, so a running escrow grows on screen. */
async function loop() {
  try {
    const summary = (await api("/api/traces")).find((s) => s.escrow_id === id);
    if (!summary || summary.event_count !== shown) {
      shown = summary?.event_count ?? 0;
      await render();
    }
  } catch (e) {
    main.replaceChildren(el("p", { class: "error", id: "error" }, String(e.message)));
    return;
  }
  setTimeout(loop, 2000);
}

if (id) loop();
else main.replaceChildren(el("p", { class: "error" }, "No escrow id: open this page from the list."));
