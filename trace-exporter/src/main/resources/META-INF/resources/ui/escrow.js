import { api, traceIds, span, ms, el, badge, diagnosisPanel, param } from "./common.js";
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
  const jaeger = config.jaeger_url;
  const others = list.filter((s) => s.escrow_id !== id);
  main.replaceChildren(
    el("h1", {}, "Escrow ", el("code", { id: "escrow-id" }, id), " ", badge(report)),
    el("p", { class: "facts" },
      el("span", { id: "status", class: `status status-${summary.status}` }, summary.status ?? report.status), " · started ",
      new Date(t0).toLocaleString(), " · ", ms(t1 - t0), " · ", `${events.length} events, ${report.rpc_calls} RPC calls (${report.rpc_failed} failed)`),
    el("p", { class: "actions" },
      traceIds(events).map((t) => [el("a", { href: `${jaeger.replace(/\/$/, "")}/trace/${t}`, class: "jaeger", target: "_blank" },
        `Trace ${t.slice(0, 8)}… in Jaeger`), " "]),
      el("a", { href: `/api/traces/${encodeURIComponent(id)}/file`, download: `escrow_${id}.json`, id: "download" }, `Download escrow_${id}.json`), " ",
      el("a", { href: `overlap.html?id=${encodeURIComponent(id)}`, id: "overlap-link" }, "Escrows at the same time, by port"), " ",
      others.length ? el("select", { id: "compare", onchange: (e) => { if (e.target.value) location.href = `compare.html?a=${encodeURIComponent(id)}&b=${encodeURIComponent(e.target.value)}`; } },
        el("option", { value: "" }, "Compare with…"), others.map((o) => el("option", { value: o.escrow_id }, `${o.escrow_id} (${o.status})`))) : null),
    el("figure", { id: "timeline" }, timeline({ lanes: escrowLanes(events), t0, t1, verticals: roundLines(events) }),
      el("figcaption", {}, "Bars: wallet RPC calls (red: failed). Diamonds: wallet-state snapshots and state changes; hover for details. "
        + "Dashed lines: round boundaries. Amber: waiting for a lease.")),
    diagnosisPanel(report));
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
