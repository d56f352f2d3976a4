import { api, ms, el, badge, statusTag } from "./common.js";

// The escrows seen, newest first, refreshed every 2 s while escrows run. Each finished escrow's diagnosis is
// fetched once (again only if its events change), a few at a time, for the rows on screen.
const REFRESH_MS = 2000;
const MAX_ROWS = 200;
const reports = new Map(); // escrow id -> { eventCount, report }
const selected = new Set();
let latest = [];
let inFlight = 0;

const body = document.querySelector("#escrows tbody");
const search = document.getElementById("search");
const statusFilter = document.getElementById("status-filter");
const problemsOnly = document.getElementById("problems-only");
const info = document.getElementById("info");
const compareButton = document.getElementById("compare-selected");
const overlapButton = document.getElementById("overlap-selected");

for (const input of [search, statusFilter, problemsOnly]) input.addEventListener("input", draw);
compareButton.addEventListener("click", () => {
  const [a, b] = [...selected];
  location.href = `compare.html?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
});
overlapButton.addEventListener("click", () => { location.href = `overlap.html?ids=${[...selected].map(encodeURIComponent).join(",")}`; });

function visible() {
  const q = search.value.trim().toLowerCase();
  return latest.filter((s) => (!q || s.escrow_id.toLowerCase().includes(q))
    && (!statusFilter.value || s.status === statusFilter.value)
    && (!problemsOnly.checked || reports.get(s.escrow_id)?.report?.diagnosis?.problem_found)).slice(0, MAX_ROWS);
}

function diagnose(rows) {
  for (const s of rows) {
    const known = reports.get(s.escrow_id);
    if (s.status === "IN_PROGRESS" || inFlight >= 4 || (known && known.eventCount === s.event_count) || known?.loading) continue;
    inFlight++;
    reports.set(s.escrow_id, { ...known, loading: true });
    api(`/api/traces/${encodeURIComponent(s.escrow_id)}/diagnosis`)
      .then((report) => reports.set(s.escrow_id, { eventCount: s.event_count, report }))
      .catch(() => reports.delete(s.escrow_id))
      .finally(() => { inFlight--; draw(); });
  }
}

function statusOptions() {
  const known = new Set([...statusFilter.options].map((o) => o.value));
  for (const status of new Set(latest.map((s) => s.status))) {
    if (!known.has(status)) statusFilter.append(el("option", { value: status }, status));
  }
}

function draw() {
  statusOptions();
  const rows = visible();
  body.replaceChildren(...rows.map((s) => el("tr", { "data-escrow": s.escrow_id, "data-status": s.status },
    el("td", {}, el("input", { type: "checkbox", checked: selected.has(s.escrow_id), "data-select": s.escrow_id,
      onchange: (e) => { e.target.checked ? selected.add(s.escrow_id) : selected.delete(s.escrow_id); buttons(); } })),
    el("td", {}, el("a", { href: `escrow.html?id=${encodeURIComponent(s.escrow_id)}` }, s.escrow_id)),
    el("td", {}, statusTag(s.status)),
    el("td", {}, new Date(s.start).toLocaleString()),
    el("td", { class: "num" }, ms(s.duration_ms)),
    el("td", { class: "num" }, s.event_count),
    el("td", {}, badge(s.status === "IN_PROGRESS" ? null : reports.get(s.escrow_id)?.report)),
    el("td", {}, el("a", { href: `overlap.html?id=${encodeURIComponent(s.escrow_id)}` }, "same time")))));
  info.textContent = `${rows.length} of ${latest.length} escrows · updated ${new Date().toLocaleTimeString()}`;
  buttons();
  diagnose(rows);
}

function buttons() {
  compareButton.disabled = selected.size !== 2;
  overlapButton.disabled = selected.size < 1;
}

async function refresh() {
  try {
    latest = await api("/api/traces");
    document.getElementById("error").textContent = "";
    draw();
  } catch (e) {
    document.getElementById("error").textContent = `Cannot read the escrows: ${e.message}`;
  }
  setTimeout(refresh, REFRESH_MS);
}

refresh();
