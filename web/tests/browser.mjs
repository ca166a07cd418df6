// Browser tests in real headless Chromium (Debian's, through playwright-core): open the
// case, the lines list, a line with timeline and evidence, the network (expand a node,
// export), the map with trips, search; then the speed test on a synthetic 10,000-node,
// 50,000-edge network. Each step saves a screenshot and its timing in REPORT_DIR. Steps wait
// for conditions, never for fixed times.
//
// Run by `cargo xtask web-test`, which builds the binary and an analysed case. By hand:
//   LINESIGHT_BIN=target/debug/linesight LINESIGHT_CASE=/path/to/case node web/tests/browser.mjs
// The speed step alone, five times (it needs no case data, only a server):
//   for i in 1 2 3 4 5; do STEPS=07 LINESIGHT_BIN=… LINESIGHT_CASE=… node web/tests/browser.mjs; done
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const env = (k, d) => process.env[k] ?? d ?? (() => { throw new Error(`set ${k}`); })();
// LINESIGHT_URL points at a server already running (front-end work); otherwise the test
// starts `LINESIGHT_BIN serve --case LINESIGHT_CASE`.
const EXISTING = process.env.LINESIGHT_URL;
const BIN = EXISTING ? '' : env('LINESIGHT_BIN');
const CASE = EXISTING ? '' : env('LINESIGHT_CASE');
const CHROMIUM = env('CHROMIUM', '/usr/bin/chromium');
const OUT = env('REPORT_DIR', fileURLToPath(new URL('../test-results/', import.meta.url)));
const BOUNDARIES = process.env.LINESIGHT_BOUNDARIES;
const INTERACTIVE_LIMIT_MS = 2000;
mkdirSync(OUT, { recursive: true });

const report = { started: new Date().toISOString(), steps: [], speed: null };
let failures = 0;

function startServer() {
  if (EXISTING) return Promise.resolve({ child: { kill() {} }, url: EXISTING });
  const args = ['--quiet', 'serve', '--case', CASE, '--port', '0'];
  if (BOUNDARIES) args.push('--boundaries', BOUNDARIES);
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 120_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving at (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

// STEPS=07,08 runs only the steps whose names start with those prefixes (for measuring).
const ONLY = process.env.STEPS?.split(',').filter(Boolean);

async function step(page, name, fn) {
  if (ONLY && !ONLY.some((p) => name.startsWith(p))) return;
  const t0 = Date.now();
  try {
    const detail = await fn();
    const ms = Date.now() - t0;
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false });
    report.steps.push({ name, ok: true, ms, detail });
    console.log(`ok   ${name} (${ms} ms)${detail ? ` ${JSON.stringify(detail)}` : ''}`);
  } catch (e) {
    failures++;
    await page.screenshot({ path: join(OUT, `${name}-FAILED.png`) }).catch(() => {});
    report.steps.push({ name, ok: false, error: String(e) });
    console.log(`FAIL ${name}: ${e}`);
  }
}

/** Runs `action`, which navigates inside the app, and waits until the new page has rendered. */
async function navigate(page, action) {
  // The old page's data-ready="true" must not count: the router sets it again once the new
  // page is rendered.
  await page.evaluate(() => { document.getElementById('main').dataset.ready = 'navigating'; });
  await action();
  await pageReady(page);
}

async function pageReady(page) {
  await page.waitForSelector('main[data-ready="true"]', { timeout: 30_000 });
  const error = await page.$('main .error');
  if (error) throw new Error(`page shows an error: ${await error.innerText()}`);
}

function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** A synthetic network: `n` nodes in 40 communities, `m` edges mostly inside them. */
function synthetic(n, m) {
  // mulberry32: a seeded generator that stays exact in 32-bit integer arithmetic.
  let seed = 42;
  const rnd = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const roles = ['deal_line', 'controller', 'runner', 'customer', 'contact', 'cuckooed_resident'];
  const nodes = Array.from({ length: n }, (_, i) => ({
    id: `+4477${String(i).padStart(8, '0')}`, role: roles[i % 97 === 0 ? i % 3 : 3 + (i % 2)], community: i % 40, events: 1 + Math.floor(rnd() * 50), center: i < 5,
  }));
  const seen = new Set();
  const edges = [];
  while (edges.length < m) {
    const a = Math.floor(rnd() * n);
    const b = rnd() < 0.85 ? (a + 40 * (1 + Math.floor(rnd() * 20))) % n : Math.floor(rnd() * n);
    if (a === b) continue;
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ source: nodes[a].id, target: nodes[b].id, events: 1 + Math.floor(rnd() * 9), calls: 1, texts: 0, first_utc: '2026-10-18T00:00:00Z', last_utc: '2026-10-31T00:00:00Z' });
  }
  return { scope: 'line', truncated: false, nodes, edges };
}

const { child, url } = await startServer();
console.log(`server at ${url}`);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  // playwright gives each launch a fresh temporary profile (--user-data-dir).
});
const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
const page = await context.newPage();
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(String(e)));
page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
// Nothing may come from outside the server: no CDN, no tiles.
const offsite = [];
page.on('request', (r) => { if (!r.url().startsWith(url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) offsite.push(r.url()); });

let lineId;
let lineNumber;
try {
  await step(page, '01-lines', async () => {
    await page.goto(url);
    await pageReady(page);
    const rows = await page.$$('table.lines tbody tr[data-line]');
    expect(rows.length > 0, 'no lines listed');
    // Lines named by the intelligence file show their brand.
    if (process.env.LINESIGHT_LINE_NAMES) {
      const names = readFileSync(process.env.LINESIGHT_LINE_NAMES, 'utf8').trim().split('\n').slice(1).map((r) => r.split(',')[1]);
      const listed = await page.innerText('table.lines tbody');
      expect(names.some((n) => listed.includes(n)), `no brand from ${names.join(', ')} in the lines list`);
    }
    lineId = await rows[0].getAttribute('data-line');
    // Sorting by a column heading works by keyboard too.
    await page.focus('th a.sort >> text=Line');
    await navigate(page, () => page.keyboard.press('Enter'));
    expect((await page.getAttribute('th:has(a:text("Line"))', 'aria-sort')) === 'ascending', 'sort by line did not apply');
    return { lines: rows.length, first: lineId };
  });

  await step(page, '02-line', async () => {
    await navigate(page, () => page.click(`a[href="#/lines/${lineId}"]`));
    await page.waitForSelector('#evidence table.evidence tbody tr');
    const evidence = await page.$$eval('#evidence tbody tr', (r) => r.length);
    expect(evidence > 0, 'no evidence rows');
    expect(await page.$('svg.chart'), 'no timeline chart');
    const changes = await page.$$eval('ol.timeline li', (l) => l.length);
    lineNumber = (await page.innerText('table.data tbody th a')).trim();
    await page.click('#evidence button:has-text("Later")');
    await page.waitForSelector('#evidence [role=status]:has-text("Page 2")');
    await page.evaluate(() => document.querySelector('#tl-h')?.scrollIntoView());
    return { evidence_rows: evidence, timeline_items: changes, number: lineNumber };
  });

  await step(page, '03-network-expand', async () => {
    await navigate(page, () => page.click('a.button:has-text("Network of this line")'));
    await page.waitForSelector('#n-chart[data-ready="true"]', { timeout: 20_000 });
    const before = await page.$eval('#n-status', (e) => e.textContent);
    const renderer = JSON.parse(await page.getAttribute('#n-chart', 'data-timings')).renderer;
    // Pick a node that is not the line itself, by keyboard-friendly selection.
    const options = await page.$$eval('#n-nodes option', (o) => o.map((x) => x.value));
    expect(options.length > 1, 'chart has no nodes');
    const pick = options.find((o) => o !== lineNumber) ?? options[0];
    await page.fill('#n-find', pick);
    await page.dispatchEvent('#n-find', 'change');
    await page.waitForSelector('#n-expand:not([disabled])');
    await page.click('#n-expand');
    await page.waitForSelector('#n-chart[data-expanded="1"]', { timeout: 20_000 });
    const after = await page.$eval('#n-status', (e) => e.textContent);
    await page.check('#n-comm');
    await page.click('#n-png');
    await page.click('#n-svg');
    await page.waitForSelector('#n-chart[data-png-bytes][data-svg-bytes]');
    const png = Number(await page.getAttribute('#n-chart', 'data-png-bytes'));
    const svg = Number(await page.getAttribute('#n-chart', 'data-svg-bytes'));
    expect(png > 1000 && svg > 500, `exports too small: png ${png}, svg ${svg}`);
    return { renderer, before, after, expanded: pick, png_data_url_chars: png, svg_chars: svg };
  });

  await step(page, '04-map-trips', async () => {
    await navigate(page, () => page.goto(`${url}#/map?line=${lineId}`));
    await page.waitForSelector('#map[data-ready="true"]', { timeout: 30_000 });
    const trips = Number(await page.getAttribute('#map', 'data-trips'));
    expect(trips > 0, 'no trips or cell paths on the map');
    const listed = await page.$$eval('.map-side li', (l) => l.length);
    const canvas = await page.$('#map canvas');
    expect(canvas, 'map did not render');
    return { trips_and_paths: trips, listed, boundaries: !!BOUNDARIES };
  });

  await step(page, '05-search', async () => {
    await page.fill('#quick-search-q', lineNumber.replace(/^\+44/, '0'));
    await navigate(page, () => page.press('#quick-search-q', 'Enter'));
    await page.waitForSelector('section.entity[data-kind="number"]');
    const title = await page.innerText('section.entity h2');
    expect(title.includes(lineNumber), `search found ${title}, not ${lineNumber}`);
    const handsets = await page.$$eval('section.entity table', (t) => t.length);
    return { title, tables: handsets };
  });

  await step(page, '06-safeguarding', async () => {
    await navigate(page, () => page.click('nav a:has-text("Safeguarding")'));
    const text = await page.innerText('main');
    expect(/not a suspect/.test(text), 'safeguarding page must say victims are not suspects');
    return { items: await page.$$eval('li.safeguard', (l) => l.length) };
  });

  await step(page, '07-network-10k-speed', async () => {
    const net = synthetic(10_000, 50_000);
    const data = JSON.stringify(net);
    await page.route((u) => u.pathname === '/api/v1/network' && u.searchParams.get('line') === 'SYNTHETIC', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: data }));
    // Expanding a synthetic number answers with five new numbers around it.
    await page.route((u) => u.pathname === '/api/v1/network' && /^\+4477/.test(u.searchParams.get('number') ?? ''), (route) => {
      const id = new URL(route.request().url()).searchParams.get('number');
      const nodes = [{ id, role: 'runner', community: 0, events: 9, center: true },
        ...Array.from({ length: 5 }, (_, i) => ({ id: `+4478${String(i).padStart(8, '0')}`, role: 'customer', community: 0, events: 2, center: false }))];
      const edges = nodes.slice(1).map((n) => ({ source: id, target: n.id, events: 2, calls: 1, texts: 1, first_utc: '2026-10-20T00:00:00Z', last_utc: '2026-10-21T00:00:00Z' }));
      return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ scope: 'number', truncated: false, nodes, edges }) });
    });
    // Measured from the start of a fresh page load (performance.timeOrigin, so performance.now()
    // in the page is milliseconds since navigation began) until the chart is drawn AND a click
    // on a number has been answered on screen: the number is ringed and labelled in the chart
    // and its details are in the side panel.
    await page.goto('about:blank');
    await page.goto(`${url}#/network?line=SYNTHETIC`);
    await page.waitForSelector('#n-chart[data-ready="true"]', { timeout: 30_000 });
    const drawnAt = await page.evaluate(() => performance.now());
    const target = net.nodes[123].id;
    const locate = () => page.evaluate((id) => document.querySelector('#n-chart').chart.clientPosition(id), target);
    let at;
    // A layout step drawn between locating the number and the click could move it: then click
    // again where it is now. The clock keeps running, so a retry only ever costs time.
    for (let attempt = 0; attempt < 3; attempt++) {
      at = await locate();
      expect(at, `${target} is not in view`);
      await page.mouse.click(at.x, at.y);
      const answered = await page.waitForFunction((id) => document.querySelector('#n-chart').dataset.selected === id
        && document.querySelector('.node-details h2')?.textContent === id, target, { timeout: 3_000 }).then(() => true, () => false);
      if (answered) break;
      expect(attempt < 2, `clicking ${target} was not answered`);
    }
    const answeredAt = await page.evaluate(() => performance.now());
    await page.screenshot({ path: join(OUT, '07-network-10k-answered.png') });
    const timings = JSON.parse(await page.getAttribute('#n-chart', 'data-timings'));
    const total = Math.round(answeredAt);
    // The picture has the nodes: count non-white pixels in the chart (outside the timing).
    const inked = await page.evaluate(() => {
      const c = document.querySelector('#n-chart canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) n++;
      return n / (d.length / 4);
    });
    const status = await page.$eval('#n-status', (e) => e.textContent);
    // A wheel zoom: the view follows at once (camera moved), then the picture is redrawn.
    const frames = await page.getAttribute('#n-chart', 'data-frames');
    const camera = await page.getAttribute('#n-chart', 'data-camera');
    await page.mouse.move(at.x, at.y);
    const wheelStart = Date.now();
    await page.mouse.wheel(0, -300);
    await page.waitForFunction((c) => document.querySelector('#n-chart').dataset.camera !== c, camera);
    const wheelFollowMs = Date.now() - wheelStart;
    await page.waitForFunction((f) => document.querySelector('#n-chart').dataset.frames !== f, frames);
    const wheelRedrawMs = Date.now() - wheelStart;
    report.speed = {
      nodes: 10_000, edges: 50_000, measured: 'navigation start to a node click answered on screen',
      navigation_to_drawn_ms: Math.round(drawnAt), navigation_to_click_answered_ms: total, page_timings: timings,
      inked_fraction: Number(inked.toFixed(3)), wheel_follow_ms: wheelFollowMs, wheel_redraw_ms: wheelRedrawMs, limit_ms: INTERACTIVE_LIMIT_MS,
    };
    expect(timings.renderer === 'canvas', `10k network drawn by ${timings.renderer}`);
    expect(inked > 0.02, `the 10k chart is nearly blank (${inked} of its pixels inked)`);
    expect(total < INTERACTIVE_LIMIT_MS, `10k/50k network took ${total} ms to show and answer a click (limit ${INTERACTIVE_LIMIT_MS})`);
    // The large chart's other features: expand (double-click), colour by community, exports.
    await page.waitForSelector('#n-chart[data-layout="done"]', { timeout: 30_000 });
    const back = await locate();
    await page.mouse.dblclick(back.x, back.y);
    await page.waitForSelector('#n-chart[data-expanded="1"]', { timeout: 20_000 });
    const expanded = await page.$eval('#n-status', (e) => e.textContent);
    expect(/5 new numbers/.test(expanded), `expanding said: ${expanded}`);
    await page.check('#n-comm');
    await page.click('#n-png');
    await page.click('#n-svg');
    await page.waitForSelector('#n-chart[data-png-bytes][data-svg-bytes]');
    const svg = Number(await page.getAttribute('#n-chart', 'data-svg-bytes'));
    expect(svg > 50_000 * 60, `SVG of the 10k chart is too small: ${svg}`);
    return { ...report.speed, status, expanded };
  });

  await step(page, '08-keyboard-skip-link', async () => {
    // A fresh load: a hash change alone would keep the focus where it was.
    await page.goto('about:blank');
    await page.goto(`${url}#/`);
    await pageReady(page);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.id);
    expect(focused === 'skip-link', `first Tab focuses ${focused}, not the skip link`);
    await page.keyboard.press('Enter');
    expect((await page.evaluate(() => document.activeElement?.id)) === 'main', 'skip link does not move focus to main');
  });
} finally {
  report.console_errors = consoleErrors;
  report.offsite_requests = offsite;
  report.finished = new Date().toISOString();
  writeFileSync(join(OUT, 'report.json'), JSON.stringify(report, null, 2));
  await browser.close();
  child.kill('SIGTERM');
}
if (offsite.length) {
  failures++;
  console.log(`FAIL requests left the server: ${offsite.slice(0, 5).join(', ')}`);
}
const passed = report.steps.filter((s) => s.ok).length;
console.log(`screenshots and report.json in ${OUT}`);
// The plain closing line that CI logs are read by.
console.log(`browser: ${passed} passed, ${report.steps.length - passed + (offsite.length ? 1 : 0)} failed`);
process.exit(failures ? 1 : 0);
