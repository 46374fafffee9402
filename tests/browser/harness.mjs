// Shared parts of the browser tests: the server under test (the real
// fallnetz binary on a demo database, or with FALLNETZ_STANDIN=1 the contract
// stand-in contract-server.mjs), its demo accounts, the browser, and a login
// through the UI's own login form.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const standIn = process.env.FALLNETZ_STANDIN === '1';
export const sleep = ms => new Promise(r => setTimeout(r, ms));

export function makeChecker() {
  const c = { passed: 0, failed: 0 };
  c.check = (name, cond, detail = '') => {
    if (cond) c.passed++;
    else {
      c.failed++;
      console.log(`FAIL: ${name} ${detail}`);
    }
  };
  return c;
}

// Reads "<db>-zugaenge.txt": two header lines, then "  LOGIN PASSWORD ORG ROLES".
export function readAccounts(file) {
  const accounts = {};
  for (const line of readFileSync(file, 'utf8').split('\n').slice(2)) {
    const [login, password, org, roles] = line.trim().split(/\s+/);
    if (login && password) accounts[login] = { login, password, org, roles: (roles || '').split(',') };
  }
  return accounts;
}

// Starts the server under test in dir. `prepare(bin, db, accounts)` runs on
// the demo database before the real server starts (the stand-in has its own
// data). serveArgs: more arguments for `fallnetz serve` (the real server).
// Returns {url, accounts, decisions(), audited(), stop()}.
export async function startServer(dir, { persons, prepare, serveArgs } = {}) {
  const portFile = join(dir, 'port');
  let child, accountsFile, bin, db;
  if (standIn) {
    accountsFile = join(dir, 'zugaenge.txt');
    child = spawn(process.execPath, [join(here, 'contract-server.mjs'), '--listen', '127.0.0.1:0',
      '--port-file', portFile, '--accounts', accountsFile, '--persons', String(persons || 120)],
    { stdio: 'inherit' });
  } else {
    bin = process.env.FALLNETZ_BIN;
    if (!bin) throw new Error('FALLNETZ_BIN not set (or FALLNETZ_STANDIN=1 for the stand-in)');
    db = join(dir, 'test.db');
    execFileSync(bin, ['demo', '--db', db, '--persons', String(persons || 120), '--seed', '5'],
      { stdio: 'ignore' });
    accountsFile = `${db}-zugaenge.txt`;
    if (prepare) prepare(bin, db, readAccounts(accountsFile));
    // the catalogue is the one the demo approved in the database
    child = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--port-file', portFile,
      ...(serveArgs || [])], { stdio: 'ignore' });
  }
  const exited = new Promise(r => child.on('exit', r));
  for (let i = 0; i < 150 && !(existsSync(portFile) && readFileSync(portFile, 'utf8').trim()); i++)
    await sleep(100);
  await sleep(100);
  const url = `http://127.0.0.1:${readFileSync(portFile, 'utf8').trim()}/`;
  const accounts = readAccounts(accountsFile);
  // the stand-in's record, kept at stop() for the checks after it
  let finalState = null;
  const standInState = async () => finalState || (await fetch(`${url}__standin/state`)).json();
  return {
    url, accounts, db, bin,
    // number of recorded decisions
    async decisions() {
      if (standIn) return (await standInState()).decisions;
      return Number(execFileSync('sqlite3', [db, 'SELECT count(*) FROM decision']).toString().trim());
    },
    // whether a read by login with purpose was recorded
    async audited(login, purpose) {
      if (standIn) return (await standInState()).reads.some(r => r.kennung === login && r.zweck === purpose);
      const shown = execFileSync(bin, ['audit', 'show', '--db', db, '--user', 'dsb']).toString();
      return shown.split('\n').some(line => line.includes(login) && line.includes(purpose));
    },
    async stop() {
      if (standIn) finalState = await standInState().catch(() => null);
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Logs in through the login view (which must be shown); returns the status
// of POST /api/v1/session. A back-off answer (429) is waited out, up to 60 s.
export async function uiLogin(page, login, password) {
  for (let attempt = 0; ; attempt++) {
    await page.fill('#login-kennung', login);
    await page.fill('#login-passwort', password);
    const answer = page.waitForResponse(r => new URL(r.url()).pathname === '/api/v1/session' &&
      r.request().method() === 'POST');
    await page.click('#login-submit');
    const r = await answer;
    const wait = Number(r.headers()['retry-after'] || 0);
    if (r.status() !== 429 || attempt >= 2 || wait > 60) {
      if (r.status() === 201) await page.waitForSelector('#user', { state: 'visible' });
      else await page.waitForFunction(() => document.querySelector('#login-message').textContent.trim());
      return r.status();
    }
    await sleep(wait * 1000 + 200);
  }
}

// Ends the session behind the UI's back (as an expiry would): same-origin
// fetches with the cookie, the CSRF token taken from GET /api/v1/session.
export async function killSession(page) {
  return page.evaluate(async () => {
    const s = await fetch('/api/v1/session').then(r => r.json());
    const r = await fetch('/api/v1/session', { method: 'DELETE',
      headers: { 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json' } });
    return r.status;
  });
}

// An API GET from the page (the user's cookie, a purpose): {status, body}.
// Marked with X-Test, so that a test can tell it from the UI's own reads.
export async function pageGet(page, path, purpose) {
  return page.evaluate(async ([p, z]) => {
    const r = await fetch(p, { headers: z ? { 'X-Fallnetz-Zweck': z, 'X-Test': '1' } : { 'X-Test': '1' } });
    return { status: r.status, body: await r.json().catch(() => null) };
  }, [path, purpose]);
}

export function writeCsv(file, rows) {
  writeFileSync(file, rows.map(r => r.map(v => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v))
    .join(',')).join('\n') + '\n');
}
