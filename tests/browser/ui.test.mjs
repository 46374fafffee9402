// Browser test of the web UI: Playwright (playwright-core) driving Debian's
// chromium against a real server with demo data (or, with FALLNETZ_STANDIN=1,
// against the contract stand-in). Checks what users see: the login view and
// its messages (wrong login, back-off wait, expired session), the navigation
// per role, the purpose asked once per task and sent with every read, the
// person list, a case file opened by click and by deep link, the worklist,
// German dates and labels, logout, and that the reads were audited with the
// user and purpose. On every view: axe-core finds no WCAG 2.1 AA violation,
// the Content-Security-Policy (no 'unsafe-inline') reports no violation, and
// a name containing <script> is shown as text.
// Usage: node ui.test.mjs   (env FALLNETZ_BIN = path of the built CLI)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { axeViolations } from './axe.mjs';
import { makeChecker, startServer, launchBrowser, uiLogin, killSession, pageGet, writeCsv, standIn } from './harness.mjs';

const checker = makeChecker();
const check = checker.check;
const dir = mkdtempSync(join(tmpdir(), 'fallnetz-ui-'));
const evilName = '<script>window.__xss=1</script>';
const evilGiven = '<img src=x onerror="window.__xss=2">';
const PURPOSE = 'Prüfung der Initialbewertung'; // not ASCII: sent as Latin-1
const PURPOSE2 = 'Aktenbearbeitung';
const PURPOSE_WL = 'Fallkonferenz';

// On the demo database: 60 more persons at abh.sb's authority (so that its
// list has a second page) and one whose name would run as script if the UI
// ever built HTML from data.
function prepare(bin, db, accounts) {
  const org = accounts['abh.sb'].org;
  const rows = [['record_id', 'family_name', 'given_names', 'sex', 'birth_date', 'nationality', 'authority']];
  for (let i = 1; i <= 60; i++)
    rows.push([`UI${i}`, `Testperson${i}`, 'Amina', 'f', '1991-04-12', 'SYR', org]);
  rows.push(['X1', evilName, evilGiven, 'm', '1990-05-01', 'SYR', org]);
  const csv = join(dir, 'extra.csv');
  writeCsv(csv, rows);
  execFileSync(bin, ['import', 'persons', csv, '--db', db, '--user', 'abh.sb'], { stdio: 'ignore' });
}

const server = await startServer(dir, { persons: 120, prepare });
const { url, accounts } = server;
let browser;
try {
  browser = await launchBrowser();
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
  // every API request the UI makes (not the test's own), with its purpose header
  const requests = [];
  page.on('request', r => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/v1/') && !r.headers()['x-test'])
      requests.push({ method: r.method(), path: u.pathname, zweck: r.headers()['x-fallnetz-zweck'],
        csrf: r.headers()['x-csrf-token'] });
  });
  const personReads = () => requests.filter(r => /^\/api\/v1\/(persons|assessments|worklist)/.test(r.path));
  const cspEvents = () => page.evaluate(() => window.__csp);
  const a11y = async view => {
    const v = await axeViolations(page);
    check(`axe: no WCAG 2.1 AA violation in ${view}`, v.length === 0, '\n' + v.join('\n'));
  };
  const go = hash => page.evaluate(h => { location.hash = h; }, hash);
  const cardHas = (s, timeout = 10000) => page.waitForFunction(
    x => document.querySelector('#card').textContent.includes(x), s, { timeout }).catch(() => {});
  const visible = sel => page.isVisible(sel);
  const logout = async () => {
    await page.click('#logout');
    await page.waitForSelector('#login-form', { state: 'visible' });
  };

  // ---- the login view ----
  const response = await page.goto(url);
  const csp = response.headers()['content-security-policy'] || '';
  check('page has a CSP without unsafe-inline', csp.includes("script-src 'self'") &&
    !csp.includes('unsafe-inline'), csp);
  await page.waitForSelector('#login-form', { state: 'visible' });
  check('title is German', (await page.title()).includes('Rückkehrkoordination'));
  check('never decides notice', (await page.textContent('header')).includes('entscheidet nie'));
  await page.waitForFunction(() => !document.querySelector('#status').textContent.includes('geprüft'));
  const status = await page.textContent('#status');
  check('health line', status.includes('Personen'), status);
  check('no navigation before login', !(await visible('#app-nav')) && !(await visible('#list')));
  check('login labels German', (await page.textContent('#login-form')).includes('Kennung') &&
    (await page.textContent('#login-form')).includes('Passwort'));
  check('API answers 401 without a session',
    (await pageGet(page, '/api/v1/persons', PURPOSE2)).status === 401);
  check('no person read before login', personReads().length === 0, JSON.stringify(personReads()));
  await a11y('login view');

  // a failed login: the German message, announced (role="alert")
  await page.click('#login-submit');
  check('empty login asks for both fields',
    (await page.textContent('#login-message')).includes('Kennung und Passwort'));
  const failStatus = await uiLogin(page, 'niemand.da', 'falsches-passwort-123');
  const failText = await page.textContent('#login-message');
  check('failed login answered 401 or 429', failStatus === 401 || failStatus === 429, `${failStatus}`);
  check('failed login message in German', failStatus !== 401 || failText.includes('Kennung oder Passwort falsch'),
    failText);
  check('login message is announced', (await page.getAttribute('#login-message', 'role')) === 'alert');
  check('password field emptied', (await page.inputValue('#login-passwort')) === '');
  await a11y('login view with error');

  // back-off (429): the wait time from Retry-After, in German (the answer is
  // staged here so that the real server's throttle is not provoked)
  for (const [retry, expect] of [['30', '30 Sekunden'], ['120', '2 Minuten']]) {
    await page.route('**/api/v1/session', route => (route.request().method() === 'POST'
      ? route.fulfill({ status: 429, contentType: 'application/json', headers: { 'Retry-After': retry },
        body: JSON.stringify({ code: 'login_throttled', message: 'Zu viele Fehlversuche.' }) })
      : route.continue()));
    await page.fill('#login-kennung', 'abh.sb');
    await page.fill('#login-passwort', 'irgendein-passwort');
    await page.click('#login-submit');
    await page.waitForFunction(e => document.querySelector('#login-message').textContent.includes(e), expect,
      { timeout: 5000 }).catch(() => {});
    check(`429 shows the wait (${expect})`, (await page.textContent('#login-message')).includes(expect),
      await page.textContent('#login-message'));
    await page.unroute('**/api/v1/session');
  }

  // ---- abh.sb: case worker ----
  const sb = accounts['abh.sb'];
  check('demo accounts readable', !!sb && sb.password.length >= 12, JSON.stringify(Object.keys(accounts)));
  const loginStatus = await uiLogin(page, 'abh.sb', sb.password);
  check('login as abh.sb', loginStatus === 201, `${loginStatus}`);
  if (loginStatus !== 201) throw new Error('no session: does the server implement POST /api/v1/session?');
  const userBox = await page.textContent('#user');
  check('user box shows login, organisation and role', userBox.includes('abh.sb') &&
    userBox.includes(sb.org) && userBox.includes('Sachbearbeitung'), userBox);
  check('case worker sees Personen and Arbeitsliste', await visible('nav a[data-view="personen"]') &&
    await visible('nav a[data-view="arbeitsliste"]'));
  check('token kept out of storage and script-visible cookies', await page.evaluate(() =>
    localStorage.length === 0 && sessionStorage.length === 0 && document.cookie === ''));
  // the purpose is asked before the first read
  await page.waitForSelector('#purpose-personen form', { state: 'visible' });
  check('no person read before a purpose is chosen', personReads().length === 0, JSON.stringify(personReads()));
  check('list hidden until a purpose is chosen', !(await visible('#list')));
  const offered = await page.$$eval('#purpose-personen input[type="radio"]', xs => xs.map(x => x.value));
  check('purposes from the session are offered', offered.includes(PURPOSE) && offered.includes(PURPOSE2),
    JSON.stringify(offered));
  await a11y('purpose choice');
  await page.click('#purpose-personen button[type="submit"]');
  check('submitting without a purpose asks for one',
    (await page.textContent('#purpose-personen')).includes('Bitte einen Zweck wählen'));
  await page.check(`#purpose-personen input[value="${PURPOSE}"]`);
  await page.click('#purpose-personen button[type="submit"]');
  await page.waitForSelector('#list tr.row', { timeout: 10000 }).catch(() => {});
  check('purpose shown with a control to change it',
    (await page.textContent('#purpose-personen')).includes(`Zweck: ${PURPOSE}`) &&
    await visible('#purpose-personen button[data-action="change-purpose"]'));
  check('every person read carries a purpose', personReads().length > 0 && personReads().every(r => r.zweck),
    JSON.stringify(personReads()));
  const all = await pageGet(page, '/api/v1/persons?limit=1000', PURPOSE);
  check('own persons readable with the purpose', all.status === 200, JSON.stringify(all).slice(0, 200));
  const own = all.body && all.body.persons ? all.body.persons : [];
  check('own authority has more than one page', own.length > 50, `${own.length}`);
  check('scope: only the own authority', own.length > 0 && own.every(p => p.authority_id === own[0].authority_id),
    JSON.stringify(own.map(p => p.authority_id)).slice(0, 200));
  const rows = await page.$$('#list tr.row');
  check('first page of persons', rows.length === Math.min(50, own.length), `${rows.length}`);
  if (rows.length) {
    const dateCell = await rows[0].$eval('td:nth-child(2)', td => td.textContent);
    check('German date format', /^(\d\d\.\d\d\.\d{4}|\d\d\.\d{4}|\d{4}|–)$/.test(dateCell), dateCell);
  }
  await a11y('person list');
  await page.click('#more');
  await page.waitForFunction(() => document.querySelectorAll('#list tr.row').length > 50, null,
    { timeout: 10000 }).catch(() => {});
  check('more persons load', (await page.$$('#list tr.row')).length === Math.min(100, own.length));
  if (rows.length > 2) {
    await rows[2].click();
    await page.waitForSelector('#card dl', { timeout: 10000 }).catch(() => {});
  }
  const card = await page.textContent('#card');
  check('card shows sections', card.includes('Strafverfahren') && card.includes('Abschiebungshindernisse'));
  check('card shows name', card.includes('Name'));
  const first = own.find(p => p.family_name && !p.family_name.includes('<')) || { id: 0, family_name: '?' };
  await go(`#person=${first.id}`);
  await cardHas(first.family_name);
  check('deep link opens the person', (await page.textContent('#card')).includes(first.family_name),
    first.family_name);
  await cardHas('Prioritätsband');
  check('case file shows the Initialbewertung', (await page.textContent('#card')).includes('Prioritätsband'));
  await a11y('case file with assessment');
  // the <script> name is text: shown literally, nothing ran, no element made from it
  const evil = own.find(p => p.family_name === evilName);
  check('the <script> person is in the list', !!evil);
  await go(`#person=${evil ? evil.id : 0}`);
  await cardHas('script');
  const evilCard = await page.textContent('#card');
  check('<script> name shown as text', evilCard.includes(`${evilName}, ${evilGiven}`), evilCard.slice(0, 200));
  check('no element from the name', await page.evaluate(() =>
    !document.querySelector('#card script, #card img') && window.__xss === undefined));
  // fail closed (issue 13): an imported person has no residence status
  // recorded; the card names the gates that are ungeklärt and what is missing
  if (!standIn) {
    const imported = own.find(p => p.family_name === 'Testperson1');
    await go(`#person=${imported ? imported.id : 0}`);
    // The card can be drawn twice while it loads (the assessment section
    // comes with the second drawing), so the text is taken in the same
    // step that finds the section, not read again afterwards.
    const want = ['Ungeklärt (gesperrt)',
      'G1 Nicht vollziehbar ausreisepflichtig – nicht erfasst: Aufenthaltsstatus mit Datum der Vollziehbarkeit'];
    const uc = await page.waitForFunction(w => {
      const t = document.querySelector('#card').textContent;
      return w.every(x => t.includes(x)) ? t : null;
    }, want, { timeout: 20000 }).then(h => h.jsonValue()).catch(async () => page.textContent('#card'));
    check('ungeklärt gates shown with the missing facts', want.every(x => uc.includes(x)), uc.slice(-700));
    await a11y('case file with ungeklärt gates');
  }
  // changing the purpose: asked again, data read again under the new one
  await page.click('#purpose-personen button[data-action="change-purpose"]');
  await page.waitForSelector('#purpose-personen form', { state: 'visible' });
  check('data hidden while the purpose is changed', !(await visible('#list')));
  const before = personReads().length;
  await page.check(`#purpose-personen input[value="${PURPOSE2}"]`);
  await page.click('#purpose-personen button[type="submit"]');
  await page.waitForSelector('#list tr.row', { timeout: 10000 }).catch(() => {});
  const after = personReads().slice(before);
  check('new purpose shown', (await page.textContent('#purpose-personen')).includes(`Zweck: ${PURPOSE2}`));
  check('reads after the change carry the new purpose', after.length > 0 && after.every(r => r.zweck === PURPOSE2),
    JSON.stringify(after));

  // the worklist: its own task, its own purpose
  await page.click('nav a[data-view="arbeitsliste"]');
  await page.waitForSelector('#purpose-arbeitsliste form', { state: 'visible' });
  check('list hidden in worklist view', !(await visible('#list')));
  check('worklist asks for its purpose', !(await visible('#worklist-form')));
  await page.check(`#purpose-arbeitsliste input[value="${PURPOSE_WL}"]`);
  await page.click('#purpose-arbeitsliste button[type="submit"]');
  await page.waitForSelector('#authority', { state: 'visible' });
  const authority = await page.inputValue('#authority');
  check('worklist starts at the own authority', authority === String(first.authority_id),
    `${authority} vs ${first.authority_id}`);
  await a11y('worklist (empty)');
  await page.click('#worklist-form button[type="submit"]');
  await page.waitForSelector('#worklist-table tbody tr', { timeout: 10000 }).catch(() => {});
  const wlRows = await page.$$('#worklist-table tbody tr');
  check('worklist shows the authority\'s persons', wlRows.length > 0, `${wlRows.length}`);
  check('nav marks the current view',
    await page.getAttribute('nav a[data-view="arbeitsliste"]', 'aria-current') === 'page');
  check('worklist read with its purpose', requests.some(r => r.path === '/api/v1/worklist' && r.zweck === PURPOSE_WL));
  await a11y('worklist');
  if (!standIn) {
    const wlText = await page.textContent('#worklist-table');
    check('overdue deadlines tagged and counted in days', wlText.includes('Frist überfällig') &&
      /überfällig seit \d+ Tag/.test(wlText));
  }
  if (wlRows.length) {
    const wlName = await wlRows[0].$eval('a', a => a.textContent);
    await wlRows[0].$eval('a', a => a.click());
    await cardHas(wlName.split(',')[0]);
    check('worklist name opens the case file', (await page.textContent('#card')).includes(wlName.split(',')[0]),
      wlName);
  }
  await go('#person=999999');
  await cardHas('Keine Person');
  check('unknown person message in German', (await page.textContent('#card')).includes('Keine Person'));
  await a11y('unknown person');

  // the session ends behind the UI's back: the next call says so, login again
  check('session ended from outside', await killSession(page) === 204);
  await page.fill('#pid', String(first.id));
  await page.click('#open');
  await page.waitForSelector('#login-form', { state: 'visible', timeout: 10000 }).catch(() => {});
  check('expired session shows the login view', await visible('#login-form') && !(await visible('#app-nav')));
  check('expired session is explained', (await page.textContent('#login-message')).includes('abgelaufen'),
    await page.textContent('#login-message'));
  check('no data left on the page', (await page.$$('#list tr.row')).length === 0 &&
    !(await page.textContent('#card')).includes(first.family_name));
  await a11y('login view after expiry');
  check('login again', await uiLogin(page, 'abh.sb', sb.password) === 201);
  await page.waitForSelector('#purpose-personen form', { state: 'visible', timeout: 10000 }).catch(() => {});
  check('new session asks for the purpose again', await visible('#purpose-personen form'));

  // logout: back to the login view, and the API answers 401 afterwards
  const csrfBefore = requests.filter(r => r.method === 'DELETE').length;
  await logout();
  check('logout sends the CSRF token', requests.filter(r => r.method === 'DELETE').slice(csrfBefore)
    .every(r => r.csrf && r.csrf.length >= 20));
  check('logout message', (await page.textContent('#login-message')).includes('abgemeldet'));
  check('no navigation after logout', !(await visible('#app-nav')) && !(await visible('#user')));
  check('API answers 401 after logout', (await pageGet(page, '/api/v1/persons', PURPOSE2)).status === 401 &&
    (await pageGet(page, '/api/v1/session')).status === 401);

  // ---- the other roles: their navigation, and nothing else ----
  const ROLE_NAV = {
    'j.hoffmann': { personen: true, arbeitsliste: true, auswertung: true },
    'zab.sb': { personen: true, arbeitsliste: false, auswertung: false },
    polizei: { personen: true, arbeitsliste: false, auswertung: false },
    statistik: { personen: false, arbeitsliste: false, auswertung: true },
    dsb: { personen: false, arbeitsliste: false, auswertung: false },
    admin: { personen: false, arbeitsliste: false, auswertung: false },
  };
  for (const [login, nav] of Object.entries(ROLE_NAV)) {
    const acc = accounts[login];
    if (!acc) {
      check(`demo account ${login} exists`, false);
      continue;
    }
    const readsBefore = personReads().length;
    check(`login as ${login}`, await uiLogin(page, login, acc.password) === 201);
    const shown = { personen: await visible('nav a[data-view="personen"]'),
      arbeitsliste: await visible('nav a[data-view="arbeitsliste"]'),
      auswertung: await visible('nav a[data-view="auswertung"]') };
    check(`${login} sees exactly its menu items`, shown.personen === nav.personen &&
      shown.arbeitsliste === nav.arbeitsliste && shown.auswertung === nav.auswertung, JSON.stringify(shown));
    const links = await page.$$eval('#nav li:not([hidden]) a', xs => xs.map(a => a.getAttribute('href')));
    check(`${login}: every visible menu item leads to a view`, links.every(h => /^#(start|personen|arbeitsliste|auswertung|kataloge)$/.test(h)),
      JSON.stringify(links));
    await a11y(`navigation of ${login}`);
    if (!nav.personen) {
      check(`${login} lands on the overview`, await visible('#start-roles'));
      const overview = await page.textContent('#start-roles');
      // statistik has its view (Auswertung); the others are told what comes later
      check(`${login}: overview explains the role`, overview.includes('keine Personen-Menüpunkte') &&
        (nav.auswertung ? overview.includes('Auswertung') : overview.includes('später')), overview);
      await go('#personen');
      await page.waitForFunction(() => document.querySelector('#start-message').textContent.includes('Berechtigung'),
        null, { timeout: 5000 }).catch(() => {});
      check(`${login}: a person link says "Keine Berechtigung"`,
        (await page.textContent('#start-message')).includes('Keine Berechtigung'));
      check(`${login}: no person data requested`, personReads().length === readsBefore);
      await a11y(`refusal for ${login}`);
    } else {
      await page.check(`#purpose-personen input[value="${PURPOSE2}"]`);
      await page.click('#purpose-personen button[type="submit"]');
      // a role without the list (police, until its reduced view exists) gets a plain refusal
      await page.waitForFunction(() => document.querySelector('#list tr.row') ||
        document.querySelector('#list-message').textContent.trim(), null, { timeout: 10000 }).catch(() => {});
      const listed = (await page.$$('#list tr.row')).length;
      const msg = await page.textContent('#list-message');
      check(`${login}: person list or a German message`, listed > 0 || msg.includes('Keine Berechtigung') ||
        msg.includes('Keine Personen'), `${listed} ${msg}`);
      await a11y(`person list of ${login}`);
    }
    await logout();
  }

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
} catch (e) {
  check('the test ran to its end', false, String(e));
} finally {
  if (browser) await browser.close();
  await server.stop();
}
check('reads audited with user and the chosen purpose', await server.audited('abh.sb', PURPOSE) &&
  await server.audited('abh.sb', PURPOSE_WL));
rmSync(dir, { recursive: true, force: true });
const { passed, failed } = checker;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
