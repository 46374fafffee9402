// Browser test of the catalogue approval (issue 13) against the real
// server: an admin opens "Bewertungskatalog", sees the catalogue the demo
// approved, loads a changed catalogue from a file and proposes it; a
// refused text shows the checker's lines; the own proposal offers no
// "Freigeben" (four eyes). A second admin approves it: it is in force and
// the old one superseded, in the database as on the page. A server started
// with another catalogue (serve --catalog) shows assessments labelled as
// "Simulation – nicht freigegebener Katalog". axe-core finds no WCAG 2.1 AA
// violation in any of these states; no CSP violation, no script error.
// Usage: node catalogue.test.mjs   (env FALLNETZ_BIN = path of the built CLI)
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { axeViolations } from './axe.mjs';
import { makeChecker, startServer, launchBrowser, uiLogin } from './harness.mjs';

const checker = makeChecker();
const check = checker.check;
const here = dirname(fileURLToPath(import.meta.url));
const root = process.env.FALLNETZ_SOURCE_ROOT || join(here, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'fallnetz-catalogue-'));
const shipped = readFileSync(join(root, 'catalog', 'initialbewertung.cat'), 'utf8');
const changedFile = join(dir, 'geaendert.cat');
writeFileSync(changedFile, `${shipped}# Änderung zur Prüfung\n`);
const sha = t => createHash('sha256').update(t).digest('hex');
const OLD = sha(shipped), NEW = sha(readFileSync(changedFile));
const server = await startServer(dir, { persons: 20 });
const { url, accounts, db } = server;
const sql = q => execFileSync('sqlite3', [db, q]).toString().trim();
let simServer = null;

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
  const a11y = async (p, state) => {
    const v = await axeViolations(p);
    check(`axe: no WCAG 2.1 AA violation (${state})`, v.length === 0, '\n' + v.join('\n'));
  };
  const has = (sel, s, timeout = 10000) => page.waitForFunction(
    ([x, y]) => (document.querySelector(x)?.textContent || '').includes(y), [sel, s], { timeout })
    .catch(() => {});
  const openAs = async login => {
    await page.goto(`${url}#kataloge`);
    await page.waitForSelector('#login-form', { state: 'visible' });
    check(`login as ${login}`, await uiLogin(page, login, accounts[login].password) === 201);
    await page.waitForSelector('#catalogue-table', { timeout: 10000 }).catch(() => {});
  };

  // ---- the first admin: the list, a refused text, a proposal ----
  await openAs('admin');
  check('menu item "Bewertungskatalog" for admin', await page.isVisible('nav a[data-view="kataloge"]'));
  const firstRow = await page.textContent('#catalogue-table tbody');
  check('the demo\'s catalogue is in force', firstRow.includes('freigegeben (gilt)') &&
    firstRow.includes(OLD) && firstRow.includes('admin2'), firstRow);
  await a11y(page, 'catalogue list');

  await page.fill('#propose-text', 'katalog: kaputt\n');
  await page.click('#propose-submit');
  await has('#propose-message', 'nicht angenommen');
  check('a refused catalogue shows the checker\'s lines',
    (await page.textContent('#propose-message')).includes('Kopf braucht'),
    await page.textContent('#propose-message'));
  await a11y(page, 'refused proposal');

  await page.setInputFiles('#propose-file', changedFile);
  await page.waitForFunction(() => document.querySelector('#propose-text').value.includes('Änderung'),
    null, { timeout: 5000 }).catch(() => {});
  check('the file is loaded into the text', (await page.inputValue('#propose-text')).includes('# Änderung'));
  await page.click('#propose-submit');
  await has('#propose-message', 'vorgeschlagen');
  check('proposal confirmed with its hash', (await page.textContent('#propose-message')).includes(NEW));
  await has('#catalogue-table tbody', NEW);
  const own = await page.textContent('#catalogue-table tbody');
  check('own proposal listed as proposed', own.includes('vorgeschlagen') && own.includes(NEW), own);
  check('own proposal: no "Freigeben" (four eyes)',
    (await page.$$(`button[data-sha="${NEW}"]`)).length === 0 && own.includes('Eigener Vorschlag'));
  check('proposal stored, not approved', sql(`SELECT count(*) FROM catalogue WHERE sha256 = '${NEW}'`) === '1' &&
    sql('SELECT count(*) FROM catalogue_approval') === '1');
  await a11y(page, 'after the proposal');
  await page.click('#logout');
  await page.waitForSelector('#login-form', { state: 'visible' });

  // ---- the second admin approves ----
  await openAs('admin2');
  await page.waitForSelector(`button[data-sha="${NEW}"]`, { timeout: 10000 }).catch(() => {});
  check('another admin may approve', await page.isVisible(`button[data-sha="${NEW}"]`));
  await page.click(`button[data-sha="${NEW}"]`);
  await has('#catalogues-message', 'freigegeben');
  await has('#catalogue-table tbody', 'abgelöst');
  const after = await page.textContent('#catalogue-table tbody');
  check('new catalogue in force, old superseded', after.includes('freigegeben (gilt)') &&
    after.includes('abgelöst'), after);
  check('in force in the database', sql('SELECT c.sha256 FROM catalogue c WHERE c.id = ' +
    '(SELECT catalogue_id FROM catalogue_approval ORDER BY id DESC LIMIT 1)') === NEW);
  check('approval by admin2 audited', sql("SELECT count(*) FROM audit_log WHERE entity = 'katalog' " +
    "AND login = 'admin2' AND details LIKE '%freigabe%'") === '2');
  await a11y(page, 'after the approval');

  // ---- a case worker never sees the admin page ----
  await page.click('#logout');
  await page.waitForSelector('#login-form', { state: 'visible' });
  check('login as j.hoffmann', await uiLogin(page, 'j.hoffmann', accounts['j.hoffmann'].password) === 201);
  check('no catalogue menu item for koordination', !(await page.isVisible('nav a[data-view="kataloge"]')));
  check('no CSP violation', (await page.evaluate(() => window.__csp)).length === 0);
  check('no script errors', errors.join('; ') === '', errors.join('; '));

  // ---- a server assessing with a catalogue that is not approved ----
  const simDir = mkdtempSync(join(tmpdir(), 'fallnetz-sim-'));
  simServer = await startServer(simDir, { persons: 20, serveArgs: ['--catalog', changedFile] });
  simServer.dir = simDir;
  const sim = await (await browser.newContext()).newPage();
  const pid = execFileSync('sqlite3', [simServer.db, 'SELECT min(p.id) FROM person p JOIN organisation a ' +
    'ON a.id = p.authority_id JOIN organisation o ON o.region_id = a.region_id JOIN app_user u ' +
    "ON u.org_id = o.id WHERE u.login = 'j.hoffmann'"]).toString().trim();
  await sim.goto(`${simServer.url}#person=${pid}`);
  await sim.waitForSelector('#login-form', { state: 'visible' });
  check('sim: login', await uiLogin(sim, 'j.hoffmann', simServer.accounts['j.hoffmann'].password) === 201);
  await sim.check('#purpose-personen input[value="Aktenbearbeitung"]');
  await sim.click('#purpose-personen button[type="submit"]');
  await sim.waitForFunction(() => document.querySelector('#card').textContent.includes('Initialbewertung'),
    null, { timeout: 10000 }).catch(() => {});
  const card = await sim.textContent('#card');
  check('simulation labelled on the assessment', card.includes('Simulation – nicht freigegebener Katalog') &&
    card.includes('nicht gespeichert'), card.slice(0, 400));
  await a11y(sim, 'simulated assessment');
} catch (e) {
  check('the test ran to its end', false, String(e && e.stack || e));
} finally {
  if (browser) await browser.close();
  await server.stop();
  if (simServer) {
    await simServer.stop();
    rmSync(simServer.dir, { recursive: true, force: true });
  }
}
rmSync(dir, { recursive: true, force: true });
const { passed, failed } = checker;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
