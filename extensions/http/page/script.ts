/**
 * The status page's script, plain browser JavaScript: reads /api/services, /api/alerts and
 * /api/history, then follows /api/events. Every text goes in through textContent (never
 * innerHTML), so a service name or an alert message cannot inject markup.
 */
export const STATUS_PAGE_SCRIPT = String.raw`
'use strict';
const SYMBOL = { info: '✓', warning: '!', error: '✕', critical: '✕', unknown: '?' };
// Key metrics of a service, as sparklines over the last hour; those without data are left out.
const KEY_METRICS = [
  { metric: 'healthcheck.duration', agg: 'p95', label: 'response p95', format: seconds },
  { metric: 'healthcheck.up', agg: 'avg', label: 'up', format: percent },
  { metric: 'process.cpu.utilization', agg: 'avg', label: 'CPU', format: percent },
  { metric: 'process.memory.usage', agg: 'avg', label: 'memory', format: bytes },
  { metric: 'process.network.connection.count', agg: 'avg', label: 'connections', format: plain },
];
const SPARK_REFRESH_MS = 60000;
const state = { services: [], alerts: [], components: new Map(), sparks: new Map(), fetched: new Map() };

function seconds(v) { return v < 1 ? (v * 1000).toFixed(v < 0.01 ? 1 : 0) + ' ms' : v.toFixed(2) + ' s'; }
function percent(v) { return (v * 100).toFixed(v < 0.1 ? 1 : 0) + ' %'; }
function bytes(v) { const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB']; let i = 0; while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; } return v.toFixed(i === 0 ? 0 : 1) + ' ' + u[i]; }
function plain(v) { return Number.isInteger(v) ? String(v) : v.toFixed(1); }
function ago(iso) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  return s < 90 ? s + ' s ago' : s < 5400 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
}

function el(tag, attrs, ...children) {
  const node = tag === 'svg' || tag === 'polyline' || tag === 'title'
    ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const c of children) if (c !== undefined && c !== null) node.append(c);
  return node;
}

function levelBadge(level) {
  return el('span', { class: 'level', 'data-level': level }, (SYMBOL[level] || '?') + ' ' + level);
}

function sparkline(points, label) {
  const values = points.map((p) => p.value);
  const times = points.map((p) => Date.parse(p.time));
  const minV = Math.min(...values), maxV = Math.max(...values);
  // The hour, or less when the history is younger: the line spans the width either way.
  const t0 = Math.max(Date.now() - 3600000, times[0]), span = Math.max(1000, Date.now() - t0);
  const coords = points.map((p, i) => {
    const x = Math.max(0, Math.min(100, ((times[i] - t0) / span) * 100));
    const y = maxV === minV ? 15 : 28 - ((p.value - minV) / (maxV - minV)) * 26;
    return x.toFixed(2) + ',' + y.toFixed(2);
  });
  if (coords.length === 1) coords.push('100,' + coords[0].split(',')[1]);
  return el('svg', { class: 'spark', viewBox: '0 0 100 30', preserveAspectRatio: 'none', role: 'img', 'aria-label': label },
    el('polyline', { points: coords.join(' ') }));
}

function renderSparks(service) {
  const box = document.querySelector('[data-service="' + CSS.escape(service) + '"] .sparks');
  if (!box) return;
  const figures = [];
  for (const key of KEY_METRICS) {
    const series = (state.sparks.get(service) || {})[key.metric];
    if (!series || series.points.length === 0) continue;
    const last = series.points[series.points.length - 1].value;
    const lo = Math.min(...series.points.map((p) => p.value)), hi = Math.max(...series.points.map((p) => p.value));
    const text = key.label + ' over the last hour: now ' + key.format(last) + ', from ' + key.format(lo) + ' to ' + key.format(hi);
    figures.push(el('figure', { 'data-metric': key.metric },
      el('figcaption', {}, el('span', {}, key.label), el('b', {}, key.format(last))),
      sparkline(series.points, text)));
  }
  box.replaceChildren(...figures);
}

// Several series (one per check type or state): the one with the most steps.
async function bestSeries(service, key, step) {
  const q = new URLSearchParams({ service, metric: key.metric, since: '1h', step, agg: key.agg });
  const answer = await fetch('api/history?' + q);
  if (!answer.ok) return undefined;
  const body = await answer.json();
  return body.series.sort((a, b) => b.points.length - a.points.length)[0];
}

async function fetchSparks(service) {
  state.fetched.set(service, Date.now());
  const found = {};
  await Promise.all(KEY_METRICS.map(async (key) => {
    try {
      let best = await bestSeries(service, key, '1m');
      // A young history has few minutes: finer steps, so the line shows its shape already.
      if (best && best.points.length < 10) best = (await bestSeries(service, key, '10s')) || best;
      if (best) found[key.metric] = best;
    } catch (e) { /* the next refresh tries again */ }
  }));
  state.sparks.set(service, found);
  renderSparks(service);
}

function renderServices() {
  const list = document.getElementById('services');
  const cards = state.services.map((s) => {
    const since = s.level_since ? 'since ' + new Date(s.level_since).toLocaleTimeString() + ' (' + ago(s.level_since) + ')' : 'no health event yet';
    const firing = s.firing > 0 ? ' · ' + s.firing + ' alert' + (s.firing === 1 ? '' : 's') + ' firing' : '';
    return el('li', { class: 'service', 'data-service': s.service, 'data-level': s.level },
      el('header', {}, el('h3', {}, s.service), levelBadge(s.level)),
      el('p', { class: 'meta' }, since + firing),
      el('div', { class: 'sparks' }));
  });
  list.replaceChildren(...cards);
  if (cards.length === 0) list.replaceChildren(el('li', { class: 'empty' }, 'No service in the history yet.'));
  for (const s of state.services) renderSparks(s.service);
  const counts = {};
  for (const s of state.services) counts[s.level] = (counts[s.level] || 0) + 1;
  document.getElementById('summary').textContent = state.services.length + ' service' + (state.services.length === 1 ? '' : 's') +
    (state.services.length ? ': ' + Object.entries(counts).map(([l, n]) => n + ' ' + l).join(', ') : '');
}

function renderAlerts() {
  const list = document.getElementById('alerts');
  const items = state.alerts.map((a) => el('li', { 'data-level': a.level, 'data-fingerprint': a.fingerprint },
    levelBadge(a.level), ' ', el('strong', {}, a.service), ' · ' + a.rule + ' = ' + plain(a.value) +
    (a.threshold_text ? ' (' + a.threshold_text + ')' : '') + ' · since ' + ago(a.starts_at) + (a.message ? ' · ' + a.message : '')));
  list.replaceChildren(...(items.length ? items : [el('li', { class: 'empty' }, 'No alert is firing.')]));
}

function renderComponents() {
  const list = document.getElementById('components');
  list.replaceChildren(...[...state.components.values()].map((c) => el('li', { 'data-state': c.state, 'data-component': c.id },
    el('span', { class: 'level' }, c.state), ' ' + c.id + (c.restarts ? ' · ' + c.restarts + ' restarts' : '') +
    (c.last_error && c.state !== 'running' ? ' · ' + c.last_error.message : ''))));
}

function setServices(services) {
  const before = new Map(state.services.map((s) => [s.service, s.level]));
  state.services = services;
  renderServices();
  for (const s of services) {
    const stale = Date.now() - (state.fetched.get(s.service) || 0) > SPARK_REFRESH_MS;
    if (before.get(s.service) !== s.level || stale) fetchSparks(s.service);
  }
}

function setConnection(text, live) {
  const node = document.getElementById('connection');
  node.textContent = text;
  node.dataset.state = live ? 'live' : 'down';
}

let source;
function connect() {
  source = new EventSource('api/events');
  source.addEventListener('open', () => setConnection('Live', true));
  source.addEventListener('snapshot', (e) => {
    const data = JSON.parse(e.data);
    state.components = new Map(data.components.map((c) => [c.id, c]));
    state.alerts = data.alerts;
    renderAlerts();
    renderComponents();
    setServices(data.services);
  });
  source.addEventListener('services', (e) => setServices(JSON.parse(e.data).services));
  source.addEventListener('alerts', (e) => { state.alerts = JSON.parse(e.data).alerts; renderAlerts(); });
  source.addEventListener('component', (e) => { const c = JSON.parse(e.data); state.components.set(c.id, c); renderComponents(); });
  source.addEventListener('error', () => {
    setConnection('Reconnecting…', false);
    // The browser retries by itself unless the server refused the stream: then start anew.
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, 5000);
  });
}

setInterval(() => { for (const s of state.services) fetchSparks(s.service); }, SPARK_REFRESH_MS);
connect();
`;
