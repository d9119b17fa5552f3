// The dashboard page: one EventSource per chosen (symbol, range, posts scope)
// feeds every panel; the server pushes full lists on connect and then only what
// changed. All text goes in through textContent, never as HTML.
import { createPriceChart, createSentimentChart, view } from './charts.js';
import { createInsight, el } from './insight.js';
import {
  RANGES, ZONES, alertDelivery, alertKey, alertKindLabel, changeClass, fmtAgo, fmtClockZ, fmtCompact, fmtDateTime, fmtPct, fmtPrice, fmtSigned, fmtVotes,
  mergeRows, referenceLabel, safeHref, sentimentClass, statusText,
} from './format.js';

const $ = (id) => document.getElementById(id);
const POSTS_LIMIT = 30;
/** the subreddits the ranking can be narrowed to before any post names others (the default STOCKSTREAMER_SUBREDDITS) */
const SUBREDDITS = ['wallstreetbets', 'stocks', 'investing', 'stockmarket', 'options'];

const state = {
  symbols: [],
  symbol: null,
  minutes: 60,
  postsScope: 'symbol',
  candles: [],
  candleWin: null,
  points: [],
  pointWin: null,
  span: null,
  posts: [],
  alerts: [],
  prices: [],
  source: null,
  lastUpdate: null,
  /** server "now" minus the browser's clock: the views' time, which in a replay is the recording's (/api/status) */
  offset: 0,
  status: null,
  streamOk: true,
};

/** The time the views are at: the server's now (a replay's own time), not the browser's clock. */
const serverNow = () => Date.now() + state.offset;

function setStatus(kind, text) {
  const s = $('status');
  s.className = `status ${kind}`;
  s.textContent = text;
}

function touch() {
  state.lastUpdate = Date.now();
  if (!state.streamOk) {
    state.streamOk = true;
    renderStatus();
  }
}

/** The pill says live, replay or stale from the server's account of the data, never just "a message arrived". */
function renderStatus() {
  if (!state.streamOk) return;
  const s = statusText(state.status, view.timeZone);
  setStatus(s.kind, s.text);
}

async function refreshStatus() {
  try {
    const res = await fetch('/api/status');
    if (!res.ok) return;
    state.status = await res.json();
    state.offset = state.status.now - Date.now();
    renderStatus();
  } catch {
    // the stream's error handler says so
  }
}

// ---- panels -------------------------------------------------------------

function renderPrices() {
  const box = $('prices');
  if (state.prices.length === 0) {
    box.replaceChildren(el('p', { class: 'empty', text: 'waiting for the first trades…' }));
    return;
  }
  box.replaceChildren(...state.prices.map((p) => el('button', {
    class: `quote ${p.symbol === state.symbol ? 'selected' : ''}`,
    type: 'button',
    'data-symbol': p.symbol,
    title: p.name ?? p.symbol,
    onclick: () => switchSymbol(p.symbol),
  },
  el('span', { class: 'sym', text: p.symbol }),
  el('span', { class: 'px', text: fmtPrice(p.price) }),
  el('span', { class: `chg ${changeClass(p.change)}`, title: referenceLabel(p.reference, view.timeZone), text: fmtPct(p.changePct) }))));
  renderPriceNow();
}

function renderPriceNow() {
  const p = state.prices.find((x) => x.symbol === state.symbol);
  const box = $('price-now');
  if (!p) {
    box.replaceChildren();
    return;
  }
  box.replaceChildren(
    el('span', { class: 'big', text: fmtPrice(p.price) }),
    el('span', { class: `chg ${changeClass(p.change)}`, text: `${fmtSigned(p.change)} (${fmtPct(p.changePct)})` }),
    el('span', { class: 'muted ref', 'data-testid': 'reference', text: referenceLabel(p.reference, view.timeZone) }),
    el('span', { class: 'muted', text: `last trade ${serverNow() - p.timestamp > 86_400_000 ? fmtDateTime(p.timestamp, view.timeZone) : fmtClockZ(p.timestamp, view.timeZone)}` }),
  );
}

function renderCandles() {
  const [from, to] = state.candleWin ?? [serverNow() - state.minutes * 60_000, serverNow()];
  charts.price.setData(state.candles, from, to);
  $('price-empty').hidden = state.candles.length > 0;
  const last = state.candles.at(-1);
  $('price-chart').dataset.points = String(state.candles.length);
  $('price-sub').textContent = last
    ? `1-minute candles · ${state.candles.length} min · vol ${fmtCompact(state.candles.reduce((a, c) => a + c.volume, 0))}`
    : '1-minute candles and volume';
}

function renderSentiment() {
  const [from, to] = state.pointWin ?? [serverNow() - state.minutes * 60_000, serverNow()];
  charts.sentiment.setData(state.points, from, to);
  $('sentiment-empty').hidden = state.points.length > 0;
  $('sentiment-chart').dataset.points = String(state.points.length);
  if (state.span) $('sentiment-sub').textContent = `per-minute mean, ${state.span}-min moving average ± volatility`;
  const last = state.points.at(-1);
  $('sentiment-now').replaceChildren(...(last ? [
    el('span', { class: `chip ${sentimentClass(last.movingAverage)}`, text: `avg ${fmtSigned(last.movingAverage, 2)}` }),
    el('span', { class: 'muted', text: `σ ${last.volatility.toFixed(2)} · ${state.points.reduce((a, p) => a + p.count, 0)} mentions` }),
  ] : []));
}

function renderPosts() {
  $('posts-sub').textContent = state.postsScope === 'all' ? 'all tickers' : `mentioning ${state.symbol}`;
  const now = serverNow();
  for (const p of state.posts) if (!SUBREDDITS.includes(p.subreddit.toLowerCase())) addSubreddit(p.subreddit.toLowerCase());
  const items = state.posts.map((p) => {
    const href = safeHref(p.url);
    return el('li', { class: `post ${sentimentClass(p.sentiment)}`, 'data-id': p.fullname },
      el('div', { class: 'meta' },
        el('span', { class: `kind ${p.kind}`, text: p.kind === 'submission' ? 'post' : 'comment' }),
        el('span', { class: 'sub', text: `r/${p.subreddit}` }),
        el('span', { class: 'muted', text: `u/${p.author}` }),
        el('time', { class: 'muted ago', datetime: new Date(p.created).toISOString(), 'data-ms': String(p.created), text: fmtAgo(p.created, now) }),
        el('span', { class: 'votes', title: 'score (net upvotes) when read', text: fmtVotes(p.score) }),
        el('span', { class: `chip ${sentimentClass(p.sentiment)}`, title: `sentiment ${p.label}`, text: fmtSigned(p.sentiment, 2) })),
      el('p', { class: 'text', text: p.text }),
      el('div', { class: 'foot' },
        ...p.tickers.map((t) => el('span', { class: `tag ${t === state.symbol ? 'selected' : ''}`, text: `$${t}` })),
        href ? el('a', { href, target: '_blank', rel: 'noopener noreferrer', class: 'open', text: 'open on Reddit ↗' }) : null));
  });
  $('posts').replaceChildren(...(items.length ? items : [el('li', { class: 'empty', text: 'no posts yet' })]));
}

function renderAlerts(fresh = new Set()) {
  const list = $('alerts');
  $('alerts-sub').textContent = state.alerts.length ? `${state.alerts.length} in the last 24 h` : 'last 24 h';
  if (state.alerts.length === 0) {
    list.replaceChildren(el('li', { class: 'empty', text: 'no alerts' }));
    return;
  }
  const now = serverNow();
  list.replaceChildren(...state.alerts.map((a) => el('li', { class: `alert ${fresh.has(alertKey(a)) ? 'fresh' : ''}`, 'data-rule': a.ruleId },
    el('div', { class: 'meta' },
      el('span', { class: 'sym', text: a.ticker }),
      el('span', { class: 'rule', title: `rule ${a.ruleId}`, text: alertKindLabel(a.kind) }),
      el('time', { class: 'muted ago', datetime: new Date(a.firedAt).toISOString(), 'data-ms': String(a.firedAt), text: fmtAgo(a.firedAt, now) }),
      ...(alertDelivery(a) ? [el('span', {
        class: `mail ${alertDelivery(a).kind}`,
        title: a.delivered ? `delivered (${(a.channels ?? ['mail']).join(', ')})` : `not delivered yet on ${(a.channels ?? []).join(', ')}; retried`,
        text: alertDelivery(a).text,
      })] : [])),
    el('p', { class: 'text', text: a.message }))));
}

/** "5 min ago" labels age without new data. */
function refreshAges() {
  const now = serverNow();
  for (const t of document.querySelectorAll('time.ago')) t.textContent = fmtAgo(Number(t.dataset.ms), now);
}

// ---- live stream --------------------------------------------------------

function connect() {
  state.source?.close();
  const q = new URLSearchParams({ symbol: state.symbol, minutes: String(state.minutes), posts: state.postsScope });
  const es = new EventSource(`/api/stream?${q}`);
  state.source = es;
  const on = (name, fn) => es.addEventListener(name, (ev) => {
    if (state.source !== es) return;
    fn(JSON.parse(ev.data));
    touch();
  });
  on('hello', () => {});
  on('prices', (d) => {
    state.prices = d.prices;
    renderPrices();
  });
  // the clock-hour table is gone from the page (rankings slide with the minute: insight.js)
  on('mentions', () => {});
  on('candles', (d) => {
    if (d.symbol !== state.symbol) return;
    state.candleWin = [d.from, d.to];
    state.candles = mergeRows(state.candles, d.candles, { key: (c) => c.minute, time: (c) => c.minute, replace: d.replace, from: Math.floor(d.from / 60_000) * 60_000 });
    renderCandles();
  });
  on('sentiment', (d) => {
    if (d.ticker !== state.symbol) return;
    state.pointWin = [d.from, d.to];
    state.span = d.span;
    state.points = mergeRows(state.points, d.points, { key: (p) => p.minute, time: (p) => p.minute, replace: d.replace, from: Math.floor(d.from / 60_000) * 60_000 });
    renderSentiment();
  });
  on('posts', (d) => {
    state.posts = mergeRows(state.posts, d.posts, { key: (p) => p.fullname, time: (p) => p.created, replace: d.replace, limit: POSTS_LIMIT, newestFirst: true });
    renderPosts();
  });
  on('alerts', (d) => {
    const fresh = d.replace ? new Set() : new Set(d.alerts.map(alertKey));
    state.alerts = mergeRows(state.alerts, d.alerts, { key: alertKey, time: (a) => a.firedAt, replace: d.replace, limit: 50, newestFirst: true });
    renderAlerts(fresh);
  });
  on('status', (d) => {
    if (!d.ok) setStatus('error', d.message ?? 'store not answering');
  });
  es.addEventListener('error', () => {
    if (state.source !== es) return;
    state.streamOk = false;
    setStatus('error', 'reconnecting…');
  });
}

function resetSymbolData() {
  state.candles = [];
  state.points = [];
  state.posts = [];
  state.candleWin = null;
  state.pointWin = null;
  renderCandles();
  renderSentiment();
  renderPosts();
}

function switchSymbol(symbol) {
  if (symbol === state.symbol) return;
  state.symbol = symbol;
  $('symbol').value = symbol;
  history.replaceState(null, '', `#${symbol}`);
  const s = state.symbols.find((x) => x.symbol === symbol);
  $('price-title').textContent = s?.name ? `${symbol} · ${s.name}` : symbol;
  resetSymbolData();
  renderPrices();
  connect();
  insight.symbol(symbol, () => serverNow() - state.minutes * 60_000, serverNow);
}

// ---- start --------------------------------------------------------------

const charts = {
  price: createPriceChart($('price-chart')),
  sentiment: createSentimentChart($('sentiment-chart')),
};

const insight = createInsight({
  known: () => new Set(state.symbols.map((s) => s.symbol)),
  onPick: (symbol) => switchSymbol(symbol),
  currentSymbol: () => state.symbol,
});

function addSubreddit(name) {
  const select = $('rank-sub');
  if ([...select.options].some((o) => o.value === name)) return;
  select.append(el('option', { value: name, text: `r/${name}` }));
}

async function start() {
  const res = await fetch('/api/symbols');
  if (!res.ok) throw new Error(`GET /api/symbols: ${res.status}`);
  state.symbols = (await res.json()).symbols;
  $('symbol').replaceChildren(...state.symbols.map((s) => el('option', { value: s.symbol, text: s.name ? `${s.symbol} — ${s.name}` : s.symbol })));
  $('range').replaceChildren(...RANGES.map(([m, label]) => el('option', { value: String(m), text: label })));
  $('range').value = String(state.minutes);
  $('symbol').addEventListener('change', (e) => switchSymbol(e.target.value));
  $('range').addEventListener('change', (e) => {
    state.minutes = Number(e.target.value);
    resetSymbolData();
    connect();
    insight.symbol(state.symbol, () => serverNow() - state.minutes * 60_000, serverNow);
  });
  $('zone').replaceChildren(...ZONES.map(([zone, label]) => el('option', { value: zone, text: label })));
  $('zone').addEventListener('change', (e) => {
    view.timeZone = e.target.value;
    renderPrices();
    renderCandles();
    renderSentiment();
    renderStatus();
  });
  for (const name of SUBREDDITS) addSubreddit(name);
  await refreshStatus();
  setInterval(refreshStatus, 5000);
  insight.start();
  $('posts-scope').addEventListener('change', (e) => {
    state.postsScope = e.target.value;
    state.posts = [];
    renderPosts();
    connect();
  });
  const wanted = decodeURIComponent(location.hash.slice(1)).toUpperCase();
  const first = state.symbols.find((s) => s.symbol === wanted)?.symbol ?? state.symbols[0]?.symbol;
  if (!first) {
    setStatus('error', 'no symbols configured');
    return;
  }
  switchSymbol(first);
  setInterval(refreshAges, 5000);
}

start().catch((err) => setStatus('error', `cannot start: ${err.message}`));
