import { z } from 'zod';
import { StockstreamerError } from '../lib/runtime/errors.ts';

/**
 * Query parameters of the JSON API. Everything arrives as text; each route's
 * schema turns it into numbers and upper-case symbols, or the request gets a
 * 400 naming the parameter. Unknown parameters are refused too: a typo
 * ("form=") must not silently fall back to a default.
 */

export const MINUTE_MS = 60_000;
/** the longest from..to range a chart may ask for, milliseconds (a week of 1-minute rows) */
export const MAX_RANGE_MS = 7 * 86_400_000;
/** default chart range when from/to are absent, milliseconds */
export const DEFAULT_RANGE_MS = 60 * MINUTE_MS;
/** the longest moving-average span, minutes */
export const MAX_SPAN_MINUTES = 1440;

export const epochMs = z.string()
  .regex(/^\d{1,15}$/, 'must be epoch milliseconds (digits only)')
  .transform(Number);
export const symbol = z.string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z][A-Z0-9.-]{0,11}$/, 'must be a ticker symbol such as AAPL'));
export const intIn = (min: number, max: number, unit: string) => z.string()
  .regex(/^\d{1,9}$/, `must be a whole number of ${unit}`)
  .transform(Number)
  .pipe(z.number().min(min, `must be at least ${min} ${unit}`).max(max, `must be at most ${max} ${unit}`));

const range = { from: epochMs.optional(), to: epochMs.optional() };

/**
 * Candle grains a chart may ask for: 1-minute candles, or the hour and day
 * roll-ups (candles_1h, candles_1d). Each has its longest range, so no answer
 * holds more than ~10,000 rows; without `grain` the range chooses (candleGrainFor).
 */
export const CANDLE_GRAINS = {
  '1m': { ms: MINUTE_MS, maxRangeMs: MAX_RANGE_MS },
  '1h': { ms: 3_600_000, maxRangeMs: 400 * 86_400_000 },
  '1d': { ms: 86_400_000, maxRangeMs: 20 * 366 * 86_400_000 },
} as const;
export type CandleGrainName = keyof typeof CANDLE_GRAINS;

/**
 * Sentiment grains: per-minute windows (ticker_sentiment_1m), or hours from
 * the crowd tallies (mention_hours, every subreddit): one partition per UTC
 * day, so hours stop at 31 days.
 */
export const SENTIMENT_GRAINS = {
  '1m': { ms: MINUTE_MS, maxRangeMs: MAX_RANGE_MS },
  '1h': { ms: 3_600_000, maxRangeMs: 31 * 86_400_000 },
} as const;

/** minutes up to a day (≤ 1,440 points), hours up to 60 days (≤ 1,440), days beyond */
export function candleGrainFor(rangeMs: number): CandleGrainName {
  return rangeMs <= 86_400_000 ? '1m' : rangeMs <= 60 * 86_400_000 ? '1h' : '1d';
}

/** a week of minutes is 10,080 rows over 8 partitions; hours of the crowd tallies are 168: minutes up to a day, hours beyond */
export const sentimentGrainFor = (rangeMs: number): keyof typeof SENTIMENT_GRAINS => (rangeMs <= 86_400_000 ? '1m' : '1h');

/**
 * The range of a chart with grains: from and to as resolveRange gives them,
 * the grain asked or the one `auto` picks for the range, that grain's longest
 * range enforced (with `hints[grain]` in the message when the grain was asked),
 * and `start`, `from` floored to the grain (rows are keyed by their start).
 */
export function resolveGrainRange<G extends string>(
  q: { from?: number | undefined; to?: number | undefined; grain?: G | undefined }, nowMs: number,
  grains: Readonly<Record<G, { ms: number; maxRangeMs: number }>>, auto: (rangeMs: number) => G, hints: Partial<Record<G, string>> = {},
): { grain: G; from: number; to: number; start: number } {
  const { from, to } = resolveRange(q, nowMs, DEFAULT_RANGE_MS, Infinity);
  const grain = q.grain ?? auto(to - from);
  const { ms, maxRangeMs } = grains[grain];
  checkSpan(from, to, maxRangeMs, q.grain === undefined ? '' : hints[grain] ?? '');
  return { grain, from, to, start: Math.floor(from / ms) * ms };
}

export const QUERY = {
  none: z.strictObject({}),
  candles: z.strictObject({ symbol, ...range, grain: z.enum(['1m', '1h', '1d']).optional() }),
  sentiment: z.strictObject({ ticker: symbol, ...range, span: intIn(1, MAX_SPAN_MINUTES, 'minutes').optional(), grain: z.enum(['1m', '1h']).optional() }),
  mentions: z.strictObject({ hours: intIn(1, 24, 'hours').optional(), limit: intIn(1, 100, 'rows').optional() }),
  posts: z.strictObject({ ticker: symbol.optional(), limit: intIn(1, 200, 'posts').optional() }),
  alerts: z.strictObject({ limit: intIn(1, 500, 'alerts').optional(), hours: intIn(1, 24 * 30, 'hours').optional() }),
  stream: z.strictObject({
    symbol,
    minutes: intIn(5, MAX_RANGE_MS / MINUTE_MS, 'minutes').optional(),
    span: intIn(1, MAX_SPAN_MINUTES, 'minutes').optional(),
    posts: z.enum(['symbol', 'all']).optional(),
  }),
} as const;

export function inputInvalid(message: string, details: Record<string, unknown> = {}): StockstreamerError {
  return new StockstreamerError('INPUT_INVALID', message, { details });
}

/** Parses a query with one of the schemas above; the first problem becomes the 400's message. */
export function parseQuery<S extends z.ZodType>(schema: S, params: URLSearchParams): z.output<S> {
  const raw: Record<string, string> = {};
  for (const [k, v] of params) {
    if (k in raw) throw inputInvalid(`parameter ${k} is given more than once`, { parameter: k });
    raw[k] = v;
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    throw inputInvalid(`unknown parameter ${keys.join(', ')}`, { parameter: keys[0] });
  }
  const name = issue.path.join('.') || '(query)';
  const message = issue.code === 'invalid_type' && raw[name] === undefined ? 'is required' : issue.message;
  throw inputInvalid(`${name} ${message}`, { parameter: name });
}

/**
 * from/to of a chart: both optional (default: the last hour up to now), from
 * must not be after to, and the range is bounded so one request cannot ask
 * for years of minutes.
 */
export function resolveRange(q: { from?: number | undefined; to?: number | undefined }, nowMs: number, defaultMs = DEFAULT_RANGE_MS, maxMs = MAX_RANGE_MS): { from: number; to: number } {
  const to = q.to ?? (q.from !== undefined ? Math.max(nowMs, q.from) : nowMs);
  const from = q.from ?? to - defaultMs;
  if (from > to) throw inputInvalid(`from (${from}) is after to (${to})`, { parameter: 'from' });
  checkSpan(from, to, maxMs);
  return { from, to };
}

function checkSpan(from: number, to: number, maxMs: number, hint = ''): void {
  if (to - from > maxMs) {
    throw inputInvalid(`range from..to spans ${Math.ceil((to - from) / 86_400_000)} days; at most ${maxMs / 86_400_000} days${hint}`, { parameter: 'to' });
  }
}
