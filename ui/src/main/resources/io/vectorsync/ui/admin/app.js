// Vectorsync admin console: one page, plain JavaScript, nothing from outside. Live status comes from the
// server-sent events of /v1/admin/stream; actions call the admin API and report their outcome in a toast.
// Every piece of text from the server is set as text (never as HTML).
// When the server has API keys, the console first asks GET /v1/admin/session: without a session it shows only
// its login form (an admin key, exchanged once for an HttpOnly session cookie) and loads nothing else; with one
// it keeps the session's CSRF token in memory (never in storage) and sends it with every change.

import {renderApi} from './api.js';
import {TimeSeriesChart} from './charts.js';

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

/** Creates an element: h('td', {class: 'num', dataset: {field: 'lag'}}, 'text', child, ...). */
function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name === 'class') element.className = value;
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

const number = value => (value === undefined || value === null) ? '—' : Number(value).toLocaleString('en-US');
const when = iso => iso ? new Date(iso).toLocaleString('en-GB', {dateStyle: 'medium', timeStyle: 'medium'}) : '—';
const pill = (text, kind = text) => h('span', {class: `pill ${kind}`}, text);

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, problem) {
    super(problem && (problem.detail || problem.title) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

/** What GET /v1/admin/session said: whether keys are required and, in a session, its key and CSRF token. */
const session = {authRequired: null, csrfToken: null, keyId: null, name: null, role: null};
/** 'starting' (asking for the session), 'login' (the form and nothing else) or 'console'. */
let mode = 'starting';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Calls the API. A change carries the session's CSRF token (the cookie alone is not enough for one). A 401 means
 * the session ended (logged out elsewhere, expired, its key revoked) or keys were turned on: the console goes back
 * to its login form, unless expected401 says the caller handles it (the session check, the login).
 */
async function api(method, path, body, {expected401 = false, retried = false} = {}) {
  const options = {method, headers: {Accept: 'application/json, application/problem+json'}, credentials: 'same-origin'};
  if (!SAFE_METHODS.has(method) && session.csrfToken) options.headers['X-CSRF-Token'] = session.csrfToken;
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (e) {
    throw new ApiError(0, {title: 'Network error', detail: `The server did not answer (${e.message}).`});
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = {detail: text}; }
  if (!response.ok) {
    const error = new ApiError(response.status, json);
    if (response.status === 401 && !expected401) sessionEnded();
    // another tab logged in again and replaced the cookie: its session has another token (nothing was done)
    if (response.status === 403 && !retried && session.authRequired && /\/csrf-token-missing$/.test(error.problem.type || '')) {
      await checkSession({quiet: true});
      if (mode === 'console' && session.csrfToken) return api(method, path, body, {expected401, retried: true});
    }
    throw error;
  }
  return json;
}

const enc = encodeURIComponent;

// ---------------------------------------------------------------- toast, confirmation, busy buttons

let toastTimer;
function toast(text, error = false) {
  const element = $('#toast');
  element.textContent = text;
  element.classList.toggle('error', error);
  element.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { element.hidden = true; }, error ? 12000 : 6000);
}

function confirmAction(title, text, confirmLabel) {
  const dialog = $('#confirm');
  $('#confirm-title').textContent = title;
  $('#confirm-text').textContent = text;
  $('[data-confirm=yes]', dialog).textContent = confirmLabel;
  dialog.returnValue = '';
  return new Promise(resolve => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), {once: true});
    dialog.showModal();
  });
}

/** Runs an action from a button: busy while it runs, its outcome (or its problem) in a toast. */
async function act(button, action, success) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const result = await action();
    if (success) toast(typeof success === 'function' ? success(result) : success);
    return result;
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) toast(problemText(e), true); // 401: the login form says so
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

function problemText(e) {
  if (e instanceof ApiError) {
    const p = e.problem;
    return [p.title || `HTTP ${e.status}`, p.detail].filter(Boolean).join(': ');
  }
  return e.message || String(e);
}

function errorBox(e) {
  const p = e instanceof ApiError ? e.problem : {};
  return h('div', {class: 'error-box', role: 'alert', dataset: {test: 'error'}},
    h('strong', {}, p.title || (e.status ? `HTTP ${e.status}` : 'Error')),
    p.detail || e.message,
    p.field ? h('div', {}, 'Field: ', h('code', {}, p.field)) : null);
}

// ---------------------------------------------------------------- live state (server-sent events)

const state = {processors: null, indexes: null, deadLetters: null, cache: null, activity: null};
const listeners = [];
const onState = listener => listeners.push(listener);

let source = null;
let offlineTimer;
let reconnectTimer;

function connect() {
  disconnect();
  const live = $('#live');
  const label = $('.label', live);
  live.dataset.state = 'connecting';
  label.textContent = 'connecting…';
  const stream = source = new EventSource('/v1/admin/stream'); // same origin: the session cookie goes with it
  stream.onopen = () => {
    live.dataset.state = 'connected';
    label.textContent = 'live';
    clearTimeout(offlineTimer);
    $('#offline').hidden = true;
  };
  stream.onerror = () => {
    if (stream !== source) return;
    live.dataset.state = 'disconnected';
    label.textContent = 'reconnecting…';
    // a reconnect after a deploy takes a moment; say so only when it lasts
    clearTimeout(offlineTimer);
    offlineTimer = setTimeout(() => { $('#offline').hidden = live.dataset.state === 'connected' || mode !== 'console'; }, 3000);
    streamFailed(stream);
  };
  for (const kind of Object.keys(state)) {
    stream.addEventListener(kind, event => {
      if (stream !== source) return;
      state[kind] = JSON.parse(event.data);
      listeners.forEach(listener => listener(kind));
    });
  }
  stream.addEventListener('error', event => { if (event.data) toast(`Live status: ${event.data}`, true); });
}

function disconnect() {
  clearTimeout(reconnectTimer);
  clearTimeout(offlineTimer);
  if (source) source.close();
  source = null;
}

/**
 * The stream broke: the server restarted or went away (the browser reconnects by itself), or it refused or ended
 * the stream (once the session ended: the browser gives up on a 401). Asks whether the session still holds:
 * without one the login form shows; with one, a stream the browser gave up on is opened again.
 */
let checkingStream = false;
async function streamFailed(stream) {
  if (checkingStream || mode !== 'console') return;
  checkingStream = true;
  try {
    await checkSession({quiet: true});
  } finally {
    checkingStream = false;
  }
  if (mode === 'console' && stream === source && stream.readyState === EventSource.CLOSED) {
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(() => { if (mode === 'console' && stream === source) connect(); }, 2000);
  }
}

const spaces = () => (state.indexes && state.indexes.spaces) || [];
const spaceOf = name => spaces().find(space => space.space === name);

// ---------------------------------------------------------------- router

const views = {};
let current = null;

function route() {
  if (mode !== 'console') return; // the login form first; the hash is kept for after it
  const [name, ...rest] = (location.hash.replace(/^#\/?/, '') || 'processors').split('/');
  const view = views[name] ? name : 'processors';
  const changed = current !== view;
  if (changed && secretShown()) { // a new key's secret is shown once: leaving the view forgets it
    dismissSecret();
    if (mode !== 'console') return;
  }
  current = view;
  for (const [key] of Object.entries(views)) $(`#view-${key}`).hidden = key !== view;
  for (const link of $$('[data-nav]')) {
    if (link.dataset.nav === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `Vectorsync — ${$(`#view-${view} h1`).textContent}`;
  views[view].show(rest.map(decodeURIComponent), changed);
}

// ---------------------------------------------------------------- processors

function processorState(p) {
  if (p.error || (p.segments || []).some(s => s.errorState)) return 'error';
  return p.running ? 'running' : 'paused';
}

/** A streaming processor's lag in events: its slowest segment's (each counts from the head). */
const processorLag = p => Math.max(0, ...(p.segments || []).map(s => s.lagEvents || 0));

/** How far a replay has got: the slowest segment's position of the position the replay runs until. */
function replayProgress(segments) {
  const until = Math.max(...segments.map(s => s.replayingUntil ?? -1));
  if (until < 0) return null;
  const at = Math.max(0, Math.min(...segments.filter(s => s.replaying).map(s => s.position ?? 0)));
  return h('span', {class: 'sub'}, h('progress', {max: Math.max(1, until), value: Math.min(at, until),
    'aria-label': `replayed ${at} of ${until} events`}), ` ${number(at)} of ${number(until)}`);
}

function renderProcessors() {
  const body = $('#processors-body');
  if (!state.processors) return;
  const processors = state.processors.processors;
  if (!processors.length) {
    body.replaceChildren(h('p', {class: 'empty', dataset: {empty: ''}}, 'No processing groups.'));
    return;
  }
  const rows = processors.map(p => {
    const segments = p.segments || [];
    const streaming = p.kind === 'streaming';
    const processorStateText = processorState(p);
    const lag = processorLag(p);
    const lagSeconds = Math.max(0, ...segments.map(s => s.lagSeconds || 0));
    const position = segments.length ? Math.min(...segments.map(s => s.position ?? -1)) : null;
    const replaying = segments.some(s => s.replaying);
    const errors = segments.filter(s => s.errorState).map(s => `segment ${s.segment}: ${s.errorState}`);
    const name = p.name;
    return h('tr', {dataset: {processor: name}},
      h('td', {}, h('strong', {}, name), h('span', {class: 'sub'}, p.kind,
        streaming ? ` · ${segments.length} segment${segments.length === 1 ? '' : 's'}` : '')),
      h('td', {}, h('span', {dataset: {field: 'state'}, class: `pill ${processorStateText}`}, processorStateText),
        replaying ? [' ', pill('replaying'), replayProgress(segments)] : null,
        streaming && !replaying && segments.length && processorStateText === 'running'
          ? [' ', segments.every(s => s.caughtUp) ? pill('caught up', 'ok') : pill('catching up', 'warn')] : null,
        errors.map(error => h('span', {class: 'sub'}, error))),
      h('td', {class: 'num', dataset: {field: 'position'}}, streaming ? (position === null || position < 0 ? '—' : number(position)) : '—'),
      h('td', {class: 'num'}, streaming ? number(p.head) : '—'),
      h('td', {class: 'num', dataset: {field: 'lag'}}, streaming ? number(lag) : '0'),
      h('td', {class: 'num'}, streaming ? `${lagSeconds.toFixed(1)} s` : '—'),
      h('td', {}, streaming ? segments.map(s => h('span', {class: 'sub'}, `#${s.segment} → ${s.claimedBy || 'unclaimed'}`)) : 'writer\'s unit of work'),
      h('td', {}, streaming ? h('div', {class: 'row-actions'},
        p.running
          ? h('button', {class: 'small', dataset: {action: 'pause'}, onclick: e => act(e.currentTarget,
              () => api('POST', `/v1/admin/processors/${enc(name)}/pause`), `Paused ${name}`)}, 'Pause')
          : h('button', {class: 'small', dataset: {action: 'resume'}, onclick: e => act(e.currentTarget,
              () => api('POST', `/v1/admin/processors/${enc(name)}/resume`), `Resumed ${name}`)}, 'Resume'),
        h('button', {class: 'small', dataset: {action: 'replay'}, onclick: async e => {
          const button = e.currentTarget;
          if (await confirmAction(`Replay ${name}?`, `${name} forgets its position and processes the whole log again; `
            + 'its reset handler empties its target first, so searches see the index fill up again. '
            + 'A blue/green rebuild (Indexes) avoids that gap.', 'Replay')) {
            act(button, () => api('POST', `/v1/admin/processors/${enc(name)}/replay`), `${name} replays the log from the start`);
          }
        }}, 'Replay…')) : null));
  });
  body.replaceChildren(h('div', {class: 'table-wrap'}, h('table', {dataset: {test: 'processors'}},
    h('thead', {}, h('tr', {}, h('th', {}, 'Group'), h('th', {}, 'State'), h('th', {class: 'num'}, 'Position'),
      h('th', {class: 'num'}, 'Head'), h('th', {class: 'num'}, 'Lag (events)'), h('th', {class: 'num'}, 'Lag (time)'),
      h('th', {}, 'Claimed by'), h('th', {}, h('span', {class: 'sr-only'}, 'Actions')))),
    h('tbody', {}, rows))));
}

function renderCache() {
  const body = $('#cache-body');
  if (!state.cache) return;
  const cache = state.cache;
  if (!cache.enabled) {
    body.replaceChildren(h('p', {class: 'empty'}, 'The hot-vector cache is off: searches see what the index has refreshed.'));
    return;
  }
  body.replaceChildren(h('p', {class: 'hint'}, `Mode ${cache.mode}; members: ${(cache.members || []).join(', ') || '—'}`),
    h('div', {class: 'cards'}, Object.entries(cache.spaces || {}).map(([space, s]) => h('div', {class: 'card'},
      h('div', {class: 'label'}, `space ${space}`),
      h('div', {class: 'big'}, number(s.entries)),
      h('div', {class: 'label'}, `entries of ${number(s.maxEntries)} · ${(s.memoryBytes / 1024).toFixed(0)} KiB`),
      h('div', {class: 'label'}, `hit ratio ${(s.hitRatio * 100).toFixed(0)} % · evicted ${number(s.evicted)}`),
      s.failedWrites ? h('div', {class: 'label'}, pill(`${s.failedWrites} failed writes`, 'bad')) : null))));
}

const megabytes = bytes => `${(bytes / 1e6).toFixed(1)} MB`;

function renderStore(store) {
  const ratio = store.liveDataBytes > 0 ? `${store.sizeOnDiskPerLiveByte.toFixed(2)} × its live data` : '';
  $('#store-body').replaceChildren(
    h('p', {class: 'hint'}, `${store.kind === 'h2' ? 'Embedded H2' : 'PostgreSQL'}: ${store.location}`),
    h('div', {class: 'cards'},
      h('div', {class: 'card'}, h('div', {class: 'label'}, 'on disk'), h('div', {class: 'big', dataset: {test: 'store-size'}},
        megabytes(store.sizeOnDiskBytes)), h('div', {class: 'label'}, ratio)),
      h('div', {class: 'card'}, h('div', {class: 'label'}, 'live data'), h('div', {class: 'big'}, megabytes(store.liveDataBytes))),
      h('div', {class: 'card'}, h('div', {class: 'label'}, 'events'), h('div', {class: 'big', dataset: {test: 'store-events'}},
        number(store.events)))),
    h('div', {class: 'table-wrap'}, h('table', {dataset: {test: 'store-types'}},
      h('thead', {}, h('tr', {}, h('th', {}, 'Event type'), h('th', {class: 'num'}, 'Events'),
        h('th', {class: 'num'}, 'Bytes per event'), h('th', {class: 'num'}, 'Total'))),
      h('tbody', {}, store.eventTypes.map(type => h('tr', {},
        h('td', {}, type.type.replace(/^.*\./, '')), h('td', {class: 'num'}, number(type.events)),
        h('td', {class: 'num'}, number(type.bytesPerEvent)),
        h('td', {class: 'num'}, megabytes(type.payloadBytes + type.metadataBytes))))))),
    store.tables.length ? h('p', {class: 'hint'}, 'Tables on disk: ' + store.tables.filter(t => t.bytes > 0)
      .map(t => `${t.name} ${megabytes(t.bytes)}`).join(' · ')) : null);
}

$('#store-measure').addEventListener('click', event =>
  act(event.currentTarget, async () => renderStore(await api('GET', '/v1/admin/store')), 'Store measured'));

views.processors = {show() { renderProcessors(); renderCache(); }};
onState(kind => {
  if (kind === 'processors') renderProcessors();
  if (kind === 'cache') renderCache();
});

// ---------------------------------------------------------------- cluster

// GET /v1/admin/cluster, asked every CLUSTER_EVERY_MS while the view is shown and the tab visible (the nodes beat
// every 2 s, so a snapshot in the stream would change with every beat; only this view needs it)
const CLUSTER_EVERY_MS = 2000;
let clusterRequest = 0;
let clusterTimer = null;

const clusterShown = () => mode === 'console' && current === 'cluster' && document.visibilityState === 'visible';

/** A span of time, roughly: "4 s", "3 min", "2 h", "5 d". */
function duration(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} d`;
}

/** Per processor, its segments: those claimed by a node, by an owner not listed, and unclaimed. */
function segmentTotals(cluster) {
  const totals = {};
  const add = claims => Object.entries(claims || {}).forEach(([processor, segments]) => {
    totals[processor] = (totals[processor] || 0) + segments.length;
  });
  cluster.nodes.forEach(node => add(node.segments));
  add(cluster.unclaimed);
  Object.values(cluster.unlisted || {}).forEach(add);
  return totals;
}

/** One line per processor with segments in claims: its name (unless named is false) and the segments; "none" without any. */
function claimsCell(claims, totals, named = true) {
  const held = Object.entries(claims || {}).filter(([, segments]) => segments.length);
  if (!held.length) return h('span', {class: 'sub'}, 'none');
  return held.map(([processor, segments]) => h('span', {class: 'claims', dataset: {processor},
    title: `${segments.length} of the ${totals[processor]} segments of ${processor}`},
  named ? [h('span', {class: 'mono'}, processor), ' '] : null,
  segments.map(segment => [h('span', {class: 'segment', dataset: {segment: String(segment)}}, `#${segment}`), ' ']),
  h('span', {class: 'of'}, `(${segments.length} of ${totals[processor]})`)));
}

function nodeRow(node, now, cluster, totals) {
  const roles = node.roles.split(',').map(role => role.trim()).filter(Boolean);
  const heartbeatAge = now - Date.parse(node.heartbeatAt);
  const claiming = Object.values(node.segments || {}).some(segments => segments.length);
  return h('tr', {class: node.live ? null : 'not-live', dataset: {node: node.id, live: String(node.live)}},
    h('td', {}, h('strong', {class: 'mono', dataset: {field: 'id'}}, node.id),
      node.id === cluster.self ? h('span', {class: 'sub', dataset: {field: 'self'}}, 'this node') : null),
    h('td', {dataset: {field: 'roles'}}, roles.map((role, i) => [i ? ' ' : null, pill(role, 'node-role')])),
    h('td', {class: 'mono', dataset: {field: 'address'}}, node.address || '—'),
    h('td', {}, node.live
      ? h('span', {class: 'pill live', dataset: {field: 'state'}}, 'live')
      : [h('span', {class: 'pill bad', dataset: {field: 'state'}}, 'not live'),
        h('span', {class: 'sub'}, `no heartbeat within ${cluster.liveWithinSeconds} s`)]),
    h('td', {dataset: {field: 'heartbeat'}, title: `${when(node.heartbeatAt)} (${node.heartbeatAt})`},
      `${duration(heartbeatAge)} ago`),
    h('td', {dataset: {field: 'started'}, title: node.startedAt}, when(node.startedAt),
      node.live ? h('span', {class: 'sub'}, `up ${duration(now - Date.parse(node.startedAt))}`) : null),
    h('td', {dataset: {field: 'segments'}}, claimsCell(node.segments, totals),
      !node.live && claiming ? h('span', {class: 'sub'}, 'held until the claims time out; then the live projectors take them') : null));
}

/** A table of processor (or owner) → segments, for the unclaimed ones and those of owners not listed. */
function claimsTable(test, key, head, rows, totals, named) {
  return h('div', {class: 'table-wrap'}, h('table', {dataset: {test}},
    h('thead', {}, h('tr', {}, h('th', {}, head), h('th', {}, 'Segments'))),
    h('tbody', {}, rows.map(([name, claims]) => h('tr', {dataset: {[key]: name}},
      h('td', {class: 'mono'}, name), h('td', {}, claimsCell(claims, totals, named)))))));
}

function renderCluster(cluster) {
  const now = Date.parse(cluster.now); // the server's clock: a heartbeat's age does not depend on the browser's
  const totals = segmentTotals(cluster);
  const live = cluster.nodes.filter(node => node.live).length;
  const unclaimed = Object.entries(cluster.unclaimed || {}).filter(([, segments]) => segments.length);
  const unlisted = Object.entries(cluster.unlisted || {});
  $('#cluster-body').replaceChildren(...[
    h('div', {dataset: {field: 'cluster-problem'}}),
    h('p', {class: 'result-meta', dataset: {field: 'summary'}},
      `${cluster.nodes.length} node${cluster.nodes.length === 1 ? '' : 's'} · ${live} live · `,
      `live means a heartbeat within ${cluster.liveWithinSeconds} s · as of `,
      h('time', {datetime: cluster.now}, when(cluster.now))),
    cluster.nodes.length
      ? h('div', {class: 'table-wrap'}, h('table', {dataset: {test: 'cluster'}},
        h('thead', {}, h('tr', {}, h('th', {}, 'Node'), h('th', {}, 'Roles'), h('th', {}, 'Address'), h('th', {}, 'State'),
          h('th', {}, 'Last heartbeat'), h('th', {}, 'Started'), h('th', {}, 'Segments claimed'))),
        h('tbody', {}, cluster.nodes.map(node => nodeRow(node, now, cluster, totals)))))
      : h('p', {class: 'empty', dataset: {empty: ''}}, 'No node has recorded itself in this store.'),
    unclaimed.length ? [h('h2', {}, 'Unclaimed segments'),
      h('p', {class: 'hint'}, 'No node claims these now: their processor is paused or stopped everywhere, or a claim '
        + 'was just released. A live projector running the processor claims them within its claim interval.'),
      claimsTable('unclaimed', 'processor', 'Processor', unclaimed.map(([processor, segments]) =>
        [processor, {[processor]: segments}]), totals, false)] : null,
    unlisted.length ? [h('h2', {}, 'Claimed by nodes not listed'),
      h('p', {class: 'hint'}, 'Owners of claims in the token store that are not in the node table (a node that left '
        + 'without releasing them, or one that never recorded itself). Their claims move once they time out.'),
      claimsTable('unlisted', 'owner', 'Owner', unlisted, totals, true)] : null].flat().filter(Boolean));
}

async function loadCluster() {
  clearTimeout(clusterTimer);
  clusterTimer = null;
  if (!clusterShown()) return;
  const body = $('#cluster-body');
  const request = ++clusterRequest;
  try {
    const cluster = await api('GET', '/v1/admin/cluster');
    if (request !== clusterRequest) return; // a newer request, or the console logged out meanwhile
    renderCluster(cluster);
  } catch (e) {
    if (request !== clusterRequest) return;
    const problem = $('[data-field=cluster-problem]', body);
    if (problem) { // the last answer stays, said to be old
      problem.replaceChildren(errorBox(e), h('p', {class: 'hint'},
        'Below is the cluster as of the last answer; trying again every 2 seconds.'));
    } else {
      body.replaceChildren(errorBox(e));
    }
  }
  if (request === clusterRequest && clusterShown()) clusterTimer = setTimeout(loadCluster, CLUSTER_EVERY_MS);
}

document.addEventListener('visibilitychange', () => {
  if (clusterShown()) loadCluster(); else clearTimeout(clusterTimer);
});

views.cluster = {show() { loadCluster(); }};

// ---------------------------------------------------------------- indexes

function settingsText(settings) {
  if (!settings) return '';
  return Object.entries(settings).filter(([key]) => key !== 'until' && key !== 'model')
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`).join(' · ');
}

/** A version's feed: a bar with the share of the log done, then the rate and the time left, or that it caught up. */
function feedProgress(version) {
  const p = version.progress;
  const percent = p.caughtUp ? 100 : Math.floor(100 * p.eventsDone / Math.max(1, p.eventsTotal));
  const bar = h('progress', {max: 100, value: percent, dataset: {percent: String(percent)},
    'aria-label': `version ${version.version}: ${p.eventsDone} of ${p.eventsTotal} events`});
  const share = h('span', {class: 'percent', dataset: {field: 'percent'}}, `${percent} %`);
  if (p.caughtUp) {
    return [bar, ' ', share, ' ', pill('caught up', 'ok'),
      h('span', {class: 'sub'}, `${number(p.eventsDone)} events · position ${number(p.position)}`)];
  }
  const rate = p.eventsPerSecond ? ` · ${number(p.eventsPerSecond)} events/s` : '';
  const left = p.secondsLeft !== undefined ? ` · about ${duration(Math.max(1, p.secondsLeft) * 1000)} left` : '';
  return [bar, ' ', share, h('span', {class: 'sub', dataset: {field: 'rate'}},
    `${number(p.eventsDone)} of ${number(p.eventsTotal)} events${rate}${left}`)];
}

function progressCell(version) {
  if (version.role === 'live') return h('td', {dataset: {field: 'progress'}}, 'serving searches');
  const p = version.progress;
  const cell = h('td', {dataset: {field: 'progress'}});
  if (!p) {
    cell.append(h('span', {class: 'sub'}, 'not being fed on this node'));
    return cell;
  }
  const reembedding = version.reembedding;
  cell.append(...feedProgress(version));
  if (reembedding) {
    cell.append(h('span', {class: 'sub'}, `re-embedded ${number(reembedding.documentsDone)} of ${number(reembedding.documentsTotal)} documents`
      + (reembedding.failed ? ` · ${reembedding.failed} failed` : '') + (reembedding.finished ? ' · done' : '')));
    if (reembedding.error) cell.append(h('span', {class: 'sub'}, pill(reembedding.error, 'bad')));
  }
  if (p.error) cell.append(h('span', {class: 'sub'}, pill(p.error, 'bad')));
  return cell;
}

function versionRow(space, version) {
  const v = version.version;
  const actions = h('div', {class: 'row-actions'});
  if (version.role === 'building' || version.role === 'previous') {
    const caughtUp = version.progress && version.progress.caughtUp;
    actions.append(h('button', {class: version.role === 'building' ? 'small primary' : 'small', dataset: {action: 'swap'},
      disabled: !caughtUp, title: caughtUp ? '' : 'Can be swapped once it has caught up with the log',
      onclick: async e => {
        const button = e.currentTarget;
        const rollback = version.role === 'previous';
        if (await confirmAction(rollback ? `Roll back ${space.space} to version ${v}?` : `Make version ${v} of ${space.space} live?`,
          `Searches move to version ${v} in one step; version ${space.liveVersion} keeps following the log, so swapping back loses nothing.`,
          rollback ? 'Roll back' : 'Swap')) {
          act(button, () => api('POST', `/v1/admin/indexes/${enc(space.space)}/versions/${v}/swap`),
            `Version ${v} of ${space.space} is live`);
        }
      }}, version.role === 'previous' ? 'Roll back' : 'Swap'));
  }
  if (version.role !== 'live') {
    actions.append(h('button', {class: 'small', dataset: {action: 'drop'}, onclick: async e => {
      const button = e.currentTarget;
      if (await confirmAction(`Drop version ${v} of ${space.space}?`, version.role === 'building'
        ? 'The build is cancelled; its processor, position and index are deleted. The live version is untouched.'
        : 'Its processor, position and index are deleted; there is no rollback to it afterwards.', 'Drop')) {
        act(button, () => api('DELETE', `/v1/admin/indexes/${enc(space.space)}/versions/${v}`),
          `Version ${v} of ${space.space} dropped`);
      }
    }}, 'Drop…'));
  }
  actions.append(h('a', {href: `#/search/${enc(space.space)}/${v}`, class: 'small'}, 'Search'), ' ',
    h('a', {href: `#/drift/${enc(space.space)}/${v}`, class: 'small'}, 'Drift'));
  const until = version.settings && version.settings.until;
  return h('tr', {dataset: {version: String(v)}},
    h('td', {}, h('strong', {}, `v${v}`), h('span', {class: 'sub'}, version.processor),
      h('span', {class: 'sub mono', title: version.index ? 'OpenSearch index' : 'Lucene directory'},
        version.index || (version.directory || '').split('/').slice(-2).join('/'))),
    h('td', {}, h('span', {class: `pill ${version.role}`, dataset: {field: 'role'}}, version.role),
      until ? h('span', {class: 'sub'}, `until ${until.position !== undefined ? `position ${until.position}` : when(until.timestamp)}`) : null),
    h('td', {}, version.model || (space.models.length ? '' : 'client vectors')),
    h('td', {class: 'mono'}, settingsText(version.settings) || h('span', {class: 'sub'}, 'as configured'),
      version.createdAt && version.role !== 'live' ? h('span', {class: 'sub'}, `created ${when(version.createdAt)}`) : null),
    progressCell(version),
    h('td', {}, actions));
}

function numberInput(name, label, min, placeholder, dataset) {
  return h('label', {dataset}, label, h('input', {name, type: 'number', min, placeholder: placeholder || 'as configured'}));
}

const OPENSEARCH_ONLY = {opensearch: ''}; // settings a Lucene index does not have: hidden for a Lucene space
const LUCENE_ONLY = {lucene: ''}; // and the other way round

function formValues(form) {
  const body = {};
  for (const element of form.elements) {
    if (!element.name || element.disabled) continue;
    if (element.type === 'checkbox') { if (element.checked) body[element.name] = true; continue; }
    const value = element.value.trim();
    if (value === '') continue;
    body[element.name] = element.type === 'number' ? Number(value) : value;
  }
  return body;
}

function submitting(form, request, describe) {
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const button = $('button[type=submit]', form);
    const errorSlot = $('.form-error', form);
    errorSlot.replaceChildren();
    let body;
    try { body = request(); } catch (e) { errorSlot.append(errorBox(e)); return; }
    const result = await act(button, () => api('POST', `/v1/admin/indexes/${enc(form.dataset.space)}/versions`, body)
      .catch(e => { errorSlot.append(errorBox(e)); throw e; }), describe);
    if (result) form.closest('details').open = false;
  });
}

function spacePanel(space) {
  const section = h('section', {class: 'panel', dataset: {space: space.space}, 'aria-label': `space ${space.space}`},
    h('div', {class: 'panel-head'}, h('h2', {}, space.space), h('span', {class: 'meta'}), h('span', {class: 'spacer'})),
    h('div', {class: 'table-wrap versions'}));
  const rebuild = h('form', {dataset: {test: 'rebuild', space: space.space}, class: 'grid-form'},
    numberInput('hnswM', 'HNSW m', 2), numberInput('hnswEfConstruction', 'HNSW ef_construction', 2),
    numberInput('efSearch', 'ef_search', 1),
    h('label', {dataset: OPENSEARCH_ONLY}, 'Quantization', h('select', {name: 'quantization'}, h('option', {value: ''}, 'as configured'),
      h('option', {value: 'none'}, 'none (float32)'), h('option', {value: 'sq'}, '7-bit scalar (sq)'))),
    h('label', {dataset: LUCENE_ONLY}, 'Quantization', h('select', {name: 'quantization'}, h('option', {value: ''}, 'none (float32)'),
      h('option', {value: 'int7'}, '7-bit scalar'), h('option', {value: 'int4'}, '4-bit scalar'),
      h('option', {value: 'bbq'}, '1-bit binary (BBQ)'))),
    numberInput('shards', 'Shards', 1, null, OPENSEARCH_ONLY), numberInput('replicas', 'Replicas', 0, null, OPENSEARCH_ONLY),
    h('label', {}, 'Embedding model', h('select', {name: 'model'})),
    numberInput('reembedPerSecond', 'Re-embed per second', 1, '20'),
    h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'autoSwap'}), 'Swap automatically once caught up'),
    h('div', {class: 'wide form-error'}),
    h('div', {class: 'wide actions'}, h('button', {type: 'submit', class: 'primary'}, 'Start rebuild')));
  submitting(rebuild, () => formValues(rebuild),
    result => `Rebuild of ${space.space} started: version ${result.version}`);
  const pointInTime = h('form', {dataset: {test: 'point-in-time', space: space.space}, class: 'grid-form'},
    h('label', {}, 'Up to position (inclusive)', h('input', {name: 'untilPosition', type: 'number', min: 0, placeholder: 'e.g. 1234'})),
    h('label', {}, 'Or up to a time (ISO-8601)', h('input', {name: 'untilTimestamp', placeholder: '2026-11-01T00:00:00Z', autocomplete: 'off'})),
    h('div', {class: 'wide form-error'}),
    h('div', {class: 'wide actions'}, h('button', {type: 'submit', class: 'primary'}, 'Build point-in-time version')));
  submitting(pointInTime, () => {
    const values = formValues(pointInTime);
    const until = {};
    if (values.untilPosition !== undefined) until.position = values.untilPosition;
    if (values.untilTimestamp !== undefined) until.timestamp = values.untilTimestamp;
    if (!Object.keys(until).length) throw new Error('Give a position or a timestamp to build up to.');
    return {until};
  }, result => `Point-in-time build of ${space.space} started: version ${result.version}`);
  section.append(
    h('details', {class: 'form-card'}, h('summary', {}, 'New version — blue/green rebuild or re-embedding'),
      h('p', {class: 'hint'}, 'A new processor replays the whole log into the new version while the live one serves. '
        + 'Empty fields keep the configured settings; another model re-embeds every document with it.'), rebuild),
    h('details', {class: 'form-card'}, h('summary', {}, 'Point-in-time version — what search answered then'),
      h('p', {class: 'hint'}, 'Replays exactly the events up to the cut into a read-only version you can search by number.'),
      pointInTime));
  return section;
}

function renderIndexes() {
  const body = $('#indexes-body');
  if (!state.indexes) return;
  if (!spaces().length) {
    body.replaceChildren(h('p', {class: 'empty', dataset: {empty: ''}}, 'No embedding spaces are configured.'));
    return;
  }
  $('.loading', body)?.remove();
  for (const space of spaces()) {
    let section = $(`section[data-space="${CSS.escape(space.space)}"]`, body);
    if (!section) {
      section = spacePanel(space);
      body.append(section);
    }
    const live = space.versions.find(v => v.role === 'live');
    $('.meta', section).textContent = `live version ${space.liveVersion} · ${space.dimension} dimensions · ${space.metric}`
      + (live && live.model ? ` · ${live.model}` : '')
      + (space.aliases ? ` · aliases ${space.aliases.read} and ${space.aliases.write} → ${space.aliases.index}` : '');
    const lucene = Boolean(live && live.directory);
    for (const label of $$('[data-opensearch]', section)) {
      label.hidden = lucene;
      $('input, select', label).disabled = lucene;
    }
    for (const label of $$('[data-lucene]', section)) {
      label.hidden = !lucene;
      $('input, select', label).disabled = !lucene;
    }
    const model = $('select[name=model]', section);
    const modelKey = JSON.stringify(space.models) + (live && live.model);
    if (model.dataset.key !== modelKey) {
      const chosen = model.value;
      model.replaceChildren(h('option', {value: ''}, space.models.length ? `live model (${live && live.model || 'configured'})` : 'client vectors'),
        ...space.models.filter(m => m !== (live && live.model)).map(m => h('option', {value: m}, m)));
      model.value = chosen;
      model.disabled = !space.models.length;
      model.dataset.key = modelKey;
    }
    $('.versions', section).replaceChildren(h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Version'), h('th', {}, 'Role'), h('th', {}, 'Model'), h('th', {}, 'Settings'),
        h('th', {}, 'Progress'), h('th', {}, h('span', {class: 'sr-only'}, 'Actions')))),
      h('tbody', {}, space.versions.map(version => versionRow(space, version)))));
  }
}

views.indexes = {show() { renderIndexes(); }};
onState(kind => { if (kind === 'indexes') { renderIndexes(); fillSpaceSelects(); } });

// ---------------------------------------------------------------- activity: live charts and the rebuilds

// sampled at each activity snapshot (every half second while the console listens), whichever view shows
const rateChart = new TimeSeriesChart({title: 'Ingest and search rate (this node)', unit: '/s', test: 'rates',
  labels: {ingest: 'documents written', searches: 'searches'}});
const lagChart = new TimeSeriesChart({title: 'Processor lag (events behind the head)', test: 'lag'});
$('#activity-charts').append(rateChart.element, lagChart.element);

function renderRebuilds() {
  const building = spaces().flatMap(space => space.versions.filter(v => v.role === 'building' && v.progress)
    .map(version => h('li', {dataset: {space: space.space, version: String(version.version)}},
      h('a', {href: '#/indexes'}, `${space.space} v${version.version}`), ' ', feedProgress(version))));
  $('#rebuilds-body').replaceChildren(building.length ? h('ul', {class: 'rebuilds', dataset: {test: 'rebuilds'}}, building)
    : h('p', {class: 'empty', dataset: {empty: ''}}, 'No index version is being built. Start one under Indexes.'));
}

function renderActivity() {
  rateChart.render();
  lagChart.render();
  renderRebuilds();
}

views.activity = {show() { renderActivity(); }};
onState(kind => {
  if (kind === 'activity') {
    const now = Date.now();
    rateChart.add(now, {ingest: state.activity.ingestPerSecond, searches: state.activity.searchesPerSecond});
    const streaming = (state.processors ? state.processors.processors : []).filter(p => p.kind === 'streaming');
    lagChart.add(now, Object.fromEntries(streaming.map(p => [p.name, processorLag(p)])));
  }
  if (current === 'activity' && (kind === 'activity' || kind === 'indexes')) renderActivity();
});

// ---------------------------------------------------------------- dead letters

let letterRequest = 0;
const openPayloads = new Set(); // letters whose payload the operator opened: kept open when the view refreshes
function noDeadLetters() {
  return h('div', {class: 'empty', dataset: {empty: ''}}, h('strong', {}, 'No dead letters'),
    h('div', {}, 'Every event was processed. Failures would appear here with their cause, to retry or evict.'));
}

async function loadDeadLetters() {
  const body = $('#dead-letters-body');
  if (!state.deadLetters) return;
  const request = ++letterRequest; // whatever an older request answers, this one is newer
  const groups = state.deadLetters.groups.filter(group => group.letters > 0);
  if (!groups.length) {
    body.replaceChildren(noDeadLetters());
    return;
  }
  let details;
  try {
    details = await Promise.all(groups.map(group => api('GET', `/v1/admin/dead-letters/${enc(group.group)}`)));
  } catch (e) {
    if (request === letterRequest) body.replaceChildren(errorBox(e));
    return;
  }
  if (request !== letterRequest) return; // a newer answer is on its way
  // the summary may be a moment older than the letters: a group emptied since shows as empty, not as a panel
  const waiting = details.filter(group => group.letters > 0);
  try {
    body.replaceChildren(...(waiting.length ? waiting.map(letterGroup) : [noDeadLetters()]));
  } catch (e) {
    body.replaceChildren(errorBox(e));
  }
}

function letterGroup(group) {
  return h('section', {class: 'panel', dataset: {group: group.group}},
    h('div', {class: 'panel-head'}, h('h2', {}, group.group),
      h('span', {class: 'meta'}, `${group.sequences.length} document${group.sequences.length === 1 ? '' : 's'} · ${group.letters} letter${group.letters === 1 ? '' : 's'}`),
      h('span', {class: 'spacer'}),
      h('button', {dataset: {action: 'retry-all'}, onclick: e => act(e.currentTarget,
        () => api('POST', `/v1/admin/dead-letters/${enc(group.group)}/retry`).finally(loadDeadLetters), retryText)}, 'Retry all')),
    group.sequences.map(sequence => h('div', {class: 'sequence', dataset: {sequence: sequence.sequence}},
      h('div', {class: 'sequence-head'}, h('h3', {}, sequence.sequence),
        h('a', {href: `#/documents/${sequence.sequence.split('/').map(enc).join('/')}`}, 'inspect'),
        h('span', {class: 'spacer'}),
        h('button', {class: 'small primary', dataset: {action: 'retry'}, onclick: e => act(e.currentTarget,
          () => api('POST', `/v1/admin/dead-letters/${enc(group.group)}/retry?sequence=${enc(sequence.sequence)}`)
            .finally(loadDeadLetters), retryText)}, 'Retry')),
      sequence.letters.map(letter => h('article', {class: 'letter', dataset: {letter: letter.id}},
        h('header', {}, h('strong', {dataset: {field: 'event-type'}}, letter.eventType),
          h('span', {class: 'meta'}, `event #${letter.sequenceNumber} of ${letter.aggregateIdentifier}`),
          h('span', {class: 'meta'}, 'attempts ', h('span', {dataset: {field: 'attempts'}}, String(letter.attempts))),
          h('span', {class: 'meta'}, `enqueued ${when(letter.enqueuedAt)} · last tried ${when(letter.lastTouched)}`)),
        h('div', {class: 'cause', dataset: {field: 'cause'}}, letter.cause
          ? `${letter.cause.type}: ${letter.cause.message}` : `waits behind the document's first letter`),
        h('details', {open: openPayloads.has(letter.id), ontoggle: e => {
          if (e.currentTarget.open) openPayloads.add(letter.id); else openPayloads.delete(letter.id);
        }}, h('summary', {}, 'Payload as stored'),
          h('pre', {dataset: {field: 'payload'}}, JSON.stringify(letter.payload, null, 2))),
        h('div', {class: 'row-actions'}, h('button', {class: 'small', dataset: {action: 'evict'}, onclick: async e => {
          const button = e.currentTarget;
          if (await confirmAction('Evict this dead letter?', `The ${letter.eventType} event of ${sequence.sequence} will never be `
            + `processed by ${group.group}; the letters behind it move up.`, 'Evict')) {
            act(button, () => api('DELETE', `/v1/admin/dead-letters/${enc(group.group)}/letters/${enc(letter.id)}`)
              .finally(loadDeadLetters), 'Dead letter evicted');
          }
        }}, 'Evict…')))))));
}

function retryText(result) {
  return result.sequencesCleared === result.sequencesTried
    ? `Retried: ${result.sequencesCleared} document${result.sequencesCleared === 1 ? '' : 's'} cleared`
    : `Retried ${result.sequencesTried}: ${result.sequencesCleared} cleared, ${result.lettersLeft} letter${result.lettersLeft === 1 ? '' : 's'} still failing`;
}

function updateDeadLetterBadge() {
  const total = state.deadLetters ? state.deadLetters.groups.reduce((sum, group) => sum + group.letters, 0) : 0;
  const badge = $('#dead-letter-count');
  badge.textContent = String(total);
  badge.hidden = total === 0;
  badge.setAttribute('aria-label', `${total} dead letters`);
}

views['dead-letters'] = {show() { loadDeadLetters(); }};
onState(kind => {
  if (kind !== 'deadLetters') return;
  updateDeadLetterBadge();
  if (current === 'dead-letters') loadDeadLetters();
});

// ---------------------------------------------------------------- space and version selects (drift, search)

function fillSpaceSelects() {
  for (const select of $$('select[name=space]')) {
    const chosen = select.value;
    const names = spaces().map(space => space.space);
    if (select.dataset.key !== names.join()) {
      select.replaceChildren(...names.map(name => h('option', {value: name}, name)));
      select.dataset.key = names.join();
    }
    if (names.includes(chosen)) select.value = chosen;
    fillVersionSelect(select.form);
    if (pending.has(select.form)) preselect(select.form, ...pending.get(select.form));
  }
}

function fillVersionSelect(form) {
  const select = form.elements.indexVersion || form.elements.version;
  const space = spaceOf(form.elements.space.value);
  if (!select || !space) return;
  const chosen = select.value;
  const search = select.name === 'indexVersion';
  const options = space.versions.map(version => h('option', {value: search && version.role === 'live' ? '' : String(version.version)},
    version.role === 'live' ? `v${version.version} · live${search ? ' (with cache)' : ''}` : `v${version.version} · ${version.role}`));
  select.replaceChildren(...options);
  if ([...select.options].some(option => option.value === chosen)) select.value = chosen;
}

for (const form of $$('form')) {
  if (form.elements.space) form.elements.space.addEventListener('change', () => fillVersionSelect(form));
}

// form → [space, version, until] a link asked for before the live status knew them (a version just started shows
// up with the next snapshot); kept a few seconds, and forgotten as soon as the operator picks something else
const pending = new Map();
const PENDING_MS = 10000;

function preselect(form, spaceName, version, until = Date.now() + PENDING_MS) {
  if (!spaceName) return;
  const space = spaceOf(spaceName);
  const known = space && (version === undefined || space.versions.some(v => String(v.version) === String(version)));
  if (known || Date.now() > until) pending.delete(form); else pending.set(form, [spaceName, version, until]);
  if (!space) return;
  form.elements.space.value = spaceName;
  fillVersionSelect(form);
  const select = form.elements.indexVersion || form.elements.version;
  const live = Number(version) === space.liveVersion;
  if (version !== undefined && known) select.value = select.name === 'indexVersion' && live ? '' : String(version);
}

for (const form of $$('form')) {
  for (const name of ['space', 'version', 'indexVersion']) {
    if (form.elements[name]) form.elements[name].addEventListener('change', () => pending.delete(form));
  }
}

// ---------------------------------------------------------------- drift

function renderDrift(report) {
  const kinds = {missing: 'in the log, not in the index', stale: 'older in the index than in the log',
    ahead: 'newer in the index than in the log', orphaned: 'in the index, not in the log'};
  const examples = Object.entries(report.examples || {}).flatMap(([kind, items]) => items.map(item => ({kind, ...item})));
  const form = $('form[data-test=drift]');
  const version = form.elements.version.value;
  return h('div', {dataset: {test: 'drift-result'}},
    h('div', {class: 'cards'},
      h('div', {class: 'card'}, h('div', {class: 'label'}, `documents drifting in ${report.space} v${version}`),
        h('div', {class: 'big', dataset: {field: 'drift'}}, String(report.drift)),
        h('div', {class: 'label'}, `checked up to position ${number(report.checkedUpTo)} `,
          report.inSync ? pill('in sync', 'ok') : pill('drift', 'bad'),
          report.repaired !== undefined ? [' ', pill(`${report.repaired} repaired`, 'ok')] : null)),
      Object.entries(kinds).map(([kind, meaning]) => h('div', {class: 'card'},
        h('div', {class: 'label'}, kind), h('div', {class: 'big', dataset: {count: kind}}, number(report.counts[kind])),
        h('div', {class: 'label'}, meaning)))),
    examples.length ? [h('h2', {}, 'Examples'), h('div', {class: 'table-wrap'}, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Kind'), h('th', {}, 'Document'), h('th', {class: 'num'}, 'In the index'), h('th', {class: 'num'}, 'In the log'))),
      h('tbody', {}, examples.map(item => h('tr', {},
        h('td', {}, pill(item.kind, 'bad')),
        h('td', {}, h('a', {href: `#/documents/${enc(item.tenant)}/${enc(item.documentId)}`}, `${item.tenant}/${item.documentId}`)),
        h('td', {class: 'num'}, item.indexVersion ?? '—'), h('td', {class: 'num'}, item.logVersion ?? '—'))))))] : null,
    h('p', {}, h('button', {class: 'danger', dataset: {action: 'repair'}, disabled: report.drift === 0,
      onclick: async e => {
        const button = e.currentTarget;
        if (await confirmAction(`Repair ${report.drift} document${report.drift === 1 ? '' : 's'}?`,
          'Missing and stale documents are re-projected from their own events; orphans get a tombstone.', 'Repair')) {
          const repaired = await act(button, () => api('POST',
            `/v1/admin/indexes/${enc(report.space)}/drift/repair?version=${enc(version)}`),
          result => `Repaired ${result.repaired} document${result.repaired === 1 ? '' : 's'}; drift now ${result.drift}`);
          if (repaired) $('#drift-body').replaceChildren(renderDrift(repaired));
        }
      }}, 'Repair…')));
}

$('form[data-test=drift]').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.currentTarget;
  const body = $('#drift-body');
  body.replaceChildren(h('p', {class: 'loading'}, 'Reading the log and the index…'));
  const report = await act($('button[type=submit]', form), () => api('GET',
    `/v1/admin/indexes/${enc(form.elements.space.value)}/drift?version=${enc(form.elements.version.value)}`))
    .catch(() => undefined);
  body.replaceChildren(report ? renderDrift(report) : h('p', {class: 'empty'}, 'The check failed; see the message.'));
});

views.drift = {show([space, version]) { fillSpaceSelects(); preselect($('form[data-test=drift]'), space, version); }};

// ---------------------------------------------------------------- search playground

function searchBody(form) {
  const v = formValues(form);
  const body = {space: v.space, mode: v.mode, k: v.k ?? 10};
  if (v.queryKind === 'vector') {
    let vector;
    try { vector = JSON.parse(v.query); } catch (e) { vector = null; }
    if (!Array.isArray(vector)) throw new ApiError(400, {title: 'Not a vector', detail: 'Give the vector as a JSON array of numbers, e.g. [0.1, 0.2].', field: 'query'});
    body.vector = vector;
  } else {
    body.text = v.query;
  }
  if (v.filter) {
    try { body.filter = JSON.parse(v.filter); } catch (e) {
      throw new ApiError(400, {title: 'Filter is not JSON', detail: e.message, field: 'filter'});
    }
  }
  if (v.minScore !== undefined) body.minScore = v.minScore;
  if (v.consistentWith !== undefined) body.consistentWith = v.consistentWith;
  if (v.indexVersion !== undefined) body.indexVersion = Number(v.indexVersion);
  return {tenant: v.tenant, body};
}

function renderHits(tenant, answer) {
  if (!answer.hits.length) {
    return h('div', {class: 'empty', dataset: {empty: ''}}, h('strong', {}, 'No hits'),
      h('div', {}, `Nothing in tenant ${tenant} matched${answer.mode === 'hybrid' ? '' : ' above the minimum score'}.`));
  }
  return [h('p', {class: 'result-meta'}, `${answer.hits.length} hit${answer.hits.length === 1 ? '' : 's'} · ${answer.tookMs} ms · space ${answer.space} · ${answer.mode} · k=${answer.k}`),
    h('ol', {class: 'hits', dataset: {test: 'hits'}}, answer.hits.map((hit, i) => h('li', {dataset: {document: hit.documentId}},
      h('span', {class: 'score', dataset: {field: 'score'}, title: 'score'}, Number(hit.score).toFixed(4)),
      h('span', {class: 'title', dataset: {field: 'title'}}, hit.title || hit.documentId),
      h('a', {href: `#/documents/${enc(tenant)}/${enc(hit.documentId)}`, dataset: {action: 'inspect'}}, 'Inspect'),
      h('span', {class: 'passage', dataset: {field: 'passage'}}, hit.passage ? hit.passage.text : ''),
      h('span', {class: 'meta'}, `#${i + 1} · ${hit.documentId} · version ${hit.version}`
        + (hit.passage && hit.passage.chunk !== undefined ? ` · chunk ${hit.passage.chunk}` : '')
        + (hit.metadata && Object.keys(hit.metadata).length ? ` · ${JSON.stringify(hit.metadata)}` : '')))))];
}

$('form[data-test=search]').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.currentTarget;
  const out = $('#search-body');
  const button = $('button[type=submit]', form);
  let request;
  try { request = searchBody(form); } catch (e) { out.replaceChildren(errorBox(e)); return; }
  out.replaceChildren(h('p', {class: 'loading'}, 'Searching…'));
  button.disabled = true;
  try {
    const answer = await api('POST', `/v1/tenants/${enc(request.tenant)}/search`, request.body);
    out.replaceChildren(...[renderHits(request.tenant, answer)].flat());
  } catch (e) {
    out.replaceChildren(errorBox(e));
  } finally {
    button.disabled = false;
  }
});
$('form[data-test=search] textarea[name=query]').addEventListener('keydown', event => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) event.currentTarget.form.requestSubmit();
});

views.search = {show([space, version]) { fillSpaceSelects(); preselect($('form[data-test=search]'), space, version); }};

// ---------------------------------------------------------------- document inspector

const SUMMARY_SKIP = new Set(['version', 'type', 'timestamp', 'position']);

/** A point-in-time version of {@code space} up to just before the event at {@code position}. */
async function buildBefore(button, space, event) {
  if (await confirmAction(`Build ${space} as it was before this ${event.type}?`,
    `A read-only version of ${space} from the events up to position ${event.position - 1}; `
    + 'search it in the playground to see what search answered then.', 'Build')) {
    const version = await act(button, () => api('POST', `/v1/admin/indexes/${enc(space)}/versions`,
      {until: {position: event.position - 1}}), result => `Point-in-time version ${result.version} of ${space} started`);
    if (version) location.hash = `#/search/${enc(space)}/${version.version}`;
  }
}

function timeline(events, space) {
  return h('ol', {class: 'timeline', dataset: {test: 'timeline'}}, events.map(event => h('li', {dataset: {event: event.type}},
    h('div', {}, h('strong', {dataset: {field: 'type'}}, event.type), ' ',
      h('span', {class: 'pill', dataset: {field: 'sequence'}}, `v${event.version}`),
      h('span', {class: 'when', dataset: {field: 'timestamp'}}, when(event.timestamp)),
      event.position !== undefined ? h('span', {class: 'when', dataset: {field: 'position'}}, `position ${event.position}`) : null),
    h('dl', {}, Object.entries(event).filter(([key, value]) => !SUMMARY_SKIP.has(key) && value !== null)
      .map(([key, value]) => [h('dt', {}, key), h('dd', {title: String(value)}, summaryValue(key, value))])),
    event.position > 0 && space ? h('button', {class: 'small', dataset: {action: 'point-in-time-before'},
      title: `Build ${space} from the events before this one`, onclick: e => buildBefore(e.currentTarget, space, event)},
    'Index before this…') : null)));
}

function summaryValue(key, value) {
  if (typeof value === 'object') return JSON.stringify(value);
  return key === 'contentHash' ? `${String(value).slice(0, 12)}…` : String(value);
}

function documentState(doc) {
  return h('div', {class: 'panel', dataset: {test: 'state'}},
    h('div', {class: 'panel-head'}, h('h2', {}, doc.title || doc.documentId), h('span', {class: 'spacer'}),
      doc.deleted ? pill('deleted', 'bad') : pill(`version ${doc.version}`, 'ok'), pill(doc.embeddingStatus, doc.embeddingStatus === 'embedded' ? 'ok' : 'warn')),
    h('dl', {class: 'kv'},
      h('dt', {}, 'Document'), h('dd', {class: 'mono'}, `${doc.tenant}/${doc.documentId}`),
      h('dt', {}, 'Version'), h('dd', {}, String(doc.version)),
      h('dt', {}, 'Content revision'), h('dd', {}, String(doc.contentRevision)),
      h('dt', {}, 'Last modified'), h('dd', {}, when(doc.lastModified)),
      h('dt', {}, 'Source'), h('dd', {}, doc.source || '—'),
      h('dt', {}, 'Metadata'), h('dd', {class: 'mono'}, JSON.stringify(doc.metadata || {})),
      h('dt', {}, 'Embeddings'), h('dd', {}, (doc.embeddings || []).length ? doc.embeddings.map(e => h('div', {},
        `${e.space}: ${e.model || 'client'} · ${e.chunks} chunk${e.chunks === 1 ? '' : 's'} · revision ${e.contentRevision}`,
        e.current ? '' : ' (outdated)')) : 'none'),
      h('dt', {}, 'Body'), h('dd', {}, doc.body ? (doc.body.length > 600 ? `${doc.body.slice(0, 600)}…` : doc.body) : '—')));
}

function versionsTable(held) {
  return h('div', {class: 'panel'}, h('div', {class: 'panel-head'}, h('h2', {}, `In the index versions of ${held.space}`)),
    h('div', {class: 'table-wrap'}, h('table', {dataset: {test: 'document-versions', space: held.space}},
      h('thead', {}, h('tr', {}, h('th', {}, 'Index'), h('th', {}, 'State'), h('th', {class: 'num'}, 'Document version'),
        h('th', {}, 'Model'), h('th', {}, 'Passages'))),
      h('tbody', {}, held.versions.map(row => h('tr', {dataset: {version: String(row.version)}},
        h('td', {}, `v${row.version} `, pill(row.role)),
        h('td', {}, h('span', {class: `pill ${row.state}`, dataset: {field: 'state'}}, row.state)),
        h('td', {class: 'num', dataset: {field: 'version'}}, row.documentVersion ?? '—'),
        h('td', {}, row.model || '—'),
        h('td', {}, row.chunks ? [`${row.chunks.length} chunk${row.chunks.length === 1 ? '' : 's'}`,
          row.chunks.length ? h('span', {class: 'sub'}, `“${row.chunks[0].passage.slice(0, 140)}${row.chunks[0].passage.length > 140 ? '…' : ''}”`) : null] : '—')))))));
}

let inspection = 0;
async function inspect(tenant, documentId) {
  const out = $('#documents-body');
  const request = ++inspection; // an answer for a document asked for earlier must not replace this one
  out.replaceChildren(h('p', {class: 'loading'}, `Reading ${tenant}/${documentId}…`));
  try {
    const base = `/v1/tenants/${enc(tenant)}/documents/${enc(documentId)}`;
    const [doc, history] = await Promise.all([api('GET', base), api('GET', `${base}/history`)]);
    if (!state.indexes) state.indexes = await api('GET', '/v1/admin/indexes');
    const embedded = (doc.embeddings || []).map(e => e.space);
    const names = spaces().map(space => space.space).filter(name => !embedded.length || embedded.includes(name));
    const held = await Promise.all(names.map(space =>
      api('GET', `/v1/admin/indexes/${enc(space)}/documents/${enc(tenant)}/${enc(documentId)}`)));
    if (request !== inspection) return;
    out.replaceChildren(h('div', {class: 'two-col'},
      h('div', {}, h('h2', {}, `Events (${history.events.length})`), timeline(history.events, names[0])),
      h('div', {}, documentState(doc), held.map(versionsTable))));
  } catch (e) {
    if (request !== inspection) return;
    out.replaceChildren(e instanceof ApiError && e.status === 404
      ? h('div', {class: 'empty', dataset: {empty: ''}}, h('strong', {}, 'No such document'), h('div', {}, problemText(e)))
      : errorBox(e));
  }
}

$('form[data-test=document]').addEventListener('submit', event => {
  event.preventDefault();
  const form = event.currentTarget;
  const target = `#/documents/${enc(form.elements.tenant.value.trim())}/${enc(form.elements.documentId.value.trim())}`;
  if (location.hash === target) route(); else location.hash = target;
});

views.documents = {show([tenant, documentId]) {
  const form = $('form[data-test=document]');
  if (tenant && documentId) {
    form.elements.tenant.value = tenant;
    form.elements.documentId.value = documentId;
    inspect(tenant, documentId);
  } else {
    $('#documents-body').replaceChildren(h('p', {class: 'empty', dataset: {empty: ''}},
      'Name a document to see its events, its state and what each index version holds of it.'));
  }
}};

// ---------------------------------------------------------------- session: login, logout

// what the console's bodies show before any data: put back whenever the console logs out or in again
const DATA_BODIES = ['processors-body', 'cache-body', 'rebuilds-body', 'cluster-body', 'indexes-body', 'dead-letters-body', 'drift-body', 'search-body',
  'documents-body', 'audit-body', 'keys-body', 'new-key'];
const placeholders = new Map(DATA_BODIES.map(id => [id, [...document.getElementById(id).childNodes].map(n => n.cloneNode(true))]));

/** Forgets everything the console showed: after a logout nothing of it stays in the page. */
function forgetData() {
  for (const kind of Object.keys(state)) state[kind] = null;
  rateChart.clear();
  lagChart.clear();
  for (const [id, nodes] of placeholders) document.getElementById(id).replaceChildren(...nodes.map(n => n.cloneNode(true)));
  updateDeadLetterBadge();
  pending.clear();
  openPayloads.clear();
  inspection++;
  letterRequest++;
  auditRequest++;
  keysRequest++;
  clusterRequest++;
  clearTimeout(clusterTimer);
  deferredLogin = null;
  current = null;
  clearTimeout(toastTimer);
  $('#toast').hidden = true;
  if ($('#confirm').open) $('#confirm').close('no');
}

function setSession(answer) {
  session.authRequired = Boolean(answer && answer.authRequired);
  session.csrfToken = (answer && answer.csrfToken) || null;
  session.keyId = (answer && answer.keyId) || null;
  session.name = (answer && answer.name) || null;
  session.role = (answer && answer.role) || null;
}

/** The login form and nothing else: no stream, no data. */
function showLogin(notice) {
  mode = 'login';
  disconnect();
  setSession(null);
  forgetData();
  for (const id of ['starting', 'views', 'nav', 'live', 'session', 'offline']) document.getElementById(id).hidden = true;
  $('#login').hidden = false;
  const form = $('form[data-test=login]');
  const message = $('[data-field=login-notice]', form);
  message.textContent = notice || '';
  message.hidden = !notice;
  $('[data-test=login-error]', form).replaceChildren();
  form.elements.key.value = '';
  document.title = 'Vectorsync — Log in';
  form.elements.key.focus();
}

/** The console, once the server said who this is (or that it needs no key). */
function enterConsole(answer) {
  setSession(answer);
  const fresh = mode !== 'console';
  mode = 'console';
  for (const id of ['starting', 'login']) document.getElementById(id).hidden = true;
  for (const id of ['views', 'nav', 'live']) document.getElementById(id).hidden = false;
  const who = $('#session');
  who.hidden = !session.authRequired;
  if (session.authRequired) {
    $('[data-field=who]', who).textContent = session.name;
    who.title = `${session.name}: key ${session.keyId} (${session.role}); the session runs until ${when(answer.expiresAt)}, `
      + 'longer while it is used';
  }
  $('#keys-open-warning').hidden = session.authRequired;
  if (fresh) {
    forgetData();
    connect();
    route();
  }
}

let deferredLogin = null;

/** An API call answered 401: the session ended elsewhere, expired, or lost its key; or keys were turned on. */
function sessionEnded() {
  if (mode !== 'console') return;
  const notice = session.authRequired
    ? 'Your console session has ended (logged out, expired, or its key was revoked). Log in again.'
    : 'This server now requires an API key. Log in with an admin key.';
  if (secretShown()) { // a new key's secret is on screen: it must not vanish before it is copied
    deferredLogin = notice;
    return;
  }
  showLogin(notice);
}

/** Asks the server for the session: the console, the login form, or (server unreachable at the start) a retry. */
async function checkSession({quiet = false} = {}) {
  let answer;
  try {
    answer = await api('GET', '/v1/admin/session', undefined, {expected401: true});
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      if (mode === 'console') sessionEnded(); else if (mode !== 'login') showLogin();
    } else if (mode === 'starting') {
      $('#starting').className = '';
      $('#starting').replaceChildren(h('span', {class: 'error-box', role: 'alert'},
        h('strong', {}, 'Cannot reach Vectorsync'), `${problemText(e)} Trying again…`));
      setTimeout(checkSession, 3000);
    } else if (!quiet) {
      toast(problemText(e), true);
    }
    return;
  }
  if (mode === 'login') return; // logged out meanwhile
  enterConsole(answer);
}

function loginError(e) {
  const titles = {401: 'That key was not accepted', 403: 'That key cannot open the console', 429: 'Too many attempts'};
  const p = e instanceof ApiError ? e.problem : {};
  return h('div', {class: 'error-box', role: 'alert', dataset: {test: 'error', status: String(e.status || '')}},
    h('strong', {}, titles[e.status] || p.title || 'Could not log in'), p.detail || e.message);
}

$('form[data-test=login]').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.currentTarget;
  const errorSlot = $('[data-test=login-error]', form);
  const field = form.elements.key;
  const key = field.value.trim();
  errorSlot.replaceChildren();
  if (!key) {
    errorSlot.append(loginError(new Error('Paste an admin API key to log in.')));
    field.focus();
    return;
  }
  const button = $('button[type=submit]', form);
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const answer = await api('POST', '/v1/admin/session', {key}, {expected401: true});
    field.value = '';
    enterConsole(answer);
    $('#main').focus({preventScroll: true});
  } catch (e) {
    errorSlot.append(loginError(e));
    field.select();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
});

$('[data-action=logout]').addEventListener('click', async event => {
  const ended = await act(event.currentTarget, () => api('DELETE', '/v1/admin/session'));
  if (ended !== undefined && mode === 'console') showLogin('You have logged out.');
});

// ---------------------------------------------------------------- audit log

const AUDIT_PAGE = 50;
let auditRequest = 0;
let auditNext = null;

function auditRow(record) {
  const ok = record.status < 400;
  return h('tr', {dataset: {action: record.action, id: String(record.id), status: String(record.status)}},
    h('td', {dataset: {field: 'at'}, title: record.at}, when(record.at)),
    h('td', {dataset: {field: 'key'}}, record.keyName || (record.keyId ? '' : h('span', {class: 'sub'}, 'no valid key')),
      record.keyId ? h('span', {class: 'sub mono', dataset: {field: 'key-id'}}, record.keyId) : null),
    h('td', {}, h('span', {class: 'pill', dataset: {field: 'action'}}, record.action)),
    h('td', {class: 'mono', dataset: {field: 'target'}}, record.target),
    h('td', {}, h('span', {class: `pill ${ok ? 'ok' : 'bad'}`, dataset: {field: 'outcome'}}, record.outcome),
      h('span', {class: 'sub'}, `HTTP ${record.status}`)));
}

function auditFooter() {
  if (auditNext === null) return h('p', {class: 'hint', dataset: {field: 'audit-end'}}, 'That is the start of the log.');
  return h('p', {}, h('button', {type: 'button', dataset: {action: 'older'}, onclick: async e => {
    const button = e.currentTarget;
    await act(button, () => loadAudit(true));
  }}, 'Load older'));
}

/** The newest page, or (older) the page before the oldest shown, appended. */
async function loadAudit(older = false) {
  const body = $('#audit-body');
  const request = ++auditRequest;
  if (!older) body.replaceChildren(h('p', {class: 'loading'}, 'Loading the audit log…'));
  let page;
  try {
    page = await api('GET', `/v1/admin/audit?limit=${AUDIT_PAGE}${older && auditNext !== null ? `&before=${enc(auditNext)}` : ''}`);
  } catch (e) {
    if (request !== auditRequest) return;
    if (older) throw e; // the button's toast says it; the rows shown stay
    body.replaceChildren(errorBox(e));
    return;
  }
  if (request !== auditRequest) return;
  auditNext = page.next ?? null;
  if (older) {
    $('table[data-test=audit] tbody', body).append(...page.records.map(auditRow));
  } else if (!page.records.length) {
    body.replaceChildren(h('div', {class: 'empty', dataset: {empty: ''}}, h('strong', {}, 'Nothing recorded yet'),
      h('div', {}, 'Admin actions — logins, pauses, replays, rebuilds, swaps, key changes — appear here as they happen.')));
    return;
  } else {
    body.replaceChildren(h('div', {class: 'table-wrap'}, h('table', {dataset: {test: 'audit'}},
      h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Key'), h('th', {}, 'Action'), h('th', {}, 'Target'),
        h('th', {}, 'Outcome'))),
      h('tbody', {}, page.records.map(auditRow)))), h('div', {class: 'audit-footer'}));
  }
  $('.audit-footer', body).replaceChildren(auditFooter());
}

$('[data-action=refresh-audit]').addEventListener('click', () => loadAudit());
views.audit = {show() { loadAudit(); }};

// ---------------------------------------------------------------- API keys

let keysRequest = 0;

function keyState(key) {
  if (key.revoked) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= Date.now()) return 'expired';
  return 'active';
}

async function revokeKey(button, key) {
  const own = session.keyId === key.id;
  if (await confirmAction(`Revoke key ${key.name}?`, `Requests with key ${key.id} are refused from now on (401) and `
    + `its console sessions end${own ? ' — this one too: it uses that key' : ''}. A revoked key cannot be restored; `
    + 'make a new one instead.', 'Revoke')) {
    const revoked = await act(button, () => api('DELETE', `/v1/admin/keys/${enc(key.id)}`), `Key ${key.name} revoked`);
    if (revoked !== undefined) loadKeys();
  }
}

function keyRow(key) {
  const keyStateText = keyState(key);
  const configured = key.source === 'configuration';
  const tenants = (key.tenants || []).map(t => t === '*' ? 'all (*)' : t).join(', ');
  return h('tr', {dataset: {key: key.id}},
    h('td', {}, h('strong', {dataset: {field: 'name'}}, key.name), h('span', {class: 'sub mono', dataset: {field: 'id'}}, key.id),
      configured ? h('span', {class: 'sub'}, 'from the configuration') : null),
    h('td', {}, h('span', {class: `pill role-${key.role}`, dataset: {field: 'role'}}, key.role)),
    h('td', {dataset: {field: 'tenants'}}, tenants || '—'),
    h('td', {dataset: {field: 'created'}, title: key.createdAt || ''}, configured ? 'at start' : when(key.createdAt)),
    h('td', {dataset: {field: 'last-used'}, title: key.lastUsedAt || ''}, key.lastUsedAt ? when(key.lastUsedAt) : (configured ? '—' : 'never')),
    h('td', {dataset: {field: 'expires'}, title: key.expiresAt || ''}, key.expiresAt ? when(key.expiresAt) : 'never'),
    h('td', {class: 'num', dataset: {field: 'rate'}}, key.ratePerSecond ? `${number(key.ratePerSecond)}/s` : 'no limit'),
    h('td', {}, h('span', {class: `pill ${keyStateText}`, dataset: {field: 'state'}}, keyStateText),
      key.revokedAt ? h('span', {class: 'sub'}, `since ${when(key.revokedAt)}`) : null),
    h('td', {}, !configured && !key.revoked ? h('button', {class: 'small', dataset: {action: 'revoke'},
      onclick: e => revokeKey(e.currentTarget, key)}, 'Revoke…')
      : configured ? h('span', {class: 'sub'}, 'remove it from the configuration') : null));
}

async function loadKeys() {
  const body = $('#keys-body');
  const request = ++keysRequest;
  if (!$('table', body)) body.replaceChildren(h('p', {class: 'loading'}, 'Loading keys…'));
  let answer;
  try {
    answer = await api('GET', '/v1/admin/keys');
  } catch (e) {
    if (request === keysRequest) body.replaceChildren(errorBox(e));
    return;
  }
  if (request !== keysRequest) return;
  renderKeys(answer.keys);
}

function renderKeys(keys) {
  const body = $('#keys-body');
  if (!keys.length) {
    body.replaceChildren(h('div', {class: 'empty', dataset: {empty: ''}}, h('strong', {}, 'No keys'),
      h('div', {}, 'Every request is served without a key, on loopback only. Create one below to require keys.')));
    return;
  }
  body.replaceChildren(h('div', {class: 'table-wrap'}, h('table', {dataset: {test: 'keys'}},
    h('thead', {}, h('tr', {}, h('th', {}, 'Key'), h('th', {}, 'Role'), h('th', {}, 'Tenants'), h('th', {}, 'Created'),
      h('th', {}, 'Last used'), h('th', {}, 'Expires'), h('th', {class: 'num'}, 'Rate'), h('th', {}, 'State'),
      h('th', {}, h('span', {class: 'sr-only'}, 'Actions')))),
    h('tbody', {}, keys.map(keyRow)))));
}

function secretShown() {
  return $('#new-key').childElementCount > 0;
}

/** The new key's secret, this once: the server keeps only its hash, and the console forgets it when dismissed. */
function showSecret(created) {
  const secret = h('code', {class: 'secret', dataset: {field: 'secret'}, tabindex: '0'}, created.key);
  const selectSecret = () => {
    const range = document.createRange();
    range.selectNodeContents(secret);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  };
  $('#new-key').replaceChildren(h('div', {class: 'panel secret-panel', dataset: {test: 'new-key', key: created.id}},
    h('h2', {}, `Key “${created.name}” created`),
    h('p', {}, h('strong', {}, 'Copy it now: it is shown this once. '),
      'Vectorsync stores only its hash and cannot show it again; a lost key is revoked and replaced.'),
    h('div', {class: 'secret-row'}, secret,
      h('button', {type: 'button', class: 'small', dataset: {action: 'copy-secret'}, onclick: async () => {
        try {
          await navigator.clipboard.writeText(created.key);
          toast('The key is on the clipboard.');
        } catch (e) {
          selectSecret();
          toast('The browser would not let the page copy it: the key is selected, press Ctrl+C (⌘C).', true);
        }
      }}, 'Copy')),
    h('p', {class: 'hint'}, `${created.role} key for ${created.tenants.map(t => t === '*' ? 'all tenants' : t).join(', ')}: send it as `,
      h('code', {}, 'Authorization: Bearer <key>'), ' or ', h('code', {}, 'X-API-Key: <key>'), '.'),
    session.authRequired ? null : h('p', {class: 'notice'}, 'This server requires API keys from now on: keep an admin '
      + 'key at hand to log in to this console.'),
    h('div', {class: 'actions'}, h('button', {type: 'button', class: 'primary', dataset: {action: 'dismiss-secret'},
      onclick: dismissSecret}, 'I have copied it'))));
  selectSecret();
  secret.focus();
}

function dismissSecret() {
  $('#new-key').replaceChildren();
  if (deferredLogin) {
    const notice = deferredLogin;
    deferredLogin = null;
    showLogin(notice);
  } else if (mode === 'console' && current === 'keys') {
    loadKeys();
  }
}

function keyRequest(form) {
  const values = formValues(form);
  const tenants = (values.tenants || '').split(',').map(t => t.trim()).filter(Boolean);
  if (!values.name) throw new ApiError(400, {title: 'Name missing', detail: 'Name the key after who uses it.', field: 'name'});
  if (!tenants.length) {
    throw new ApiError(400, {title: 'Tenants missing', detail: 'List the tenants it may reach, separated by commas, or * for all.', field: 'tenants'});
  }
  const body = {name: values.name, role: values.role, tenants};
  if (values.expiresAt) {
    const at = new Date(values.expiresAt); // the field's local time
    if (Number.isNaN(at.getTime())) throw new ApiError(400, {title: 'Not a time', detail: 'Pick a date and time for the expiry.', field: 'expiresAt'});
    body.expiresAt = at.toISOString();
  }
  if (values.ratePerSecond !== undefined) body.ratePerSecond = values.ratePerSecond;
  return body;
}

$('form[data-test=create-key]').addEventListener('submit', async event => {
  event.preventDefault();
  const form = event.currentTarget;
  const errorSlot = $('.form-error', form);
  errorSlot.replaceChildren();
  let body;
  try { body = keyRequest(form); } catch (e) { errorSlot.append(errorBox(e)); return; }
  if (!session.authRequired && !await confirmAction('Require API keys from now on?', 'This server has no key yet and '
    + 'serves everyone on loopback without one. Once this key exists, every request needs a key and this console an '
    + 'admin key (the bootstrap key, or this one if it is an admin key).', 'Create key')) {
    return;
  }
  const created = await act($('button[type=submit]', form), () => api('POST', '/v1/admin/keys', body)
    .catch(e => { if (e.status !== 401) errorSlot.append(errorBox(e)); throw e; }), result => `Key ${result.name} created`);
  if (!created) return;
  form.reset();
  $('#create-key-card').open = false;
  showSecret(created);
  if (session.authRequired) {
    loadKeys();
  } else { // the first key: the list would now answer 401, and the secret comes first; it is the only key
    keysRequest++;
    renderKeys([created]);
    $('#keys-open-warning').hidden = true;
  }
});

views.keys = {show() { loadKeys(); }};

views.api = {show() { renderApi($('#api-body'), h); }};

// ---------------------------------------------------------------- start

window.addEventListener('hashchange', () => {
  if (mode !== 'console') return; // the login form stays; the console opens on this hash after it
  route();
  $('#main').focus({preventScroll: true});
});
checkSession();
