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

// ---- time zones and dates (issue 11: every time says its zone; multi-day axes say the date) ----

/** Time zones the page offers: the US market's, UTC, and the browser's own (undefined). */
export const ZONES = [
  ['America/New_York', 'New York'],
  ['UTC', 'UTC'],
  ['', 'this browser'],
];

const zoneOf = (timeZone) => (timeZone === '' || timeZone === null ? undefined : timeZone);

/** The zone's short name at that instant: "EST", "EDT", "UTC", "GMT+1". */
export function fmtZone(ms, timeZone) {
  const part = new Intl.DateTimeFormat('en-US', { timeZone: zoneOf(timeZone), timeZoneName: 'short' }).formatToParts(ms).find((p) => p.type === 'timeZoneName');
  return part ? part.value : '';
}

/** "14:05:09 EST": a clock time with its zone. */
export function fmtClockZ(ms, timeZone) {
  return `${fmtClock(ms, zoneOf(timeZone))} ${fmtZone(ms, timeZone)}`;
}

/** "Fri 20 Nov 16:00 EST": a date and time with the zone, for anything not of today. */
export function fmtDateTime(ms, timeZone) {
  const text = new Intl.DateTimeFormat('en-GB', { timeZone: zoneOf(timeZone), weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);
  return `${text.replace(',', '')} ${fmtZone(ms, timeZone)}`;
}

/** "20 Nov": a day, for daily axes. */
export function fmtDay(ms, timeZone = 'UTC') {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zoneOf(timeZone), day: 'numeric', month: 'short' }).format(ms);
}

/** Axis labels of a time range: hours and minutes within a day, the date too when the range spans more than one. */
export function axisLabel(ms, spanMs, timeZone) {
  const tz = zoneOf(timeZone);
  if (spanMs > 86_400_000) {
    return new Intl.DateTimeFormat('en-GB', { timeZone: tz, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms).replace(',', '');
  }
  return fmtHourMinute(ms, tz);
}

/** What a price change is measured against, in words: "vs close Fri 20 Nov 16:00 EST", "vs 24 h ago". */
export function referenceLabel(reference, timeZone) {
  if (!reference) return 'no previous close stored yet';
  if (reference.kind === 'rolling_24h') return 'vs 24 h ago';
  return `vs close ${fmtDateTime(reference.at, timeZone ?? reference.timeZone)}`;
}

/** Upvotes as Reddit shows them: "▲ 1.2k", "▼ 4". */
export function fmtVotes(score) {
  if (score === null || score === undefined || !Number.isFinite(score)) return '—';
  return `${score < 0 ? '▼' : '▲'} ${fmtCompact(Math.abs(score))}`;
}

/** A share in [0, 1] as a whole percentage: "63%". */
export function fmtShare(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  return `${Math.round(x * 100)}%`;
}

/** A rank change: "▲3", "▼1", "=" for none, "new" for a ticker not ranked before. */
export function fmtRankChange(change) {
  if (change === null || change === undefined) return 'new';
  if (change === 0) return '=';
  return change > 0 ? `▲${change}` : `▼${-change}`;
}

/** The status pill: what the page shows is live, a replay, or stale, and of when. */
export function statusText(status, timeZone) {
  if (!status) return { kind: 'connecting', text: 'connecting…' };
  const newest = Math.max(status.dataTime.trades ?? -Infinity, status.dataTime.mentions ?? -Infinity);
  if (status.mode === 'replay') {
    return { kind: 'replay', text: Number.isFinite(newest) ? `replay · ${fmtDateTime(newest, timeZone)}` : 'replay · no data yet' };
  }
  if (status.stale) {
    return { kind: 'stale', text: Number.isFinite(newest) ? `no new data since ${fmtDateTime(newest, timeZone)}` : 'no data yet' };
  }
  return { kind: 'live', text: `live · ${fmtClockZ(status.now, timeZone)}` };
}

/** Whether an alert is waiting for a channel: only when it was to be sent somewhere (issue 11: no "pending" without a mail server). */
export function alertDelivery(alert) {
  const channels = alert.channels;
  if (channels !== undefined && channels.length === 0) return null;
  if (alert.delivered) return { kind: 'sent', text: channels && channels.includes('webhook') && !channels.includes('mail') ? '✓ sent' : '✉ sent' };
  if (channels === undefined) return null;
  return { kind: 'pending', text: `${channels.includes('mail') ? '✉' : '↗'} pending` };
}
