// The operators' console. Every datum comes from /api/v1 with the signed-in key; everything shown is set as text
// (textContent, never markup), so a hostile corp name or payload shows as the characters it is.
'use strict';

const KEY = 'wecombridge.apiKey';
const $ = id => document.getElementById(id);

class ApiError extends Error {
  constructor(status, body) {
    super(describe(status, body));
    this.status = status;
    this.body = body;
  }
}

function describe(status, body) {
  const detail = body && typeof body === 'object' ? (body.detail || body.title || '') : '';
  const fields = body && typeof body === 'object' && body.errors ? Object.values(body.errors).flat().join('; ') : '';
  return `HTTP ${status}` + (detail ? `: ${detail}` : '') + (fields ? ` (${fields})` : '');
}

/** Builds an element: attributes (text goes in as text), then children (strings become text nodes). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name === 'class') node.className = String(value);
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const STATES = ['healthy', 'degraded', 'unknown', 'ok', 'failing', 'heard', 'refused', 'never', 'paused'];
const badge = state => el('span', { class: 'badge ' + (STATES.includes(state) ? state : 'other'), text: state ?? 'unknown' });
const time = value => {
  if (!value) return '';
  const date = new Date(value);
  return isNaN(date) ? String(value) : date.toISOString().replace('T', ' ').slice(0, 19) + 'Z';
};
const seg = value => encodeURIComponent(String(value));

function table(headers, rows) {
  return el('table', {}, el('thead', {}, el('tr', {}, headers.map(h => el('th', { text: h })))),
    el('tbody', {}, rows.map(cells => el('tr', {}, cells.map(c => el('td', {}, c))))));
}

function fill(panel, ...children) {
  const body = $(panel).querySelector('.body');
  body.replaceChildren(...children.flat().filter(c => c !== null && c !== undefined));
}

/** Like fill, for a container of its own (by id) inside a panel. */
function put(id, ...children) {
  $(id).replaceChildren(...children.flat().filter(c => c !== null && c !== undefined));
}

const problem = error => el('p', { class: 'error', text: error.message });
const empty = text => el('p', { class: 'empty', text });

async function api(method, path) {
  const key = sessionStorage.getItem(KEY);
  if (!key) throw new ApiError(401, { detail: 'not signed in' });
  const response = await fetch('/api/v1' + path, {
    method, cache: 'no-store', headers: { Authorization: 'Bearer ' + key, Accept: 'application/json' },
  });
  const text = await response.text();
  let body = null;
  if (text) {
    try { body = JSON.parse(text); } catch { body = null; }
  }
  if (response.status === 401) {
    signOut('The API key was refused (401): sign in again with a configured key.');
    throw new ApiError(401, body);
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

// Sign-in ---------------------------------------------------------------------------------------------------------

async function signIn(event) {
  event.preventDefault();
  const input = $('key');
  const key = input.value.trim();
  $('signin-error').textContent = '';
  if (!key) return;
  let response;
  try {
    response = await fetch('/api/v1/health/accounts', { cache: 'no-store', headers: { Authorization: 'Bearer ' + key } });
  } catch {
    $('signin-error').textContent = 'The bridge did not answer: check that it runs and try again.';
    return;
  }
  if (response.status === 401) {
    $('signin-error').textContent = 'Wrong API key: the bridge refused it (401). Check the key and try again.';
    return;
  }
  if (!response.ok) {
    $('signin-error').textContent = `Sign-in failed (HTTP ${response.status}).`;
    return;
  }
  input.value = '';
  sessionStorage.setItem(KEY, key);
  show(true);
  refresh();
}

function signOut(message) {
  sessionStorage.removeItem(KEY);
  setAuto(false);
  show(false);
  $('signin-error').textContent = typeof message === 'string' ? message : '';
}

function show(signedIn) {
  $('signin').hidden = signedIn;
  $('panels').hidden = !signedIn;
  for (const id of ['refresh', 'signout', 'auto-label']) $(id).hidden = !signedIn;
}

let timer = null;
function setAuto(on) {
  $('auto').checked = on;
  if (timer) clearInterval(timer);
  timer = on ? setInterval(refresh, 10000) : null;
}

// Panels ----------------------------------------------------------------------------------------------------------

let corps = [];

async function refresh() {
  $('status').textContent = 'loading…';
  await loadHealth();
  await Promise.all([loadSendErrors(), loadRates(), loadStuck(), loadAmbiguous(), loadDeadLetters(), loadQuarantine(), loadJourneys()]);
  $('status').textContent = 'updated ' + time(new Date().toISOString());
}

async function loadHealth() {
  try {
    const page = await api('GET', '/health/accounts');
    corps = (page.corps || []).map(c => c.corp);
    fill('health', el('p', {}, 'Overall ', badge(page.status), ` checked ${time(page.checkedAt)}`),
      (page.corps || []).map(corpCard), (page.accounts || []).map(accountCard),
      !(page.corps || []).length && !(page.accounts || []).length ? empty('No corp or account this key may use.') : null);
    fillErrors(page);
  } catch (error) {
    corps = [];
    fill('health', problem(error));
    fill('errors', problem(error));
  }
}

function tokenRow(token) {
  if (!token) return null;
  return [token.secret, badge(token.state), token.errCode ?? '', time(token.lastOkAt), time(token.lastFailedAt),
    el('span', { class: 'advice', text: token.advice ?? '' })];
}

function pausesTable(pauses) {
  if (!pauses || !pauses.length) return null;
  return [el('h3', { text: 'Send pauses' }), table(['Scope', 'Cause', 'Errcode', 'Since', 'Until', 'Advice'],
    pauses.map(p => [p.scope, p.cause, p.errCode ?? '', time(p.since), time(p.until), el('span', { class: 'advice', text: p.advice })]))];
}

function problems(list) {
  if (!list || !list.length) return null;
  return el('ul', { class: 'problems' }, list.map(p => el('li', { class: 'advice', text: p })));
}

function corpCard(corp) {
  const tokens = [tokenRow(corp.contactToken), ...(corp.apps || []).map(a => tokenRow(a.token))].filter(Boolean);
  const callbacks = (corp.apps || []).filter(a => a.callback).map(a => a.callback);
  return el('div', { class: 'card', 'data-corp': corp.corp },
    el('h3', {}, 'Corp ', el('strong', { text: corp.corp }), ' ', badge(corp.status)),
    problems(corp.problems),
    tokens.length ? table(['Secret', 'Token', 'Errcode', 'Last ok', 'Last failed', 'Advice'], tokens) : null,
    callbacks.length ? table(['Callback URL', 'State', 'Last heard', 'Advice'],
      callbacks.map(c => [c.url, badge(c.state), time(c.lastHeardAt), el('span', { class: 'advice', text: c.advice ?? '' })])) : null,
    pausesTable(corp.pauses));
}

function accountCard(account) {
  const token = tokenRow(account.token);
  const callback = account.callback;
  return el('div', { class: 'card', 'data-account': account.account },
    el('h3', {}, 'Official Account ', el('strong', { text: account.account }), ' ', badge(account.status)),
    problems(account.problems),
    token ? table(['Secret', 'Token', 'Errcode', 'Last ok', 'Last failed', 'Advice'], [token]) : null,
    callback ? table(['Callback URL', 'State', 'Last heard', 'Advice'],
      [[callback.url, badge(callback.state), time(callback.lastHeardAt), el('span', { class: 'advice', text: callback.advice ?? '' })]]) : null,
    pausesTable(account.pauses));
}

/** The errcodes the health report carries now (failing token fetches, pauses), grouped, each with its advice. */
function fillErrors(page) {
  const byCode = new Map();
  const add = (code, where, at, advice) => {
    const key = code ?? 'none';
    const entry = byCode.get(key) || { code: key, where: [], latest: '', advice: advice || '' };
    entry.where.push(where);
    if (at && at > entry.latest) entry.latest = at;
    if (!entry.advice && advice) entry.advice = advice;
    byCode.set(key, entry);
  };
  const fromOwner = (owner, tokens, pauses) => {
    for (const t of tokens.filter(t => t && t.state === 'failing')) add(t.errCode, `${owner}: ${t.secret}`, t.lastFailedAt, t.advice);
    for (const p of pauses || []) add(p.errCode, `${owner}: sends of ${p.scope} paused (${p.cause})`, p.since, p.advice);
  };
  for (const c of page.corps || []) fromOwner(c.corp, [c.contactToken, ...(c.apps || []).map(a => a.token)], c.pauses);
  for (const a of page.accounts || []) fromOwner(a.account, [a.token], a.pauses);
  const rows = [...byCode.values()].sort((a, b) => (b.latest > a.latest ? 1 : -1))
    .map(e => [String(e.code), String(e.where.length), el('ul', {}, e.where.map(w => el('li', { text: w }))), time(e.latest),
      el('span', { class: 'advice', text: e.advice })]);
  fill('errors', rows.length ? table(['Errcode', 'Count', 'Where', 'Latest', 'Advice'], rows)
    : empty('No token fetch is failing and no send is paused.'));
}

/** The last hour's failed and ambiguous sends by corp (account), state and errcode, with advice and the latest sends. */
async function loadSendErrors() {
  try {
    const page = await api('GET', '/dispatch/errors');
    const span = page.windowSeconds === 3600 ? 'hour' : `${Math.round(page.windowSeconds / 60)} minutes`;
    $('send-errors-title').textContent = `Sends that failed or ended ambiguous in the last ${span}`;
    const rows = (page.errors || []).map(e => [e.corp ?? e.account, e.state, e.errCode ?? 'none', String(e.count), time(e.firstSeen),
      time(e.lastSeen), el('ul', {}, (e.recent || []).map(r => el('li', { text: `${r.messageId} (${r.kind}) ${time(r.at)}: ${r.reason}` }))),
      el('span', { class: 'advice', text: e.advice })]);
    put('send-errors', rows.length
      ? table(['Corp / account', 'State', 'Errcode', 'Count', 'First seen', 'Last seen', 'Latest sends', 'Advice'], rows)
      : empty(`No send failed or ended ambiguous in the last ${span}.`));
  } catch (error) {
    put('send-errors', error.status === 404 ? empty('Send errors are the dispatcher\'s: this instance does not dispatch.') : problem(error));
  }
}

async function loadRates() {
  try {
    const page = await api('GET', '/dispatch/rates');
    const rows = (page.buckets || []).filter(b => b.departed > 0 || b.reservedAheadSeconds > 0 || b.pause);
    const idle = (page.buckets || []).length - rows.length;
    fill('rates', rows.length ? table(['Corp / account', 'API', 'Calls in window', '', 'Reserved ahead', 'Pause'], rows.map(b => [
      b.corp ?? b.account, b.api, `${b.departed} / ${b.permits} per ${b.windowSeconds} s`,
      el('meter', { min: 0, max: b.permits, value: b.departed, high: b.permits * 0.9 }),
      b.reservedAheadSeconds > 0 ? `${b.reservedAheadSeconds.toFixed(1)} s` : '',
      b.pause ? el('span', {}, badge('paused'), ` until ${time(b.pause.until)} (errcode ${b.pause.errCode ?? 'none'}) `,
        el('span', { class: 'advice', text: b.pause.advice })) : '',
    ])) : empty('No calls in the last window.'), el('p', { class: 'note', text: `${idle} idle API bucket(s) not shown.` }));
  } catch (error) {
    fill('rates', error.status === 404 ? empty('Rates are the dispatcher\'s: this instance does not dispatch.') : problem(error));
  }
}

async function loadStuck() {
  try {
    const page = await api('GET', '/dispatch/stuck');
    fill('stuck', (page.sends || []).length ? table(['Message', 'Kind', 'Corp / account', 'State', 'Overdue', 'Attempts', 'Reason', 'Swept at'],
      page.sends.map(s => [s.messageId, s.kind, s.corp ?? s.account, s.state, `${Math.round(s.overdueSeconds)} s`, String(s.attempts),
        s.reason ?? '', time(s.sweptAt)])) : empty('No send is stuck.'),
      el('p', { class: 'note', text: 'Ambiguous sends are final: the latest are listed below; look any send up by its message id.' }));
  } catch (error) {
    fill('stuck', error.status === 404 ? empty('Sends are the dispatcher\'s: this instance does not dispatch.') : problem(error));
  }
}

/** The latest ambiguous sends: their call may have reached WeCom, so the bridge does not repeat them. */
async function loadAmbiguous() {
  try {
    const page = await api('GET', '/dispatch/ambiguous?limit=50');
    put('ambiguous', (page.sends || []).length ? table(['Message', 'Kind', 'Corp / account', 'Ambiguous at', 'First call', 'Reason'],
      page.sends.map(s => [s.messageId, s.kind, s.corp ?? s.account, time(s.at), time(s.firstCallAt), s.reason ?? '']))
      : empty('No recent ambiguous send.'));
  } catch (error) {
    put('ambiguous', error.status === 404 ? empty('Sends are the dispatcher\'s: this instance does not dispatch.') : problem(error));
  }
}

async function lookUp(event) {
  event.preventDefault();
  const id = $('lookup-id').value.trim();
  if (!id) return;
  try {
    const s = await api('GET', `/messages/${seg(id)}`);
    $('lookup').replaceChildren(table(['Message', 'State', 'Errcode', 'Reason', 'Updated'],
      [[s.messageId ?? id, s.state ?? '', s.errCode ?? '', s.reason ?? '', time(s.updatedAt)]]));
  } catch (error) {
    $('lookup').replaceChildren(problem(error));
  }
}

async function loadDeadLetters() {
  try {
    const overview = await api('GET', '/dead-letters');
    const queues = overview.queues || [];
    const parts = [el('p', { class: 'note', text: `${overview.count} stored (${overview.bytes} bytes of ${overview.maxBytes}).` })];
    for (const q of queues) {
      parts.push(el('h3', {}, 'Queue ', el('strong', { text: q.queue }), ` — ${q.count} stored`,
        q.waitingOnBroker ? `, ${q.waitingOnBroker} waiting on the broker` : ''));
      const page = await api('GET', `/dead-letters/queues/${seg(q.queue)}?limit=20`);
      parts.push(table(['Id', 'Type', 'Fault', 'Faulted', ''], (page.items || []).map(letter => [
        letter.id, letter.messageType ?? '', `${letter.fault?.exceptionType ?? ''}: ${letter.fault?.message ?? ''}`,
        time(letter.faultedAt), actions('dead-letters', letter.id, letter.id)])));
    }
    fill('dead-letters', queues.length ? parts : empty('No dead letters.'));
  } catch (error) {
    fill('dead-letters', error.status === 403 ? empty('This API key is not one of DeadLetters:OperatorKeys.') : problem(error));
  }
}

async function loadQuarantine() {
  try {
    const page = await api('GET', '/gateway/quarantine?limit=50');
    fill('quarantine', (page.items || []).length ? table(['Id', 'Event', 'Type', 'Reason', 'Quarantined', ''],
      page.items.map(e => [String(e.id), e.eventId, e.type, e.reason, time(e.quarantinedAt),
        actions('gateway/quarantine', e.id, e.eventId)])) : empty('Nothing quarantined.'));
  } catch (error) {
    fill('quarantine', error.status === 404 ? empty('This instance has no spool (it is not a gateway).') : problem(error));
  }
}

/** Inspect, replay and discard (discard asks once more) of a dead letter or a quarantined event. */
function actions(base, id, label) {
  const out = el('div', { class: 'inspect' });
  const run = async (method, path, done) => {
    try {
      await api(method, `/${base}/${seg(id)}${path}`);
      $('status').textContent = `${label} ${done}`;
      await (base === 'dead-letters' ? loadDeadLetters() : loadQuarantine());
    } catch (error) {
      out.replaceChildren(problem(error));
    }
  };
  const discard = el('button', { type: 'button', text: 'Discard' });
  discard.addEventListener('click', () => {
    if (discard.dataset.armed) return run('DELETE', '', 'discarded');
    discard.dataset.armed = 'yes';
    discard.textContent = 'Confirm discard';
  });
  return el('div', { class: 'actions' },
    el('button', {
      type: 'button', text: 'Inspect', onclick: async () => {
        try {
          const view = await api('GET', `/${base}/${seg(id)}`);
          out.replaceChildren(el('pre', { text: JSON.stringify(view, null, 2) }));
        } catch (error) {
          out.replaceChildren(problem(error));
        }
      },
    }),
    el('button', { type: 'button', text: 'Replay', onclick: () => run('POST', '/replay', 'replayed') }),
    discard, out);
}

async function loadJourneys() {
  const parts = [];
  try {
    for (const corp of corps) {
      const list = await api('GET', `/journeys/${seg(corp)}`);
      const journeys = Array.isArray(list) ? list : (list?.items ?? list?.journeys ?? []);
      parts.push(el('h3', {}, 'Corp ', el('strong', { text: corp })));
      if (!journeys.length) { parts.push(empty('No journeys.')); continue; }
      for (const j of journeys) parts.push(await journeyCard(corp, j));
    }
    fill('journeys', corps.length ? parts : empty('No corp this key may use.'));
  } catch (error) {
    fill('journeys', error.status === 404 ? empty('Journeys are not available on this bridge.')
      : error.status === 503 ? empty('Journeys are defined but not running on this dispatcher (HTTP 503): no progress to show.')
        : problem(error));
  }
}

/** One journey's progress: enrolments by state, then per step what is due and what became of it. 503 goes up. */
async function journeyCard(corp, j) {
  const id = j.id ?? j.journeyId;
  const title = el('p', {}, el('strong', { text: j.name ?? id }), ` (${id}, version ${j.version ?? '?'}${j.active === false ? ', inactive' : ''})`);
  let p;
  try {
    p = await api('GET', `/journeys/${seg(corp)}/${seg(id)}/progress`);
  } catch (error) {
    if (error.status === 503) throw error;
    return el('div', { class: 'card', 'data-journey': id }, title, problem(error));
  }
  return el('div', { class: 'card', 'data-journey': id }, title,
    table(['Enrolled', 'Active', 'Completed', 'Exited'], [[p.enrolled, p.active, p.completed, p.exited].map(n => String(n ?? 0))]),
    (p.steps || []).length ? table(['Step', 'Due', 'Taken', 'Skipped', 'Failed'],
      p.steps.map(s => [s.id, s.due, s.taken, s.skipped, s.failed].map(n => String(n ?? 0)))) : null);
}

// Start -----------------------------------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  $('signin-form').addEventListener('submit', signIn);
  $('lookup-form').addEventListener('submit', lookUp);
  $('signout').addEventListener('click', () => signOut());
  $('refresh').addEventListener('click', refresh);
  $('auto').addEventListener('change', () => setAuto($('auto').checked));
  const signedIn = !!sessionStorage.getItem(KEY);
  show(signedIn);
  if (signedIn) refresh();
});
