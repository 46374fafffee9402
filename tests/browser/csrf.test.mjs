// Browser test of cross-site request forgery and DNS rebinding (issues 10
// and 11): while an official is logged in (session cookie SameSite=Strict,
// CSRF token only in the page's memory), a page from another origin (a tiny
// node server on another loopback port, once as localhost = cross-site, once
// as 127.0.0.1 = same-site, so the cookie is sent) tries to record a decision
// in the official's name: a text/plain fetch, a JSON fetch, a JSON fetch with
// a guessed X-CSRF-Token, a text/plain form post, and reading the token from
// GET /api/v1/session. Nothing may be stored and the token must stay unread.
// The fallnetz page itself can still record one (same origin, with the token).
// Usage: node csrf.test.mjs   (env FALLNETZ_BIN = path of the built CLI;
//        FALLNETZ_STANDIN=1 runs it against contract-server.mjs instead)
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeChecker, startServer, launchBrowser, uiLogin, pageGet } from './harness.mjs';

const checker = makeChecker();
const dir = mkdtempSync(join(tmpdir(), 'fallnetz-csrf-'));
const server = await startServer(dir, { persons: 40 });
const target = server.url.replace(/\/$/, '');
let browser, attacker;
try {
  browser = await launchBrowser();
  const page = await browser.newPage();
  // the official logs in through the UI and finds a person of their own authority
  await page.goto(`${target}/`);
  await page.waitForSelector('#login-form', { state: 'visible' });
  const sb = server.accounts['abh.sb'];
  const loginStatus = sb ? await uiLogin(page, 'abh.sb', sb.password) : 0;
  checker.check('login as abh.sb', loginStatus === 201, `${loginStatus}`);
  if (loginStatus !== 201) throw new Error('no session: does the server implement POST /api/v1/session?');
  const list = await pageGet(page, '/api/v1/persons?limit=1', 'Aktenbearbeitung');
  const personId = list.body && list.body.persons && list.body.persons[0] ? list.body.persons[0].id : 1;
  checker.check('a person of the own authority', list.status === 200 && !!list.body.persons.length,
    JSON.stringify(list).slice(0, 200));
  // no kennung: the server takes the session's user
  const decision = JSON.stringify({ person_id: personId, entscheidung: 'ablehnen',
    begruendung: 'Fallkonferenz: keine Aufnahme' });
  // The attacker's page: every way to send the decision to the target.
  const evil = `<!DOCTYPE html><html><body>
<iframe name="sink"></iframe>
<form id="f" method="POST" action="${target}/api/v1/decisions" enctype="text/plain" target="sink">
<input type="hidden" name='${decision.slice(0, -1)},"x":"' value='"}'></form>
<script>
window.attack = async () => {
  const out = {};
  try {
    const r = await fetch('${target}/api/v1/session', { credentials: 'include' });
    out.session = 'read ' + (await r.text()).slice(0, 80);
  } catch (e) { out.session = 'blocked'; }
  try {
    await fetch('${target}/api/v1/decisions', { method: 'POST', mode: 'no-cors', credentials: 'include',
      headers: { 'Content-Type': 'text/plain' }, body: ${JSON.stringify(decision)} });
    out.plain = 'sent';
  } catch (e) { out.plain = 'error ' + e; }
  try {
    const r = await fetch('${target}/api/v1/decisions', { method: 'POST', credentials: 'include',
      headers: { 'Content-Type': 'application/json' }, body: ${JSON.stringify(decision)} });
    out.json = 'status ' + r.status;
  } catch (e) { out.json = 'blocked'; }
  try {
    const r = await fetch('${target}/api/v1/decisions', { method: 'POST', credentials: 'include',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': 'geraten' },
      body: ${JSON.stringify(decision)} });
    out.token = 'status ' + r.status;
  } catch (e) { out.token = 'blocked'; }
  await new Promise(res => {
    document.querySelector('iframe').onload = res;
    document.getElementById('f').submit();
    setTimeout(res, 5000);
  });
  out.form = 'submitted';
  return out;
};
</script></body></html>`;
  attacker = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(evil);
  });
  await new Promise(r => attacker.listen(0, '127.0.0.1', r));
  const evilPort = attacker.address().port;
  const before = await server.decisions();
  for (const origin of [`http://localhost:${evilPort}/`, `http://127.0.0.1:${evilPort}/`]) {
    await page.goto(origin);
    const out = await page.evaluate(() => window.attack());
    const detail = JSON.stringify(out);
    checker.check(`session token not readable from ${origin}`, out.session === 'blocked', detail);
    checker.check(`JSON fetch from ${origin} did not get through`, out.json !== 'status 201', detail);
    checker.check(`JSON fetch with a guessed token from ${origin} did not get through`,
      out.token !== 'status 201', detail);
    checker.check(`form and text/plain from ${origin} were sent`, out.plain === 'sent' && out.form === 'submitted',
      detail);
    checker.check(`nothing recorded from ${origin}`, await server.decisions() === before,
      `${await server.decisions()} decisions, ${before} before`);
  }
  // the real UI's origin may still post JSON: the page's session, with its token
  // (the UI itself offers no decisions; the token comes from GET /api/v1/session)
  await page.goto(`${target}/`);
  await page.waitForSelector('#user', { state: 'visible' });
  const status = await page.evaluate(async body => {
    const without = await fetch('/api/v1/decisions', { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body });
    const s = await fetch('/api/v1/session').then(r => r.json());
    const r = await fetch('/api/v1/decisions', { method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf }, body });
    return [without.status, r.status];
  }, decision);
  checker.check('same-origin JSON without the token refused with 403', status[0] === 403, `${status}`);
  checker.check('same-origin JSON decision with the token recorded',
    status[1] === 201 && await server.decisions() === before + 1, `${status}`);
} catch (e) {
  checker.check('the test ran to its end', false, String(e));
} finally {
  if (browser) await browser.close();
  if (attacker) attacker.close();
  await server.stop();
}
rmSync(dir, { recursive: true, force: true });
console.log(`${checker.passed} passed, ${checker.failed} failed`);
process.exit(checker.failed ? 1 : 0);
