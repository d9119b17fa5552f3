// Pure formatting and list-merging for the page: no DOM, no clock, no fetch,
// so vitest checks them directly (format.test.ts) and the browser imports the
// very same file. Types: format.d.ts beside this file.

/** Scores within ±NEUTRAL_BAND read as neutral, like the scorer's labels. */
export const NEUTRAL_BAND = 0.05;

const group = (n, digits) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Prices: cents for ordinary shares, more digits for pennies, separators for thousands. */
export function fmtPrice(n) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  return group(n, abs !== 0 && abs < 1 ? 4 : 2);
}

/** A signed number: "+1.25", "−0.40" (a true minus sign, which lines up in tables). */
export function fmtSigned(n, digits = 2) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const text = group(Math.abs(n), digits);
  if (Number(text.replace(/,/g, '')) === 0) return group(0, digits);
  return `${n > 0 ? '+' : '\u2212'}${text}`;
}

/** A fraction as a signed percentage: 0.0123 → "+1.23%". */
export function fmtPct(fraction, digits = 2) {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${fmtSigned(fraction * 100, digits)}%`;
}

/** up / down / flat, for colouring a change. */
export function changeClass(n) {
  if (n === null || n === undefined || !Number.isFinite(n) || n === 0) return 'flat';
  return n > 0 ? 'up' : 'down';
}

/** pos / neg / neu, for colouring a sentiment score in [-1, 1]. */
export function sentimentClass(score) {
  if (score === null || score === undefined || !Number.isFinite(score)) return 'neu';
  if (score >= NEUTRAL_BAND) return 'pos';
  if (score <= -NEUTRAL_BAND) return 'neg';
  return 'neu';
}

/** Volumes and counts in a few characters: 950, 12.3k, 4.56M. */
export function fmtCompact(n) {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n * 100) / 100);
  if (abs < 1e6) return `${(n / 1e3).toFixed(abs < 1e4 ? 2 : 1)}k`;
  if (abs < 1e9) return `${(n / 1e6).toFixed(abs < 1e7 ? 2 : 1)}M`;
  return `${(n / 1e9).toFixed(2)}B`;
}

/** Wall-clock time of an instant, 24-hour: "14:05:09". timeZone for tests; the browser's own otherwise. */
export function fmtClock(ms, timeZone) {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone,
  }).format(ms);
}

/** Hours and minutes, 24-hour, for time axes: "14:05". */
export function fmtHourMinute(ms, timeZone) {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(ms);
}

/** How long ago: "just now", "42 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function fmtAgo(ms, nowMs) {
  const s = Math.max(0, Math.round((nowMs - ms) / 1000));
  if (s < 5) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/**
 * Applies a live update to a list. `update.replace` swaps the whole list;
 * otherwise the items are upserted by key. Then items older than `from`
 * (the sliding window) go, the list is sorted by time and cut to `limit`
 * (keeping the newest). Returns a new array; the input is not changed.
 */
export function mergeRows(rows, items, { key, time, replace = false, from, limit, newestFirst = false }) {
  const byKey = new Map();
  if (!replace) for (const r of rows) byKey.set(key(r), r);
  for (const r of items) byKey.set(key(r), r);
  let out = [...byKey.values()];
  if (from !== undefined && from !== null) out = out.filter((r) => time(r) >= from);
  out.sort((a, b) => (newestFirst ? time(b) - time(a) : time(a) - time(b)));
  if (limit !== undefined && out.length > limit) out = newestFirst ? out.slice(0, limit) : out.slice(out.length - limit);
  return out;
}

/** Candles as uPlot columns: [seconds, open, high, low, close, volume]. */
export function candleColumns(candles) {
  const cols = [[], [], [], [], [], []];
  for (const c of candles) {
    cols[0].push(c.minute / 1000);
    cols[1].push(c.open);
    cols[2].push(c.high);
    cols[3].push(c.low);
    cols[4].push(c.close);
    cols[5].push(c.volume);
  }
  return cols;
}

/** Sentiment points as uPlot columns: [seconds, mean, moving average, band upper, band lower]. */
export function sentimentColumns(points) {
  const cols = [[], [], [], [], []];
  for (const p of points) {
    cols[0].push(p.minute / 1000);
    cols[1].push(p.mean);
    cols[2].push(p.movingAverage);
    cols[3].push(p.upper);
    cols[4].push(p.lower);
  }
  return cols;
}

/** The y range of the sentiment chart: the data with a margin, never beyond the score range [-1, 1]. */
export function sentimentRange(min, max) {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [-1, 1];
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  const pad = Math.max((hi - lo) * 0.1, 0.05);
  return [Math.max(-1, lo - pad), Math.min(1, hi + pad)];
}

/** Only http(s) links reach an href; anything else (javascript:, data:) is dropped. */
export function safeHref(url) {
  if (typeof url !== 'string') return null;
  return /^https?:\/\//i.test(url) ? url : null;
}

/** An alert's identity, as the store keys it: one rule, one ticker, one instant. */
export const alertKey = (a) => `${a.ruleId}|${a.ticker}|${a.firedAt}`;

const ALERT_KINDS = {
  price_cross: 'price level',
  price_move: 'price move',
  sentiment: 'sentiment',
  mention_spike: 'mention spike',
};

/** The rule kind in words; an unknown kind shows as stored. */
export function alertKindLabel(kind) {
  return ALERT_KINDS[kind] ?? String(kind ?? '').replace(/_/g, ' ');
}

/** Range choices of the picker, minutes → label. */
export const RANGES = [
  [15, '15 min'],
  [60, '1 hour'],
  [240, '4 hours'],
  [1440, '1 day'],
];
