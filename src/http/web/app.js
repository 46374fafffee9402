// fallnetz web UI: reads the JSON API and shows data; it never decides.
// Served by fallnetz itself under a Content-Security-Policy without
// 'unsafe-inline': no inline handlers, no style attributes, and every value
// from the API enters the page as text (el() below), never as HTML.
//
// Access (issue 11): nothing but the login view is shown without a session.
// The session answer (GET/POST /api/v1/session) gives the user, the roles,
// the purposes and the CSRF token; the token lives only in the variable
// `session` below (never in storage, never in a cookie set here) and goes
// with every state-changing request as X-CSRF-Token. Each task (view) asks
// once for the purpose of its reads and sends it as X-Fallnetz-Zweck. A 401
// from any call means the session is gone: back to the login view.
//
// Views: a tiny hash router maps "#start", "#personen", "#person=ID" and
// "#arbeitsliste=ID" to views (a <div data-view> each, one shown at a time);
// the navigation shows only the entries of the user's roles.
'use strict';

const SESSION_PATH = '/api/v1/session';

const RESIDENCE = {
  ausreisepflichtig: 'ausreisepflichtig', duldung: 'Duldung', gestattung: 'Gestattung',
  aufenthaltserlaubnis: 'Aufenthaltserlaubnis', niederlassungserlaubnis: 'Niederlassungserl.',
  daueraufenthalt_eu: 'Daueraufenthalt-EU', unbekannt: 'unbekannt',
};

// What each role covers, for the user box and the overview. `later` names
// what the web UI does not offer yet (no menu item, so no dead link).
const ROLES = {
  sachbearbeitung: { label: 'Sachbearbeitung',
    covers: 'Personen und Fälle der eigenen Behörde lesen und bearbeiten, Arbeitsliste der Behörde.' },
  koordination: { label: 'Koordination (RRK)',
    covers: 'Personen aller Behörden des Regierungsbezirks, regionale Arbeitsliste, Fallkonferenzen.' },
  zab: { label: 'Zentrale Ausländerbehörde',
    covers: 'Personen des Bezirks; Identitätsklärung und Dokumente.' },
  polizei: { label: 'Polizei',
    covers: 'Eingeschränkte Sicht (Identität, Fallstand, zuständige Behörde, Kontakt) auf Personen, ' +
      'zu denen die eigene Behörde Mitteilungen geschickt hat; keine Bewertung, keine Entscheidungen.' },
  statistik: { label: 'Statistik',
    covers: 'Nur zusammengefasste Zahlen (Auswertung), nie Daten einer einzelnen Person; Zellen unter 5 werden unterdrückt.' },
  datenschutz: { label: 'Datenschutz',
    covers: 'Das gesamte Zugriffsprotokoll und die Auskunft an Betroffene (Art. 15 DSGVO, § 57 BDSG); ' +
      'keine Fallbearbeitung.',
    later: 'Protokoll und Auskunftsbericht folgen in einer späteren Version der Weboberfläche; ' +
      'bis dahin über die Kommandozeile (fallnetz audit).' },
  admin: { label: 'Administration',
    covers: 'Benutzer, Behörden, Katalogfreigabe und Zugangsschlüssel; keine Personendaten.',
    later: 'Die Katalogfreigabe steht unter „Bewertungskatalog“. Benutzer, Behörden und ' +
      'Zugangsschlüssel folgen in einer späteren Version der Weboberfläche; bis dahin über die ' +
      'Kommandozeile (fallnetz user, org, token).' },
};

// Views, the roles that may open them (null: every signed-in user) and the
// task title shown when the purpose is asked.
const VIEW_ROLES = {
  start: null,
  personen: ['sachbearbeitung', 'koordination', 'zab', 'polizei'],
  arbeitsliste: ['sachbearbeitung', 'koordination'],
  auswertung: ['sachbearbeitung', 'koordination', 'statistik'],
  kataloge: ['admin'],
};
const TASK_TITLE = { personen: 'Personen und Fallakte', arbeitsliste: 'Arbeitsliste',
  auswertung: 'Auswertung', kataloge: 'Bewertungskatalog' };

// ---- state ----

// The signed-in user (the session answer) or null. Holds the CSRF token:
// only here, in memory; a reload asks GET /api/v1/session again.
let session = null;
// Bumped whenever the session starts or ends, so answers to requests of an
// earlier session are dropped instead of being shown to the next user.
let epoch = 0;
// The purpose chosen per task (view), sent with each of its reads.
const purposes = { personen: null, arbeitsliste: null, auswertung: null };

// ---- small helpers ----

const $ = id => document.getElementById(id);

// Builds an element; strings and numbers among children become text nodes,
// so a name like "<script>" is shown, never parsed.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const text = v => (v === null || v === undefined || v === '' ? '–' : String(v));

// XJustiz dates (1990, 1990-07, 1990-07-15) in German form.
function germanDate(d) {
  if (!d) return null;
  const p = String(d).split('-');
  return p.length === 3 ? `${p[2]}.${p[1]}.${p[0]}` : p.length === 2 ? `${p[1]}.${p[0]}` : p[0];
}

const hasRole = roles => !roles || (session && session.rollen.some(r => roles.includes(r)));

// A header value must be a byte string: the browser sends it as Latin-1
// ("ü" as one byte 0xFC, which the server converts to UTF-8). A purpose with
// characters beyond Latin-1 cannot be sent and is not offered.
const sendableHeader = s => /^[\x20-\x7e\xa0-\xff]+$/.test(s);

// One API call; resolves to {ok, status, body, headers, dropped}. Reads of
// personal data pass the task's purpose; state-changing methods carry the
// CSRF token and JSON, a change of a person the version it was made on
// (ifMatch, the ETag of the read). A 401 ends the session in the UI (login view);
// `dropped` tells the caller to show nothing (session gone or replaced).
async function api(method, path, { purpose, body, ifMatch } = {}) {
  const started = epoch;
  const headers = {};
  if (purpose) headers['X-Fallnetz-Zweck'] = purpose;
  if (ifMatch) headers['If-Match'] = ifMatch;
  if (method !== 'GET' && method !== 'HEAD') {
    headers['Content-Type'] = 'application/json';
    if (session) headers['X-CSRF-Token'] = session.csrf;
  }
  let r;
  try {
    r = await fetch(path, { method, headers, cache: 'no-store', credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    return { ok: false, status: 0, body: { message: 'Server nicht erreichbar.' }, headers: new Headers(),
      dropped: started !== epoch };
  }
  const parsed = r.status === 204 ? {}
    : await r.json().catch(() => ({ message: 'Antwort nicht lesbar.' }));
  const out = { ok: r.ok, status: r.status, body: parsed, headers: r.headers, dropped: started !== epoch };
  if (r.status === 401 && path !== SESSION_PATH && !out.dropped && session) {
    sessionLost();
    out.dropped = true;
  }
  return out;
}

// A KERN alert; role="alert" only where it is inserted into the page on its
// own (containers that are live regions themselves pass live = false).
function alertBox(title, detail, kind = 'danger', live = true) {
  return el('div', { class: `kern-alert kern-alert--${kind}`, role: live ? 'alert' : null },
    el('div', { class: 'kern-alert__header' },
      el('span', { class: 'kern-title' }, text(title))),
    detail ? el('div', { class: 'kern-alert__body' }, el('p', { class: 'kern-body' }, detail)) : null);
}

// The alert for a failed call: a refusal by role says so in plain words.
function failureBox(r, live = true) {
  if (r.status === 403)
    return alertBox('Keine Berechtigung', r.body.message || 'Ihre Rollen erlauben diesen Abruf nicht.',
      'danger', live);
  return alertBox(r.body.message || 'Abruf fehlgeschlagen.', null, 'danger', live);
}

function descriptionList(pairs) {
  return el('dl', { class: 'kern-description-list' }, pairs.map(([key, value]) =>
    el('div', { class: 'kern-description-list-item' },
      el('dt', { class: 'kern-description-list-item__key' }, key),
      el('dd', { class: 'kern-description-list-item__value' }, value))));
}

function itemList(items, render) {
  if (!items || !items.length) return el('p', { class: 'kern-body' }, 'keine');
  return el('ul', { class: 'kern-list' }, items.map(x => el('li', null, render(x))));
}

const tag = label => el('span', { class: 'app-tag' }, label);

// Moves focus to the first heading of the visible part of a view.
function focusHeading(container) {
  const h = [...container.querySelectorAll('h2')].find(x => x.offsetParent !== null);
  if (h) h.focus();
}

// ---- status line ----

async function health() {
  const r = await api('GET', '/api/v1/health');
  $('status').textContent = r.ok
    ? `Version ${r.body.version} · ${r.body.store.persons} Personen · Datenbank ${r.body.store.state}`
    : 'Server nicht erreichbar';
}

// ---- session: login, logout, expiry ----

function showLoginMessage(box) {
  $('login-message').replaceChildren(...(box ? [box] : []));
}

// "30 Sekunden", "1 Minute", "15 Minuten"
function waitText(seconds) {
  if (seconds < 60) return seconds === 1 ? '1 Sekunde' : `${seconds} Sekunden`;
  const m = Math.ceil(seconds / 60);
  return m === 1 ? '1 Minute' : `${m} Minuten`;
}

// Retry-After is seconds or an HTTP date; null when absent or unreadable.
function retryAfterSeconds(headers) {
  const v = (headers.get('Retry-After') || '').trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(1, Math.ceil((at - Date.now()) / 1000));
}

async function login(event) {
  event.preventDefault();
  const kennung = $('login-kennung').value.trim();
  const passwort = $('login-passwort').value;
  if (!kennung || !passwort) {
    showLoginMessage(alertBox('Bitte Kennung und Passwort eingeben.', null, 'danger', false));
    (kennung ? $('login-passwort') : $('login-kennung')).focus();
    return;
  }
  const button = $('login-submit');
  button.disabled = true;
  $('login-form').setAttribute('aria-busy', 'true');
  const r = await api('POST', SESSION_PATH, { body: { kennung, passwort } });
  button.disabled = false;
  $('login-form').removeAttribute('aria-busy');
  $('login-passwort').value = '';
  if (r.status === 201 && r.body.csrf) {
    startSession(r.body, true);
    return;
  }
  if (r.status === 429) {
    const s = retryAfterSeconds(r.headers);
    showLoginMessage(alertBox('Zu viele Fehlversuche.',
      s ? `Bitte warten Sie ${waitText(s)}, bevor Sie sich erneut anmelden.`
        : 'Bitte warten Sie einige Minuten, bevor Sie sich erneut anmelden.', 'danger', false));
  } else if (r.status === 401) {
    showLoginMessage(alertBox(r.body.message || 'Kennung oder Passwort falsch.', null, 'danger', false));
  } else {
    showLoginMessage(alertBox('Anmeldung nicht möglich.', r.body.message, 'danger', false));
  }
  $('login-passwort').focus();
}

// Takes the session answer; shows user, navigation and the requested view.
function startSession(body, byUser) {
  epoch++;
  resetData();
  session = {
    csrf: String(body.csrf),
    kennung: String(body.kennung || ''),
    name: String(body.name || body.kennung || ''),
    rollen: Array.isArray(body.rollen) ? body.rollen.map(String) : [],
    behoerde: body.behoerde || null,
    zwecke: Array.isArray(body.zwecke) ? body.zwecke.map(String) : [],
  };
  showLoginMessage(null);
  $('user-name').textContent = session.name;
  $('user-login').textContent = session.kennung;
  $('user-org').textContent = session.behoerde
    ? `${text(session.behoerde.name)} (${text(session.behoerde.code)})` : '–';
  $('user-roles').textContent = session.rollen.map(r => (ROLES[r] ? ROLES[r].label : r)).join(', ') || 'keine';
  for (const item of document.querySelectorAll('#nav li'))
    item.hidden = !hasRole(item.dataset.roles ? item.dataset.roles.split(' ') : null);
  renderStart();
  $('user').hidden = false;
  $('app-nav').hidden = false;
  route(byUser);
}

// Forgets the session and everything read under it.
function endSession() {
  epoch++;
  session = null;
  resetData();
  $('user').hidden = true;
  $('app-nav').hidden = true;
}

// A call answered 401: the session expired or was ended elsewhere.
function sessionLost() {
  endSession();
  showLoginMessage(alertBox('Ihre Sitzung ist abgelaufen.',
    'Bitte melden Sie sich erneut an; danach geht es auf dieser Seite weiter.', 'warning', false));
  route(true);
}

async function logout() {
  const r = await api('DELETE', SESSION_PATH);
  if (!r.ok && r.status !== 401) {
    $('start-message').replaceChildren(alertBox('Abmelden fehlgeschlagen.', r.body.message));
    return;
  }
  endSession();
  history.replaceState(null, '', location.pathname + location.search);
  showLoginMessage(alertBox('Sie sind abgemeldet.', null, 'success', false));
  route(true);
}

// Clears every view of data read under the previous session.
function resetData() {
  purposes.personen = purposes.arbeitsliste = purposes.auswertung = null;
  resetPersons();
  resetWorklist();
  resetEvaluation();
  $('authority').value = '';
  $('start-message').replaceChildren();
  $('catalogues').replaceChildren();
  $('catalogues-message').replaceChildren();
  $('propose-message').replaceChildren();
  $('propose-form').reset();
}

// ---- purpose per task ----

// Shows, in the view of `task`, either the chosen purpose with a control to
// change it, or (none chosen yet, or `changing`) the choice of purposes;
// the view's data stays hidden until a purpose is chosen.
function renderPurpose(task, changing) {
  const box = $(`purpose-${task}`);
  const data = $(`${task}-data`);
  const current = purposes[task];
  if (current && !changing) {
    data.hidden = false;
    box.replaceChildren(el('p', { class: 'purpose__current' },
      el('span', null, 'Zweck: ', el('strong', null, current)), ' ',
      el('button', { type: 'button', class: 'kern-btn kern-btn--secondary kern-btn--x-small',
        'data-action': 'change-purpose', 'data-task': task },
      el('span', { class: 'kern-label' }, 'Zweck ändern'))));
    return;
  }
  data.hidden = true;
  const offered = session.zwecke.filter(sendableHeader);
  const id = `zweck-${task}`;
  const choice = offered.length
    ? el('form', { class: 'purpose__form', 'data-task': task, novalidate: true },
      el('fieldset', { class: 'kern-fieldset' },
        el('legend', { class: 'kern-label' }, 'Zweck des Abrufs'),
        el('div', { class: 'kern-fieldset__body' }, offered.map((z, i) =>
          el('div', { class: 'kern-form-check' },
            el('input', { class: 'kern-form-check__radio', type: 'radio', name: id, id: `${id}-${i}`,
              value: z, checked: z === current }),
            el('label', { class: 'kern-label', for: `${id}-${i}` }, z))))),
      el('div', { class: 'message', role: 'alert', id: `${id}-message` }),
      el('div', { class: 'kern-btn-wrapper' },
        el('button', { type: 'submit', class: 'kern-btn kern-btn--primary' },
          el('span', { class: 'kern-label' }, 'Zweck übernehmen')),
        current ? el('button', { type: 'button', class: 'kern-btn kern-btn--secondary',
          'data-action': 'keep-purpose', 'data-task': task },
        el('span', { class: 'kern-label' }, 'Abbrechen')) : null))
    : alertBox('Keine Zwecke eingerichtet.',
      'Ohne Zweck können keine personenbezogenen Daten abgerufen werden; bitte wenden Sie sich an die ' +
      'Administration.', 'warning', false);
  box.replaceChildren(el('section', { 'aria-labelledby': `${id}-heading` },
    el('h2', { id: `${id}-heading`, class: 'kern-heading-medium', tabindex: '-1' },
      `${TASK_TITLE[task]}: Zweck wählen`),
    el('p', { class: 'kern-body' }, 'Jeder Abruf personenbezogener Daten wird mit seinem Zweck ' +
      'protokolliert (§ 76 BDSG). Der Zweck gilt für diese Aufgabe, bis Sie ihn ändern.'),
    choice));
}

function onPurposeSubmit(event) {
  const form = event.target.closest('form.purpose__form');
  if (!form) return;
  event.preventDefault();
  const task = form.dataset.task;
  const picked = form.querySelector('input[type="radio"]:checked');
  if (!picked) {
    $(`zweck-${task}-message`).replaceChildren(alertBox('Bitte einen Zweck wählen.', null, 'danger', false));
    form.querySelector('input[type="radio"]').focus();
    return;
  }
  const changed = purposes[task] !== picked.value;
  purposes[task] = picked.value;
  if (changed) {
    // data read under the old purpose is not shown under the new one
    if (task === 'personen') resetPersons();
    else if (task === 'arbeitsliste') resetWorklist();
    else resetEvaluation();
  }
  route(false);
  focusHeading($(`view-${task}`));
}

function onPurposeClick(event) {
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const task = button.dataset.task;
  if (button.dataset.action === 'change-purpose') {
    renderPurpose(task, true);
    const radio = $(`purpose-${task}`).querySelector('input:checked, input[type="radio"]');
    if (radio) radio.focus();
  } else if (button.dataset.action === 'keep-purpose') {
    renderPurpose(task, false);
    focusHeading($(`view-${task}`));
  }
}

// ---- view: overview ----

function renderStart() {
  const own = session.rollen.filter(r => ROLES[r]);
  const reads = hasRole(VIEW_ROLES.personen);
  $('start-roles').replaceChildren(
    el('p', { class: 'kern-body' }, `Angemeldet als ${session.name} (${session.kennung}), `,
      session.behoerde ? `${text(session.behoerde.name)}.` : 'ohne Behörde.'),
    el('h3', { class: 'kern-heading-small' }, 'Ihre Rollen'),
    own.length ? el('ul', { class: 'kern-list' }, own.map(r => el('li', null,
      el('strong', null, ROLES[r].label), ': ', ROLES[r].covers,
      ROLES[r].later ? [' ', ROLES[r].later] : null)))
      : el('p', { class: 'kern-body' }, 'Ihrer Kennung ist keine Rolle zugeordnet.'),
    el('p', { class: 'kern-body' }, reads
      ? 'Die Navigation oben zeigt die Bereiche Ihrer Rollen.'
      : 'Ihre Rollen sehen keine Daten einzelner Personen; daher gibt es hier keine Personen-Menüpunkte.'));
}

// ---- view: persons and case file ----

// shown: the person file on the card (for the edit form); edit: the open
// edit form's person id and the version its values rest on; notice: a
// message to show above the next rendering of the card.
const persons = { after: 0, loaded: false, shownId: null, shown: null, edit: null, notice: null,
  facts: null, factForm: null };

function resetPersons() {
  persons.after = 0;
  persons.loaded = false;
  persons.shownId = null;
  persons.shown = null;
  persons.edit = null;
  persons.notice = null;
  $('list').replaceChildren();
  $('list-message').replaceChildren();
  $('more').disabled = false;
  $('card').replaceChildren(el('p', { class: 'kern-body' }, 'Bitte links eine Person wählen.'));
  $('card').removeAttribute('aria-busy');
}

// A purpose the server refused (e.g. the list was changed meanwhile): ask again.
function purposeRefused(task, r) {
  purposes[task] = null;
  renderPurpose(task);
  $(`zweck-${task}-message`)?.replaceChildren(alertBox('Zweck nicht angenommen.', r.body.message, 'danger', false));
}

async function loadMorePersons() {
  const r = await api('GET', `/api/v1/persons?limit=50&after=${persons.after}`,
    { purpose: purposes.personen });
  if (r.dropped) return;
  if (r.status === 400 && r.body.code === 'bad_purpose') return purposeRefused('personen', r);
  if (!r.ok) {
    $('list-message').replaceChildren(failureBox(r));
    $('more').disabled = true;
    return;
  }
  for (const p of r.body.persons) {
    persons.after = p.id;
    const row = el('tr', { class: 'kern-table__row row', 'data-id': p.id },
      el('td', { class: 'kern-table__cell' },
        el('a', { class: 'kern-link', href: `#person=${p.id}` },
          `${text(p.family_name)}, ${text(p.given_names)}`)),
      el('td', { class: 'kern-table__cell' }, text(germanDate(p.birth_date))),
      el('td', { class: 'kern-table__cell' },
        text(RESIDENCE[p.residence_status] || p.residence_status)));
    $('list').append(row);
  }
  if (r.body.persons.length < 50) $('more').disabled = true;
  if (!$('list').children.length)
    $('list-message').replaceChildren(el('p', { class: 'kern-body' }, 'Keine Personen in Ihrem Zuständigkeitsbereich.'));
}

// A click anywhere on a row opens the person (the name link is the keyboard way).
function onListClick(event) {
  if (event.target.closest('a')) return;
  const row = event.target.closest('tr[data-id]');
  if (row) openPerson(row.dataset.id);
}

function openPerson(id) {
  const hash = `#person=${encodeURIComponent(id)}`;
  if (location.hash === hash) showPerson(id, true);
  else location.hash = hash;
}

function personFile(p) {
  return [
    descriptionList([
      ['Name', `${text(p.family_name)}, ${text(p.given_names)}`],
      ['Geburtsdatum', [text(germanDate(p.birth_date)),
        p.birth_date_placeholder ? [' ', tag('01.01. evtl. Platzhalter')] : null]],
      ['Geburtsort', `${text(p.birth_place)} (${text(p.birth_country)})`],
      ['Staatsangehörigkeit', text((p.nationalities || []).join(', '))],
      ['AZR-Nummer', text(p.azr_nr)],
      ['Aufenthaltsstatus', `${text(p.residence_status_label)} seit ${text(germanDate(p.residence_since))}`],
      ['Identität', text(p.identity_status_label) + (p.identity_basis ? ` (${p.identity_basis})` : '')],
      ['Anschrift', `${text(p.address.street)}, ${text(p.address.postcode)} ${text(p.address.municipality)}`],
      ['Zuständige Behörde', p.authority ? `${p.authority} (Nr. ${p.authority_id})` : '–'],
    ]),
    hasRole(EDIT_ROLES) ? el('div', { id: 'edit' }, editButton()) : null,
    el('h3', { class: 'kern-heading-small' }, 'Aliaspersonalien'),
    itemList(p.aliases, a => `${text(a.family_name)}, ${text(a.given_names)}` +
      (a.birth_date ? ` (${germanDate(a.birth_date)})` : '')),
    el('h3', { class: 'kern-heading-small' }, 'Strafverfahren'),
    itemList(p.proceedings, v => `${text(v.kind_label)} ${text(v.file_number)}: ${text(v.offences)}` +
      (v.sentence ? ` – ${text(v.sentence_label)}` +
        (v.sentence_months ? ` ${v.sentence_months} Monate` : '') +
        (v.suspended ? ' (Bewährung)' : '') : '') +
      (v.final_date ? `, rechtskräftig seit ${germanDate(v.final_date)}` : '')),
    el('h3', { class: 'kern-heading-small' }, 'Haft'),
    itemList(p.custody, h => `${text(h.kind_label)} seit ${text(germanDate(h.start))}, ` +
      `voraussichtliche Entlassung ${text(germanDate(h.planned_release))}`),
    el('h3', { class: 'kern-heading-small' }, 'Abschiebungshindernisse'),
    itemList(p.legal_obstacles, o => `${text(o.kind_label)} seit ${text(germanDate(o.since))}` +
      (o.until ? ` bis ${germanDate(o.until)}` : '')),
    el('h3', { class: 'kern-heading-small' }, 'Fälle'),
    itemList(p.cases, f => [`Fall ${f.id}: ${text(f.status_label)}`, f.tags ? [' ', tag(f.tags)] : null]),
    el('section', { id: 'facts', 'aria-labelledby': 'facts-heading' }),
  ];
}

// A deadline in days as users read it (negative: overdue).
function deadlineText(d) {
  if (d.days < 0) return `${d.rule} überfällig seit ${-d.days} ${d.days === -1 ? 'Tag' : 'Tagen'}`;
  if (d.days === 0) return `${d.rule} heute`;
  return `${d.rule} in ${d.days} ${d.days === 1 ? 'Tag' : 'Tagen'}`;
}

// The warning on an assessment or worklist made with a catalogue that is
// not the approved one (serve --catalog): shown, never stored.
function simulationBox(answer) {
  return answer.simulation
    ? alertBox(text(answer.catalog_status),
      'Eine Simulation: sie wird nicht gespeichert, und Entscheidungen werden abgelehnt.',
      'warning', false)
    : null;
}

function assessmentSection(a) {
  const byId = Object.fromEntries(a.trace.map(t => [t.id, t]));
  const titled = ids => ids.map(g => `${g} ${byId[g] ? byId[g].title : ''}`).join('; ');
  const unresolved = a.unresolved_gates || [];
  const open = new Set(unresolved.map(u => u.rule));
  const fired = a.gates.filter(g => !open.has(g));
  return [
    el('h3', { class: 'kern-heading-small' }, 'Initialbewertung'),
    simulationBox(a),
    descriptionList([
      ['Sperren', fired.length ? titled(fired) : (unresolved.length ? '–' : 'keine')],
      ...(unresolved.length ? [['Ungeklärt (gesperrt)', unresolved.map(u =>
        `${u.rule} ${text(u.title)} – nicht erfasst: ${u.missing_facts.map(m => m.label).join('; ')}`)
        .join(' · ')]] : []),
      ['Prioritätsband', `${text(a.priority_band)} (${a.points} Punkte)`],
      ['Gegengewichte', a.counter_weights.length
        ? `${titled(a.counter_weights)} – Einzelfallabwägung nötig` : 'keine'],
      ['Machbarkeit', text(a.feasibility.band)],
      ['Fristen', a.deadlines.length ? a.deadlines.map(deadlineText).join('; ') : 'keine'],
    ]),
    el('p', { class: 'kern-body kern-body--small' }, `${text(a.note)} Katalog ${text(a.catalog_version)}.`),
    itemList(a.trace.filter(t => t.fired), t => [el('strong', null, t.id),
      ` ${text(t.title)} – ${text(t.legal_basis)}`,
      t.threshold_unverified ? ' (Schwelle ungeprüft)' : '']),
  ];
}

async function showPerson(id, focus) {
  persons.shownId = id;
  const card = $('card');
  card.setAttribute('aria-busy', 'true');
  const purpose = purposes.personen;
  const r = await api('GET', `/api/v1/persons/${encodeURIComponent(id)}`, { purpose });
  if (r.dropped || persons.shownId !== id) return; // session gone, or a later click won
  if (r.status === 400 && r.body.code === 'bad_purpose') return purposeRefused('personen', r);
  persons.shown = r.ok ? r.body : null;
  persons.edit = null;
  const notice = persons.notice;
  persons.notice = null;
  card.replaceChildren(...(notice ? [el('div', { class: 'message', role: 'status' }, notice)] : []),
    ...(r.ok ? personFile(r.body) : [failureBox(r)]));
  card.removeAttribute('aria-busy');
  if (focus) $('card-heading').focus();
  if (!r.ok) return;
  const a = await assessmentOf(id, purpose);
  if (!a.dropped && persons.shownId === id)
    card.append(...(a.ok ? assessmentSection(a.body) : [failureBox(a, false)]));
  await showFacts(id);
}

// The assessment of a person. A busy store (503 with Retry-After, e.g.
// while the background re-assessment writes) is asked once more after the
// pause it names (at most 5 s); a failure is shown, never silently left out.
async function assessmentOf(id, purpose) {
  const path = `/api/v1/assessments/${encodeURIComponent(id)}`;
  const a = await api('GET', path, { purpose });
  const wait = a.status === 503 ? retryAfterSeconds(a.headers) : null;
  if (a.dropped || wait === null || wait > 5) return a;
  await new Promise(resolve => setTimeout(resolve, wait * 1000));
  return api('GET', path, { purpose });
}

// ---- editing a person's master data (PUT with If-Match) ----
//
// The form holds the master data of the person on the card. Saving sends the
// version the values rest on (If-Match); when someone saved the person since
// (409), the form shows what is stored now next to the user's input and lets
// the user apply the input to the new state (then save again) or take the
// new state. Errors of a field are shown at the field (aria-describedby).
// Aliases are sent as read; they are not edited here yet. Documents are
// recorded facts (Ausweisdokument, below); the server ignores them here.

const EDIT_ROLES = ['sachbearbeitung', 'zab'];
const SEX = { u: 'unbekannt', m: 'männlich', f: 'weiblich', x: 'divers' };
const IDENTITY = { '': 'nicht erfasst', geklaert: 'geklärt', ungeklaert: 'ungeklärt',
  in_klaerung: 'in Klärung' };
const RESIDENCE_FULL = { unbekannt: 'unbekannt', ausreisepflichtig: 'ausreisepflichtig',
  duldung: 'Duldung', gestattung: 'Aufenthaltsgestattung', aufenthaltserlaubnis: 'Aufenthaltserlaubnis',
  niederlassungserlaubnis: 'Niederlassungserlaubnis', daueraufenthalt_eu: 'Daueraufenthalt-EU' };
const DATE_HINT = 'JJJJ, JJJJ-MM oder JJJJ-MM-TT, etwa 1990-07-14';

// The fields of the form by group: key (the JSON path in the body), label,
// options of a choice, hint, required.
const EDIT_GROUPS = [
  ['Name', [
    { key: 'family_name', label: 'Familienname', required: true },
    { key: 'given_names', label: 'Vornamen' },
    { key: 'birth_name', label: 'Geburtsname' },
    { key: 'sex', label: 'Geschlecht', options: SEX }]],
  ['Geburt und Staatsangehörigkeit', [
    { key: 'birth_date', label: 'Geburtsdatum', hint: DATE_HINT },
    { key: 'birth_place', label: 'Geburtsort' },
    { key: 'birth_country', label: 'Geburtsstaat', hint: 'Staatencode aus drei Großbuchstaben, etwa SYR' },
    { key: 'nationalities', label: 'Staatsangehörigkeiten',
      hint: 'Staatencodes aus drei Großbuchstaben, durch Komma getrennt, etwa SYR, TUR' }]],
  ['Identität und Aufenthalt', [
    { key: 'identity_status', label: 'Identitätsstatus', options: IDENTITY },
    { key: 'identity_basis', label: 'Grundlage der Identitätsfeststellung' },
    { key: 'residence_status', label: 'Aufenthaltsstatus', options: RESIDENCE_FULL },
    { key: 'residence_since', label: 'Aufenthaltsstatus seit', hint: DATE_HINT }]],
  ['Anschrift', [
    { key: 'address.street', label: 'Straße und Hausnummer' },
    { key: 'address.postcode', label: 'Postleitzahl', hint: 'fünf Ziffern' },
    { key: 'address.municipality', label: 'Ort' }]],
];
const EDIT_FIELDS = EDIT_GROUPS.flatMap(([, fields]) => fields);
const fieldId = key => `edit-${key.replace('.', '-')}`;

// The value of field key of a person file as the form shows it.
function fieldValue(p, key) {
  if (key.startsWith('address.')) return (p.address && p.address[key.slice(8)]) || '';
  if (key === 'nationalities') return (p.nationalities || []).join(', ');
  if (key === 'sex') return p.sex || 'u';
  if (key === 'residence_status') return p.residence_status || 'unbekannt';
  return p[key] === null || p[key] === undefined ? '' : String(p[key]);
}

// The shown text of a field value (the label of a choice).
function fieldText(f, value) {
  return text(f.options ? f.options[value] : value);
}

function editButton() {
  return el('button', { type: 'button', class: 'kern-btn kern-btn--secondary', 'data-action': 'edit-open' },
    el('span', { class: 'kern-label' }, 'Stammdaten bearbeiten'));
}

function editField(f, value, idOf = fieldId) {
  const id = idOf(f.key);
  const hint = f.hint ? `${id}-hint` : null;
  const control = f.options
    ? el('div', { class: 'kern-form-input__select-wrapper' },
      el('select', { class: 'kern-form-input__select', id, name: f.key, 'aria-describedby': hint },
        Object.entries(f.options).map(([code, label]) =>
          el('option', { value: code, selected: code === value }, label))))
    : el('input', { class: 'kern-form-input__input', id, name: f.key, type: 'text', value,
      autocomplete: 'off', 'aria-required': f.required ? 'true' : null, 'aria-describedby': hint });
  return el('div', { class: 'kern-form-input', 'data-field': f.key },
    el('label', { class: 'kern-label', for: id }, f.label, f.required ? ' (Pflichtfeld)' : ''),
    f.hint ? el('div', { class: 'kern-hint', id: hint }, f.hint) : null,
    control);
}

// Opens the form with the values of person file p, resting on its version.
function renderEdit(p) {
  persons.edit = { id: String(p.id), version: p.version, base: p };
  $('edit').replaceChildren(el('form', { id: 'edit-form', class: 'edit-form', novalidate: true,
    'aria-labelledby': 'edit-heading' },
  el('h3', { id: 'edit-heading', class: 'kern-heading-small', tabindex: '-1' }, 'Stammdaten bearbeiten'),
  el('p', { class: 'kern-body kern-body--small' }, 'Registerkennung, AZR-Nummer und zuständige Behörde ' +
    'werden hier nicht geändert. Jede Änderung wird mit den geänderten Feldern protokolliert.'),
  el('div', { id: 'edit-message', class: 'message', role: 'alert' }),
  EDIT_GROUPS.map(([legend, fields]) => el('fieldset', { class: 'kern-fieldset' },
    el('legend', { class: 'kern-label' }, legend),
    el('div', { class: 'kern-fieldset__body' }, fields.map(f => editField(f, fieldValue(p, f.key)))))),
  el('div', { class: 'kern-btn-wrapper' },
    el('button', { type: 'submit', id: 'edit-save', class: 'kern-btn kern-btn--primary' },
      el('span', { class: 'kern-label' }, 'Speichern')),
    el('button', { type: 'button', class: 'kern-btn kern-btn--secondary', 'data-action': 'edit-cancel' },
      el('span', { class: 'kern-label' }, 'Abbrechen')))));
}

// The body of PUT from the form; aliases and documents as read (base).
function editBody(form, base) {
  const value = key => form.elements[key].value.trim() || null;
  const body = { address: {} };
  for (const f of EDIT_FIELDS) {
    if (f.key.startsWith('address.')) body.address[f.key.slice(8)] = value(f.key);
    else if (f.key === 'nationalities')
      body.nationalities = (value(f.key) || '').split(/[\s,;]+/).filter(Boolean);
    else body[f.key] = value(f.key);
  }
  body.aliases = (base.aliases || []).map(a => ({ family_name: a.family_name, given_names: a.given_names,
    birth_date: a.birth_date }));
  body.documents = (base.documents || []).map(d => ({ kind: d.kind, number: d.number,
    issuing_state: d.issuing_state, valid_until: d.valid_until, verified: d.verified }));
  return body;
}

// Removes the marks of an earlier refusal from the form.
function clearFieldErrors(form) {
  for (const e of form.querySelectorAll('.kern-error')) e.remove();
  for (const c of form.querySelectorAll('[aria-invalid]')) {
    c.removeAttribute('aria-invalid');
    c.classList.remove('kern-form-input__input--error', 'kern-form-input__select--error');
    const hint = $(`${c.id}-hint`);
    if (hint) c.setAttribute('aria-describedby', hint.id);
    else c.removeAttribute('aria-describedby');
  }
}

// Marks the field the server named (nationalities[1]: the nationalities
// field) with its message, linked by aria-describedby, and focuses it.
function showFieldError(form, field, message) {
  const key = String(field || '').replace(/\[\d+\]$/, '');
  markFieldError($('edit-message'), EDIT_FIELDS.some(f => f.key === key) ? $(fieldId(key)) : null,
    message);
}

// Shows message in box and, when control is given, at the control: the
// error above it, linked by aria-describedby next to its hint, and focus.
function markFieldError(box, control, message) {
  box.replaceChildren(alertBox('Bitte die Eingaben prüfen.', message, 'danger', false));
  if (!control) return;
  const errorId = `${control.id}-error`;
  control.before(el('p', { class: 'kern-error', id: errorId }, el('span', { class: 'kern-body' }, message)));
  control.setAttribute('aria-invalid', 'true');
  control.classList.add(control.tagName === 'SELECT' ? 'kern-form-input__select--error'
    : 'kern-form-input__input--error');
  control.setAttribute('aria-describedby', [errorId, $(`${control.id}-hint`) ? `${control.id}-hint` : null]
    .filter(Boolean).join(' '));
  control.focus();
}

// 409: someone saved the person since. Shows what is stored now where it
// differs from the input, with the two ways on.
function showConflict(form, current) {
  persons.edit.conflict = current;
  const differing = EDIT_FIELDS.filter(f => fieldValue(current, f.key) !== form.elements[f.key].value.trim());
  $('edit-message').replaceChildren(el('div', { class: 'kern-alert kern-alert--warning', id: 'edit-conflict' },
    el('div', { class: 'kern-alert__header' },
      el('span', { class: 'kern-title' }, 'Der Datensatz wurde inzwischen geändert.')),
    el('div', { class: 'kern-alert__body' },
      el('p', { class: 'kern-body' }, 'Jemand anderes hat die Stammdaten gespeichert, nachdem Sie sie ' +
        'geöffnet haben. Ihre Eingaben sind noch nicht gespeichert. So ist der Datensatz jetzt:'),
      differing.length ? descriptionList(differing.map(f => [f.label,
        `jetzt gespeichert: ${fieldText(f, fieldValue(current, f.key))} – Ihre Eingabe: ` +
        fieldText(f, form.elements[f.key].value.trim())]))
        : el('p', { class: 'kern-body' }, 'Die Felder dieses Formulars stimmen mit dem neuen Stand überein.'),
      el('div', { class: 'kern-btn-wrapper' },
        el('button', { type: 'button', class: 'kern-btn kern-btn--primary', 'data-action': 'edit-reapply' },
          el('span', { class: 'kern-label' }, 'Meine Eingaben auf den neuen Stand anwenden')),
        el('button', { type: 'button', class: 'kern-btn kern-btn--secondary', 'data-action': 'edit-take' },
          el('span', { class: 'kern-label' }, 'Neuen Stand übernehmen'))))));
  $('edit-conflict').querySelector('button').focus();
}

async function saveEdit(form) {
  const edit = persons.edit;
  if (!edit) return;
  if (edit.conflict) { // first one of the two ways on
    $('edit-conflict').querySelector('button').focus();
    return;
  }
  clearFieldErrors(form);
  $('edit-message').replaceChildren();
  const save = $('edit-save');
  save.disabled = true;
  form.setAttribute('aria-busy', 'true');
  const r = await api('PUT', `/api/v1/persons/${encodeURIComponent(edit.id)}`,
    { purpose: purposes.personen, body: editBody(form, edit.base), ifMatch: `"v${edit.version}"` });
  if (r.dropped || persons.edit !== edit) return;
  save.disabled = false;
  form.removeAttribute('aria-busy');
  if (r.ok) {
    persons.notice = alertBox('Stammdaten gespeichert.', null, 'success', false);
    await showPerson(edit.id, false);
    $('card-heading').focus();
  } else if (r.status === 409 && r.body.current) {
    showConflict(form, r.body.current);
  } else if (r.status === 400 && r.body.code === 'bad_field') {
    showFieldError(form, r.body.field, r.body.message);
  } else if (r.status === 400 && r.body.code === 'bad_purpose') {
    purposeRefused('personen', r);
  } else {
    $('edit-message').replaceChildren(failureBox(r, false));
  }
}

function onCardClick(event) {
  const button = event.target.closest('button[data-action]');
  if (!button || !persons.shown) return;
  if (button.dataset.action.startsWith('fact-')) {
    onFactClick(button);
    return;
  }
  switch (button.dataset.action) {
    case 'edit-open':
      renderEdit(persons.shown);
      $('edit-heading').focus();
      break;
    case 'edit-cancel':
      persons.edit = null;
      $('edit').replaceChildren(editButton());
      $('edit').querySelector('button').focus();
      break;
    case 'edit-reapply': {
      // the input stays; it now rests on the new version
      const current = persons.edit.conflict;
      persons.edit = { id: persons.edit.id, version: current.version, base: current };
      $('edit-message').replaceChildren(alertBox('Ihre Eingaben gelten jetzt für den neuen Stand.',
        'Bitte prüfen Sie sie und speichern Sie erneut.', 'info', false));
      $('edit-save').focus();
      break;
    }
    case 'edit-take':
      renderEdit(persons.edit.conflict);
      $('edit-message').replaceChildren(alertBox('Der neue Stand ist übernommen.',
        'Ihre Eingaben sind verworfen.', 'info', false));
      $(fieldId('family_name')).focus();
      break;
    default:
      break;
  }
}

// ---- facts that officials record (issue 13) ----
//
// Under the file: every recorded fact with its source and who recorded it;
// corrected and withdrawn entries in the history below (nothing is
// overwritten). Sachbearbeitung records a fact (a form per kind), corrects
// one (a new entry replaces it, with a reason) or withdraws one (with a
// reason). The fact's ETag goes along as If-Match; when someone else
// corrected it meanwhile (409), the form says so and shows what holds now.
// After each change the file and the assessment are read again. zab
// records, corrects and withdraws identity documents only (docs/access.md).

const FACT_WRITE_ROLES = ['sachbearbeitung'];
const DOC_WRITE_ROLES = ['sachbearbeitung', 'zab'];
const canWriteKind = kind => hasRole(kind === 'ausweisdokument' ? DOC_WRITE_ROLES : FACT_WRITE_ROLES);
const FACT_DATE = { type: 'date', hint: 'JJJJ-MM-TT, etwa 2025-03-01' };
const JA_NEIN = { '': '–', true: 'ja', false: 'nein' };
const SOURCE_KINDS = { dokument: 'Dokument', mitteilung: 'Mitteilung', register: 'Register' };
const SENTENCES = { freiheitsstrafe: 'Freiheitsstrafe', jugendstrafe: 'Jugendstrafe',
  geldstrafe: 'Geldstrafe', sicherungsverwahrung: 'Sicherungsverwahrung' };
const PROCEEDINGS = { ermittlung: 'Ermittlungsverfahren', anklage: 'Anklage erhoben',
  eingestellt: 'Verfahren eingestellt' };
const CONSENTS = { '': 'nicht erforderlich', ausstehend: 'erbeten, ausstehend', erteilt: 'erteilt',
  verweigert: 'verweigert', entbehrlich: 'entbehrlich' };
const CUSTODIES = { untersuchungshaft: 'Untersuchungshaft', strafhaft: 'Strafhaft',
  abschiebungshaft: 'Abschiebungshaft' };
const OBSTACLES = { verbot_60_1: 'Abschiebungsverbot § 60 Abs. 1 AufenthG',
  verbot_60_2: 'Abschiebungsverbot § 60 Abs. 2 AufenthG', verbot_60_5: 'Abschiebungsverbot § 60 Abs. 5 AufenthG',
  verbot_60_7: 'Abschiebungsverbot § 60 Abs. 7 AufenthG', asylverfahren: 'Asylverfahren anhängig',
  eilverfahren: 'Eilverfahren anhängig', duldung_60a_1: 'Duldung § 60a Abs. 1 (Abschiebungsstopp)',
  duldung_60a_2_1: 'Duldung § 60a Abs. 2 S. 1 (Unmöglichkeit)',
  duldung_60a_2_2: 'Duldung § 60a Abs. 2 S. 2 (Zeuge)', duldung_60a_2_3: 'Duldung § 60a Abs. 2 S. 3 (Ermessen)',
  duldung_60a_2a: 'Duldung § 60a Abs. 2a', duldung_60a_2b: 'Duldung § 60a Abs. 2b',
  duldung_60a_2c: 'Duldung § 60a Abs. 2c/2d (Reiseunfähigkeit)', duldung_60b: 'Duldung § 60b',
  duldung_60c: 'Ausbildungsduldung § 60c', duldung_60d: 'Beschäftigungsduldung § 60d',
  minderjaehrig_uebergabe: 'Minderjährig, Übergabe nicht gesichert (§ 58 Abs. 1a)' };
const FINDINGS = { sicherheitsgrund: 'Sicherheitsgrund (§ 54 Abs. 1 Nr. 2–5)',
  nichtmitwirkung: 'Nichtmitwirkung nach Belehrung', bleibeinteresse_55_1: 'Bleibeinteresse besonders schwer',
  bleibeinteresse_55_2: 'Bleibeinteresse schwer', schutzstatus_53_3: 'Geschützter Status (§ 53 Abs. 3–3b)' };
const withEmpty = options => ({ '': 'bitte wählen', ...options });

// The kinds and their fields as the API takes them (src/ingest/fact_input.h).
const FACT_KINDS = {
  aufenthaltsstatus: { label: 'Aufenthaltsstatus', fields: [
    { key: 'status', label: 'Aufenthaltsstatus', options: withEmpty(RESIDENCE_FULL), required: true },
    { key: 'since', label: 'gültig ab', ...FACT_DATE },
    { key: 'until', label: 'gültig bis', ...FACT_DATE },
    { key: 'legal_basis', label: 'Rechtsgrundlage', hint: 'Norm, etwa § 50 Abs. 1 AufenthG' },
    { key: 'enforceable_since', label: 'vollziehbar ausreisepflichtig seit', ...FACT_DATE },
    { key: 'departure_deadline', label: 'Ausreisefrist bis', ...FACT_DATE }] },
  verurteilung: { label: 'Verurteilung', fields: [
    { key: 'court', label: 'Gericht', required: true },
    { key: 'file_number', label: 'Aktenzeichen', required: true },
    { key: 'offences', label: 'Straftaten (Normen)', required: true,
      hint: 'etwa § 224 StGB; mehrere mit Semikolon getrennt' },
    { key: 'sentence', label: 'Strafart', options: withEmpty(SENTENCES), required: true },
    { key: 'sentence_months', label: 'Strafmaß in Monaten', hint: 'bei Freiheits- und Jugendstrafe' },
    { key: 'suspended', label: 'zur Bewährung ausgesetzt', options: JA_NEIN },
    { key: 'intentional', label: 'vorsätzlich', options: JA_NEIN, required: true },
    { key: 'final_date', label: 'rechtskräftig seit', ...FACT_DATE },
    { key: 'decision_date', label: 'Urteil vom', ...FACT_DATE },
    { key: 'offence_date', label: 'Tatzeit', ...FACT_DATE }] },
  strafverfahren: { label: 'Strafverfahren', fields: [
    { key: 'proceeding', label: 'Verfahrensstand', options: withEmpty(PROCEEDINGS), required: true },
    { key: 'prosecutor', label: 'Staatsanwaltschaft', required: true },
    { key: 'file_number', label: 'Aktenzeichen', required: true },
    { key: 'offences', label: 'Vorwurf (Normen)', hint: 'etwa § 242 StGB' },
    { key: 'offence_date', label: 'Tatzeit', ...FACT_DATE },
    { key: 'decision_date', label: 'Anklage/Einstellung am', ...FACT_DATE },
    { key: 'consent', label: 'Einvernehmen der Staatsanwaltschaft (§ 72 Abs. 4 AufenthG)', options: CONSENTS },
    { key: 'consent_requested', label: 'Einvernehmen erbeten am', ...FACT_DATE },
    { key: 'consent_decided', label: 'Einvernehmen erteilt oder verweigert am', ...FACT_DATE }] },
  haft: { label: 'Haft', fields: [
    { key: 'custody', label: 'Haftart', options: withEmpty(CUSTODIES), required: true },
    { key: 'start', label: 'Haftbeginn', required: true, ...FACT_DATE },
    { key: 'planned_release', label: 'geplante Entlassung', ...FACT_DATE },
    { key: 'released', label: 'entlassen am', ...FACT_DATE },
    { key: 'decision_456a', label: 'Entscheidung nach § 456a StPO', options: JA_NEIN },
    { key: 'decision_456a_date', label: '§ 456a StPO entschieden am', ...FACT_DATE }] },
  hindernis: { label: 'Rechtliches Hindernis', fields: [
    { key: 'obstacle', label: 'Art des Hindernisses', options: withEmpty(OBSTACLES), required: true },
    { key: 'norm', label: 'Norm', hint: 'etwa § 60 Abs. 5 AufenthG' },
    { key: 'since', label: 'gilt ab', required: true, ...FACT_DATE },
    { key: 'until', label: 'gilt bis', ...FACT_DATE },
    { key: 'note', label: 'Bemerkung' }] },
  feststellung: { label: 'Feststellung (auch geschützter Status)', fields: [
    { key: 'finding', label: 'Art der Feststellung', options: withEmpty(FINDINGS), required: true },
    { key: 'date', label: 'festgestellt am', required: true, ...FACT_DATE },
    { key: 'reference', label: 'Aktenzeichen/Bescheid' },
    { key: 'note', label: 'Bemerkung' }] },
  ausweisdokument: { label: 'Ausweisdokument', fields: [
    { key: 'document', label: 'Art des Dokuments', required: true,
      hint: 'Kürzel, etwa reisepass, passersatz, personalausweis' },
    { key: 'number', label: 'Dokumentennummer', required: true },
    { key: 'issuing_state', label: 'Ausstellerstaat', required: true,
      hint: 'Staatencode aus drei Großbuchstaben, etwa SYR' },
    { key: 'valid_until', label: 'gültig bis', ...FACT_DATE },
    { key: 'verified', label: 'am Original geprüft', options: JA_NEIN }] },
};
const SOURCE_FIELDS = [
  { key: 'source_kind', label: 'Art der Quelle', options: withEmpty(SOURCE_KINDS), required: true },
  { key: 'source_ref', label: 'Quelle (Beleg)', required: true,
    hint: 'etwa Urteil AG Münster vom 01.02.2025, BZR-Auszug, MiStra-Mitteilung' }];
const REASON_FIELD = { key: 'reason', label: 'Grund', required: true,
  hint: 'warum berichtigt oder zurückgezogen wird (wird protokolliert)' };
const factFieldId = key => `fact-${key}`;

// One fact's values as a line of text ("Gericht: AG Münster; …").
function factSummary(f) {
  const kind = FACT_KINDS[f.kind];
  return (kind ? kind.fields : []).filter(d => f.fields[d.key] !== undefined).map(d => {
    let v = f.fields[d.key];
    if (d.options === JA_NEIN) v = v === '1' ? 'ja' : 'nein';
    else if (d.options) v = d.options[v] || v;
    else if (d.type === 'date') v = germanDate(v);
    return `${d.label}: ${v}`;
  }).join('; ');
}

function factSource(f) {
  return `Quelle: ${text(SOURCE_KINDS[f.source_kind] || f.source_kind)} – ${text(f.source_ref)}; ` +
    `erfasst von ${text(f.recorded_by)} am ${text(germanDate((f.recorded_at || '').slice(0, 10)))}`;
}

function factButton(action, ref, label) {
  return el('button', { type: 'button', class: 'kern-btn kern-btn--secondary', 'data-action': action,
    'data-fact': ref }, el('span', { class: 'kern-label' }, label));
}

function factsSection(list) {
  const write = Object.keys(FACT_KINDS).some(canWriteKind);
  const current = list.filter(f => f.status === 'aktuell');
  const past = list.filter(f => f.status !== 'aktuell');
  return [
    el('h3', { id: 'facts-heading', class: 'kern-heading-small', tabindex: '-1' },
      'Erfasste Tatsachen mit Quelle'),
    write ? el('div', { id: 'fact-area' }, factButton('fact-new', '', 'Tatsache erfassen')) : null,
    current.length ? el('ul', { class: 'kern-list', id: 'facts-current' }, current.map(f => el('li', null,
      el('strong', null, f.label), ` ${factSummary(f)}`,
      el('br'), el('span', { class: 'kern-body kern-body--small' }, factSource(f)),
      canWriteKind(f.kind) ? el('div', { class: 'kern-btn-wrapper' },
        factButton('fact-correct', f.fact, `${f.label} berichtigen`),
        factButton('fact-withdraw', f.fact, `${f.label} zurückziehen`)) : null)))
      : el('p', { class: 'kern-body' }, 'Keine Tatsachen erfasst.'),
    el('details', { id: 'facts-history' },
      el('summary', null, `Verlauf: berichtigte und zurückgezogene Einträge (${past.length})`),
      itemList(past, f => [el('strong', null, `${f.label} (${f.status === 'berichtigt'
        ? 'berichtigt' : 'zurückgezogen'})`), ` ${factSummary(f)}`, el('br'),
      el('span', { class: 'kern-body kern-body--small' }, `${factSource(f)}. ` +
        `${f.status === 'berichtigt' ? 'Berichtigt' : 'Zurückgezogen'} von ${text(f.retired_by)} am ` +
        `${text(germanDate((f.retired_at || '').slice(0, 10)))}: ${text(f.reason)}`)])),
  ];
}

async function showFacts(id) {
  const box = $('facts');
  if (!box) return;
  const r = await api('GET', `/api/v1/persons/${encodeURIComponent(id)}/facts`,
    { purpose: purposes.personen });
  if (r.dropped || persons.shownId !== id) return;
  persons.facts = r.ok ? r.body.facts : [];
  box.replaceChildren(...(r.ok ? factsSection(r.body.facts) : [failureBox(r, false)]));
}

// The form: mode 'new' (a kind to choose), 'correct' (fact f's kind and
// values, a reason) or 'withdraw' (a reason only).
function renderFactForm(mode, f) {
  persons.factForm = { mode, fact: f };
  const title = mode === 'new' ? 'Tatsache erfassen'
    : `${f.label} ${mode === 'correct' ? 'berichtigen' : 'zurückziehen'}`;
  $('fact-area').replaceChildren(el('form', { id: 'fact-form', class: 'edit-form', novalidate: true,
    'aria-labelledby': 'fact-form-heading' },
  el('h4', { id: 'fact-form-heading', class: 'kern-heading-small', tabindex: '-1' }, title),
  el('div', { id: 'fact-form-message', class: 'message', role: 'alert' }),
  mode === 'new' ? editField({ key: 'kind', label: 'Art der Tatsache', required: true,
    options: withEmpty(Object.fromEntries(Object.entries(FACT_KINDS).filter(([k]) => canWriteKind(k))
      .map(([k, v]) => [k, v.label]))) }, '',
  factFieldId) : null,
  el('div', { id: 'fact-fields' }),
  mode !== 'new' ? editField(REASON_FIELD, '', factFieldId) : null,
  el('div', { class: 'kern-btn-wrapper' },
    el('button', { type: 'submit', id: 'fact-save', class: 'kern-btn kern-btn--primary' },
      el('span', { class: 'kern-label' }, mode === 'withdraw' ? 'Zurückziehen' : 'Speichern')),
    el('button', { type: 'button', class: 'kern-btn kern-btn--secondary', 'data-action': 'fact-cancel' },
      el('span', { class: 'kern-label' }, 'Abbrechen')))));
  if (mode === 'correct') renderFactFields(f.kind, f);
  $('fact-form-heading').focus();
}

// The fields of kind (empty, or with fact f's values) into the form.
function renderFactFields(kind, f) {
  const def = FACT_KINDS[kind];
  const value = d => {
    const v = f && f.fields[d.key] !== undefined ? f.fields[d.key] : f && f[d.key];
    if (d.options === JA_NEIN && v !== undefined) return v === '1' ? 'true' : 'false';
    return v === undefined || v === null ? '' : String(v);
  };
  $('fact-fields').replaceChildren(...(def ? [el('fieldset', { class: 'kern-fieldset' },
    el('legend', { class: 'kern-label' }, def.label),
    el('div', { class: 'kern-fieldset__body' }, [...def.fields, ...SOURCE_FIELDS].map(d =>
      editField(d, value(d), factFieldId))))] : []));
}

async function saveFact(form) {
  const state = persons.factForm;
  if (!state) return;
  for (const e of form.querySelectorAll('.kern-error')) e.remove();
  const body = {};
  for (const c of form.elements) {
    if (!c.name || c.value.trim() === '') continue;
    body[c.name] = c.name === 'sentence_months' && /^\d+$/.test(c.value.trim()) ? Number(c.value)
      : c.value === 'true' ? true : c.value === 'false' ? false : c.value.trim();
  }
  if (state.mode === 'correct') body.kind = state.fact.kind;
  const id = persons.shownId;
  const path = `/api/v1/persons/${encodeURIComponent(id)}/facts` +
    (state.mode === 'new' ? '' : `/${encodeURIComponent(state.fact.fact)}`);
  const method = { new: 'POST', correct: 'PUT', withdraw: 'DELETE' }[state.mode];
  $('fact-save').disabled = true;
  const r = await api(method, path, { purpose: purposes.personen, body,
    ifMatch: state.mode === 'new' ? undefined : `"${state.fact.fact}"` });
  if (r.dropped || persons.factForm !== state) return;
  $('fact-save').disabled = false;
  if (r.ok) {
    persons.notice = alertBox({ new: 'Tatsache erfasst.', correct: 'Tatsache berichtigt.',
      withdraw: 'Tatsache zurückgezogen.' }[state.mode],
    'Die Person wird neu bewertet; der frühere Stand bleibt im Verlauf erhalten.', 'success', false);
    await showPerson(id, false);
    $('card-heading').focus();
  } else if (r.status === 400 && r.body.code === 'bad_field') {
    const control = form.elements[r.body.field] ? $(factFieldId(r.body.field)) : null;
    markFieldError($('fact-form-message'), control, r.body.message);
  } else if (r.status === 409) {
    const now = r.body.current;
    $('fact-form-message').replaceChildren(alertBox('Der Eintrag wurde inzwischen geändert.',
      'Jemand anderes hat ihn berichtigt oder zurückgezogen. Jetzt gilt: ' +
      (now ? `${now.label}: ${factSummary(now)}` : 'nichts mehr (zurückgezogen)') +
      '. Bitte die Liste prüfen; Ihre Eingaben sind nicht gespeichert.', 'warning', false));
  } else {
    $('fact-form-message').replaceChildren(failureBox(r, false));
  }
}

function onFactClick(button) {
  const f = (persons.facts || []).find(x => x.fact === button.dataset.fact);
  switch (button.dataset.action) {
    case 'fact-new':
      renderFactForm('new', null);
      break;
    case 'fact-correct':
      if (f) renderFactForm('correct', f);
      break;
    case 'fact-withdraw':
      if (f) renderFactForm('withdraw', f);
      break;
    case 'fact-cancel':
      persons.factForm = null;
      $('fact-area').replaceChildren(factButton('fact-new', '', 'Tatsache erfassen'));
      $('fact-area').querySelector('button').focus();
      break;
    default:
      break;
  }
}

// ---- view: worklist ----

function resetWorklist() {
  $('worklist').replaceChildren();
  $('worklist').removeAttribute('aria-busy');
}

async function showWorklist(authority) {
  $('authority').value = authority;
  const box = $('worklist');
  box.setAttribute('aria-busy', 'true');
  const r = await api('GET', `/api/v1/worklist?authority=${encodeURIComponent(authority)}`,
    { purpose: purposes.arbeitsliste });
  if (r.dropped) return;
  box.removeAttribute('aria-busy');
  if (r.status === 400 && r.body.code === 'bad_purpose') return purposeRefused('arbeitsliste', r);
  if (!r.ok) {
    box.replaceChildren(failureBox(r, false));
    return;
  }
  const entries = r.body.entries;
  if (!entries.length) {
    box.replaceChildren(el('p', { class: 'kern-body' }, 'Keine Personen in der Arbeitsliste dieser Behörde.'));
    return;
  }
  const th = label => el('th', { scope: 'col', class: 'kern-table__header' }, label);
  const td = (...c) => el('td', { class: 'kern-table__cell' }, ...c);
  box.replaceChildren(
    simulationBox(r.body) || '',
    el('div', { class: 'table-scroll' },
      el('table', { class: 'kern-table kern-table--small', id: 'worklist-table' },
        el('caption', { class: 'kern-sr-only' }, `Arbeitsliste der Behörde ${r.body.authority_id}`),
        el('thead', null, el('tr', { class: 'kern-table__row' },
          th('Pos.'), th('Name'), th('Band'), th('Punkte'), th('Begründung'))),
        el('tbody', { class: 'kern-table__body' }, entries.map(e =>
          el('tr', { class: 'kern-table__row' },
            td(String(e.position)),
            td(el('a', { class: 'kern-link', href: `#person=${e.person_id}` }, text(e.name))),
            td(e.blocked ? tag('gesperrt')
              : e.overdue ? [text(e.priority_band), ' ', tag('Frist überfällig')] : text(e.priority_band)),
            td(String(e.points)),
            td(text(e.reason))))))),
    el('p', { class: 'kern-body kern-body--small' }, `${text(r.body.note)} Katalog ${text(r.body.catalog_version)}.`));
}

// ---- view: evaluation (aggregates only; the server suppresses small cells) ----

function resetEvaluation() {
  $('evaluation').replaceChildren();
  $('evaluation').removeAttribute('aria-busy');
}

// A figure as the server gives it: a count, "<5", a share in per cent, or "–".
function figure(v, percent) {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'boolean') return v ? 'ja' : 'nein';
  if (typeof v === 'number') return percent ? `${Math.round(v * 100)} %` : String(v);
  return text(v);
}

// A table with a caption, column heads and rows of cells (first cell: row head).
function figureTable(caption, heads, rows) {
  const th = (label, scope) => el('th', { scope, class: 'kern-table__header' }, label);
  // wide tables scroll: the region takes focus so the keyboard can scroll it
  return el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
    el('table', { class: 'kern-table kern-table--small' },
      el('caption', { class: 'kern-table__caption' }, caption),
      el('thead', null, el('tr', { class: 'kern-table__row' }, heads.map(h => th(h, 'col')))),
      el('tbody', { class: 'kern-table__body' }, rows.map(cells =>
        el('tr', { class: 'kern-table__row' }, th(cells[0], 'row'),
          cells.slice(1).map(c => el('td', { class: 'kern-table__cell' }, c)))))));
}

const GROUP_HEADS = ['Gruppe', 'Personen entschieden', 'frühere Entscheidungen', 'Auswahlquote',
  'unter 4/5', 'Bestand', 'Band A', 'Band B', 'Band C', 'gesperrt', 'nicht bewertet'];

function groupRows(groups) {
  return groups.map(g => [text(g.gruppe), figure(g.entscheidungen.personen),
    figure(g.entscheidungen.fruehere_entscheidungen), figure(g.entscheidungen.auswahlquote, true),
    figure(g.vier_fuenftel_auffaellig === undefined ? null : g.vier_fuenftel_auffaellig),
    figure(g.bestand.personen), figure(g.bestand.band_a), figure(g.bestand.band_b),
    figure(g.bestand.band_c), figure(g.bestand.gesperrt), figure(g.bestand.nicht_bewertet)]);
}

const SUBGROUPS = [['region', 'Region'], ['behoerde', 'Zuständige Behörde'], ['geschlecht', 'Geschlecht'],
  ['altersgruppe', 'Altersgruppe'], ['staatsangehoerigkeit', 'Staatsangehörigkeit']];

function renderEvaluation(rep) {
  const d = rep.entscheidungen, k = d.kappa, b = rep.bestand, o = rep.ergebnisvalidierung;
  const gates = Object.entries(b.sperren).map(([g, n]) => `${g}: ${figure(n)}`).join(', ') || 'keine';
  const h3 = t => el('h3', { class: 'kern-heading-small' }, t);
  const p = (...c) => el('p', { class: 'kern-body' }, ...c);
  return [
    p(text(rep.hinweis)),
    p(text(rep.kleinzellen)),
    h3('Entscheidungen'),
    descriptionList([
      ['Personen mit Entscheidung (je Person die letzte)', figure(d.personen)],
      ['Frühere Entscheidungen zu denselben Personen', figure(d.fruehere_entscheidungen)],
      ['Personen mit früheren Entscheidungen', figure(d.personen_mit_frueheren)],
      ['Aufgenommen', figure(d.aufgenommen)],
      ['Abweichungen von der Bewertung', `${figure(d.abweichungen)} (${figure(d.abweichungsquote, true)})`],
      ['Cohens Kappa (95-%-KI)', `${figure(k.wert)} (${figure(k.ki_95_unten)} bis ${figure(k.ki_95_oben)})`],
    ]),
    h3('Bestand'),
    descriptionList([
      ['Personen', figure(b.personen)], ['bewertet', figure(b.bewertet)],
      ['Band A / B / C', `${figure(b.band_a)} / ${figure(b.band_b)} / ${figure(b.band_c)}`],
      ['gesperrt', figure(b.gesperrt)], ['nicht bewertet', figure(b.nicht_bewertet)], ['Sperren', gates],
    ]),
    figureTable('Nach Katalog (Version und Prüfsumme)', ['Katalog', 'Personen entschieden',
      'frühere Entscheidungen', 'Auswahlquote', 'Kappa', 'Bestand', 'gesperrt'],
    rep.nach_katalog.map(g => [`${text(g.gruppe)} (${text(g.katalog_hash).slice(0, 12)}…)`,
      figure(g.entscheidungen.personen), figure(g.entscheidungen.fruehere_entscheidungen),
      figure(g.entscheidungen.auswahlquote, true), figure(g.entscheidungen.kappa.wert),
      figure(g.bestand.personen), figure(g.bestand.gesperrt)])),
    h3('Untergruppenprüfung'),
    ...SUBGROUPS.map(([key, title]) => figureTable(title, GROUP_HEADS, groupRows(rep.untergruppen[key]))),
    h3('Ergebnisvalidierung'),
    p(text(o.definition)),
    o.hinweis ? alertBox(text(o.hinweis), null, 'info', false)
      : figureTable('Band gegen Fallergebnis', ['Bewertung', 'Maßnahme', 'ohne Maßnahme', 'kein Ergebnis',
        'Maßnahmequote'], o.tabelle.map(r => [text(r.band), figure(r.massnahme), figure(r.ohne_massnahme),
        figure(r.kein_ergebnis), figure(r.massnahmequote, true)])),
    h3('Dokumentation zur KI-Verordnung (Art. 9–15)'),
    figureTable('Anforderungen der Art. 9–15 und ihre Umsetzung', ['Artikel', 'Anforderung', 'Umsetzung',
      'Dokument', 'Test', 'Lücke'], rep.ki_verordnung.map(a => [text(a.artikel), text(a.anforderung),
      text(a.umsetzung), text(a.dokument), text(a.test), text(a.luecke)])),
  ];
}

async function showEvaluation() {
  const box = $('evaluation');
  const q = new URLSearchParams();
  for (const [id, key] of [['eval-from', 'from'], ['eval-to', 'to'], ['eval-region', 'region']]) {
    const v = $(id).value.trim();
    if (v) q.set(key, v);
  }
  box.setAttribute('aria-busy', 'true');
  const r = await api('GET', `/api/v1/evaluation?${q}`, { purpose: purposes.auswertung });
  if (r.dropped) return;
  box.removeAttribute('aria-busy');
  if (r.status === 400 && r.body.code === 'bad_purpose') return purposeRefused('auswertung', r);
  if (!r.ok) {
    box.replaceChildren(failureBox(r, false));
    return;
  }
  box.replaceChildren(...renderEvaluation(r.body));
}

// ---- view: catalogue approval (admin) ----

const CATALOGUE_STATUS = { freigegeben: 'freigegeben (gilt)', abgeloest: 'abgelöst',
  vorgeschlagen: 'vorgeschlagen' };

// "2026-12-03T19:37:14.924Z" -> "2026-12-03 19:37 UTC"
const utcTime = iso => (iso ? `${String(iso).slice(0, 10)} ${String(iso).slice(11, 16)} UTC` : '–');

// What the current admin may do with catalogue c: approve it unless it is in
// force or the own proposal (four eyes; the server checks it again).
function catalogueAction(c) {
  if (c.in_force) return '–';
  if (c.proposed_by === session.kennung)
    return 'Eigener Vorschlag: Freigabe durch ein anderes Admin-Konto';
  return el('button', { type: 'button', class: 'kern-btn kern-btn--secondary',
    'data-id': String(c.id), 'data-sha': c.sha256,
    'aria-label': `Katalog ${c.name}, Version ${c.version}, SHA-256 ${c.sha256.slice(0, 12)}… freigeben` },
  el('span', { class: 'kern-label' }, 'Freigeben'));
}

async function showCatalogues() {
  const box = $('catalogues');
  box.setAttribute('aria-busy', 'true');
  const r = await api('GET', '/api/v1/catalogues');
  if (r.dropped) return;
  box.removeAttribute('aria-busy');
  if (!r.ok) {
    box.replaceChildren(failureBox(r, false));
    return;
  }
  const th = label => el('th', { scope: 'col', class: 'kern-table__header' }, label);
  const td = (...c) => el('td', { class: 'kern-table__cell' }, ...c);
  const rows = r.body.catalogues;
  box.replaceChildren(
    r.body.in_force ? '' : alertBox('Kein Katalog freigegeben',
      'Bis zur Freigabe werden keine Bewertungen und Entscheidungen gespeichert.', 'warning', false),
    rows.length ? el('div', { class: 'table-scroll' },
      el('table', { class: 'kern-table kern-table--small', id: 'catalogue-table' },
        el('caption', { class: 'kern-sr-only' }, 'Gespeicherte Bewertungskataloge, neueste zuerst'),
        el('thead', null, el('tr', { class: 'kern-table__row' },
          th('Status'), th('Katalog'), th('SHA-256'), th('Vorgeschlagen'), th('Freigegeben'),
          th('Aktion'))),
        el('tbody', { class: 'kern-table__body' }, rows.map(c =>
          el('tr', { class: 'kern-table__row' },
            td(c.in_force ? el('strong', null, CATALOGUE_STATUS[c.status]) : CATALOGUE_STATUS[c.status] || text(c.status)),
            td(`${text(c.name)}, Version ${text(c.version)}`),
            td(el('span', { class: 'sha256' }, text(c.sha256))),
            td(`${text(c.proposed_by)}, ${utcTime(c.proposed_at)}`),
            td(c.approved_by ? `${text(c.approved_by)}, ${utcTime(c.approved_at)}` : '–'),
            td(catalogueAction(c)))))))
      : el('p', { class: 'kern-body' }, 'Noch kein Katalog gespeichert.'));
}

async function onCatalogueClick(event) {
  const button = event.target.closest('button[data-sha]');
  if (!button) return;
  button.disabled = true;
  const r = await api('POST', `/api/v1/catalogues/${encodeURIComponent(button.dataset.id)}/approval`,
    { body: { sha256: button.dataset.sha } });
  if (r.dropped) return;
  $('catalogues-message').replaceChildren(r.ok
    ? alertBox('Katalog freigegeben',
      `${text(r.body.name)}, Version ${text(r.body.version)}, gilt ab sofort (SHA-256 ${text(r.body.sha256)}).`,
      'success', false)
    : failureBox(r, false));
  showCatalogues();
}

async function proposeCatalogue() {
  const box = $('propose-message');
  const catalogueText = $('propose-text').value;
  if (!catalogueText.trim()) {
    box.replaceChildren(alertBox('Bitte einen Katalogtext angeben oder eine Datei laden.', null,
      'danger', false));
    $('propose-text').focus();
    return;
  }
  const r = await api('POST', '/api/v1/catalogues', { body: { text: catalogueText } });
  if (r.dropped) return;
  if (r.status === 201) {
    box.replaceChildren(alertBox('Katalog vorgeschlagen',
      `SHA-256 ${text(r.body.sha256)}. Die Freigabe erteilt ein anderes Admin-Konto.`, 'success', false));
    $('propose-form').reset();
    showCatalogues();
    return;
  }
  if (r.status === 422 && r.body.errors) {
    box.replaceChildren(el('div', { class: 'kern-alert kern-alert--danger' },
      el('div', { class: 'kern-alert__header' },
        el('span', { class: 'kern-title' }, text(r.body.message))),
      el('div', { class: 'kern-alert__body' },
        el('p', { class: 'kern-body refusal-lines' }, text(r.body.errors)))));
    return;
  }
  box.replaceChildren(failureBox(r, false));
}

function loadCatalogueFile() {
  const file = $('propose-file').files[0];
  if (!file) return;
  const reader = new FileReader();
  reader.addEventListener('load', () => { $('propose-text').value = String(reader.result); });
  reader.readAsText(file, 'utf-8');
}

// ---- router ----

const VIEWS = {
  anmeldung: {
    enter(params, byUser) {
      if (byUser) $('login-heading').focus();
    },
  },
  start: {
    enter(params, byUser) {
      if (params.denied)
        $('start-message').replaceChildren(alertBox('Keine Berechtigung',
          `Der Bereich „${TASK_TITLE[params.denied]}“ gehört nicht zu Ihren Rollen.`, 'danger', false));
      else $('start-message').replaceChildren();
      if (byUser) $('start-heading').focus();
    },
  },
  personen: {
    enter(params, byUser) {
      renderPurpose('personen');
      if (!purposes.personen) {
        if (byUser) focusHeading($('view-personen'));
        return;
      }
      if (!persons.loaded) {
        persons.loaded = true;
        loadMorePersons();
      }
      if (params.person) showPerson(params.person, byUser);
    },
  },
  kataloge: {
    enter(params, byUser) {
      $('catalogues-message').replaceChildren();
      $('propose-message').replaceChildren();
      showCatalogues();
      if (byUser) $('catalogues-heading').focus();
    },
  },
  arbeitsliste: {
    enter(params, byUser) {
      renderPurpose('arbeitsliste');
      if (!purposes.arbeitsliste) {
        if (byUser) focusHeading($('view-arbeitsliste'));
        return;
      }
      // the own authority is the usual start (an RRK's id gives its region)
      if (!$('authority').value && session.behoerde && session.behoerde.id)
        $('authority').value = String(session.behoerde.id);
      if (params.authority) showWorklist(params.authority);
    },
  },
  auswertung: {
    enter(params, byUser) {
      renderPurpose('auswertung');
      if (!purposes.auswertung && byUser) focusHeading($('view-auswertung'));
    },
  },
};

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch (e) {
    return s;
  }
}

const ROUTES = [
  [/^#?$/, () => [null, {}]],
  [/^#(anmeldung|start)$/, m => [m[1] === 'start' ? 'start' : null, {}]],
  [/^#personen$/, () => ['personen', {}]],
  [/^#kataloge$/, () => ['kataloge', {}]],
  [/^#person=(.+)$/, m => ['personen', { person: safeDecode(m[1]) }]],
  [/^#arbeitsliste(?:=(.+))?$/, m => ['arbeitsliste', { authority: m[1] && safeDecode(m[1]) }]],
  [/^#auswertung$/, () => ['auswertung', {}]],
];

// Shows the view the hash names: the login view without a session (the hash
// stays, so the user returns there after login); the overview, with a
// refusal, for a view the roles do not include.
function route(byUser) {
  let name = null, params = {};
  for (const [pattern, target] of ROUTES) {
    const m = location.hash.match(pattern);
    if (m) {
      [name, params] = target(m);
      break;
    }
  }
  if (!session) name = 'anmeldung';
  else if (!name) name = hasRole(VIEW_ROLES.personen) ? 'personen' : 'start';
  else if (!hasRole(VIEW_ROLES[name])) [name, params] = ['start', { denied: name }];
  for (const view of document.querySelectorAll('main [data-view]'))
    view.hidden = view.dataset.view !== name;
  for (const link of document.querySelectorAll('#nav a[data-view]')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  VIEWS[name].enter(params, byUser);
}

// On load: an existing session (cookie) continues; otherwise the login view.
async function resume() {
  const r = await api('GET', SESSION_PATH);
  if (r.ok && r.body.csrf) {
    startSession(r.body, false);
    return;
  }
  if (r.status !== 401)
    showLoginMessage(alertBox('Anmeldung derzeit nicht möglich.', r.body.message, 'danger', false));
  route(false);
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('list').addEventListener('click', onListClick);
  $('more').addEventListener('click', loadMorePersons);
  $('card').addEventListener('click', onCardClick);
  $('card').addEventListener('submit', event => {
    if (event.target.id === 'fact-form') {
      event.preventDefault();
      saveFact(event.target);
    }
    if (event.target.id !== 'edit-form') return;
    event.preventDefault();
    saveEdit(event.target);
  });
  $('card').addEventListener('change', event => {
    if (event.target.id === 'fact-kind') renderFactFields(event.target.value, null);
  });
  $('open-form').addEventListener('submit', event => {
    event.preventDefault();
    openPerson($('pid').value.trim());
  });
  $('worklist-form').addEventListener('submit', event => {
    event.preventDefault();
    const authority = $('authority').value.trim();
    const hash = `#arbeitsliste=${encodeURIComponent(authority)}`;
    if (location.hash === hash) showWorklist(authority);
    else location.hash = hash;
  });
  $('evaluation-form').addEventListener('submit', event => {
    event.preventDefault();
    showEvaluation();
  });
  for (const task of Object.keys(purposes)) {
    $(`purpose-${task}`).addEventListener('submit', onPurposeSubmit);
    $(`purpose-${task}`).addEventListener('click', onPurposeClick);
  }
  $('catalogues').addEventListener('click', onCatalogueClick);
  $('propose-file').addEventListener('change', loadCatalogueFile);
  $('propose-form').addEventListener('submit', event => {
    event.preventDefault();
    proposeCatalogue();
  });
  window.addEventListener('hashchange', () => route(true));
  health();
  resume();
});
