// Browser test of the web UI: Playwright (playwright-core) driving Debian's
// chromium against a real server with demo data. Checks what a case worker
// sees: the German page, the person list, a case file opened by click and
// by deep link, German dates and labels, and that every view was audited.
// Usage: node ui.test.mjs   (env FALLNETZ_BIN = path of the built CLI)
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.FALLNETZ_BIN;
if (!bin) throw new Error('FALLNETZ_BIN not set');
const dir = mkdtempSync(join(tmpdir(), 'fallnetz-ui-'));
const db = join(dir, 'ui.db');
let passed = 0, failed = 0;
function check(name, cond, detail = '') {
  if (cond) passed++; else { failed++; console.log(`FAIL: ${name} ${detail}`); }
}

execFileSync(bin, ['demo', '--db', db, '--persons', '120', '--seed', '5'], { stdio: 'ignore' });
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
  await page.goto(url);
  await page.waitForSelector('#list tr.row');
  check('title is German', (await page.title()).includes('Rückkehrkoordination'));
  check('never decides notice', (await page.textContent('header')).includes('entscheidet nie'));
  const status = await page.textContent('#status');
  check('health line', status.includes('120 Personen'), status);
  const rows = await page.$$('#list tr.row');
  check('first page of persons', rows.length === 50, `${rows.length}`);
  const dateCell = await rows[0].$eval('td:nth-child(2)', td => td.textContent);
  check('German date format', /^(\d\d\.\d\d\.\d{4}|\d\d\.\d{4}|\d{4})$/.test(dateCell), dateCell);
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
  await page.goto(url + '#person=999999');
  await page.waitForFunction(() => document.querySelector('#card').textContent.includes('Keine Person'));
  check('unknown person message in German', true);
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
