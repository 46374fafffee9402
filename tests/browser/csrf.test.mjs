// Browser test of cross-site request forgery and DNS rebinding (issue 10):
// a page from another origin (a tiny node server on another loopback port,
// once as localhost = cross-site, once as 127.0.0.1 = same-site) tries to
// record a decision in the name of an official: a text/plain fetch, a JSON
// fetch and a text/plain form post. Nothing may be stored. The fallnetz page
// itself still posts JSON successfully (same origin).
// Usage: node csrf.test.mjs   (env FALLNETZ_BIN = path of the built CLI)
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.FALLNETZ_BIN;
if (!bin) throw new Error('FALLNETZ_BIN not set');
const dir = mkdtempSync(join(tmpdir(), 'fallnetz-csrf-'));
const db = join(dir, 'csrf.db');
let passed = 0, failed = 0;
function check(name, cond, detail = '') {
  if (cond) passed++; else { failed++; console.log(`FAIL: ${name} ${detail}`); }
}
const decisions = () =>
  Number(execFileSync('sqlite3', [db, 'SELECT count(*) FROM decision']).toString().trim());

execFileSync(bin, ['demo', '--db', db, '--persons', '40', '--seed', '5'], { stdio: 'ignore' });
const portFile = join(dir, 'port');
const catalog = join(process.env.FALLNETZ_SOURCE_ROOT || '../..', 'catalog', 'initialbewertung.cat');
const server = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--port-file', portFile,
  '--catalog', catalog], { stdio: 'ignore' });
const decision = JSON.stringify({ person_id: 21, entscheidung: 'ablehnen',
  begruendung: 'Fallkonferenz: keine Aufnahme', kennung: 'k.wagner' });
let browser, attacker;
try {
  for (let i = 0; i < 100 && !existsSync(portFile); i++) await new Promise(r => setTimeout(r, 100));
  await new Promise(r => setTimeout(r, 100));
  const port = readFileSync(portFile, 'utf8').trim();
  const target = `http://127.0.0.1:${port}`;
  // The attacker's page: three ways to send the decision to the target.
  const evil = `<!DOCTYPE html><html><body>
<iframe name="sink"></iframe>
<form id="f" method="POST" action="${target}/api/v1/decisions" enctype="text/plain" target="sink">
<input type="hidden" name='${decision.slice(0, -1)},"x":"' value='"}'></form>
<script>
window.attack = async () => {
  const out = {};
  try {
    await fetch('${target}/api/v1/decisions', { method: 'POST', mode: 'no-cors',
      headers: { 'Content-Type': 'text/plain' }, body: ${JSON.stringify(decision)} });
    out.plain = 'sent';
  } catch (e) { out.plain = 'error ' + e; }
  try {
    const r = await fetch('${target}/api/v1/decisions', { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body: ${JSON.stringify(decision)} });
    out.json = 'status ' + r.status;
  } catch (e) { out.json = 'blocked'; }
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
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  check('no decision before', decisions() === 0);
  for (const origin of [`http://localhost:${evilPort}/`, `http://127.0.0.1:${evilPort}/`]) {
    await page.goto(origin);
    const out = await page.evaluate(() => window.attack());
    check(`JSON fetch from ${origin} did not get through`, out.json !== 'status 201', JSON.stringify(out));
    check(`form and text/plain from ${origin} were sent`, out.plain === 'sent' && out.form === 'submitted',
      JSON.stringify(out));
    check(`nothing recorded from ${origin}`, decisions() === 0, `${decisions()} decisions`);
  }
  // the real UI's origin may still post JSON
  await page.goto(`${target}/`);
  const status = await page.evaluate(async body => {
    const r = await fetch('/api/v1/decisions', { method: 'POST',
      headers: { 'Content-Type': 'application/json' }, body });
    return r.status;
  }, decision);
  check('same-origin JSON decision recorded', status === 201 && decisions() === 1, `${status}`);
} finally {
  if (browser) await browser.close();
  if (attacker) attacker.close();
  server.kill('SIGTERM');
  await new Promise(r => server.on('exit', r));
}
rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
