import { z } from 'zod';
import { StockstreamerError } from '../../runtime/errors.ts';

/**
 * Alert rules as users write them in config/alerts.json:
 *
 *   { "rules": [ <rule>, … ] }
 *
 *   rule          = common & ( price_cross | price_move | sentiment | mention_spike | unusual_buzz )
 *   common        = id (unique), tickers (non-empty list, or ["*"] for mention_spike and unusual_buzz),
 *                   cooldownMinutes (default 30), description (optional)
 *   price_cross   = level, direction: up | down | either (default either)
 *   price_move    = percent, withinMinutes, direction: up | down | either (default either)
 *   sentiment     = windowMinutes, threshold in [-1, 1], direction: above | below,
 *                   minMentions (default 1)
 *   mention_spike = factor, trailingHours (default 24), minMentions (default 10)
 *   unusual_buzz  = factor (default 3), windowMinutes (default 60), baselineDays (default 7),
 *                   minBaselineDays (default 3), minMentions (default 10)
 *
 * Unknown keys are errors, as everywhere in the configuration: a misspelt
 * "treshold" must not silently become a default. Each problem is reported as
 * one line naming the file, the rule and the field.
 */

const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** A Finnhub symbol or an extracted ticker: "AAPL", "BRK.B", "BINANCE:BTCUSDT". */
const TICKER = /^[A-Za-z0-9^][A-Za-z0-9.:_\-/=^]{0,63}$/;
export const ALL_TICKERS = '*';

const positive = (what: string) => z.number({ error: `must be a number (${what})` }).finite().positive(`must be greater than 0 (${what})`);
const wholeMinutes = (max: number) =>
  z.number({ error: 'must be a whole number of minutes' }).int('must be a whole number of minutes').min(1, 'must be at least 1 minute').max(max, `must be at most ${max} minutes`);
const tickers = (allowAll: boolean) =>
  z.array(z.string({ error: 'must list ticker symbols as strings' }).refine((t) => TICKER.test(t) || (allowAll && t === ALL_TICKERS),
    allowAll ? 'must hold ticker symbols such as "AAPL", or "*" for every ticker' : 'must hold ticker symbols such as "AAPL" ("*" is only for mention_spike and unusual_buzz)'),
  { error: 'must be a list of ticker symbols' })
    .min(1, 'must name at least one ticker')
    .refine((list) => !list.includes(ALL_TICKERS) || list.length === 1, '"*" stands alone: it already means every ticker');

const common = (allowAll: boolean) => ({
  id: z.string(),
  description: z.string({ error: 'must be a string' }).max(200, 'must be at most 200 characters').optional(),
  tickers: tickers(allowAll),
  cooldownMinutes: z.number({ error: 'must be a number of minutes' }).finite().min(0, 'must not be negative').max(7 * 24 * 60, 'must be at most a week (10080 minutes)').default(30),
});
const direction = z.enum(['up', 'down', 'either'], { error: 'must be "up", "down" or "either"' });

const priceCross = z.strictObject({
  kind: z.literal('price_cross'),
  ...common(false),
  level: positive('a price'),
  direction: direction.default('either'),
});
const priceMove = z.strictObject({
  kind: z.literal('price_move'),
  ...common(false),
  percent: positive('a percentage').max(1000, 'must be at most 1000'),
  withinMinutes: wholeMinutes(24 * 60),
  direction: direction.default('either'),
});
const sentiment = z.strictObject({
  kind: z.literal('sentiment'),
  ...common(false),
  windowMinutes: wholeMinutes(24 * 60),
  threshold: z.number({ error: 'must be a number between -1 and 1' }).min(-1, 'must be between -1 and 1').max(1, 'must be between -1 and 1'),
  direction: z.enum(['above', 'below'], { error: 'must be "above" or "below"' }),
  minMentions: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').default(1),
});
const mentionSpike = z.strictObject({
  kind: z.literal('mention_spike'),
  ...common(true),
  factor: positive('a multiple of the trailing average'),
  trailingHours: z.number({ error: 'must be a whole number of hours' }).int('must be a whole number of hours').min(1, 'must be at least 1 hour').max(24 * 14, 'must be at most 336 hours').default(24),
  minMentions: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').default(10),
});

/**
 * Mentions of the last windowMinutes against the same minutes of the day on
 * each of the baselineDays before (the crowd's usual buzz at that hour); it
 * waits until the store holds data in at least minBaselineDays of them.
 */
const unusualBuzz = z.strictObject({
  kind: z.literal('unusual_buzz'),
  ...common(true),
  factor: positive('a multiple of the usual mentions').default(3),
  windowMinutes: wholeMinutes(24 * 60).default(60),
  baselineDays: z.number({ error: 'must be a whole number of days' }).int('must be a whole number of days').min(1, 'must be at least 1 day').max(28, 'must be at most 28 days').default(7),
  minBaselineDays: z.number({ error: 'must be a whole number of days' }).int('must be a whole number of days').min(1, 'must be at least 1 day').max(28, 'must be at most 28 days').default(3),
  minMentions: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').default(10),
}).refine((r) => r.minBaselineDays <= r.baselineDays, { path: ['minBaselineDays'], message: 'must not be more than baselineDays' });

const SCHEMAS = { price_cross: priceCross, price_move: priceMove, sentiment, mention_spike: mentionSpike, unusual_buzz: unusualBuzz } as const;
export type RuleKind = keyof typeof SCHEMAS;
export const RULE_KINDS = Object.keys(SCHEMAS) as RuleKind[];

export type PriceCrossRule = z.output<typeof priceCross>;
export type PriceMoveRule = z.output<typeof priceMove>;
export type SentimentRule = z.output<typeof sentiment>;
export type MentionSpikeRule = z.output<typeof mentionSpike>;
export type UnusualBuzzRule = z.output<typeof unusualBuzz>;
export type AlertRule = PriceCrossRule | PriceMoveRule | SentimentRule | MentionSpikeRule | UnusualBuzzRule;

function fail(file: string, where: string, why: string): never {
  throw new StockstreamerError('CONFIG_INVALID', `${file}: ${where} ${why}`, { details: { file, where } });
}

const describeValue = (x: unknown): string =>
  x === null ? 'null' : Array.isArray(x) ? 'a list' : typeof x === 'string' ? `"${x.length > 40 ? `${x.slice(0, 40)}…` : x}"` : typeof x === 'object' ? 'an object' : String(x);

/**
 * Validates a parsed rules document (JSON.parse output) and returns the rules,
 * frozen, with defaults filled in. `file` only names the source in errors.
 */
export function parseAlertRules(doc: unknown, file: string): readonly AlertRule[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) fail(file, 'the document', 'must be an object: { "rules": [ … ] }');
  const top = doc as Record<string, unknown>;
  const extra = Object.keys(top).filter((k) => k !== 'rules');
  if (extra.length > 0) fail(file, `field "${extra[0]}"`, 'is not known (the document holds only "rules")');
  if (!Array.isArray(top.rules)) fail(file, 'field "rules"', top.rules === undefined ? 'is missing' : 'must be a list of rules');

  const seen = new Map<string, number>();
  const rules = top.rules.map((raw: unknown, i: number): AlertRule => {
    const at = `rules[${i}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(file, at, `must be an object, got ${describeValue(raw)}`);
    const r = raw as Record<string, unknown>;
    if (typeof r.id !== 'string' || !RULE_ID.test(r.id)) {
      fail(file, `${at} field "id"`, r.id === undefined ? 'is missing' : 'must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit');
    }
    const name = `rule "${r.id}" (${at})`;
    const previous = seen.get(r.id);
    if (previous !== undefined) fail(file, name, `has the same id as rules[${previous}]`);
    seen.set(r.id, i);
    const kind = r.kind;
    if (typeof kind !== 'string' || !(kind in SCHEMAS)) {
      fail(file, `${name} field "kind"`, kind === undefined ? `is missing (one of ${RULE_KINDS.join(', ')})` : `${describeValue(kind)} is not one of ${RULE_KINDS.join(', ')}`);
    }
    const parsed = (SCHEMAS[kind as RuleKind] as z.ZodType<AlertRule>).safeParse(r);
    if (parsed.success) return Object.freeze({ ...parsed.data, tickers: Object.freeze([...parsed.data.tickers]) as string[] });
    // A misspelt key usually also leaves a required one missing: name the typo, it is the fix.
    const issues = parsed.error.issues;
    const issue = issues.find((x) => x.code === 'unrecognized_keys') ?? issues[0]!;
    if (issue.code === 'unrecognized_keys') fail(file, `${name} field "${issue.keys[0]}"`, `is not a known field of a ${kind} rule`);
    const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('') || '(rule)';
    const value = issue.path.reduce<unknown>((v, p) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined), r);
    if (value === undefined && issue.code === 'invalid_type') fail(file, `${name} field "${field}"`, 'is missing');
    fail(file, `${name} field "${field}"`, `${issue.message}, got ${describeValue(value)}`);
  });
  return Object.freeze(rules);
}

/** Every ticker a rule watches, "*" expanded against the tickers seen in the data. */
export function tickersOf(rule: AlertRule, seen: () => Iterable<string>): string[] {
  return rule.tickers[0] === ALL_TICKERS ? [...new Set(seen())].sort() : [...rule.tickers];
}
