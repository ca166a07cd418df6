// Browser test of the operations pages in real headless Chromium: log in, create a case and
// an address target with children present, record a warrant, build a plan that the checks
// flag (warrant expires before the strike, no safeguarding officer), fix it, record a search,
// an arrest, exhibits with a custody movement and a referral (with its NRM draft), and check
// the dashboard totals match the records.
//
// Needs a server that serves the built web app and the operations API at LINESIGHT_URL
// (default http://127.0.0.1:8791/) with a user LINESIGHT_USER / LINESIGHT_PASSWORD whose
// account role may create cases (operation_lead). Run: node web/src/ops/e2e.mjs
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const base = process.env.LINESIGHT_URL ?? 'http://127.0.0.1:8791/';
const user = process.env.LINESIGHT_USER ?? 'lead';
const password = process.env.LINESIGHT_PASSWORD ?? 'a long enough password';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ timezoneId: 'UTC' });
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
const ready = () => page.waitForSelector('#main[data-ready="true"]');
const go = async (hash) => {
  await page.goto(base + hash);
  await ready();
};
async function fill(title, values) {
  const form = page.locator('form', { has: page.locator('h3', { hasText: title }) });
  for (const [name, v] of Object.entries(values)) {
    const input = form.locator(`[name="${name}"]`);
    if ((await input.getAttribute('type')) === 'checkbox') {
      if (v) await input.check();
    } else if ((await input.evaluate((e) => e.tagName)) === 'SELECT') await input.selectOption(v);
    else await input.fill(String(v));
  }
  await Promise.all([page.waitForEvent('load').catch(() => {}), form.locator('button[type=submit]').click()]);
  await ready();
  const status = await form.locator('.form-status').textContent().catch(() => '');
  assert.ok(!status, `${title}: ${status}`);
}

await go('#/login');
await page.fill('form.login input[name=name]', user);
await page.fill('form.login input[name=password]', password);
await page.click('form.login button[type=submit]');
await page.waitForFunction(() => location.hash === '#/cases');
await ready();
await fill('Open a case', { name: `Op Kestrel ${Date.now()}`, force: 'Norfolk', partners: 'Met' });
const id = page.url().split('#/cases/')[1];

await go(`#/cases/${id}/targets`);
await fill('Add a target', { kind: 'address', label: '12 Quay Rd, Great Yarmouth', children_present: true });
await fill('Record a warrant', { court: 'Norwich Magistrates', from: '2026-12-01T00:00', to: '2026-12-02T04:00' });

await go(`#/cases/${id}/plan`);
await fill('Add a search team', { id: 'T1', force: 'Norfolk', lead: 'PS Ames', size: 8 });
await fill('Assign an address', { strike: '2026-12-02T05:00', entry: 'enforcer' });
const flagged = page.locator('[data-plan-ready="false"]');
assert.deepEqual(await flagged.locator('li').evaluateAll((l) => l.map((e) => e.dataset.code)), ['warrant_expires_before_strike', 'children_without_safeguarding']);
await fill('Assign an address', { strike: '2026-12-02T03:00', entry: 'enforcer', safeguarding: true });
assert.equal(await page.locator('[data-plan-ready="true"]').count(), 1, 'the fixed plan passes its checks');
assert.match(await page.locator('[data-team="T1"]').innerText(), /03:00 12 Quay Rd/);

await go(`#/cases/${id}/outcomes`);
await fill('Record a property searched', { result: 'entry made, 2 arrested' });
await fill('Record an arrest', { person: 'Jay Doe', offence: 'PWITS Class A', suite: 'Wymondham' });
await fill('Record an arrest', { person: 'Sam Roe', offence: 'PWITS Class A', suite: 'Wymondham' });
await fill('Record an exhibit', { reference: 'JA/1', type: 'cash', pounds: '1250.50', by: 'PC Jay' });
await fill('Record an exhibit', { reference: 'JA/2', type: 'drugs', what: 'crack cocaine', wraps: 30, grams: 6.5, by: 'PC Jay' });
const exhibit = await page.locator('table', { hasText: 'JA/1' }).locator('code').first().innerText();
await fill('Record a custody movement', { exhibit, holder: 'PC Jay', location: 'Wymondham property store', purpose: 'booked in' });
await fill('Record a safeguarding referral', { subject: 'child', name: 'Child A', age: 15, circumstances: 'found with 30 wraps far from home' });
await page.locator('button', { hasText: 'NRM draft' }).click();
await page.waitForFunction(() => (document.querySelector('pre')?.textContent ?? '').length > 0);
const draft = await page.locator('pre').innerText();
assert.match(draft, /Potential victim: Child A, a child, aged 15\./);
assert.doesNotMatch(draft.toLowerCase(), /suspect|offender/);

await go(`#/cases/${id}/dashboard`);
const figure = (k) => page.locator(`dd[data-figure="${k}"]`).innerText();
assert.equal(await figure('Properties searched'), '1');
assert.equal(await figure('Arrests'), '2');
assert.equal(await figure('Seizures: cash'), '1');
assert.equal(await figure('Seizures: drugs'), '1');
assert.equal(await figure('Drug wraps'), '30');
assert.equal(await figure('Cash'), '£1,250.50');
assert.equal(await figure('People safeguarded'), '1');
assert.deepEqual(errors, []);
await browser.close();
console.log(`operations browser test passed (case ${id})`);
