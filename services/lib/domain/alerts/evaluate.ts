import type { Candle, SentimentWindow } from '../types.ts';
import { MINUTE_MS } from '../windows/candles.ts';
import { HOUR_MS } from '../windows/sentiment.ts';
import { meanOver } from '../windows/series.ts';
import { tickersOf, type AlertRule, type MentionSpikeRule, type PriceCrossRule, type PriceMoveRule, type RuleKind, type SentimentRule, type UnusualBuzzRule } from './rules.ts';
import { slidingWindow } from '../insight/cover.ts';

/**
 * Alert evaluation: a pure function of (rules, a snapshot of stored data, now,
 * the state left by the previous evaluation) → firings and the next state.
 *
 * Every rule reduces, per ticker, to a "side": above/below the level for a
 * price crossing, on/off for the others. A rule fires when the side changes
 * the way the rule asks (edge-triggered), so a condition that stays true fires
 * once, not on every evaluation. On top of that, a rule that fired for a
 * ticker stays quiet for that ticker for its cooldown: a change of side during
 * the cooldown is recorded (so it cannot fire later for a stale crossing) but
 * reported as suppressed, not fired.
 *
 * Missing data (no price yet, too few mentions in the window) leaves the side
 * as it was: a quiet minute neither fires nor re-arms a rule.
 */

export interface PricePoint {
  symbol: string;
  price: number;
  /** epoch milliseconds of the trade */
  timestamp: number;
}

export interface MentionCount {
  ticker: string;
  /** epoch milliseconds of the hour start */
  hour: number;
  count: number;
}

/** Exact mentions per ticker in one sliding window (summed from the crowd tallies). */
export interface WindowCount {
  fromMs: number;
  toMs: number;
  counts: ReadonlyMap<string, number>;
}

/** What the evaluation reads; snapshotNeeds says which ranges to fetch. */
export interface AlertSnapshot {
  prices: readonly PricePoint[];
  candles: readonly Candle[];
  sentiment: readonly SentimentWindow[];
  mentions: readonly MentionCount[];
  /** the windows snapshotNeeds listed (unusual_buzz); absent = none */
  windows?: readonly WindowCount[];
}

export interface AlertFiring {
  ruleId: string;
  ticker: string;
  kind: RuleKind;
  /** epoch milliseconds: the evaluation's now */
  firedAt: number;
  message: string;
  value: number;
  threshold: number;
}

type Side = 'above' | 'below' | 'on' | 'off';

export interface TrackState {
  /** side at the last evaluation that had data; undefined before the first */
  side?: Side;
  /** epoch milliseconds of the last firing (not of a suppressed one) */
  lastFiredAt?: number;
}

/** Keyed by stateKey(ruleId, ticker). */
export type AlertState = ReadonlyMap<string, TrackState>;

export const stateKey = (ruleId: string, ticker: string): string => `${ruleId}\u0000${ticker}`;

export interface Evaluation {
  firings: AlertFiring[];
  /** would have fired but the rule is cooling down for that ticker */
  suppressed: AlertFiring[];
  state: AlertState;
}

interface Observation {
  side: Side;
  value: number;
  threshold: number;
  message: string;
}

/** Figures in messages: six significant digits, no trailing zeros. */
const num = (n: number): string => String(Number(n.toPrecision(6)));
/** One decimal from 1 % up; two significant digits below, so a 0.05 % rule does not read "0.0%". */
const pct = (n: number): string => `${Math.abs(n) >= 1 ? Math.abs(n).toFixed(1) : String(Number(Math.abs(n).toPrecision(2)))}%`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function observePriceCross(rule: PriceCrossRule, ticker: string, s: AlertSnapshot): Observation | null {
  const p = s.prices.find((x) => x.symbol === ticker);
  if (p === undefined) return null;
  const side = p.price >= rule.level ? 'above' : 'below';
  return { side, value: p.price, threshold: rule.level, message: `${ticker} crossed ${side} ${num(rule.level)} at ${num(p.price)}` };
}

/**
 * The move is measured from the extreme of the window to the latest price:
 * a rise from the lowest low, a fall from the highest high, over the candles
 * of the last N minutes (to the minute) and the latest trade.
 */
function observePriceMove(rule: PriceMoveRule, ticker: string, s: AlertSnapshot, now: number): Observation | null {
  const from = now - rule.withinMinutes * MINUTE_MS;
  const candles = s.candles.filter((c) => c.symbol === ticker && c.minute + MINUTE_MS > from && c.minute <= now).sort((a, b) => a.minute - b.minute);
  const p = s.prices.find((x) => x.symbol === ticker && x.timestamp >= from);
  const current = p?.price ?? candles[candles.length - 1]?.close;
  if (current === undefined) return null;
  let low = current;
  let high = current;
  for (const c of candles) {
    low = Math.min(low, c.low);
    high = Math.max(high, c.high);
  }
  const up = low > 0 ? ((current - low) / low) * 100 : 0;
  const down = high > 0 ? ((high - current) / high) * 100 : 0;
  const useUp = rule.direction === 'up' || (rule.direction === 'either' && up >= down);
  const move = useUp ? up : down;
  const side = move > rule.percent ? 'on' : 'off';
  const span = plural(rule.withinMinutes, 'minute');
  const message = useUp
    ? `${ticker} rose ${pct(up)} within ${span}, from ${num(low)} to ${num(current)}`
    : `${ticker} fell ${pct(down)} within ${span}, from ${num(high)} to ${num(current)}`;
  return { side, value: useUp ? up : -down, threshold: useUp ? rule.percent : -rule.percent, message };
}

function observeSentiment(rule: SentimentRule, ticker: string, s: AlertSnapshot, now: number): Observation | null {
  const from = now - rule.windowMinutes * MINUTE_MS;
  const windows = s.sentiment.filter((w) => w.ticker === ticker);
  let count = 0;
  for (const w of windows) if (w.minute >= from && w.minute <= now) count += w.count;
  const mean = meanOver(windows, from, now + 1);
  if (mean === null || count < rule.minMentions) return null;
  const on = rule.direction === 'above' ? mean > rule.threshold : mean < rule.threshold;
  return {
    side: on ? 'on' : 'off', value: mean, threshold: rule.threshold,
    message: `${ticker} mean sentiment ${mean.toFixed(2)} over the last ${plural(rule.windowMinutes, 'minute')} is ${rule.direction} ${rule.threshold} (${plural(count, 'mention')})`,
  };
}

/**
 * Mentions in [fromMs, toMs) from hourly buckets, each bucket's count spread
 * evenly over the part of its hour that has passed: the hour in progress
 * counts only up to now, so "the last 60 minutes" can be read at any minute
 * rather than only on the hour.
 */
export function mentionsIn(rows: readonly MentionCount[], fromMs: number, toMs: number, now: number): number {
  let total = 0;
  for (const r of rows) {
    const end = Math.max(r.hour + 1, Math.min(r.hour + HOUR_MS, now));
    const overlap = Math.min(toMs, end) - Math.max(fromMs, r.hour);
    if (overlap > 0) total += (r.count * overlap) / (end - r.hour);
  }
  return total;
}

function observeMentionSpike(rule: MentionSpikeRule, ticker: string, s: AlertSnapshot, now: number): Observation | null {
  // Warm-up: the trailing average means something only once the store holds data from before the
  // trailing window; at a fresh start every ticker would be "N mentions, none in the hours before".
  const trailingStart = Math.floor((now - rule.trailingHours * HOUR_MS) / HOUR_MS) * HOUR_MS;
  if (!s.mentions.some((m) => m.hour <= trailingStart)) return null;
  const rows = s.mentions.filter((m) => m.ticker === ticker);
  const last = mentionsIn(rows, now - HOUR_MS, now, now);
  const average = mentionsIn(rows, now - (rule.trailingHours + 1) * HOUR_MS, now - HOUR_MS, now) / rule.trailingHours;
  const threshold = rule.factor * average;
  const on = last >= rule.minMentions && last > threshold;
  const n = Math.round(last);
  const span = plural(rule.trailingHours, 'hour');
  const message = average === 0
    ? `${ticker} had ${plural(n, 'mention')} in the last hour, none in the ${span} before`
    : `${ticker} had ${plural(n, 'mention')} in the last hour, ${(last / average).toFixed(1)}x the ${rule.trailingHours}-hour average of ${num(average)} per hour`;
  return { side: on ? 'on' : 'off', value: last, threshold, message };
}

/** the windows an unusual_buzz rule compares at `now`: the last windowMinutes, and the same minutes of each day before */
export function buzzWindows(rule: Pick<UnusualBuzzRule, 'windowMinutes' | 'baselineDays'>, now: number): { current: { fromMs: number; toMs: number }; baseline: { fromMs: number; toMs: number }[] } {
  const current = slidingWindow(now, rule.windowMinutes * MINUTE_MS);
  const baseline = Array.from({ length: rule.baselineDays }, (_, i) => ({ fromMs: current.fromMs - (i + 1) * DAY_MS, toMs: current.toMs - (i + 1) * DAY_MS }));
  return { current, baseline };
}

const DAY_MS = 24 * HOUR_MS;
const countOf = (s: AlertSnapshot, w: { fromMs: number; toMs: number }): ReadonlyMap<string, number> | undefined =>
  s.windows?.find((x) => x.fromMs === w.fromMs && x.toMs === w.toMs)?.counts;

/**
 * Unusual buzz: mentions in the last windowMinutes against the usual for the
 * same minutes of the day (the mean over the baseline days that hold any
 * data). Chatter has a daily rhythm (quiet nights, a morning rush), so "3×
 * the trailing day" would fire every morning; "3× the usual at 9:30" does
 * not. Warm-up: a baseline day counts only when the store held mentions of
 * any ticker then, and the rule stays silent until minBaselineDays do.
 */
function observeUnusualBuzz(rule: UnusualBuzzRule, ticker: string, s: AlertSnapshot, now: number): Observation | null {
  const w = buzzWindows(rule, now);
  const current = countOf(s, w.current);
  if (current === undefined) return null;
  const covered = w.baseline.map((b) => countOf(s, b)).filter((c): c is ReadonlyMap<string, number> => c !== undefined && c.size > 0);
  if (covered.length < rule.minBaselineDays) return null;
  const usual = covered.reduce((n, c) => n + (c.get(ticker) ?? 0), 0) / covered.length;
  const last = current.get(ticker) ?? 0;
  const threshold = rule.factor * Math.max(usual, 1);
  const on = last >= rule.minMentions && last > threshold;
  const span = plural(rule.windowMinutes, 'minute');
  const message = usual === 0
    ? `${ticker} had ${plural(last, 'mention')} in the last ${span}; usually none at this time of day (${plural(covered.length, 'day')} of history)`
    : `${ticker} had ${plural(last, 'mention')} in the last ${span}, ${(last / usual).toFixed(1)}x the usual ${num(usual)} at this time of day (${plural(covered.length, 'day')} of history)`;
  return { side: on ? 'on' : 'off', value: last, threshold, message };
}

function observe(rule: AlertRule, ticker: string, s: AlertSnapshot, now: number): Observation | null {
  switch (rule.kind) {
    case 'price_cross': return observePriceCross(rule, ticker, s);
    case 'price_move': return observePriceMove(rule, ticker, s, now);
    case 'sentiment': return observeSentiment(rule, ticker, s, now);
    case 'mention_spike': return observeMentionSpike(rule, ticker, s, now);
    case 'unusual_buzz': return observeUnusualBuzz(rule, ticker, s, now);
  }
}

/**
 * A crossing needs a side seen before it: the first price after start-up only
 * arms the rule, since nobody knows which side the price came from. An on/off
 * condition already true at the first evaluation does fire: it is news now.
 */
function fires(rule: AlertRule, before: Side | undefined, after: Side): boolean {
  if (rule.kind !== 'price_cross') return after === 'on' && before !== 'on';
  if (before === undefined || before === after) return false;
  return rule.direction === 'either' || (rule.direction === 'up') === (after === 'above');
}

export function evaluateRules(rules: readonly AlertRule[], snapshot: AlertSnapshot, now: number, state: AlertState): Evaluation {
  const next = new Map(state);
  const firings: AlertFiring[] = [];
  const suppressed: AlertFiring[] = [];
  const mentioned = () => snapshot.mentions.map((m) => m.ticker);
  for (const rule of rules) {
    const seen = rule.kind === 'unusual_buzz' ? () => countOf(snapshot, buzzWindows(rule, now).current)?.keys() ?? [] : mentioned;
    for (const ticker of tickersOf(rule, seen)) {
      const key = stateKey(rule.id, ticker);
      const prev = next.get(key) ?? {};
      const o = observe(rule, ticker, snapshot, now);
      if (o === null) continue;
      if (!fires(rule, prev.side, o.side)) {
        next.set(key, { ...prev, side: o.side });
        continue;
      }
      const firing: AlertFiring = { ruleId: rule.id, ticker, kind: rule.kind, firedAt: now, message: o.message, value: o.value, threshold: o.threshold };
      const cooling = prev.lastFiredAt !== undefined && now - prev.lastFiredAt < rule.cooldownMinutes * MINUTE_MS;
      if (cooling) {
        suppressed.push(firing);
        next.set(key, { ...prev, side: o.side });
      } else {
        firings.push(firing);
        next.set(key, { side: o.side, lastFiredAt: now });
      }
    }
  }
  return { firings, suppressed, state: next };
}

/** Cooldowns survive a restart: the state rebuilt from stored firings. */
export function stateFromFirings(fired: readonly { ruleId: string; ticker: string; firedAt: number }[]): AlertState {
  const state = new Map<string, TrackState>();
  for (const f of fired) {
    const key = stateKey(f.ruleId, f.ticker);
    const at = state.get(key)?.lastFiredAt;
    if (at === undefined || f.firedAt > at) state.set(key, { lastFiredAt: f.firedAt });
  }
  return state;
}

export interface SnapshotNeeds {
  /** latest prices of every symbol */
  prices: boolean;
  /** 1-minute candles per symbol, [fromMs, toMs) by minute start */
  candles: { symbol: string; fromMs: number; toMs: number }[];
  /** sentiment windows per ticker, [fromMs, toMs) by minute start */
  sentiment: { ticker: string; fromMs: number; toMs: number }[];
  /** hourly mention rows of every ticker, [fromMs, toMs) by hour start; null = none needed */
  mentions: { fromMs: number; toMs: number } | null;
  /** exact mentions per ticker in these minute-aligned windows (unusual_buzz) */
  windows: { fromMs: number; toMs: number }[];
}

/** The store ranges one evaluation at `now` reads: the longest window per ticker, nothing more. */
export function snapshotNeeds(rules: readonly AlertRule[], now: number): SnapshotNeeds {
  const candleSpan = new Map<string, number>();
  const sentimentSpan = new Map<string, number>();
  let trailingHours = 0;
  let prices = false;
  const windows = new Map<string, { fromMs: number; toMs: number }>();
  for (const rule of rules) {
    if (rule.kind === 'unusual_buzz') {
      const w = buzzWindows(rule, now);
      for (const x of [w.current, ...w.baseline]) windows.set(`${x.fromMs}|${x.toMs}`, x);
    }
    if (rule.kind === 'price_cross') prices = true;
    if (rule.kind === 'price_move') {
      prices = true;
      for (const t of rule.tickers) candleSpan.set(t, Math.max(candleSpan.get(t) ?? 0, rule.withinMinutes));
    }
    if (rule.kind === 'sentiment') for (const t of rule.tickers) sentimentSpan.set(t, Math.max(sentimentSpan.get(t) ?? 0, rule.windowMinutes));
    if (rule.kind === 'mention_spike') trailingHours = Math.max(trailingHours, rule.trailingHours);
  }
  const minuteOf = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
  return {
    prices,
    candles: [...candleSpan].map(([symbol, minutes]) => ({ symbol, fromMs: minuteOf(now - minutes * MINUTE_MS), toMs: now + MINUTE_MS })),
    sentiment: [...sentimentSpan].map(([ticker, minutes]) => ({ ticker, fromMs: minuteOf(now - minutes * MINUTE_MS), toMs: now + MINUTE_MS })),
    mentions: trailingHours === 0 ? null : { fromMs: Math.floor((now - (trailingHours + 1) * HOUR_MS) / HOUR_MS) * HOUR_MS, toMs: now + HOUR_MS },
    windows: [...windows.values()],
  };
}
