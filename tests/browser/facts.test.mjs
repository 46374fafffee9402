// Browser test of recording facts (issue 13) against the real server: a
// case worker records a conviction on the person page (a bad date is shown
// at its field), sees it in the list with source and recorder, corrects it
// (the old entry moves to the history with the reason), meets a conflict when
// another session corrected the same fact meanwhile, and withdraws it with a
// reason. The assessment on the page is read again after each change. axe
// finds no WCAG 2.1 AA violation on the list, the form, the field error and
// the conflict; no CSP violation. Koordination sees the facts but no buttons.
// zab records an identity document (the only kind it may choose) for a
// person of its region.
// Usage: node facts.test.mjs   (env FALLNETZ_BIN = path of the built CLI)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { axeViolations } from './axe.mjs';
import { makeChecker, startServer, launchBrowser, uiLogin } from './harness.mjs';

const checker = makeChecker();
const check = checker.check;
const dir = mkdtempSync(join(tmpdir(), 'fallnetz-facts-'));
const PURPOSE = 'Aktenbearbeitung';
const server = await startServer(dir, { persons: 40 });
const { url, accounts, db } = server;
const sql = q => execFileSync('sqlite3', [db, q]).toString().trim();

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
  const has = (sel, s, p = page) => p.waitForFunction(([q, x]) =>
    (document.querySelector(q)?.textContent || '').includes(x), [sel, s], { timeout: 10000 })
    .catch(() => {});
  const openPerson = async (p, login, id) => {
    await p.goto(`${url}#person=${id}`);
    await p.waitForSelector('#login-form', { state: 'visible' });
    check(`login as ${login}`, await uiLogin(p, login, accounts[login].password) === 201);
    await p.check(`#purpose-personen input[value="${PURPOSE}"]`);
    await p.click('#purpose-personen button[type="submit"]');
    await p.waitForSelector('#facts-heading', { timeout: 15000 }).catch(() => {});
  };
  const id = sql(`SELECT min(p.id) FROM person p JOIN app_user u ON p.authority_id = u.org_id WHERE u.login = 'abh.sb'`);
  await openPerson(page, 'abh.sb', id);
  check('facts section shown', await page.isVisible('#facts-heading'));
  await a11y('facts list');

  // record a conviction; a bad date first
  await page.click('button[data-action="fact-new"]');
  await page.waitForSelector('#fact-form', { state: 'visible' });
  await page.selectOption('#fact-kind', 'verurteilung');
  await page.waitForSelector('#fact-court');
  check('labelled fields', await page.textContent('label[for="fact-court"]') === 'Gericht (Pflichtfeld)');
  await page.fill('#fact-court', 'Amtsgericht Münster');
  await page.fill('#fact-file_number', '12 Ls 34/25');
  await page.fill('#fact-offences', '§ 224 StGB');
  await page.selectOption('#fact-sentence', 'freiheitsstrafe');
  await page.fill('#fact-sentence_months', '36');
  await page.selectOption('#fact-intentional', 'true');
  await page.fill('#fact-final_date', '2025-02-30');
  await page.selectOption('#fact-source_kind', 'dokument');
  await page.fill('#fact-source_ref', 'Urteil vom 01.02.2025');
  await a11y('record form');
  await page.click('#fact-save');
  await page.waitForSelector('#fact-final_date-error', { timeout: 10000 }).catch(() => {});
  const fieldError = await page.textContent('#fact-final_date-error').catch(() => '');
  check('field error names the field', fieldError.includes('rechtskräftig seit'), fieldError);
  check('field error linked and marked', (await page.getAttribute('#fact-final_date', 'aria-describedby') || '')
    .includes('fact-final_date-error') && await page.getAttribute('#fact-final_date', 'aria-invalid') === 'true');
  await a11y('field error');
  const rows = () => Number(sql(`SELECT count(*) FROM proceeding WHERE person_id = ${id} AND recorded_by IS NOT NULL`));
  check('nothing stored on a refusal', rows() === 0);
  await page.fill('#fact-final_date', '2025-03-01');
  await page.click('#fact-save');
  await has('#card', 'Tatsache erfasst');
  check('recorded: message', (await page.textContent('#card')).includes('Tatsache erfasst'));
  const list = await page.textContent('#facts-current').catch(() => '');
  check('list shows the conviction with source and recorder', list.includes('Amtsgericht Münster') &&
    list.includes('Urteil vom 01.02.2025') && list.includes('erfasst von abh.sb'), list);
  check('stored once', rows() === 1);
  const first = sql(`SELECT max(id) FROM proceeding WHERE person_id = ${id}`);
  await page.waitForSelector('#card .kern-heading-small >> text=Initialbewertung', { timeout: 10000 }).catch(() => {});
  check('assessment shown again', (await page.textContent('#card')).includes('Prioritätsband'));

  // correct it: the old entry goes to the history with the reason
  await page.click(`button[data-action="fact-correct"][data-fact="strafverfahren-${first}"]`);
  await page.waitForSelector('#fact-reason');
  check('correction form has the stored values', await page.inputValue('#fact-sentence_months') === '36');
  await page.fill('#fact-sentence_months', '30');
  await page.fill('#fact-reason', 'Strafmaß falsch übertragen');
  await a11y('correction form');
  await page.click('#fact-save');
  await has('#card', 'Tatsache berichtigt');
  check('old row kept, superseded', sql(`SELECT retire_reason FROM proceeding WHERE id = ${first}`) ===
    'Strafmaß falsch übertragen');
  const history = await page.textContent('#facts-history');
  check('history shows the corrected entry and the reason', history.includes('berichtigt') &&
    history.includes('Strafmaß falsch übertragen'), history);
  const second = sql(`SELECT max(id) FROM proceeding WHERE person_id = ${id}`);

  // a conflict: another session corrects the same fact meanwhile
  await page.click(`button[data-action="fact-correct"][data-fact="strafverfahren-${second}"]`);
  await page.waitForSelector('#fact-reason');
  const other = await (await browser.newContext()).newPage();
  await openPerson(other, 'abh.sb', id);
  const status = await other.evaluate(async ([pid, ref]) => {
    const s = await fetch('/api/v1/session').then(x => x.json());
    const body = { kind: 'verurteilung', court: 'Amtsgericht Münster', file_number: '12 Ls 34/25',
      offences: '§ 224 StGB', sentence: 'freiheitsstrafe', sentence_months: 28, intentional: true,
      final_date: '2025-03-01', source_kind: 'dokument', source_ref: 'Berichtigungsbeschluss',
      reason: 'Beschluss des Gerichts' };
    const r = await fetch(`/api/v1/persons/${pid}/facts/${ref}`, { method: 'PUT', body: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf,
        'X-Fallnetz-Zweck': 'Aktenbearbeitung', 'If-Match': `"${ref}"` } });
    return r.status;
  }, [id, `strafverfahren-${second}`]);
  check('other session corrected', status === 200, String(status));
  await page.fill('#fact-reason', 'meine Berichtigung');
  await page.click('#fact-save');
  await has('#fact-form-message', 'inzwischen geändert');
  const conflict = await page.textContent('#fact-form-message');
  check('conflict: German message with what holds now', conflict.includes('inzwischen geändert') &&
    conflict.includes('28'), conflict);
  check('conflict: nothing overwritten', sql(`SELECT count(*) FROM proceeding WHERE person_id = ${id} AND retired_at IS NULL`) === '1');
  await a11y('conflict');
  await page.click('button[data-action="fact-cancel"]');

  // open the person again (the list as stored now), then withdraw with a reason
  await page.evaluate(() => { location.hash = '#personen'; });
  await page.evaluate(pid => { location.hash = `#person=${pid}`; }, id);
  await has('#facts-current', 'Berichtigungsbeschluss');
  const third = sql(`SELECT id FROM proceeding WHERE person_id = ${id} AND retired_at IS NULL AND recorded_by IS NOT NULL`);
  await page.click(`button[data-action="fact-withdraw"][data-fact="strafverfahren-${third}"]`);
  await page.waitForSelector('#fact-reason');
  await page.click('#fact-save');
  await page.waitForSelector('#fact-reason-error', { timeout: 10000 }).catch(() => {});
  check('withdrawal without reason refused at the field', await page.isVisible('#fact-reason-error'));
  await page.fill('#fact-reason', 'Person verwechselt');
  await page.click('#fact-save');
  await has('#card', 'Tatsache zurückgezogen');
  check('withdrawn, kept', sql(`SELECT retire_reason FROM proceeding WHERE id = ${third}`) === 'Person verwechselt');
  check('history counts three', (await page.textContent('#facts-history summary')).includes('(3)'));
  check('audited: record, corrections, withdrawal', Number(sql(`SELECT count(*) FROM audit_log WHERE record_ids = '${id}' AND details LIKE '%"fakt":"strafverfahren"%'`)) === 4);

  // koordination reads the facts but gets no buttons
  const koLogin = accounts['j.hoffmann'] ? 'j.hoffmann' : 'k.wagner';
  const ko = await (await browser.newContext()).newPage();
  const koId = sql(`SELECT min(p.id) FROM person p JOIN organisation a ON a.id = p.authority_id JOIN organisation o ON o.region_id = a.region_id JOIN app_user u ON u.org_id = o.id WHERE u.login = '${koLogin}'`);
  await openPerson(ko, koLogin, koId);
  check('koordination sees the facts', await ko.isVisible('#facts-heading'));
  check('koordination gets no record button', !(await ko.isVisible('button[data-action="fact-new"]')));

  // zab: identity documents only, for a person of its region
  const zab = await (await browser.newContext()).newPage();
  await openPerson(zab, 'zab.sb', id);
  await zab.click('button[data-action="fact-new"]');
  await zab.waitForSelector('#fact-kind');
  const kinds = await zab.$$eval('#fact-kind option', o => o.map(x => x.value).filter(Boolean));
  check('zab chooses identity documents only', kinds.join(',') === 'ausweisdokument', kinds.join(','));
  await zab.selectOption('#fact-kind', 'ausweisdokument');
  await zab.waitForSelector('#fact-number');
  await zab.fill('#fact-document', 'reisepass');
  await zab.fill('#fact-number', 'N0998877');
  await zab.fill('#fact-issuing_state', 'SYR');
  await zab.selectOption('#fact-verified', 'true');
  await zab.selectOption('#fact-source_kind', 'dokument');
  await zab.fill('#fact-source_ref', 'Vorlage im Original');
  const zv = await axeViolations(zab);
  check('axe: no WCAG 2.1 AA violation (document form)', zv.length === 0, '\n' + zv.join('\n'));
  await zab.click('#fact-save');
  await has('#facts-current', 'N0998877', zab);
  const docs = await zab.textContent('#facts-current').catch(() => '');
  check('zab: document listed with recorder', docs.includes('Dokumentennummer: N0998877') &&
    docs.includes('erfasst von zab.sb'), docs);
  check('zab: stored as a recorded fact', sql(`SELECT recorded_by FROM travel_document WHERE person_id = ${id} AND number = 'N0998877' AND retired_at IS NULL`) === 'zab.sb');

  check('no CSP violation', (await page.evaluate(() => window.__csp)).length === 0);
  check('no script errors', errors.length === 0, errors.join('; '));
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
