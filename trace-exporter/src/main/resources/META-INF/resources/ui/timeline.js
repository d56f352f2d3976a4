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

/**
 * lanes: [{ label, sublabel, warn, attrs, rows, bars: [{ start, end, cls, tip, attrs, row }], points: [{ at, cls, tip, attrs }] }]
 * A lane with rows > 1 stacks its bars in that many thin rows (bar.row), so simultaneous bars stay visible.
 * verticals: [{ at, label, cls }]. Times in ms; drawn relative to t0.
 */
export function timeline({ lanes, t0, t1, verticals = [], width = 1100, laneHeight = 30, labelWidth = 210 }) {
  const top = 24;
  const heights = lanes.map((l) => Math.max(laneHeight, (l.rows ?? 1) * 13 + 8));
  const offsets = heights.map((_, i) => top + heights.slice(0, i).reduce((a, b) => a + b, 0));
  const height = top + heights.reduce((a, b) => a + b, 0) + 8;
  const range = Math.max(t1 - t0, 1);
  const x = (t) => labelWidth + ((t - t0) / range) * (width - labelWidth - 12);
  const root = svg("svg", { class: "timeline", viewBox: `0 0 ${width} ${height}`, width: "100%", "data-t0": t0 });

  const step = niceStep(range);
  for (let t = 0; t <= range; t += step) {
    root.append(svg("line", { class: "tick", x1: x(t0 + t), x2: x(t0 + t), y1: top - 4, y2: height - 8 }));
    root.append(svg("text", { class: "tick-label", x: x(t0 + t), y: top - 8, "text-anchor": "middle" },
      step >= 1000 ? `${(t / 1000).toFixed(step % 1000 ? 1 : 0)} s` : `${t} ms`));
  }

  lanes.forEach((lane, i) => {
    const y = offsets[i];
    const h = heights[i];
    const rows = lane.rows ?? 1;
    const rowHeight = (h - 8) / rows;
    const g = svg("g", { class: `lane${lane.warn ? " warn" : ""}`, ...(lane.attrs ?? {}) });
    g.append(svg("rect", { class: "lane-bg", x: 0, y, width, height: h - 2 }));
    g.append(svg("text", { class: "lane-label", x: 6, y: y + h / 2 - (lane.sublabel ? 2 : -4) }, lane.label));
    if (lane.sublabel) g.append(svg("text", { class: "lane-sublabel", x: 6, y: y + h / 2 + 10 }, lane.sublabel));
    for (const b of lane.bars ?? []) {
      const x1 = x(b.start);
      const w = Math.max(x(b.end) - x1, 2);
      const by = y + 4 + (b.row ?? 0) * rowHeight;
      const r = svg("rect", { class: `bar ${b.cls ?? ""}`, x: x1, y: by, width: w, height: rowHeight - 2, rx: 2,
        "data-tip": b.tip, ...(b.attrs ?? {}) });
      g.append(r);
      if (b.text && w > 40) {
        g.append(svg("text", { class: "bar-text", x: x1 + 3, y: by + rowHeight / 2 + 3, "pointer-events": "none" },
          b.text.slice(0, Math.floor(w / 6))));
      }
    }
    for (const p of lane.points ?? []) {
      const cx = x(p.at);
      g.append(svg("path", { class: `marker ${p.cls ?? ""}`, d: `M${cx},${y + 2} l5,7 l-5,7 l-5,-7 z`, "data-tip": p.tip, ...(p.attrs ?? {}) }));
    }
    root.append(g);
  });

  for (const v of verticals) {
    const vx = x(v.at);
    root.append(svg("line", { class: `vertical ${v.cls ?? ""}`, x1: vx, x2: vx, y1: top - 2, y2: height - 6, "data-tip": v.label }));
    if (v.short) root.append(svg("text", { class: `vertical-label ${v.cls ?? ""}`, x: vx + 3, y: height - 1 }, v.short));
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
