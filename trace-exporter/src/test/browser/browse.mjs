// The trace browser in headless Chromium against a running trace-exporter that holds a real stack run's
// escrows. Checks what a user relies on, against the JSON API's own data, and writes screenshots.
//
//   node browse.mjs --url http://127.0.0.1:4318 --out DIR --expect clean|pattern-b --escrows N [--live K]
//
// clean: every escrow is clean, and no two escrows' calls overlap on a port. pattern-b: every escrow is
// diagnosed Pattern B and the one-time-axis view shows calls of different escrows overlapping on one port.
// --live K: opened while escrows still run; the list shows K rows, then grows to N without a reload.
// Exit 0 when every check passed; 1 with the failed check otherwise.
import { chromium } from "playwright-core";
import { mkdirSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const base = args.url.replace(/\/$/, "");
const out = args.out;
const expect = args.expect;
const expectedCount = Number(args.escrows);
mkdirSync(out, { recursive: true });

function chromiumPath() {
  for (const p of [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) if (p && existsSync(p)) return p;
  try { return execFileSync("sh", ["-c", "command -v chromium"]).toString().trim(); } catch { return null; }
}

let checks = 0;
function check(ok, what) {
  if (!ok) throw new Error(`check failed: ${what}`);
  checks++;
}

async function json(path) {
  const r = await fetch(base + path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

const executablePath = chromiumPath();
if (!executablePath) {
  console.error("browse.mjs: Chromium is needed (apt-get install -y chromium, or CHROMIUM=/path/to/chrome)");
  process.exit(2);
}
const browser = await chromium.launch({ executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] });
const errors = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });

  // 0. A list opened while escrows run grows by itself.
  if (args.live) {
    await page.goto(`${base}/`);
    await page.waitForFunction((n) => document.querySelectorAll("#escrows tbody tr").length >= n, Number(args.live), { timeout: 60000 });
    const before = await page.locator("#escrows tbody tr").count();
    console.log(`browser: the list is open with ${before} rows`); // the test may start the escrows it must see arrive
    let sawRunning = false;
    const deadline = Date.now() + 240000;
    while (await page.locator("#escrows tbody tr").count() < expectedCount && Date.now() < deadline) {
      sawRunning ||= await page.locator('#escrows tr[data-status="IN_PROGRESS"]').count() > 0;
      await page.waitForTimeout(250);
    }
    const after = await page.locator("#escrows tbody tr").count();
    check(after === expectedCount && after > before, `the open list grew from ${before} to ${after} rows without a reload (expected ${expectedCount})`);
    if (sawRunning) await page.screenshot({ path: `${out}/list-while-running.png`, fullPage: true });
    console.log(`browser: the open list grew from ${before} to ${after} rows without a reload${sawRunning ? ", showing escrows IN_PROGRESS on the way" : ""}`);
    // The files complete shortly after the inits answer: wait until the API's count is final.
    for (let i = 0; i < 60 && (await json("/api/traces")).some((e) => e.status === "IN_PROGRESS"); i++) await page.waitForTimeout(500);
  }

  // 1. The list: every escrow, with its diagnosis badge once finished.
  const escrows = await json("/api/traces");
  check(escrows.length === expectedCount, `the API has ${expectedCount} escrows (it has ${escrows.length})`);
  await page.goto(`${base}/`);
  await page.waitForFunction((n) => document.querySelectorAll("#escrows tbody tr").length === n, expectedCount, { timeout: 15000 });
  for (const e of escrows) check(await page.locator(`tr[data-escrow="${e.escrow_id}"]`).count() === 1, `the list shows ${e.escrow_id}`);
  await page.waitForFunction(() => document.querySelectorAll("#escrows .badge.pending").length === 0, null, { timeout: 30000 });
  const badges = await page.locator("#escrows .badge").evaluateAll((bs) => bs.map((b) => b.getAttribute("data-pattern")));
  check(badges.every((b) => b === (expect === "clean" ? "clean" : "B")), `every badge says ${expect}: ${badges}`);
  await page.fill("#search", escrows[0].escrow_id);
  check(await page.locator("#escrows tbody tr").count() === 1, "searching an id leaves its row only");
  await page.fill("#search", "");
  await page.screenshot({ path: `${out}/list.png`, fullPage: true });

  // 2. Each escrow's page: three role lanes, one bar per RPC call, failed ones red, the diagnosis, links.
  const config = await json("/api/ui/config");
  for (const e of escrows.slice(0, 3)) {
    const events = await json(`/api/traces/${e.escrow_id}`);
    const rpc = new Set(events.filter((x) => x.event_type.startsWith("RPC_CALL_")).map((x) => x.details.span_id));
    const failed = new Set(events.filter((x) => x.event_type === "RPC_CALL_ERROR").map((x) => x.details.span_id));
    await page.goto(`${base}/escrow.html?id=${e.escrow_id}`);
    await page.waitForSelector("#timeline svg.timeline");
    const lanes = await page.locator("[data-lane-role]").evaluateAll((ls) => ls.map((l) => l.getAttribute("data-lane-role")));
    check(lanes.join() === "buyer,vendor,arbiter", `${e.escrow_id}: one lane per role (${lanes})`);
    check(await page.locator("[data-lane-role] rect.bar.rpc").count() === rpc.size, `${e.escrow_id}: one bar per RPC call (${rpc.size})`);
    check(await page.locator("[data-lane-role] rect.bar.rpc.failed").count() === failed.size, `${e.escrow_id}: ${failed.size} red bars`);
    const diagnosis = await page.locator("#diagnosis").innerText();
    check(expect === "clean" ? diagnosis.includes("no problem found") : diagnosis.includes("Pattern B"), `${e.escrow_id}: diagnosis ${diagnosis.slice(0, 80)}`);
    if (expect !== "clean") {
      check(/\d/.test(await page.locator('#diagnosis [data-field="round"]').innerText()), `${e.escrow_id}: the diagnosis names the round`);
      check((await page.locator('#diagnosis [data-field="fix"]').innerText()).length > 20, `${e.escrow_id}: the diagnosis gives the fix`);
    }
    const trace = events.find((x) => x.trace_id)?.trace_id;
    check(await page.locator(`a.jaeger[href="${config.jaeger_url.replace(/\/$/, "")}/trace/${trace}"]`).count() === 1, `${e.escrow_id}: a Jaeger link to its trace`);
    const download = await page.locator("#download").getAttribute("href");
    check((await fetch(base + download)).ok, `${e.escrow_id}: the JSON file downloads`);
    const snapshot = page.locator("[data-lane-role] path.marker.snapshot").first();
    if (await snapshot.count()) {
      await snapshot.hover();
      check((await page.locator("#tip").innerText()).includes("is_multisig="), `${e.escrow_id}: a snapshot's state shows on hover`);
    }
    await page.screenshot({ path: `${out}/escrow-${e.escrow_id}.png`, fullPage: true });
  }

  // 3. The escrows on one time axis, by port; and a comparison of two.
  await page.goto(`${base}/overlap.html?id=${escrows[0].escrow_id}`);
  await page.waitForSelector("#overlap-summary");
  const overlaps = Number(await page.locator("#overlap-summary").getAttribute("data-overlaps"));
  if (expect === "clean") {
    check(overlaps === 0, `no two escrows' calls overlap on a port (${overlaps})`);
  } else {
    check(overlaps > 0, `calls of different escrows overlap on one port (${overlaps})`);
    check(await page.locator("g.lane.warn[data-port]").count() >= 1, "the shared port's lane is flagged");
    check((await page.locator("#diagnosis").innerText()).includes("Pattern B"), "the overlap view shows the diagnosis");
  }
  await page.screenshot({ path: `${out}/overlap.png`, fullPage: true });
  if (escrows.length >= 2) {
    await page.goto(`${base}/compare.html?a=${escrows[0].escrow_id}&b=${escrows[1].escrow_id}`);
    await page.waitForSelector("#divergence");
    check(await page.locator("section.compared svg.timeline").count() === 2, "the compare view draws both escrows");
    const cmp = await json(`/api/traces/${escrows[0].escrow_id}/compare/${escrows[1].escrow_id}`);
    check(await page.locator("line.vertical.divergence").count() === (cmp.diverged ? 2 : 0), "the first divergence is marked in both");
    await page.screenshot({ path: `${out}/compare.png`, fullPage: true });
  }
  check(errors.length === 0, `no errors in the pages: ${errors.join(" | ")}`);
  console.log(`browser: ${checks} checks passed on ${escrows.length} escrows (${expect}); screenshots in ${out}`);
} catch (e) {
  console.error(`browser: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
