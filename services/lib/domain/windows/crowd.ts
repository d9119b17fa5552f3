import type { SentimentLabel, TickerMention } from '../types.ts';
import { digestOf, type BucketSpec } from './buckets.ts';
import { MINUTE_MS } from './candles.ts';
import { HOUR_MS, type MentionFact } from './sentiment.ts';

export const DAY_MS = 86_400_000;

/**
 * Crowd tallies: what the rolling rankings, the per-ticker crowd signals and
 * the daily history are summed from. One bucket is one ticker's UTC day of
 * posts_by_ticker rows; it yields a tally per minute, per hour and for the
 * day, each once for every subreddit together (scope ALL_SCOPE) and once per
 * subreddit. A sliding window of any length is then covered exactly by whole
 * days, whole hours and minutes at its edges (insight/cover.ts), never by
 * reading posts.
 *
 * A tally is a function of the SET of mentions in it, like a candle: counts
 * and integer sums add in any order, the author set is a set, and the top post
 * is the maximum of a total order (score, then the earlier post, then the
 * smaller id). So a day rebuilt from the raw rows, in any order, equals the
 * one built live to the last bit.
 *
 * Distinct authors over a window cannot be added up from per-bucket counts
 * (one account posting in every hour would count 24 times in a day), so every
 * tally keeps its exact author set; a window's distinct authors is the size of
 * the union of the sets that cover it. A view of one tally alone (a day of the
 * history) reads its count instead of the set.
 */

/** the scope of a tally over every subreddit together; a subreddit's own tallies carry its name in lower case */
export const ALL_SCOPE = '*';

export type Grain = 'minute' | 'hour' | 'day';
export const GRAIN_MS: Readonly<Record<Grain, number>> = { minute: MINUTE_MS, hour: HOUR_MS, day: DAY_MS };

/** What a crowd tally needs of a mention: a posts_by_ticker row with the post's author, subreddit and score. */
export type CrowdFact = MentionFact & Pick<TickerMention, 'subreddit' | 'author' | 'score' | 'permalink' | 'text'>;

/** The post of a tally with the highest score, with what the page needs to link to it. */
export interface TopPost {
  postId: string;
  created: number;
  score: number;
  permalink: string;
  /** the start of the post's text, at most TOP_TEXT_CHARS characters */
  text: string;
}

/** One row of the crowd tables: one ticker, one scope, one minute, hour or day. */
export interface MentionTally {
  grain: Grain;
  ticker: string;
  /** ALL_SCOPE or a subreddit in lower case */
  scope: string;
  /** epoch milliseconds of the bucket start (UTC) */
  start: number;
  count: number;
  /** sum of sentiment scores (6 decimals each, summed exactly) */
  sentimentSum: number;
  pos: number;
  neg: number;
  neu: number;
  /** sum of the posts' scores as read (net upvotes; may be negative) */
  upvotes: number;
  /** upvote-weighted mentions: each mention counts max(score, 1) times */
  weighted: number;
  /** distinct authors, sorted; empty in counts-only reads (rankings, history), which do not fetch them */
  authors: string[];
  /**
   * how many distinct authors: authors.length, also in counts-only reads. null only in a
   * counts-only read of a row written before schema 7 (007_author_counts.cql), which did
   * not store the count; `stockstreamer reprocess` rewrites such rows.
   */
  authorCount: number | null;
  /** null in ranking reads, which do not fetch it */
  top: TopPost | null;
}

/** how much of a top post's text a tally keeps: a line on the page; the link has the rest */
export const TOP_TEXT_CHARS = 280;

/** The weight of one mention in the upvote-weighted count: its post's score, at least 1 (a new post starts at 1). */
export const mentionWeight = (score: number): number => Math.max(score, 1);

/** The key of a tally within its ticker: grain, start and scope. */
export const tallyKey = (t: Pick<MentionTally, 'grain' | 'start' | 'scope'>): string => `${t.grain}|${t.start}|${t.scope}`;

interface Tally {
  grain: Grain;
  start: number;
  scope: string;
  count: number;
  sumUnits: number;
  pos: number;
  neg: number;
  neu: number;
  upvotes: number;
  weighted: number;
  authors: Set<string>;
  top: TopPost | null;
}

interface DayState {
  ticker: string;
  day: number;
  tallies: Map<string, Tally>;
  changed: Set<Tally>;
}

const UNITS = 1e6;
const LABELS: readonly SentimentLabel[] = ['pos', 'neg', 'neu'];

/** true when a is the better top post: higher score, then earlier, then the smaller id */
export function betterTop(a: Pick<TopPost, 'score' | 'created' | 'postId'>, b: Pick<TopPost, 'score' | 'created' | 'postId'> | null): boolean {
  if (b === null) return true;
  if (a.score !== b.score) return a.score > b.score;
  if (a.created !== b.created) return a.created < b.created;
  return a.postId < b.postId;
}

/** scope of a subreddit: Reddit's names are case-insensitive */
export const scopeOf = (subreddit: string): string => subreddit.toLowerCase();

function fold(t: Tally, m: CrowdFact): void {
  t.count++;
  t.sumUnits += Math.round(m.sentiment * UNITS);
  t[m.label]++;
  t.upvotes += m.score;
  t.weighted += mentionWeight(m.score);
  t.authors.add(m.author);
  if (betterTop({ score: m.score, created: m.created, postId: m.postId }, t.top)) {
    t.top = { postId: m.postId, created: m.created, score: m.score, permalink: m.permalink, text: m.text.slice(0, TOP_TEXT_CHARS) };
  }
}

/**
 * The crowd tallies of one ticker-day. The bucket is a day (one load of the
 * ticker's posts_by_ticker rows for that day) and drains only the tallies the
 * records since the last drain changed.
 */
export function crowdSpec(): BucketSpec<CrowdFact, DayState, MentionTally> {
  return {
    sizeMs: DAY_MS,
    keyOf: (m) => m.ticker,
    timeOf: (m) => m.created,
    // posts_by_ticker's key within a ticker: (created, post_id)
    idOf: (m) => `${m.created}:${m.postId}`,
    // every value a tally reads: a post read again with another score (or a deleted author) reloads the day
    digestOf: (m) => digestOf([m.sentiment, m.score], `${m.label}\u0000${m.subreddit}\u0000${m.author}\u0000${m.permalink}\u0000${m.text}`),
    create: (ticker, day) => ({ ticker, day, tallies: new Map(), changed: new Set() }),
    add(s, m) {
      if (!LABELS.includes(m.label)) throw new RangeError(`sentiment label must be pos, neg or neu, got ${String(m.label)}`);
      if (!Number.isSafeInteger(m.score)) throw new RangeError(`a post's score must be an integer, got ${String(m.score)}`);
      for (const grain of ['minute', 'hour', 'day'] as const) {
        const start = Math.floor(m.created / GRAIN_MS[grain]) * GRAIN_MS[grain];
        for (const scope of [ALL_SCOPE, scopeOf(m.subreddit)]) {
          const key = `${grain}|${start}|${scope}`;
          let t = s.tallies.get(key);
          if (t === undefined) {
            t = { grain, start, scope, count: 0, sumUnits: 0, pos: 0, neg: 0, neu: 0, upvotes: 0, weighted: 0, authors: new Set(), top: null };
            s.tallies.set(key, t);
          }
          fold(t, m);
          s.changed.add(t);
        }
      }
    },
    drain(s) {
      const rows: MentionTally[] = [];
      for (const t of s.changed) {
        rows.push({
          grain: t.grain, ticker: s.ticker, scope: t.scope, start: t.start, count: t.count, sentimentSum: t.sumUnits / UNITS,
          pos: t.pos, neg: t.neg, neu: t.neu, upvotes: t.upvotes, weighted: t.weighted,
          authors: [...t.authors].sort(), authorCount: t.authors.size, top: t.top === null ? null : { ...t.top },
        });
      }
      s.changed.clear();
      return rows;
    },
  };
}
