import type { Candle, SentimentWindow } from '../lib/domain/types.ts';
import { sentimentSeries } from '../lib/domain/windows/series.ts';
import { HOUR_MS, hourOf, type AlertRow, type LatestPrice, type MentionsHourRow, type PostRow } from '../lib/io/store/repository.ts';
import { marketTimeZone } from '../lib/domain/insight/session.ts';
import type { PriceReferenceView } from './price-reference.ts';

/**
 * What the dashboard shows, derived from repository rows. Pure: no store, no
 * clock, no HTTP — the API hands rows and "now" in, so every figure a user
 * reads can be checked in a unit test.
 */

export interface PriceView {
  symbol: string;
  /** company name when the universe knows the symbol */
  name: string | null;
  price: number;
  /** epoch milliseconds of the last trade */
  timestamp: number;
  /** open of the UTC day's first candle, as stored (kept for API clients; the change is measured against `reference`) */
  dayOpen: number | null;
  /** the symbol's market time zone (America/New_York for US equities, UTC for round-the-clock symbols) */
  timeZone: string;
  /** what the change is measured against: the previous session close, or 24 h ago; null when the store holds no price then */
  reference: PriceReferenceView | null;
  /** price − reference price; null without a reference */
  change: number | null;
  /** change as a fraction of the reference price (0.012 = +1.2 %) */
  changePct: number | null;
}

/** A price with its change against the broker's reference (price-reference.ts). */
export function derivePrice(p: LatestPrice, name: string | null = null, reference: PriceReferenceView | null = null): PriceView {
  const has = reference !== null && reference.price !== 0 && Number.isFinite(reference.price);
  const change = has ? p.price - reference.price : null;
  return {
    symbol: p.symbol, name, price: p.price, timestamp: p.timestamp, dayOpen: p.dayOpen, timeZone: marketTimeZone(p.symbol),
    reference: has ? reference : null, change, changePct: has ? change! / reference.price : null,
  };
}

export interface TopMentionView {
  ticker: string;
  /** mentions in the current window (the running hour, plus earlier whole hours when hours > 1) */
  count: number;
  /** count-weighted mean sentiment of those mentions, in [-1, 1] */
  meanSentiment: number;
  /** mentions in the window of the same length just before */
  previousCount: number;
  previousMeanSentiment: number | null;
  /**
   * Change of the mention pace versus the previous window, as a fraction.
   * The running hour is incomplete, so its count is projected to a full
   * window before comparing (12 mentions 15 minutes into the hour is a pace
   * of 48/h): comparing the raw count would show every ticker falling early
   * in each hour. null when the previous window had no mentions.
   */
  changePct: number | null;
  /** meanSentiment − previousMeanSentiment; null when the previous window had none */
  sentimentChange: number | null;
}

/**
 * Most-mentioned tickers over the last `hours` hour buckets (the running hour
 * included) with their change versus the `hours` buckets before.
 * `rows` must cover both windows: [currentFrom − hours·1h, hourOf(now) + 1h).
 */
export function deriveTopMentions(rows: readonly MentionsHourRow[], nowMs: number, hours: number, limit: number): TopMentionView[] {
  const { currentFrom, previousFrom, to } = mentionWindows(nowMs, hours);
  const acc = new Map<string, { count: number; sum: number; prevCount: number; prevSum: number }>();
  for (const r of rows) {
    if (r.hour < previousFrom || r.hour >= to) continue;
    let a = acc.get(r.ticker);
    if (!a) acc.set(r.ticker, (a = { count: 0, sum: 0, prevCount: 0, prevSum: 0 }));
    if (r.hour >= currentFrom) {
      a.count += r.count;
      a.sum += r.sentimentSum;
    } else {
      a.prevCount += r.count;
      a.prevSum += r.sentimentSum;
    }
  }
  // At least one minute elapsed, so the first seconds of an hour do not project a handful of mentions to thousands.
  const elapsed = Math.min(Math.max(nowMs - currentFrom, 60_000), hours * HOUR_MS);
  const projection = (hours * HOUR_MS) / elapsed;
  const out: TopMentionView[] = [];
  for (const [ticker, a] of acc) {
    if (a.count === 0) continue;
    const previousMeanSentiment = a.prevCount > 0 ? a.prevSum / a.prevCount : null;
    const meanSentiment = a.sum / a.count;
    out.push({
      ticker, count: a.count, meanSentiment, previousCount: a.prevCount, previousMeanSentiment,
      changePct: a.prevCount > 0 ? (a.count * projection - a.prevCount) / a.prevCount : null,
      sentimentChange: previousMeanSentiment === null ? null : meanSentiment - previousMeanSentiment,
    });
  }
  out.sort((x, y) => y.count - x.count || (x.ticker < y.ticker ? -1 : x.ticker > y.ticker ? 1 : 0));
  return out.slice(0, limit);
}

/** The hour buckets deriveTopMentions compares: [previousFrom, currentFrom) versus [currentFrom, to). */
export function mentionWindows(nowMs: number, hours: number): { currentFrom: number; previousFrom: number; to: number } {
  const to = hourOf(nowMs) + HOUR_MS;
  const currentFrom = to - hours * HOUR_MS;
  return { currentFrom, previousFrom: currentFrom - hours * HOUR_MS, to };
}

export interface SentimentPointView {
  /** epoch milliseconds of the minute start */
  minute: number;
  /** mentions in that minute */
  count: number;
  mean: number;
  movingAverage: number;
  volatility: number;
  /** the volatility band: movingAverage ± volatility, clipped to the score range [-1, 1] */
  upper: number;
  lower: number;
}

/**
 * Sentiment over time for [fromMs, toMs). `windows` should start spanMinutes
 * earlier than fromMs so the first plotted minutes already average over a
 * full span; the points before fromMs are computed, then dropped.
 */
export function deriveSentiment(windows: readonly SentimentWindow[], spanMinutes: number, fromMs: number, toMs: number): SentimentPointView[] {
  const counts = new Map<number, number>();
  for (const w of windows) counts.set(w.minute, (counts.get(w.minute) ?? 0) + w.count);
  return sentimentSeries(windows, spanMinutes)
    .filter((p) => p.minute >= fromMs && p.minute < toMs)
    .map((p) => ({
      minute: p.minute,
      count: counts.get(p.minute) ?? 0,
      mean: p.mean,
      movingAverage: p.movingAverage,
      volatility: p.volatility,
      upper: Math.min(1, p.movingAverage + p.volatility),
      lower: Math.max(-1, p.movingAverage - p.volatility),
    }));
}

export interface PostView extends PostRow {
  /** absolute link to the post on Reddit, or null when the permalink is not one */
  url: string | null;
}

/**
 * Reddit gives permalinks relative to the site ("/r/stocks/comments/…");
 * anything that is neither relative nor http(s) is dropped, so a crafted
 * permalink can never become a javascript: link on the page.
 */
export function postUrl(permalink: string, base = 'https://www.reddit.com'): string | null {
  if (permalink.startsWith('/') && !permalink.startsWith('//')) return base + permalink;
  try {
    const u = new URL(permalink);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

/** Long self-posts are cut at a word boundary: the page shows a line or three, the link has the rest. */
export function derivePost(row: PostRow, maxChars = 400): PostView {
  let text = row.text.replace(/\s+/g, ' ').trim();
  if (text.length > maxChars) {
    const cut = text.lastIndexOf(' ', maxChars);
    text = `${text.slice(0, cut > maxChars * 0.6 ? cut : maxChars)}…`;
  }
  return { ...row, text, url: postUrl(row.permalink) };
}

/** Candles as stored; rounding noise of the volume sum is removed for display. */
export function deriveCandles(candles: readonly Candle[]): Candle[] {
  return candles.map((c) => ({ ...c, volume: Math.round(c.volume * 1e8) / 1e8 }));
}

/** An alert as the page shows it: the stored firing as is (see AlertRow). */
export type AlertView = AlertRow;

/** Newest first, ties in a stable order, so the page and the live diff agree. */
export function deriveAlerts(rows: readonly AlertRow[]): AlertView[] {
  return [...rows].sort((a, b) => b.firedAt - a.firedAt || a.ruleId.localeCompare(b.ruleId) || a.ticker.localeCompare(b.ticker));
}

/** The firing's key in the store: one rule, one ticker, one instant. */
export const alertKey = (a: Pick<AlertRow, 'ruleId' | 'ticker' | 'firedAt'>): string => `${a.ruleId}\u0000${a.ticker}\u0000${a.firedAt}`;

/**
 * The items of `next` that are new or differ from the previous poll, by key:
 * what a live update has to push. `seen` maps key → serialised item and is
 * replaced by the caller with the returned `state`.
 */
export function diffByKey<T>(seen: ReadonlyMap<string, string>, next: readonly T[], keyOf: (item: T) => string): { changed: T[]; state: Map<string, string> } {
  const state = new Map<string, string>();
  const changed: T[] = [];
  for (const item of next) {
    const key = keyOf(item);
    const json = JSON.stringify(item);
    state.set(key, json);
    if (seen.get(key) !== json) changed.push(item);
  }
  return { changed, state };
}
