/**
 * Domain rules a record must keep after it decoded. Pure: a value in, the same
 * value out (narrowed to its type) or VALIDATION_FAILED naming the first field
 * that breaks a rule, so the processor can dead-letter it with the reason.
 *
 * The rules catch what Avro cannot: a trade with a zero price, a timestamp in
 * seconds where milliseconds belong, a comment whose fullname is a submission's.
 * Properties the record type does not declare are left alone, not checked.
 */
import { StockstreamerError } from '../runtime/errors.ts';
import type { RedditComment, RedditSubmission, TickerMention, Trade } from './types.ts';

/** 2000-01-01T00:00:00Z: nothing older reaches a live feed; a seconds timestamp lands far below it. */
export const MIN_EPOCH_MS = 946_684_800_000;
/** 2100-01-01T00:00:00Z: a microsecond or nanosecond timestamp lands far above it. */
export const MAX_EPOCH_MS = 4_102_444_800_000;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

/**
 * A Finnhub symbol: "AAPL", "BRK.B", "BINANCE:BTCUSDT", "OANDA:EUR_USD",
 * "^GSPC", "IC MARKETS:1". Letters, digits, . : _ - / = ^ and inner spaces.
 */
const SYMBOL = /^[A-Za-z0-9^](?:[A-Za-z0-9.:_\-/=^ ]{0,62}[A-Za-z0-9.:_\-/=^])?$/;
/** A ticker as extracted from text: upper case, as on the exchange ("BRK.B", "RDS-A"). */
const TICKER = /^[A-Z][A-Z0-9.-]{0,9}$/;
const BASE36_ID = /^[0-9a-z]+$/;
const SUBMISSION_FULLNAME = /^t3_[0-9a-z]+$/;
const COMMENT_FULLNAME = /^t1_[0-9a-z]+$/;
const POST_FULLNAME = /^t[13]_[0-9a-z]+$/;
/** Reddit's own limit is 3–21; a few historic subreddits have 2 letters. */
const SUBREDDIT = /^[A-Za-z0-9][A-Za-z0-9_]{1,20}$/;
const PERMALINK = /^(?:\/|https?:\/\/)\S+$/;
const LABELS: ReadonlySet<string> = new Set(['pos', 'neg', 'neu']);

export type RecordName = 'Trade' | 'RedditSubmission' | 'RedditComment' | 'TickerMention';

function fail(record: RecordName, field: string, reason: string): never {
  throw new StockstreamerError('VALIDATION_FAILED', `${record}.${field} ${reason}`, { details: { record, field, reason } });
}

function asObject(record: RecordName, x: unknown): Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) fail(record, '', `must be an object, got ${kindOf(x)}`);
  return x as Record<string, unknown>;
}

function kindOf(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x;
}

function str(record: RecordName, o: Record<string, unknown>, field: string): string {
  const v = o[field];
  if (typeof v !== 'string') fail(record, field, `must be a string, got ${kindOf(v)}`);
  return v;
}

function matching(record: RecordName, o: Record<string, unknown>, field: string, pattern: RegExp, what: string): string {
  const v = str(record, o, field);
  if (!pattern.test(v)) fail(record, field, `must be ${what}, got ${JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v)}`);
  return v;
}

function nonEmpty(record: RecordName, o: Record<string, unknown>, field: string): string {
  const v = str(record, o, field);
  if (v.trim() === '') fail(record, field, 'must not be empty');
  return v;
}

function int32(record: RecordName, o: Record<string, unknown>, field: string, min = INT32_MIN): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isInteger(v)) fail(record, field, `must be an integer, got ${typeof v === 'number' ? v : kindOf(v)}`);
  if (v < min || v > INT32_MAX) fail(record, field, `must be in [${min}, ${INT32_MAX}], got ${v}`);
  return v;
}

function finite(record: RecordName, o: Record<string, unknown>, field: string): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(record, field, `must be a finite number, got ${typeof v === 'number' ? v : kindOf(v)}`);
  return v;
}

function epochMs(record: RecordName, o: Record<string, unknown>, field: string): number {
  const v = o[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    fail(record, field, `must be an integer of epoch milliseconds, got ${typeof v === 'number' ? v : kindOf(v)}`);
  }
  if (v < MIN_EPOCH_MS || v > MAX_EPOCH_MS) {
    fail(record, field, `must be epoch milliseconds between 2000 and 2100, got ${v}${v > 0 && v < MIN_EPOCH_MS / 100 ? ' (seconds?)' : ''}`);
  }
  return v;
}

export function validateTrade(x: unknown): Trade {
  const r: RecordName = 'Trade';
  const o = asObject(r, x);
  const symbol = str(r, o, 'symbol');
  if (symbol === '') fail(r, 'symbol', 'must not be empty');
  matching(r, o, 'symbol', SYMBOL, 'a symbol of at most 64 letters, digits, . : _ - / = ^ or inner spaces');
  if (finite(r, o, 'price') <= 0) fail(r, 'price', `must be positive, got ${o.price as number}`);
  if (finite(r, o, 'volume') < 0) fail(r, 'volume', `must not be negative, got ${o.volume as number}`);
  epochMs(r, o, 'timestamp');
  const conditions = o.conditions;
  if (!Array.isArray(conditions)) fail(r, 'conditions', `must be an array of strings, got ${kindOf(conditions)}`);
  for (let i = 0; i < conditions.length; i++) {
    if (typeof conditions[i] !== 'string') fail(r, `conditions.${i}`, `must be a string, got ${kindOf(conditions[i])}`);
  }
  int32(r, o, 'seq', 0);
  return x as Trade;
}

/** The fields submissions and comments share. */
function validatePostCommon(r: RecordName, o: Record<string, unknown>, kind: 'submission' | 'comment'): void {
  if (o.kind !== kind) fail(r, 'kind', `must be "${kind}", got ${JSON.stringify(o.kind) ?? 'undefined'}`);
  const fullname = matching(r, o, 'fullname', kind === 'submission' ? SUBMISSION_FULLNAME : COMMENT_FULLNAME, `a ${kind === 'submission' ? 't3_' : 't1_'} fullname`);
  const id = matching(r, o, 'id', BASE36_ID, 'a base-36 id');
  if (fullname.slice(3) !== id) fail(r, 'id', `must be the fullname without its prefix (${fullname.slice(3)}), got ${JSON.stringify(id)}`);
  matching(r, o, 'subreddit', SUBREDDIT, 'a subreddit name without r/');
  nonEmpty(r, o, 'author');
  int32(r, o, 'score');
  epochMs(r, o, 'created');
  matching(r, o, 'permalink', PERMALINK, 'a path or http(s) URL');
}

export function validateSubmission(x: unknown): RedditSubmission {
  const r: RecordName = 'RedditSubmission';
  const o = asObject(r, x);
  validatePostCommon(r, o, 'submission');
  nonEmpty(r, o, 'title');
  str(r, o, 'selftext');
  return x as RedditSubmission;
}

export function validateComment(x: unknown): RedditComment {
  const r: RecordName = 'RedditComment';
  const o = asObject(r, x);
  validatePostCommon(r, o, 'comment');
  str(r, o, 'body');
  matching(r, o, 'linkId', SUBMISSION_FULLNAME, 'the t3_ fullname of the submission');
  const parentId = matching(r, o, 'parentId', POST_FULLNAME, 'a t1_ or t3_ fullname');
  if (parentId.startsWith('t3_') && parentId !== o.linkId) {
    fail(r, 'parentId', `a top-level comment's parent must be its submission ${String(o.linkId)}, got ${parentId}`);
  }
  if (parentId === o.fullname) fail(r, 'parentId', 'a comment cannot be its own parent');
  str(r, o, 'linkTitle');
  return x as RedditComment;
}

export function validateMention(x: unknown): TickerMention {
  const r: RecordName = 'TickerMention';
  const o = asObject(r, x);
  const postId = matching(r, o, 'postId', POST_FULLNAME, 'a t3_ or t1_ fullname');
  matching(r, o, 'ticker', TICKER, 'an upper-case ticker of at most 10 characters');
  const kind = o.kind;
  if (kind !== 'submission' && kind !== 'comment') fail(r, 'kind', `must be "submission" or "comment", got ${JSON.stringify(kind) ?? 'undefined'}`);
  if ((kind === 'submission') !== postId.startsWith('t3_')) fail(r, 'kind', `"${kind}" does not match the post ${postId}`);
  matching(r, o, 'subreddit', SUBREDDIT, 'a subreddit name without r/');
  nonEmpty(r, o, 'author');
  str(r, o, 'text');
  matching(r, o, 'permalink', PERMALINK, 'a path or http(s) URL');
  const sentiment = finite(r, o, 'sentiment');
  if (sentiment < -1 || sentiment > 1) fail(r, 'sentiment', `must be in [-1, 1], got ${sentiment}`);
  if (typeof o.label !== 'string' || !LABELS.has(o.label)) fail(r, 'label', `must be "pos", "neg" or "neu", got ${JSON.stringify(o.label) ?? 'undefined'}`);
  epochMs(r, o, 'created');
  int32(r, o, 'score');
  return x as TickerMention;
}

/** How far an event time may stray from the record's bus time before it counts as a broken clock. */
export interface EventTimeLimits {
  /** milliseconds an event time may be ahead of the time its record was appended to the bus */
  maxAheadMs: number;
  /** epoch milliseconds before which no event time is plausible */
  floorMs: number;
}

const DAY = 86_400_000;
function span(ms: number): string {
  if (ms >= 2 * DAY) return `${Math.round(ms / DAY)} days`;
  if (ms >= 7_200_000) return `${Math.round(ms / 3_600_000)} h`;
  if (ms >= 120_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1000)} s`;
}

/**
 * An event time from a skewed clock upstream (a trade stamped ten years
 * ahead, a post from before the floor) must not reach an aggregate or move
 * any notion of "now" forward: it is rejected here, before anything is
 * written, and the processor dead-letters it with this reason. The bus time
 * is stamped by our own producers when they send (never the event time), so
 * "ahead of the bus time" means ahead of when we received it.
 */
export function validateEventTime(record: RecordName, field: string, eventTime: number, busTime: number, limits: EventTimeLimits): void {
  if (eventTime < limits.floorMs) {
    fail(record, field, `${new Date(eventTime).toISOString()} is before the plausible floor ${new Date(limits.floorMs).toISOString()} (STOCKSTREAMER_MIN_EVENT_TIME)`);
  }
  const ahead = eventTime - busTime;
  if (Number.isFinite(busTime) && ahead > limits.maxAheadMs) {
    fail(record, field, `${new Date(eventTime).toISOString()} is ${span(ahead)} ahead of the record's bus time ${new Date(busTime).toISOString()} `
      + `(tolerance ${span(limits.maxAheadMs)}, STOCKSTREAMER_MAX_CLOCK_SKEW_MS): a skewed clock upstream`);
  }
}
