// Browser test of the evaluation view (issue 13) against the real server:
// statistik opens "Auswertung", chooses the purpose, filters by period and
// region and sees each person's latest decision counted once (5 persons
// decided twice: 5, with 5 earlier decisions), the population per region,
// small cells shown as "<5", "keine Ergebnisdaten" when no case has an
// outcome, and the AI Act section; a bad region is refused in German. The
// menu entry is shown to statistik and koordination, not to zab. axe-core
// finds no WCAG 2.1 AA violation; no CSP violation; the read is audited.
// Usage: node evaluation.test.mjs   (env FALLNETZ_BIN = path of the built CLI)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { axeViolations } from './axe.mjs';
import { makeChecker, startServer, launchBrowser, uiLogin } from './harness.mjs';

const checker = makeChecker();
const check = checker.check;
const dir = mkdtempSync(join(tmpdir(), 'fallnetz-eval-'));
const PURPOSE = 'Statistik';
const catalog = join(process.env.FALLNETZ_SOURCE_ROOT || join(import.meta.dirname, '..', '..'),
  'catalog', 'initialbewertung.cat');

// Every person assessed (by the koordination of each region); five persons
// of region MS decided twice, in January and February; no case outcome.
function prepare(bin, db, accounts) {
  for (const [login, a] of Object.entries(accounts))
    if (a.roles.includes('koordination'))
      execFileSync(bin, ['assess', '--all', '--store', '--user', login, '--db', db, '--catalog', catalog,
        '--today', '2026-03-01'], { stdio: 'ignore' });
  const sql = q => execFileSync('sqlite3', [db, q]).toString().trim();
  sql("UPDATE case_file SET status = 'neu'; DELETE FROM custody WHERE kind = 'abschiebungshaft'");
  const ids = sql("SELECT id FROM person WHERE authority_id IN (SELECT id FROM organisation WHERE region_id = " +
    "(SELECT id FROM region WHERE code = 'MS')) ORDER BY id LIMIT 5").split('\n');
  for (const id of ids)
    for (const [at, outcome] of [['2026-01-10T10:00:00Z', 'ablehnen'], ['2026-02-10T10:00:00Z', 'aufnehmen']])
      sql(`INSERT INTO decision (person_id, assessment_id, at, login, outcome, reason) SELECT ${id}, ` +
        `max(id), '${at}', 'j.hoffmann', '${outcome}', 'Fallkonferenz hat beraten' FROM assessment ` +
        `WHERE person_id = ${id}`);
}

const server = await startServer(dir, { persons: 80, prepare });
const { url, accounts } = server;
let browser;
try {
  browser = await launchBrowser();
  const page = await (await browser.newContext()).newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));
  });
  const a11y = async state => {
    const v = await axeViolations(page);
    check(`axe: no WCAG 2.1 AA violation (${state})`, v.length === 0, '\n' + v.join('\n'));
  };
  const evalHas = (s, timeout = 15000) => page.waitForFunction(
    x => document.querySelector('#evaluation').textContent.includes(x), s, { timeout }).catch(() => {});

  await page.goto(`${url}#auswertung`);
  await page.waitForSelector('#login-form', { state: 'visible' });
  check('login as statistik', await uiLogin(page, 'statistik', accounts.statistik.password) === 201);
  check('menu: Auswertung for statistik', await page.isVisible('#nav a[data-view="auswertung"]'));
  check('menu: no person list for statistik', !(await page.isVisible('#nav a[data-view="personen"]')));
  await page.waitForSelector('#purpose-auswertung form', { timeout: 10000 });
  await a11y('purpose');
  await page.check(`#purpose-auswertung input[value="${PURPOSE}"]`);
  await page.click('#purpose-auswertung button[type="submit"]');
  await page.waitForSelector('#evaluation-form', { state: 'visible' });

  // the whole state, all time
  await page.click('#evaluation-form button[type="submit"]');
  await evalHas('Untergruppenprüfung');
  const rowText = label => page.evaluate(l => [...document.querySelectorAll('#evaluation dd')]
    .find(dd => dd.previousElementSibling.textContent === l)?.textContent, label);
  check('each person counted once', await rowText('Personen mit Entscheidung (je Person die letzte)') === '5',
    await rowText('Personen mit Entscheidung (je Person die letzte)'));
  check('the earlier decisions as history', await rowText('Frühere Entscheidungen zu denselben Personen') === '5');
  check('no outcome data said so', (await page.textContent('#evaluation')).includes('keine Ergebnisdaten'));
  check('AI Act section', (await page.textContent('#evaluation')).includes('Art. 14'));
  check('small cells as <5', (await page.textContent('#evaluation')).includes('<5'));
  const regions = await page.$$eval('#evaluation table', ts => ts.filter(t =>
    t.querySelector('caption').textContent === 'Region')[0].querySelectorAll('tbody tr').length);
  check('population of every region', regions === 5, String(regions));
  await a11y('report');

  // February in region MS: the five acceptances, no earlier decision
  await page.fill('#eval-from', '2026-02-01');
  await page.fill('#eval-to', '2026-02-28');
  await page.fill('#eval-region', 'MS');
  const answer = page.waitForResponse(r => new URL(r.url()).pathname === '/api/v1/evaluation');
  await page.click('#evaluation-form button[type="submit"]');
  const r = await answer;
  check('filters sent', new URL(r.url()).search === '?from=2026-02-01&to=2026-02-28&region=MS', r.url());
  check('purpose sent', r.request().headers()['x-fallnetz-zweck'] === PURPOSE);
  await page.waitForFunction(() => !document.querySelector('#evaluation').hasAttribute('aria-busy'));
  check('February: five persons', await rowText('Personen mit Entscheidung (je Person die letzte)') === '5');
  check('February: no earlier decision', await rowText('Frühere Entscheidungen zu denselben Personen') === '0');

  // an unknown region: refused in German
  await page.fill('#eval-region', 'XY');
  await page.click('#evaluation-form button[type="submit"]');
  await evalHas('Region ist unbekannt');
  check('unknown region refused', (await page.textContent('#evaluation')).includes('Diese Region ist unbekannt'));
  await a11y('refusal');

  // zab: no menu entry, the view refused; koordination: the entry
  const zab = await (await browser.newContext()).newPage();
  await zab.goto(`${url}#auswertung`);
  await zab.waitForSelector('#login-form', { state: 'visible' });
  check('login as zab.sb', await uiLogin(zab, 'zab.sb', accounts['zab.sb'].password) === 201);
  check('menu: no Auswertung for zab', !(await zab.isVisible('#nav a[data-view="auswertung"]')));
  check('zab sent to the overview', (await zab.textContent('#start-message')).includes('Keine Berechtigung'));
  const ko = await (await browser.newContext()).newPage();
  await ko.goto(`${url}#start`);
  await ko.waitForSelector('#login-form', { state: 'visible' });
  check('login as j.hoffmann', await uiLogin(ko, 'j.hoffmann', accounts['j.hoffmann'].password) === 201);
  check('menu: Auswertung for koordination', await ko.isVisible('#nav a[data-view="auswertung"]'));

  check('no CSP violation', (await page.evaluate(() => window.__csp)).length === 0);
  check('no script errors', errors.length === 0, errors.join('; '));
  check('the read was audited with the purpose', await server.audited('statistik', PURPOSE));
} catch (e) {
  check('the test ran to its end', false, String(e && e.stack || e));
} finally {
  if (browser) await browser.close();
  await server.stop();
}
rmSync(dir, { recursive: true, force: true });
const { passed, failed } = checker;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
