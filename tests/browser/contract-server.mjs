// A stand-in for the fallnetz server, for developing the web UI: serves the
// files of src/http/web with the real security headers and implements the
// session API of issue 11 (docs/webui.md, "Stand-in server") on fake data in
// memory, with the JSON shapes of docs/openapi.json. It is a dev tool, not a
// test of the server: the browser tests run against the real binary; with
// FALLNETZ_STANDIN=1 they run against this script instead.
//
// Usage: node contract-server.mjs [--listen HOST:PORT] [--port-file FILE]
//          [--accounts FILE] [--persons N] [--idle SECONDS] [--lock-after N]
// --accounts writes the demo logins in the format of `fallnetz demo`'s
// <db>-zugaenge.txt. GET /__standin/state (stand-in only) tells a test the
// number of decisions and the purposes of the reads.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const web = join(here, '..', '..', 'src', 'http', 'web');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const [host, port] = opt('--listen', '127.0.0.1:8081').split(':');
const idleSeconds = Number(opt('--idle', '1800'));
const lockAfter = Number(opt('--lock-after', '3'));
const personCount = Number(opt('--persons', '120'));

// ---- files, with the headers of the real server ----

const ASSETS = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/assets/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/assets/app.css': ['app.css', 'text/css; charset=utf-8'],
  '/assets/kern-ux-native-2.7.2.min.css': ['vendor/kern-ux-native-2.7.2/kern.min.css', 'text/css; charset=utf-8'],
};
const SECURITY = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

// ---- reference data: organisations, accounts, purposes ----

const ORGS = {
  32: { id: 32, code: 'ABH-48143', kind: 'abh', name: 'Ausländerbehörde Münster', region: 5 },
  33: { id: 33, code: 'ABH-48653', kind: 'abh', name: 'Ausländerbehörde Coesfeld', region: 5 },
  40: { id: 40, code: 'ABH-50667', kind: 'abh', name: 'Ausländerbehörde Köln', region: 4 },
  9: { id: 9, code: 'RRK-MS', kind: 'rrk', name: 'Regionale Rückkehrkoordination, Bezirksregierung Münster', region: 5 },
  7: { id: 7, code: 'RRK-K', kind: 'rrk', name: 'Regionale Rückkehrkoordination, Bezirksregierung Köln', region: 4 },
  10: { id: 10, code: 'ZAB-5', kind: 'zab', name: 'Zentrale Ausländerbehörde Münster', region: 5 },
  60: { id: 60, code: 'LZPD', kind: 'polizei', name: 'Landesamt für Zentrale Polizeiliche Dienste', region: null },
  70: { id: 70, code: 'MKJFGFI', kind: 'ministerium', name: 'Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration', region: null },
};
const ACCOUNT_LIST = [
  ['abh.sb', 'Anna Becker', 32, ['sachbearbeitung']],
  ['abh.sb2', 'Bernd Schulz', 40, ['sachbearbeitung']],
  ['j.hoffmann', 'Julia Hoffmann', 9, ['koordination']],
  ['k.wagner', 'Klaus Wagner', 7, ['koordination']],
  ['zab.sb', 'Zeynep Arslan', 10, ['zab']],
  ['polizei', 'Paul Neumann', 60, ['polizei']],
  ['statistik', 'Sabine Krüger', 70, ['statistik']],
  ['dsb', 'Dieter Braun', 70, ['datenschutz']],
  ['admin', 'Andrea Meyer', 70, ['admin']],
];
const password = () => randomBytes(12).toString('base64url').replace(/(.{4})(?=.)/g, '$1-').slice(0, 19);
const ACCOUNTS = new Map(ACCOUNT_LIST.map(([login, name, org, roles]) =>
  [login, { login, name, org, roles, password: password() }]));
const PURPOSES = ['Aktenbearbeitung', 'Fallkonferenz', 'Auskunft an Betroffene', 'Datenschutzkontrolle',
  'Prüfung der Initialbewertung', 'Statistik'];

// ---- fake persons (deterministic) ----

const FAMILY = ['Nazari', 'Al-Hassan', 'Yilmaz', 'Kovačević', 'Haddad', 'Abdullah', 'Qadir', 'Popescu',
  'Osei', 'Rahimi', 'Berisha', 'Diallo'];
const GIVEN = ['Sara', 'Mohammed', 'Ibrahim Bilal', 'Walid Kinan', 'Amina', 'Khalid', 'Elira', 'Ana Maria'];
const STATUS = [['duldung', 'Duldung'], ['ausreisepflichtig', 'vollziehbar ausreisepflichtig'],
  ['gestattung', 'Gestattung'], ['aufenthaltserlaubnis', 'Aufenthaltserlaubnis']];
let seed = 5;
const rnd = n => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};
const PERSONS = new Map();
for (let id = 1; id <= personCount; id++) {
  // two thirds at ABH-48143 (enough for a second page of the list), the rest spread
  const authority = id % 3 ? 32 : [33, 40, 40][rnd(3)];
  const [status, statusLabel] = STATUS[rnd(STATUS.length)];
  const year = 1970 + rnd(35), month = 1 + rnd(12), day = 1 + rnd(28);
  const pad = n => String(n).padStart(2, '0');
  PERSONS.set(id, {
    id, record_id: `DEMO-${String(id).padStart(8, '0')}`, azr_nr: null,
    family_name: FAMILY[rnd(FAMILY.length)], given_names: GIVEN[rnd(GIVEN.length)], birth_name: null,
    sex: 'm', sex_label: 'männlich', birth_date: `${year}-${pad(month)}-${pad(day)}`,
    birth_date_placeholder: false, birth_place: 'Damaskus', birth_country: 'SYR', nationalities: ['SYR'],
    identity_status: 'in_klaerung', identity_status_label: 'in Klärung', identity_basis: null,
    residence_status: status, residence_status_label: statusLabel, residence_since: '2025-03-05',
    address: { street: `Bahnhofstraße ${id}`, postcode: '48143', municipality: 'Münster' },
    authority_id: authority, authority: ORGS[authority].code, updated_at: '2024-11-22T14:14:00Z',
    aliases: id % 4 ? [] : [{ family_name: 'Alhassan', given_names: 'Mohamed', birth_date: null }],
    documents: [], residence_history: [],
    proceedings: id % 2 ? [] : [{ id: id * 10, kind: 'verurteilung', kind_label: 'Verurteilung',
      file_number: `34 Js ${id}/22`, authority_id: 62, offences: 'StGB § 242', offence_date: '2019-05-22',
      decision_date: '2020-04-04', sentence: 'freiheitsstrafe', sentence_label: 'Freiheitsstrafe',
      sentence_months: 24, suspended: false, final_date: '2020-07-30', prosecutor_consent: null,
      prosecutor_consent_label: 'nicht erforderlich' }],
    custody: [], legal_obstacles: [], findings: [], cases: [],
  });
}
// the last person's name would run as script if the UI ever built HTML from data
Object.assign(PERSONS.get(personCount), { family_name: '<script>window.__xss=1</script>',
  given_names: '<img src=x onerror="window.__xss=2">', authority_id: 32, authority: 'ABH-48143' });

function assessment(p) {
  const blocked = p.residence_status !== 'ausreisepflichtig' && p.residence_status !== 'duldung';
  const points = p.proceedings.length ? 40 : 10;
  return {
    person_id: p.id, catalog_version: '2026.1-entwurf', catalog_sha256: '0'.repeat(64),
    simulation: false, catalog_status: 'freigegeben', blocked,
    gates: blocked ? ['G1'] : [], unresolved_gates: [], priority_band: points >= 40 ? 'A' : 'C', points, counter_weights: [],
    feasibility: { band: 'mittel', score: 0 }, deadlines: [],
    trace: [
      { id: 'G1', title: 'Nicht vollziehbar ausreisepflichtig', legal_basis: '§§ 50, 58 Abs. 1 AufenthG',
        legal_version: 'Stand 2024-10-31', threshold_unverified: false, effect: 'sperre', amount: 0,
        explanation: '', fired: blocked, subsumed: false, group: null, facts_read: [] },
      { id: 'P1', title: 'Verurteilung zu Freiheitsstrafe', legal_basis: '§ 54 Abs. 1 AufenthG',
        legal_version: 'Stand 2024-10-31', threshold_unverified: true, effect: 'punkte', amount: 30,
        explanation: '', fired: points >= 40, subsumed: false, group: null, facts_read: [] },
    ],
    note: 'Vorschlag, keine Entscheidung; die Entscheidung trifft die Sachbearbeitung.',
  };
}

// ---- need-to-know scope (what the real store decides per actor) ----

function mayRead(user, person) {
  const org = ORGS[user.org], authority = ORGS[person.authority_id];
  if (user.roles.includes('sachbearbeitung') && person.authority_id === user.org) return true;
  if ((user.roles.includes('koordination') || user.roles.includes('zab')) && authority &&
      authority.region === org.region) return true;
  return false;
}

// ---- sessions, throttling, the record of what happened ----

const sessions = new Map(); // token -> {login, csrf, created, seen}
const failures = new Map(); // login -> {count, until}
const state = { decisions: [], reads: [] };

function cookieToken(req) {
  const m = /(?:^|;\s*)fallnetz_sitzung=([A-Za-z0-9_-]+)/.exec(req.headers.cookie || '');
  return m ? m[1] : null;
}

function currentSession(req) {
  const token = cookieToken(req);
  const s = token && sessions.get(token);
  const now = Date.now() / 1000;
  if (!s) return null;
  if (now - s.seen > idleSeconds || now - s.created > 36000) {
    sessions.delete(token);
    return null;
  }
  s.seen = now;
  return s;
}

const sameSecret = (a, b) => typeof a === 'string' && a.length === b.length &&
  timingSafeEqual(Buffer.from(a), Buffer.from(b));

function sessionBody(s) {
  const u = ACCOUNTS.get(s.login), org = ORGS[u.org];
  return { csrf: s.csrf, kennung: u.login, name: u.name, rollen: u.roles,
    behoerde: { id: org.id, code: org.code, name: org.name }, zwecke: PURPOSES, ablauf_s: idleSeconds };
}

// ---- answers ----

function send(res, status, body, extra = {}) {
  const data = body === null ? '' : JSON.stringify(body);
  res.writeHead(status, { ...SECURITY, 'Cache-Control': 'no-store',
    ...(body === null ? {} : { 'Content-Type': 'application/json; charset=utf-8' }), ...extra });
  res.end(data);
}
const error = (res, status, code, message, extra) => send(res, status, { code, message }, extra);

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

// route table: method, pattern, roles (null = any signed-in user), purpose needed
const ROUTES = [
  ['GET', /^\/api\/v1\/persons$/, ['sachbearbeitung', 'koordination', 'zab'], true, personList],
  ['GET', /^\/api\/v1\/persons\/(\d+)$/, ['sachbearbeitung', 'koordination', 'zab'], true, personFile],
  ['GET', /^\/api\/v1\/assessments\/(\d+)$/, ['sachbearbeitung', 'koordination'], true, personAssessment],
  ['GET', /^\/api\/v1\/worklist$/, ['sachbearbeitung', 'koordination'], true, worklist],
  ['POST', /^\/api\/v1\/decisions$/, ['sachbearbeitung', 'koordination'], false, decide],
];

function personList(ctx) {
  const limit = Number(ctx.url.searchParams.get('limit') || 50);
  const after = Number(ctx.url.searchParams.get('after') || 0);
  if (!(limit >= 1 && limit <= 1000) || !(after >= 0))
    return error(ctx.res, 400, 'bad_query', 'authority, after und limit (1–1000) müssen positive Zahlen sein.');
  const list = [...PERSONS.values()].filter(p => p.id > after && mayRead(ctx.user, p)).slice(0, limit)
    .map(p => ({ id: p.id, record_id: p.record_id, family_name: p.family_name, given_names: p.given_names,
      birth_date: p.birth_date, residence_status: p.residence_status, identity_status: p.identity_status,
      authority_id: p.authority_id }));
  send(ctx.res, 200, { persons: list });
}

function readablePerson(ctx) {
  const p = PERSONS.get(Number(ctx.match[1]));
  if (!p || !mayRead(ctx.user, p)) {
    error(ctx.res, 404, 'not_found', 'Keine Person mit dieser Nummer.');
    return null;
  }
  return p;
}

function personFile(ctx) {
  const p = readablePerson(ctx);
  if (p) send(ctx.res, 200, p);
}

function personAssessment(ctx) {
  const p = readablePerson(ctx);
  if (p) send(ctx.res, 200, assessment(p));
}

function worklist(ctx) {
  const id = Number(ctx.url.searchParams.get('authority'));
  const org = ORGS[id], own = ORGS[ctx.user.org];
  if (!org) return error(ctx.res, 404, 'not_found', 'Keine Behörde mit dieser Nummer.');
  const regional = ctx.user.roles.includes('koordination') && org.region === own.region;
  if (id !== ctx.user.org && !regional)
    return error(ctx.res, 403, 'forbidden', 'Diese Arbeitsliste gehört nicht zu Ihrem Zuständigkeitsbereich.');
  const inScope = p => (org.kind === 'rrk' ? ORGS[p.authority_id].region === org.region : p.authority_id === id);
  const entries = [...PERSONS.values()].filter(inScope).map(p => [p, assessment(p)])
    .sort((a, b) => a[1].blocked - b[1].blocked || b[1].points - a[1].points || a[0].id - b[0].id)
    .map(([p, a], i) => ({ position: i + 1, person_id: p.id, name: `${p.family_name}, ${p.given_names}`,
      blocked: a.blocked, priority_band: a.priority_band, points: a.points,
      reason: a.blocked ? 'Sperre G1 (Nicht vollziehbar ausreisepflichtig)' : `Band ${a.priority_band}, ${a.points} Punkte` }));
  send(ctx.res, 200, { authority_id: id, catalog_version: '2026.1-entwurf', simulation: false,
    catalog_status: 'freigegeben', entries,
    note: 'Vorschlag zur Reihenfolge; die Entscheidung trifft die Sachbearbeitung.' });
}

function decide(ctx) {
  let b;
  try {
    b = JSON.parse(ctx.body);
  } catch (e) {
    return error(ctx.res, 400, 'bad_json', 'Der Inhalt ist kein gültiges JSON.');
  }
  const p = PERSONS.get(Number(b.person_id));
  if (b.kennung !== undefined && b.kennung !== ctx.user.login)
    return error(ctx.res, 400, 'bad_user', 'kennung muss die angemeldete Person sein oder fehlen.');
  if (!p || !mayRead(ctx.user, p)) return error(ctx.res, 404, 'not_found', 'Keine Person mit dieser Nummer.');
  if (!['aufnehmen', 'ablehnen'].includes(b.entscheidung) || typeof b.begruendung !== 'string' ||
      b.begruendung.trim().length < 10)
    return error(ctx.res, 422, 'bad_decision', 'Entscheidung und Begründung (mindestens 10 Zeichen) angeben.');
  state.decisions.push({ person_id: p.id, kennung: ctx.user.login, entscheidung: b.entscheidung });
  send(ctx.res, 201, { decision_id: state.decisions.length, assessment_id: p.id, priority_band: 'C', points: 0,
    blocked: false, override: null, note: 'Entscheidung gespeichert.' });
}

async function handleSession(req, res) {
  if (req.method === 'GET') {
    const s = currentSession(req);
    return s ? send(res, 200, sessionBody(s)) : error(res, 401, 'unauthenticated', 'Bitte anmelden.');
  }
  if (req.method === 'DELETE') {
    const s = currentSession(req);
    if (!s) return error(res, 401, 'unauthenticated', 'Bitte anmelden.');
    if (!sameSecret(req.headers['x-csrf-token'], s.csrf))
      return error(res, 403, 'csrf', 'Sicherheitsmerkmal (X-CSRF-Token) fehlt oder ist falsch.');
    sessions.delete(cookieToken(req));
    return send(res, 204, null,
      { 'Set-Cookie': 'fallnetz_sitzung=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/' });
  }
  if (req.method !== 'POST') return error(res, 405, 'method_not_allowed', 'Methode nicht erlaubt.');
  if (!/^application\/json\b/.test(req.headers['content-type'] || ''))
    return error(res, 415, 'unsupported_media_type', 'Nur application/json.');
  let b;
  try {
    b = JSON.parse(await readBody(req));
  } catch (e) {
    return error(res, 400, 'bad_json', 'Der Inhalt ist kein gültiges JSON.');
  }
  const login = String(b.kennung || '');
  const f = failures.get(login);
  const now = Date.now() / 1000;
  if (f && f.until > now)
    return error(res, 429, 'login_throttled', 'Zu viele Fehlversuche; bitte später erneut versuchen.',
      { 'Retry-After': String(Math.ceil(f.until - now)) });
  const u = ACCOUNTS.get(login);
  if (!u || typeof b.passwort !== 'string' || !sameSecret(b.passwort, u.password)) {
    const count = (f ? f.count : 0) + 1;
    failures.set(login, { count, until: count >= lockAfter ? now + 30 : 0 });
    return error(res, 401, 'login_failed', 'Kennung oder Passwort falsch.');
  }
  failures.delete(login);
  const token = randomBytes(32).toString('base64url');
  const s = { login, csrf: randomBytes(32).toString('base64url'), created: now, seen: now };
  sessions.set(token, s);
  send(res, 201, sessionBody(s),
    { 'Set-Cookie': `fallnetz_sitzung=${token}; HttpOnly; SameSite=Strict; Path=/` });
}

async function handle(req, res) {
  const url = new URL(req.url, 'http://stand-in');
  const path = url.pathname;
  if (ASSETS[path]) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return error(res, 405, 'method_not_allowed', 'Methode nicht erlaubt.');
    const [file, type] = ASSETS[path];
    res.writeHead(200, { ...SECURITY, 'Content-Type': type, 'Cache-Control': 'no-cache' });
    return res.end(req.method === 'HEAD' ? '' : readFileSync(join(web, file)));
  }
  if (path === '/__standin/state') return send(res, 200, { decisions: state.decisions.length, reads: state.reads });
  if (path === '/api/v1/health')
    return send(res, 200, { status: 'ok', version: 'stand-in', store: { state: 'bereit', schema_version: 9,
      persons: PERSONS.size } });
  if (path === '/api/v1/session') return handleSession(req, res);
  const hit = ROUTES.find(([, pattern]) => pattern.test(path));
  if (!hit) return error(res, 404, 'not_found', 'Unbekannter Pfad.');
  const [method, pattern, roles, purposeNeeded, handler] = hit;
  if (req.method !== method) return error(res, 405, 'method_not_allowed', 'Methode nicht erlaubt.');
  const s = currentSession(req);
  if (!s) return error(res, 401, 'unauthenticated', 'Bitte anmelden.');
  const user = ACCOUNTS.get(s.login);
  const body = method === 'GET' ? '' : await readBody(req);
  if (method !== 'GET') {
    if (!sameSecret(req.headers['x-csrf-token'], s.csrf))
      return error(res, 403, 'csrf', 'Sicherheitsmerkmal (X-CSRF-Token) fehlt oder ist falsch.');
    if (!/^application\/json\b/.test(req.headers['content-type'] || ''))
      return error(res, 415, 'unsupported_media_type', 'Nur application/json.');
  }
  if (!user.roles.some(r => roles.includes(r)))
    return error(res, 403, 'forbidden', 'Ihre Rollen erlauben diesen Abruf nicht.');
  // Node reads header bytes as Latin-1, as the real server does: "ü" arrives
  // as the one byte 0xFC from the browser, and matches; UTF-8 would not.
  const purpose = req.headers['x-fallnetz-zweck'];
  if (purposeNeeded) {
    if (!PURPOSES.includes(purpose))
      return error(res, 400, 'bad_purpose', 'Zweck (X-Fallnetz-Zweck) fehlt oder ist nicht vorgesehen.');
    state.reads.push({ kennung: user.login, zweck: purpose, path });
  }
  return handler({ req, res, url, user, body, match: path.match(pattern) });
}

const server = createServer((req, res) => {
  handle(req, res).catch(e => error(res, 500, 'internal', String(e)));
});
server.listen(Number(port), host, () => {
  const actual = server.address().port;
  const accounts = opt('--accounts', null);
  if (accounts) {
    const lines = ['Demo-Zugänge (nur für diesen Stand-in, zufällige Passwörter):',
      `  ${'Kennung'.padEnd(12)} ${'Passwort'.padEnd(20)} ${'Behörde'.padEnd(16)} Rollen`];
    for (const u of ACCOUNTS.values())
      lines.push(`  ${u.login.padEnd(12)} ${u.password.padEnd(20)} ${ORGS[u.org].code.padEnd(16)} ${u.roles.join(',')}`);
    writeFileSync(accounts, lines.join('\n') + '\n', { mode: 0o600 });
  }
  const portFile = opt('--port-file', null);
  if (portFile) writeFileSync(portFile, `${actual}\n`);
  else console.log(`Stand-in: http://${host}:${actual}/ (Zugänge: ${accounts || 'mit --accounts DATEI'})`);
});
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
