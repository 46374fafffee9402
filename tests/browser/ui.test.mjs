// Browser test of the web UI: Playwright (playwright-core) driving Debian's
// chromium against a real server with demo data. Checks what a case worker
// sees: the German page, the person list, a case file opened by click and
// by deep link, the worklist, German dates and labels, and that every view
// was audited. On every view: axe-core finds no WCAG 2.1 AA violation, the
// Content-Security-Policy (no 'unsafe-inline') reports no violation, and a
// name containing <script> is shown as text.
// Usage: node ui.test.mjs   (env FALLNETZ_BIN = path of the built CLI)
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axeViolations } from './axe.mjs';

const bin = process.env.FALLNETZ_BIN;
if (!bin) throw new Error('FALLNETZ_BIN not set');
const dir = mkdtempSync(join(tmpdir(), 'fallnetz-ui-'));
const db = join(dir, 'ui.db');
let passed = 0, failed = 0;
function check(name, cond, detail = '') {
  if (cond) passed++; else { failed++; console.log(`FAIL: ${name} ${detail}`); }
}

execFileSync(bin, ['demo', '--db', db, '--persons', '120', '--seed', '5'], { stdio: 'ignore' });
// person 121: a name that would run as script if the UI ever built HTML from data
const evilName = '<script>window.__xss=1</script>';
const evilGiven = '<img src=x onerror="window.__xss=2">';
const csv = join(dir, 'evil.csv');
writeFileSync(csv, 'record_id,azr_nr,family_name,given_names,sex,birth_date,nationality,aliases\n' +
  `X1,,${evilName},"${evilGiven.replace(/"/g, '""')}",m,1990-05-01,SYR,\n`);
execFileSync(bin, ['import', 'persons', csv, '--db', db], { stdio: 'ignore' });
const portFile = join(dir, 'port');
const catalog = join(process.env.FALLNETZ_SOURCE_ROOT || '../..', 'catalog', 'initialbewertung.cat');
const server = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--port-file', portFile,
  '--catalog', catalog], { stdio: 'ignore' });
let browser;
try {
  for (let i = 0; i < 100 && !existsSync(portFile); i++) await new Promise(r => setTimeout(r, 100));
  await new Promise(r => setTimeout(r, 100));
  const port = readFileSync(portFile, 'utf8').trim();
  const url = `http://127.0.0.1:${port}/`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  page.on('dialog', d => { errors.push(`dialog: ${d.message()}`); d.dismiss(); });
  // CSP violations: the DOM event (recorded before any page script runs) and the console
  const cspConsole = [];
  page.on('console', m => { if (/Content Security Policy/i.test(m.text())) cspConsole.push(m.text()); });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation',
      e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const cspEvents = () => page.evaluate(() => window.__csp);
  const a11y = async view => {
    const v = await axeViolations(page);
    check(`axe: no WCAG 2.1 AA violation in ${view}`, v.length === 0, '\n' + v.join('\n'));
  };
  const response = await page.goto(url);
  const csp = response.headers()['content-security-policy'] || '';
  check('page has a CSP without unsafe-inline', csp.includes("script-src 'self'") &&
    !csp.includes('unsafe-inline'), csp);
  await page.waitForSelector('#list tr.row');
  check('title is German', (await page.title()).includes('Rückkehrkoordination'));
  check('never decides notice', (await page.textContent('header')).includes('entscheidet nie'));
  const status = await page.textContent('#status');
  check('health line', status.includes('121 Personen'), status);
  const rows = await page.$$('#list tr.row');
  check('first page of persons', rows.length === 50, `${rows.length}`);
  const dateCell = await rows[0].$eval('td:nth-child(2)', td => td.textContent);
  check('German date format', /^(\d\d\.\d\d\.\d{4}|\d\d\.\d{4}|\d{4})$/.test(dateCell), dateCell);
  await a11y('person list');
  await page.click('#more');
  await page.waitForFunction(() => document.querySelectorAll('#list tr.row').length > 50);
  check('more persons load', (await page.$$('#list tr.row')).length === 100);
  await rows[2].click();
  await page.waitForSelector('#card dl');
  const card = await page.textContent('#card');
  check('card shows sections', card.includes('Strafverfahren') && card.includes('Abschiebungshindernisse'));
  check('card shows name', card.includes('Name'));
  const api = JSON.parse(execFileSync('curl', ['-s', `${url}api/v1/persons/7`]).toString());
  await page.goto(url + '#person=7');
  // the previous card is still there until the new one arrives: wait for the name
  await page.waitForFunction(name => document.querySelector('#card').textContent.includes(name),
    api.family_name, { timeout: 10000 }).catch(() => {});
  const card7 = await page.textContent('#card');
  check('deep link opens person 7', card7.includes(api.family_name), api.family_name);
  await page.waitForFunction(() => document.querySelector('#card').textContent.includes('Initialbewertung'),
    null, { timeout: 10000 }).catch(() => {});
  check('case file shows the Initialbewertung', (await page.textContent('#card')).includes('Prioritätsband'));
  await a11y('case file with assessment');
  // the <script> name is text: shown literally, nothing ran, no element made from it
  await page.goto(url + '#person=121');
  await page.waitForFunction(() => document.querySelector('#card').textContent.includes('script'),
    null, { timeout: 10000 }).catch(() => {});
  const evilCard = await page.textContent('#card');
  check('<script> name shown as text', evilCard.includes(`${evilName}, ${evilGiven}`), evilCard.slice(0, 200));
  check('no element from the name', await page.evaluate(() =>
    !document.querySelector('#card script, #card img') && window.__xss === undefined));
  // the worklist of person 7's authority, reached through the navigation
  await page.click('nav a[data-view="arbeitsliste"]');
  await page.waitForSelector('#authority', { state: 'visible' });
  check('list hidden in worklist view', !(await page.isVisible('#list')));
  await a11y('worklist (empty)');
  await page.fill('#authority', String(api.authority_id));
  await page.click('#worklist-form button[type="submit"]');
  await page.waitForSelector('#worklist-table tbody tr', { timeout: 10000 }).catch(() => {});
  const wlRows = await page.$$('#worklist-table tbody tr');
  check('worklist shows the authority\'s persons', wlRows.length > 0, `${wlRows.length}`);
  check('nav marks the current view',
    await page.getAttribute('nav a[data-view="arbeitsliste"]', 'aria-current') === 'page');
  await a11y('worklist');
  if (wlRows.length) {
    const wlName = await wlRows[0].$eval('a', a => a.textContent);
    await wlRows[0].$eval('a', a => a.click());
    await page.waitForFunction(n => document.querySelector('#card').textContent.includes(n.split(',')[0]),
      wlName, { timeout: 10000 }).catch(() => {});
    check('worklist name opens the case file', (await page.textContent('#card')).includes(wlName.split(',')[0]),
      wlName);
  }
  await page.goto(url + '#person=999999');
  await page.waitForFunction(() => document.querySelector('#card').textContent.includes('Keine Person'));
  check('unknown person message in German', true);
  await a11y('unknown person');
  check('no CSP violation while using the UI', (await cspEvents()).length === 0 && cspConsole.length === 0,
    JSON.stringify([await cspEvents(), cspConsole]));
  // and the CSP is really enforced: an injected inline script is blocked and reported
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__xss = 3';
    document.body.append(s);
  });
  await page.waitForFunction(() => window.__csp.length > 0, null, { timeout: 5000 }).catch(() => {});
  check('injected inline script blocked by the CSP', await page.evaluate(() =>
    window.__xss === undefined && window.__csp.some(v => v.startsWith('script-src'))),
  JSON.stringify(await cspEvents()));
  await page.screenshot({ path: join(process.env.MESON_BUILD_ROOT || dir, 'ui-screenshot.png') });
  check('no script errors', errors.length === 0, errors.join('; '));
} finally {
  if (browser) await browser.close();
  server.kill('SIGTERM');
  await new Promise(r => server.on('exit', r));
}
const shown = execFileSync(bin, ['audit', 'show', '--db', db]).toString();
check('views audited with the UI purpose', shown.includes('Sichtung Fallakte (Weboberfläche)'));
rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
