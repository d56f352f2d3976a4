// The trace browser in headless Chromium against a running trace-exporter that holds a real stack run's
// escrows. Checks what a user relies on, against the JSON API's own data, and writes screenshots.
//
//   node browse.mjs --url http://127.0.0.1:4318 --out DIR --expect clean|pattern-b --escrows N [--live K]
//   node browse.mjs --url http://127.0.0.1:4318 --out DIR --expect fixtures --fixtures FILE
//
// clean: every escrow is clean, no lane says SHARED, and no two escrows' calls overlap on a port. pattern-b:
// every escrow is diagnosed Pattern B, its lanes say SHARED, the blamed call is marked, and the one-time-axis
// view shows calls of different escrows overlapping on one port. --live K: opened while escrows still run; the
// list shows K rows, then grows to N without a reload.
// fixtures: the escrows named in FILE ({"funds": [ids], "clean": [...], "pattern_a": [...], "pattern_b": [...],
// "pattern_c": [...], "parties", "healed", "party_payout"}, recorded files a test fed to trace-exporter), each checked
// for what it must show.
// Every escrow page, in every mode: one bar per call, failed calls at least 8 px wide and crossed, the blamed
// call marked, SHARED exactly where the server says a port was used by two wallets at once, the diagnosis's
// operation, round and error from one call, labels that neither overlap nor leave the picture, no emoji,
// Jaeger links only when a Jaeger UI is configured. Exit 0 when every check passed; 1 with the failed check.
// TRACE_CHECKS=1 prints each check as it passes, with the seconds since the start.
import { chromium } from "playwright-core";
import { mkdirSync, existsSync, readFileSync } from "node:fs";
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
const T0 = Date.now();
function check(ok, what) {
  if (process.env.TRACE_CHECKS) console.log(`${((Date.now() - T0) / 1000).toFixed(1)}s ${what.slice(0, 90)}`);
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

  const config = await json("/api/ui/config");
  if (expect === "fixtures") await fixtures(page, config);
  else await run(page, config);
  check(errors.length === 0, `no errors in the pages: ${errors.join(" | ")}`);
  console.log(`browser: ${checks} checks passed (${expect}); screenshots in ${out}`);
} catch (e) {
  console.error(`browser: ${e.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
  // Node's fetch keeps its connections to trace-exporter alive, and they hold the process open for over a minute
  // after the last check: whoever waits for this process (the tests) would wait for nothing.
  process.exit();
}

/** A real stack run's escrows: all clean, or all Pattern B. */
async function run(page, config) {
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
  await noEmoji(page, "the list");
  await page.screenshot({ path: `${out}/list.png`, fullPage: true });

  // 2. Each escrow's page: three role lanes, one bar per RPC call, failed ones red, the diagnosis, links.
  for (const e of escrows.slice(0, 3)) {
    const { report } = await escrowPage(page, e.escrow_id, config);
    const diagnosis = await page.locator("#diagnosis").innerText();
    check(expect === "clean" ? diagnosis.includes("no problem found") : diagnosis.includes("Pattern B"), `${e.escrow_id}: diagnosis ${diagnosis.slice(0, 80)}`);
    const shared = await page.locator("g.lane.warn[data-lane-role]").count();
    if (expect === "clean") {
      check(shared === 0 && !(await page.locator("#timeline").textContent()).includes("SHARED"), `${e.escrow_id}: no lane says SHARED`);
    } else {
      check(shared >= 1, `${e.escrow_id}: the lanes on the shared instance say SHARED`);
      check(/\d/.test(await page.locator('#diagnosis [data-field="round"]').innerText()), `${e.escrow_id}: the diagnosis names the round`);
      check((await page.locator('#diagnosis [data-field="fix"]').innerText()).length > 20, `${e.escrow_id}: the diagnosis gives the fix`);
      check(report.rpc_failed === 0 || report.blamed_call != null, `${e.escrow_id}: the diagnosis blames a call`);
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
  if (escrows.length >= 2) await comparePage(page, escrows[0].escrow_id, escrows[1].escrow_id, "compare");
}

/** Recorded escrows a test fed to trace-exporter, each kind checked for what it must show. */
async function fixtures(page, config) {
  const ids = JSON.parse(readFileSync(args.fixtures, "utf8"));
  // A funds-path escrow: setup, funding checks and payout on different ports one after the other. Not shared;
  // one escrow over its traces; its final status coloured; short rounds whose labels do not collide.
  let shortRounds = 0;
  for (const id of ids.funds ?? []) {
    const { events, report } = await escrowPage(page, id, config);
    check(report.diagnosis.problem_found === false, `${id}: clean`);
    const ports = await page.locator("[data-lane-role] .lane-sublabel").allTextContents();
    check(ports.some((p) => /ports \d+, \d+/.test(p)), `${id}: a role used several ports over time (${ports.join(" | ")})`);
    check(!(await page.locator("#timeline").textContent()).includes("SHARED") && await page.locator("g.lane.warn").count() === 0,
      `${id}: no lane says SHARED (${ports.join(" | ")})`);
    const traceIds = new Set(events.map((e) => e.trace_id));
    check(traceIds.size > 1 && await page.locator('[data-lane="traces"] rect.bar.trace').count() === traceIds.size,
      `${id}: its ${traceIds.size} traces drawn on one timeline`);
    const rounds = await page.locator("line.vertical.round").count();
    check(await page.locator("text.vertical-label.round").count() === rounds && rounds >= 4, `${id}: every round boundary labelled (${rounds})`);
    shortRounds += await page.locator("svg.timeline").evaluate((svg) => {
      const r = [...svg.querySelectorAll("line.vertical.round")].map((l) => Number(l.getAttribute("x1")));
      return r.filter((x, i) => i && x - r[i - 1] < 20).length;
    });
    await page.screenshot({ path: `${out}/funds-${id}.png`, fullPage: true });
  }
  check(!ids.funds?.length || shortRounds > 0, "some rounds are short (closer than a label is wide), so their labels had to avoid each other");
  // A failed escrow: its failed calls visible and crossed, the blamed call marked, the panel from one call. (The
  // first escrow of Pattern A's recording is the clean one whose wallet pollutes the others.)
  const polluted = [];
  for (const id of ids.pattern_a ?? []) if ((await json(`/api/traces/${id}/diagnosis`)).diagnosis.problem_found) polluted.push(id);
  check(!ids.pattern_a?.length || polluted.length > 0, "Pattern A's recording has polluted escrows");
  for (const id of [...(ids.pattern_c ?? []), ...polluted]) {
    const { report } = await escrowPage(page, id, config);
    check(report.diagnosis.problem_found && report.rpc_failed > 0, `${id}: a problem with failed calls`);
    check(report.blamed_call != null, `${id}: the diagnosis blames a call`);
    await page.screenshot({ path: `${out}/failed-${id}.png`, fullPage: true });
  }
  // Pattern C: the blamed call (round 1, succeeded) is not the one that failed (round 2): the panel says both apart.
  for (const id of ids.pattern_c ?? []) {
    const report = await json(`/api/traces/${id}/diagnosis`);
    await page.goto(`${base}/escrow.html?id=${id}`);
    await page.waitForSelector("#diagnosis");
    const b = report.blamed_call;
    const f = report.first_failed_call;
    check(b.round === 1 && b.success && f.round === 2, `${id}: the cause at round 1, the failure at round 2 (${b.round}, ${f.round})`);
    check(!(await field(page, "error")).includes(f.error) && (await field(page, "surfaced")).includes(f.error),
      `${id}: round 2's error is shown as where it surfaced, not as the error of round 1's ${b.method}`);
    check(report.diagnosis.surfaced.wallets.length < 2 || (await field(page, "surfaced")).includes(report.diagnosis.surfaced.summary),
      `${id}: every wallet that failed is named where it surfaced, in the analyzer's words`);
    check(await page.locator('[data-surfaced="true"]').count() === 1 && await page.locator('path.pointer[data-pointer="failed first"]').count() === 1,
      `${id}: the first failed call is marked too`);
  }
  // Pattern A: the analyzer's ❌ in the evidence is drawn, not left to an emoji font.
  for (const id of polluted) {
    await page.goto(`${base}/escrow.html?id=${id}`);
    await page.waitForSelector("#diagnosis");
    const evidence = (await json(`/api/traces/${id}/diagnosis`)).diagnosis.findings[0].evidence.join(" ");
    if (evidence.includes("\u274C")) check(await page.locator("#diagnosis .mark.bad").count() >= 1, `${id}: the evidence's crosses are drawn`);
  }
  // Non-custodial: each participant's messages to the mailbox on its own lane, beside its own wallet calls (the
  // parties' from their clients' spans, the arbiter's from the gateway); a stalled one is named as such.
  for (const id of ids.parties ?? []) {
    const { events, report } = await escrowPage(page, id, config);
    for (const role of ["buyer", "vendor", "arbiter"]) {
      const sent = events.filter((e) => e.event_type === "PARTY_MESSAGE" && e.role === role).length;
      const drawn = await page.locator(`[data-lane-role="${role}"] path.marker.message`).count();
      check(report.diagnosis.problem_found || (sent === 4 && drawn === sent), `${id}: the ${role}'s ${sent} messages on its lane (${drawn})`);
    }
    if (report.diagnosis.problem_found) {
      check(report.diagnosis.findings[0].pattern === "STALLED" && (await page.locator("#diagnosis").textContent()).includes("Stalled party"),
        `${id}: the stalled party named on the page`);
    } else {
      for (const role of ["buyer", "vendor"]) {
        check(await page.locator(`[data-lane-role="${role}"] rect.bar.rpc`).count() >= 4, `${id}: the ${role}'s own wallet calls drawn`);
      }
      const tip = await page.locator('[data-lane-role="vendor"] path.marker.message').first().getAttribute("data-tip");
      check(/round 1 info to the mailbox \(sha256 [0-9a-f]{12}…\)\nsigned by wallet key sha256 [0-9a-f]{12}…/.test(tip), `${id}: a message's tip says what came, by hash (${tip})`);
    }
    await page.screenshot({ path: `${out}/parties-${id}.png`, fullPage: true });
  }
  check(!ids.parties || ids.parties.length >= 2, "a READY and a stalled non-custodial escrow recorded");
  // A setup that started over after a wallet-rpc crash: healed, not failed, the abandoned attempt on its wallet's lane.
  for (const id of ids.healed ?? []) {
    const { events, report } = await escrowPage(page, id, config);
    const abandoned = events.filter((e) => e.event_type === "ATTEMPT_ABANDONED");
    check(report.diagnosis.healed === true && report.diagnosis.problem_found === false, `${id}: healed, no problem found`);
    const panel = await page.locator("#diagnosis").innerText();
    check(panel.includes("Healed") && panel.includes(`on the ${abandoned[0]?.role} wallet`), `${id}: the panel says healed and names the wallet`);
    check(await page.locator(`[data-lane-role="${abandoned[0]?.role}"] path.marker.abandoned`).count() === abandoned.length
      && abandoned.length >= 1, `${id}: the abandoned attempt marked on the ${abandoned[0]?.role}'s lane`);
    const tip = await page.locator("path.marker.abandoned").first().getAttribute("data-tip");
    check(tip.includes("started over on three new wallets") && tip.includes(abandoned[0].details.wallet_id), `${id}: its tip says what happened (${tip})`);
    await page.screenshot({ path: `${out}/healed-${id}.png`, fullPage: true });
  }
  check(!ids.healed || ids.healed.length >= 1, "a healed escrow recorded");
  // A payout the parties make (hand-written files): each step a marker on the lane of the party it concerns (an epoch
  // opened on the escrow's), refused ones red; the panel names the party and the epoch; a payout that healed says so.
  for (const id of ids.party_payout ?? []) {
    const { events, report } = await escrowPage(page, id, config);
    const steps = events.filter((e) => e.event_type === "PARTY_PAYOUT");
    for (const role of ["buyer", "vendor", "arbiter"]) {
      const mine = steps.filter((e) => e.role === role);
      const refused = mine.filter((e) => e.details.success === false).length;
      check(await page.locator(`[data-lane-role="${role}"] path.marker.payout`).count() === mine.length
        && await page.locator(`[data-lane-role="${role}"] path.marker.payout.refused`).count() === refused,
      `${id}: the ${role}'s ${mine.length} payout steps on its lane, ${refused} refused in red`);
    }
    check(await page.locator('[data-lane="escrow"] path.marker.payout').count() === steps.filter((e) => e.role === "coordinator").length,
      `${id}: each epoch opened on the escrow's lane`);
    const d = report.diagnosis;
    if (d.problem_found) {
      const f = d.findings[0];
      check(f.pattern === "TXSET_REFUSED" && (await field(page, "role")) === f.role && (await field(page, "epoch")) === String(f.state_before.state.epoch),
        `${id}: the panel names the party (${f.role}) and the epoch`);
      const panel = await page.locator("#diagnosis").innerText();
      check(panel.includes("Signer overdue") && panel.includes("healed: the buyer was refused as stale"), `${id}: the overdue signer and the mended stale party are seen too`);
      check(await page.locator("#diagnosis .mark.bad").count() >= 1, `${id}: the destination's cross is drawn`);
      const tip = await page.locator('[data-lane-role="vendor"] path.marker.payout.refused').first().getAttribute("data-tip");
      check(/pays sha256 [0-9a-f]{12}…, recorded payout address sha256 [0-9a-f]{12}…\nREFUSED: /.test(tip), `${id}: the refused set's tip says what it paid, by hash (${tip})`);
    } else {
      check(d.healed && (await page.locator("#diagnosis").innerText()).includes("healed: the buyer signed"), `${id}: healed, the late signature named`);
    }
    await page.screenshot({ path: `${out}/party-payout-${id}.png`, fullPage: true });
  }
  check(!ids.party_payout || ids.party_payout.length === 2, "a held-up and a healed party payout");
  // Pattern B: the shared instance is called so.
  for (const id of ids.pattern_b ?? []) {
    const { report } = await escrowPage(page, id, config);
    check(await page.locator("g.lane.warn[data-lane-role]").count() >= 1 && report.ports.some((p) => p.shared), `${id}: SHARED where calls raced`);
    await page.screenshot({ path: `${out}/pattern-b-${id}.png`, fullPage: true });
  }
  // The list: every status coloured.
  await page.goto(`${base}/`);
  await page.waitForSelector("#escrows tbody tr");
  for (const id of [...(ids.funds ?? []), ...(ids.pattern_c ?? [])]) {
    await page.fill("#search", id);
    await page.waitForFunction((x) => document.querySelectorAll("#escrows tbody tr").length === 1
      && document.querySelector("#escrows tbody tr").getAttribute("data-escrow") === x, id);
    await coloured(page, `tr[data-escrow="${id}"] .status`, id);
  }
  for (const id of ids.party_payout ?? []) {
    await page.fill("#search", id);
    await page.waitForFunction((x) => document.querySelector(`#escrows tr[data-escrow="${x}"] .badge:not(.pending)`), id);
    const badge = page.locator(`tr[data-escrow="${id}"] .badge`);
    const problem = (await json(`/api/traces/${id}/diagnosis`)).diagnosis.problem_found;
    check(problem ? await badge.getAttribute("data-pattern") === "TXSET_REFUSED" && (await badge.textContent()) === "tx set refused"
      : await badge.getAttribute("data-pattern") === "HEALED", `${id}: the list's badge says what holds the payout up, or healed`);
  }
  for (const id of ids.healed ?? []) {
    await page.fill("#search", id);
    await page.waitForFunction((x) => document.querySelector(`#escrows tr[data-escrow="${x}"] .badge:not(.pending)`), id);
    check(await page.locator(`tr[data-escrow="${id}"] .badge`).getAttribute("data-pattern") === "HEALED", `${id}: the list's badge says healed`);
  }
  await page.fill("#search", "");
  await noEmoji(page, "the list");
  await page.screenshot({ path: `${out}/list.png`, fullPage: true });
  // Compare a Pattern C escrow with a clean one: the first difference numbered as in the files, the cause marked
  // before it, and no label over another or cut off.
  if (ids.pattern_c?.length && ids.clean?.length) {
    const [c, clean] = [ids.pattern_c[0], ids.clean[0]];
    await comparePage(page, c, clean, "compare-c");
    const x = (sel) => page.locator(`section.compared[data-escrow="${c}"] ${sel}`).first().getAttribute("x1").then(Number);
    check(await x("line.vertical.cause") < await x("line.vertical.divergence"), `${c}: the cause is marked before the first difference`);
  }
}

/** An escrow's page, with the checks every escrow must pass. */
async function escrowPage(page, id, config) {
  const [events, report] = await Promise.all([json(`/api/traces/${id}`), json(`/api/traces/${id}/diagnosis`)]);
  const rpc = new Set(events.filter((x) => x.event_type.startsWith("RPC_CALL_")).map((x) => x.details.span_id));
  const failed = new Set(events.filter((x) => x.event_type === "RPC_CALL_ERROR").map((x) => x.details.span_id));
  await page.goto(`${base}/escrow.html?id=${id}`);
  await page.waitForSelector("#timeline svg.timeline");
  const lanes = await page.locator("[data-lane-role]").evaluateAll((ls) => ls.map((l) => l.getAttribute("data-lane-role")));
  check(lanes.join() === "buyer,vendor,arbiter", `${id}: one lane per role (${lanes})`);
  check(await page.locator("[data-lane-role] rect.bar.rpc").count() === rpc.size, `${id}: one bar per RPC call (${rpc.size})`);
  const widths = await page.locator("[data-lane-role] rect.bar.rpc.failed").evaluateAll((rs) => rs.map((r) => r.getBBox().width));
  check(widths.length === failed.size, `${id}: ${failed.size} red bars`);
  check(widths.every((w) => w >= 8), `${id}: every failed call at least 8 px wide (${widths.map(Math.round)})`);
  check(await page.locator("[data-lane-role] path.fail-mark").count() === failed.size, `${id}: every failed call crossed`);
  const blamed = page.locator('rect.bar.rpc[data-blamed="true"]');
  if (report.blamed_call) {
    check(await blamed.count() === 1 && Number(await blamed.getAttribute("data-event")) === report.blamed_call.end_index
      && await page.locator('path.pointer[data-pointer="cause"]').count() === 1, `${id}: the blamed call (event #${report.blamed_call.end_index}) marked`);
    check((await field(page, "operation")).startsWith(report.blamed_call.method)
      && (await field(page, "round")) === String(report.blamed_call.round ?? "–"), `${id}: the panel's operation and round are the blamed call's`);
    const error = await field(page, "error");
    check(report.blamed_call.success ? error.includes("succeeded") : error === report.blamed_call.error, `${id}: the panel's error is the blamed call's (${error})`);
  } else {
    check(await blamed.count() === 0, `${id}: no call marked as blamed`);
  }
  const sharedRoles = [...new Set(report.ports.filter((p) => p.shared).map((p) => p.role))].sort();
  const warned = (await page.locator("g.lane.warn[data-lane-role]").evaluateAll((ls) => ls.map((l) => l.getAttribute("data-lane-role")))).sort();
  check(warned.join() === sharedRoles.join(), `${id}: SHARED on the lanes whose port another wallet used at the same time (${warned} vs ${sharedRoles})`);
  const traceIds = [...new Set(events.map((x) => x.trace_id).filter(Boolean))];
  check(await page.locator("#traces tbody tr").count() === traceIds.length, `${id}: its ${traceIds.length} traces listed together`);
  if (config.jaeger_url) {
    for (const t of traceIds) {
      check(await page.locator(`a.jaeger[href="${config.jaeger_url.replace(/\/$/, "")}/trace/${t}"]`).count() === 1, `${id}: a Jaeger link to trace ${t}`);
    }
    check(await page.locator("#jaeger-escrow").count() === 1, `${id}: one Jaeger search for all its traces`);
  } else {
    check(await page.locator("a.jaeger").count() === 0, `${id}: no Jaeger link, since no Jaeger UI is configured`);
  }
  const download = await page.locator("#download").getAttribute("href");
  check((await fetch(base + download)).ok, `${id}: the JSON file downloads`);
  await coloured(page, "#status", id);
  await labelsLaidOut(page, "#timeline", id);
  await noEmoji(page, id);
  const snapshot = page.locator("[data-lane-role] path.marker.snapshot").first();
  if (await snapshot.count()) {
    await snapshot.hover();
    check((await page.locator("#tip").innerText()).includes("is_multisig="), `${id}: a snapshot's state shows on hover`);
    await page.mouse.move(0, 0); // the tooltip would cover the picture in the screenshot
  }
  return { events, report };
}

async function comparePage(page, a, b, name) {
  await page.goto(`${base}/compare.html?a=${a}&b=${b}`);
  await page.waitForSelector("#divergence");
  check(await page.locator("section.compared svg.timeline").count() === 2, "the compare view draws both escrows");
  const cmp = await json(`/api/traces/${a}/compare/${b}`);
  check(await page.locator("line.vertical.divergence").count() === (cmp.diverged ? 2 : 0), "the first divergence is marked in both");
  if (cmp.diverged) {
    const text = await page.locator("#divergence").innerText();
    check(text.includes(`event #${cmp.event_1.index} of ${a}`) && text.includes(`event #${cmp.event_2.index} of ${b}`),
      `the first difference numbered as in the files (#${cmp.event_1.index}, #${cmp.event_2.index}): ${text.slice(0, 120)}`);
    const labels = await page.locator("text.vertical-label.divergence").allTextContents();
    check(labels.length === 2 && labels[0].includes(`#${cmp.event_1.index}`) && labels[1].includes(`#${cmp.event_2.index}`),
      `the divergence labels carry the files' event numbers (${labels})`);
  }
  const reports = await Promise.all([a, b].map((id) => json(`/api/traces/${id}/diagnosis`)));
  check(await page.locator("line.vertical.cause").count() === reports.filter((r) => r.blamed_call).length, "each blamed call is marked as the cause");
  await labelsLaidOut(page, "section.compared", `compare ${a} ${b}`);
  await noEmoji(page, "the compare view");
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
}

/** No vertical line's label over another, and every label inside its picture and the window. */
async function labelsLaidOut(page, scope, what) {
  const problems = await page.evaluate((scope) => {
    const found = [];
    for (const svg of document.querySelectorAll(`${scope} svg.timeline`)) {
      const box = svg.getBoundingClientRect();
      const labels = [...svg.querySelectorAll("text.vertical-label")].map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
      const all = [...labels, ...[...svg.querySelectorAll("text.pointer-label")].map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }))];
      for (const l of all) {
        if (l.r.left < box.left - 0.5 || l.r.right > box.right + 0.5 || l.r.top < box.top - 0.5 || l.r.bottom > box.bottom + 0.5
          || l.r.right > document.documentElement.clientWidth) found.push(`"${l.text}" is cut off`);
      }
      for (let i = 0; i < labels.length; i++) {
        for (let j = i + 1; j < labels.length; j++) {
          const [p, q] = [labels[i].r, labels[j].r];
          if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) found.push(`"${labels[i].text}" overlaps "${labels[j].text}"`);
        }
      }
    }
    return found;
  }, scope);
  check(problems.length === 0, `${what}: labels laid out: ${problems.join("; ")}`);
}

/** Status drawn with CSS: no emoji (Debian's chromium has no emoji font: they would be empty boxes). */
async function noEmoji(page, what) {
  const text = await page.locator("body").textContent(); // the SVG's text too
  const emoji = text.match(/[\u2600-\u27BF\u2B00-\u2BFF]|[\u{1F300}-\u{1FAFF}]/gu);
  check(!emoji, `${what}: no emoji in the page (${emoji})`);
  const stray = await page.evaluate(() => [...document.querySelectorAll("main, main > section, main > figure")].flatMap((n) => [...n.childNodes])
    .filter((n) => n.nodeType === Node.TEXT_NODE && /\b(null|undefined)\b/.test(n.textContent)).map((n) => n.textContent));
  check(stray.length === 0, `${what}: no "null" or "undefined" left on the page (${stray})`);
}

/** A status tag has a colour of its own (not the grey of an unknown status). */
async function coloured(page, selector, what) {
  const [status, colour] = await page.locator(selector).first().evaluate((s) => [s.getAttribute("data-status"), getComputedStyle(s).color]);
  const known = ["READY", "FUNDED", "RELEASED", "REFUNDED", "RESOLVED", "FAILED", "IN_PROGRESS", "PAYOUT_PENDING", "DISPUTED"];
  if (known.includes(status)) check(colour !== "rgb(74, 85, 104)", `${what}: status ${status} has its colour (${colour})`);
}

async function field(page, name) {
  const f = page.locator(`#diagnosis [data-field="${name}"]`);
  return (await f.count()) ? (await f.innerText()).trim() : "";
}
