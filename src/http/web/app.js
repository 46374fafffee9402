// fallnetz web UI: reads the JSON API and shows data; it never decides.
// Served by fallnetz itself under a Content-Security-Policy without
// 'unsafe-inline': no inline handlers, no style attributes, and every value
// from the API enters the page as text (el() below), never as HTML.
//
// Views: a tiny hash router maps "#personen", "#person=ID" and
// "#arbeitsliste=ID" to views (a <div data-view> each, one shown at a time).
// A login view and a role-based navigation (issue 11) are further entries in
// VIEWS and in the <nav>; route() is where a missing session will divert.
'use strict';

const PURPOSE = 'Sichtung Fallakte (Weboberfläche)';
const HEADERS = { 'X-Fallnetz-Zweck': PURPOSE };

const RESIDENCE = {
  ausreisepflichtig: 'ausreisepflichtig', duldung: 'Duldung', gestattung: 'Gestattung',
  aufenthaltserlaubnis: 'Aufenthaltserlaubnis', niederlassungserlaubnis: 'Niederlassungserl.',
  daueraufenthalt_eu: 'Daueraufenthalt-EU', unbekannt: 'unbekannt',
};

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

// GET of an API path; resolves to {ok, status, body}. Network errors become
// a German message rather than an exception.
async function apiGet(path) {
  try {
    const r = await fetch(path, { headers: HEADERS });
    const body = await r.json().catch(() => ({ message: 'Antwort nicht lesbar.' }));
    return { ok: r.ok, status: r.status, body };
  } catch (e) {
    return { ok: false, status: 0, body: { message: 'Server nicht erreichbar.' } };
  }
}

function alertBox(message) {
  return el('div', { class: 'kern-alert kern-alert--danger', role: 'alert' },
    el('div', { class: 'kern-alert__header' },
      el('span', { class: 'kern-title' }, text(message))));
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

// ---- status line ----

async function health() {
  const r = await apiGet('/api/v1/health');
  $('status').textContent = r.ok
    ? `Version ${r.body.version} · ${r.body.store.persons} Personen · Datenbank ${r.body.store.state}`
    : 'Server nicht erreichbar';
}

// ---- view: persons and case file ----

const persons = { after: 0, loaded: false, shownId: null };

async function loadMorePersons() {
  const r = await apiGet(`/api/v1/persons?limit=50&after=${persons.after}`);
  if (!r.ok) {
    $('list').after(alertBox(r.body.message));
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
  if (!r.body.persons.length) $('more').disabled = true;
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
  ];
}

function assessmentSection(a) {
  const byId = Object.fromEntries(a.trace.map(t => [t.id, t]));
  const titled = ids => ids.map(g => `${g} ${byId[g] ? byId[g].title : ''}`).join('; ');
  return [
    el('h3', { class: 'kern-heading-small' }, 'Initialbewertung'),
    descriptionList([
      ['Sperren', a.gates.length ? titled(a.gates) : 'keine'],
      ['Prioritätsband', `${text(a.priority_band)} (${a.points} Punkte)`],
      ['Gegengewichte', a.counter_weights.length
        ? `${titled(a.counter_weights)} – Einzelfallabwägung nötig` : 'keine'],
      ['Machbarkeit', text(a.feasibility.band)],
      ['Fristen', a.deadlines.length
        ? a.deadlines.map(d => `${d.rule} in ${d.days} Tagen`).join('; ') : 'keine'],
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
  const r = await apiGet(`/api/v1/persons/${encodeURIComponent(id)}`);
  if (persons.shownId !== id) return; // a later click won
  card.replaceChildren(...(r.ok ? personFile(r.body) : [alertBox(r.body.message)]));
  card.removeAttribute('aria-busy');
  if (focus) $('card-heading').focus();
  if (!r.ok) return;
  const a = await apiGet(`/api/v1/assessments/${encodeURIComponent(id)}`);
  if (persons.shownId === id && a.ok) card.append(...assessmentSection(a.body));
}

// ---- view: worklist ----

async function showWorklist(authority) {
  $('authority').value = authority;
  const box = $('worklist');
  box.setAttribute('aria-busy', 'true');
  const r = await apiGet(`/api/v1/worklist?authority=${encodeURIComponent(authority)}`);
  box.removeAttribute('aria-busy');
  if (!r.ok) {
    box.replaceChildren(alertBox(r.body.message));
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
    el('div', { class: 'table-scroll' },
      el('table', { class: 'kern-table kern-table--small', id: 'worklist-table' },
        el('caption', { class: 'kern-sr-only' }, `Arbeitsliste der Behörde ${r.body.authority_id}`),
        el('thead', null, el('tr', { class: 'kern-table__row' },
          th('Pos.'), th('Name'), th('Band'), th('Punkte'), th('Begründung'))),
        el('tbody', { class: 'kern-table__body' }, entries.map(e =>
          el('tr', { class: 'kern-table__row' },
            td(String(e.position)),
            td(el('a', { class: 'kern-link', href: `#person=${e.person_id}` }, text(e.name))),
            td(e.blocked ? tag('gesperrt') : text(e.priority_band)),
            td(String(e.points)),
            td(text(e.reason))))))),
    el('p', { class: 'kern-body kern-body--small' }, `${text(r.body.note)} Katalog ${text(r.body.catalog_version)}.`));
}

// ---- router ----

const VIEWS = {
  personen: {
    enter(params, byUser) {
      if (!persons.loaded) {
        persons.loaded = true;
        loadMorePersons();
      }
      if (params.person) showPerson(params.person, byUser);
    },
  },
  arbeitsliste: {
    enter(params) {
      if (params.authority) showWorklist(params.authority);
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
  [/^#?(personen)?$/, () => ['personen', {}]],
  [/^#person=(.+)$/, m => ['personen', { person: safeDecode(m[1]) }]],
  [/^#arbeitsliste(?:=(.+))?$/, m => ['arbeitsliste', { authority: m[1] && safeDecode(m[1]) }]],
];

function route(byUser) {
  let name = 'personen', params = {};
  for (const [pattern, target] of ROUTES) {
    const m = location.hash.match(pattern);
    if (m) {
      [name, params] = target(m);
      break;
    }
  }
  for (const view of document.querySelectorAll('main [data-view]'))
    view.hidden = view.dataset.view !== name;
  for (const link of document.querySelectorAll('#nav a[data-view]')) {
    if (link.dataset.view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  VIEWS[name].enter(params, byUser);
}

document.addEventListener('DOMContentLoaded', () => {
  $('list').addEventListener('click', onListClick);
  $('more').addEventListener('click', loadMorePersons);
  $('open-form').addEventListener('submit', event => {
    event.preventDefault();
    openPerson($('pid').value.trim());
  });
  $('worklist-form').addEventListener('submit', event => {
    event.preventDefault();
    location.hash = `#arbeitsliste=${encodeURIComponent($('authority').value.trim())}`;
  });
  window.addEventListener('hashchange', () => route(true));
  health();
  route(false);
});
