// One SVG timeline: a lane per row, bars (intervals) and markers (points) on a shared time axis, vertical
// lines (round boundaries, the first divergence) across all lanes, and a tooltip for anything with data-tip.

const NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) node.setAttribute(k, v);
  if (text != null) node.textContent = text;
  return node;
}

function niceStep(rangeMs, target = 8) {
  const raw = rangeMs / target;
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
}

const MEASURE = document.createElement("canvas").getContext("2d");

/** The width a label will take (the font of .vertical-label in style.css), so labels can be laid out before drawing. */
function textWidth(text, font = "600 10px system-ui, -apple-system, 'Segoe UI', sans-serif") {
  MEASURE.font = font;
  return MEASURE.measureText(text).width;
}

/**
 * Labels of vertical lines, in rows below the lanes so none covers another: each goes right of its line, or left
 * of it near the right edge, into the first row where it overlaps nothing; more important ones (priority) first.
 */
function layoutLabels(verticals, x, left, right) {
  const rows = [];
  const placed = [];
  const order = verticals.filter((v) => v.short).map((v) => ({ v, vx: x(v.at), w: textWidth(v.short) + 2 }))
    .sort((a, b) => (b.v.priority ?? 0) - (a.v.priority ?? 0) || a.vx - b.vx);
  for (const l of order) {
    let from = l.vx + 3;
    if (from + l.w > right) from = Math.max(left, l.vx - 3 - l.w);
    const to = from + l.w;
    let row = rows.findIndex((taken) => taken.every(([a, b]) => to + 4 <= a || from >= b + 4));
    if (row < 0) row = rows.push([]) - 1;
    rows[row].push([from, to]);
    placed.push({ ...l, from, row });
  }
  return { placed, rows: rows.length };
}

/**
 * lanes: [{ label, sublabel, warn, attrs, rows, bars: [{ start, end, cls, tip, attrs, row, minWidth, failedMark, pointer }],
 * points: [{ at, cls, tip, attrs }] }]. A lane with rows > 1 stacks its bars in that many thin rows (bar.row), so
 * simultaneous bars stay visible. A failed call (failedMark) is at least 8 px wide and crossed; a bar with a pointer
 * (the blamed call) gets an arrow and a word above it.
 * verticals: [{ at, label, short, cls, priority }]: lines across all lanes, their short labels laid out below them.
 * Times in ms; drawn relative to t0.
 */
export function timeline({ lanes, t0, t1, verticals = [], width = 1100, laneHeight = 30, labelWidth = 210 }) {
  const top = 24;
  const pads = lanes.map((l) => ((l.bars ?? []).some((b) => b.pointer) ? 11 : 0));
  const heights = lanes.map((l, i) => Math.max(laneHeight, (l.rows ?? 1) * 13 + 8) + pads[i]);
  const offsets = heights.map((_, i) => top + heights.slice(0, i).reduce((a, b) => a + b, 0));
  const lanesEnd = top + heights.reduce((a, b) => a + b, 0);
  const range = Math.max(t1 - t0, 1);
  const x = (t) => labelWidth + ((t - t0) / range) * (width - labelWidth - 12);
  const labels = layoutLabels(verticals, x, labelWidth, width - 2);
  const height = lanesEnd + 6 + labels.rows * 13;
  const root = svg("svg", { class: "timeline", viewBox: `0 0 ${width} ${height}`, width: "100%", "data-t0": t0 });

  const step = niceStep(range);
  for (let t = 0; t <= range; t += step) {
    root.append(svg("line", { class: "tick", x1: x(t0 + t), x2: x(t0 + t), y1: top - 4, y2: lanesEnd }));
    root.append(svg("text", { class: "tick-label", x: x(t0 + t), y: top - 8, "text-anchor": "middle" },
      step >= 1000 ? `${(t / 1000).toFixed(step % 1000 ? 1 : 0)} s` : `${t} ms`));
  }

  lanes.forEach((lane, i) => {
    const y = offsets[i] + pads[i];
    const h = heights[i] - pads[i];
    const rows = lane.rows ?? 1;
    const rowHeight = (h - 8) / rows;
    const g = svg("g", { class: `lane${lane.warn ? " warn" : ""}`, ...(lane.attrs ?? {}) });
    g.append(svg("rect", { class: "lane-bg", x: 0, y: offsets[i], width, height: heights[i] - 2 }));
    g.append(svg("text", { class: "lane-label", x: 6, y: y + h / 2 - (lane.sublabel ? 2 : -4) }, lane.label));
    if (lane.sublabel) g.append(svg("text", { class: "lane-sublabel", x: 6, y: y + h / 2 + 10 }, lane.sublabel));
    const overlays = [];
    for (const b of lane.bars ?? []) {
      const w = Math.max(x(b.end) - x(b.start), b.failedMark || b.pointer ? 8 : b.minWidth ?? 2);
      const x1 = Math.min(x(b.start), width - 4 - w);
      const by = y + 4 + (b.row ?? 0) * rowHeight;
      const bh = rowHeight - 2;
      g.append(svg("rect", { class: `bar ${b.cls ?? ""}`, x: x1, y: by, width: w, height: bh, rx: 2,
        "data-tip": b.tip, ...(b.attrs ?? {}) }));
      if (b.text && w > 40) {
        g.append(svg("text", { class: "bar-text", x: x1 + 3, y: by + rowHeight / 2 + 3, "pointer-events": "none" },
          b.text.slice(0, Math.floor(w / 6))));
      }
      if (b.failedMark) { // a cross over the call, as visible as the call is short
        const cx = x1 + w / 2;
        const cy = by + bh / 2;
        const r = Math.min(4, bh / 2 - 1);
        overlays.push(svg("path", { class: "fail-mark", d: `M${cx - r},${cy - r}L${cx + r},${cy + r}M${cx + r},${cy - r}L${cx - r},${cy + r}`,
          "pointer-events": "none" }));
      }
      if (b.pointer) {
        const cx = x1 + w / 2;
        const right = cx + 8 + textWidth(b.pointer) < width;
        overlays.push(svg("path", { class: "pointer", d: `M${cx - 5},${by - 9} L${cx + 5},${by - 9} L${cx},${by - 2} z`, "data-tip": b.tip,
          "data-pointer": b.pointer }));
        overlays.push(svg("text", { class: "pointer-label", x: right ? cx + 8 : cx - 8, y: by - 3, "text-anchor": right ? "start" : "end" },
          b.pointer));
      }
    }
    g.append(...overlays);
    for (const p of lane.points ?? []) {
      const cx = x(p.at);
      g.append(svg("path", { class: `marker ${p.cls ?? ""}`, d: `M${cx},${y + 2} l5,7 l-5,7 l-5,-7 z`, "data-tip": p.tip, ...(p.attrs ?? {}) }));
    }
    root.append(g);
  });

  for (const v of verticals) {
    const vx = x(v.at);
    root.append(svg("line", { class: `vertical ${v.cls ?? ""}`, x1: vx, x2: vx, y1: top - 2, y2: lanesEnd, "data-tip": v.label }));
  }
  for (const l of labels.placed) {
    const ly = lanesEnd + 6 + l.row * 13 + 9;
    root.append(svg("line", { class: `vertical-tie ${l.v.cls ?? ""}`, x1: l.vx, x2: l.vx, y1: lanesEnd, y2: ly - 8 }));
    root.append(svg("text", { class: `vertical-label ${l.v.cls ?? ""}`, x: l.from, y: ly, "data-tip": l.v.label }, l.v.short));
  }
  return root;
}

/** One tooltip for the page: the data-tip of whatever the pointer is over. */
export function enableTooltips() {
  let tip = document.getElementById("tip");
  if (!tip) {
    tip = Object.assign(document.createElement("div"), { id: "tip", role: "tooltip" });
    document.body.append(tip);
  }
  document.addEventListener("mouseover", (e) => {
    const target = e.target.closest?.("[data-tip]");
    if (!target) { tip.style.display = "none"; return; }
    tip.textContent = target.getAttribute("data-tip");
    tip.style.display = "block";
  });
  document.addEventListener("mousemove", (e) => {
    tip.style.left = `${Math.min(e.pageX + 14, window.scrollX + window.innerWidth - tip.offsetWidth - 8)}px`;
    tip.style.top = `${e.pageY + 14}px`;
  });
}
