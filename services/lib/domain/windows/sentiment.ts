import type { SentimentLabel, SentimentWindow, TickerMention } from '../types.ts';
import { digestOf, type BucketSpec } from './buckets.ts';
import { MINUTE_MS } from './candles.ts';

export const HOUR_MS = 3_600_000;

/** What an aggregate needs of a mention: a row of posts_by_ticker. */
export type MentionFact = Pick<TickerMention, 'ticker' | 'postId' | 'created' | 'sentiment' | 'label'>;

/** Mentions of one ticker in one hour: the row behind "top tickers per hour". */
export interface MentionsHour {
  ticker: string;
  /** epoch milliseconds of the hour start (UTC) */
  hour: number;
  count: number;
  /** sum of sentiment scores; mean = sentimentSum / count, kept as a sum so hours merge exactly */
  sentimentSum: number;
  pos: number;
  neg: number;
  neu: number;
}

/** One row of the hour bucket's output: a minute of sentiment or the hour of mentions. */
export type MentionRow =
  | { table: 'ticker_sentiment_1m'; row: SentimentWindow }
  | { table: 'mentions_by_hour'; row: MentionsHour };

/**
 * Scores are stored with 6 decimals (roundSentiment, applied where a post is
 * scored), and sums are kept as integers of 1e-6: a float sum depends on the
 * order of its terms, an integer sum does not, so a minute rebuilt from the
 * raw rows in another order equals the one built live to the last bit, and
 * equals a plain float sum of the stored scores to ~1e-15. |score| ≤ 1, so a
 * ticker-hour stays exact up to 9·10^9 mentions. Squares are kept in 1e-9
 * steps (exact in any order; within 5e-10 per mention of the float square).
 */
const UNITS = 1e6;
const SQUARE_UNITS = 1e9;
const units = (x: number): number => Math.round(x * UNITS);

/** A score as stored and aggregated: 6 decimals, far below what the scorer can tell apart. */
export const roundSentiment = (score: number): number => Math.round(score * UNITS) / UNITS;

interface Tally {
  count: number;
  sumUnits: number;
  squareUnits: number;
  pos: number;
  neg: number;
  neu: number;
}

interface HourState extends Tally {
  ticker: string;
  hour: number;
  minutes: Map<number, Tally>;
  changed: Set<number>;
}

const emptyTally = (): Tally => ({ count: 0, sumUnits: 0, squareUnits: 0, pos: 0, neg: 0, neu: 0 });
const LABELS: readonly SentimentLabel[] = ['pos', 'neg', 'neu'];

function tally(t: Tally, m: MentionFact): void {
  t.count++;
  t.sumUnits += units(m.sentiment);
  t.squareUnits += Math.round(m.sentiment * m.sentiment * SQUARE_UNITS);
  t[m.label]++;
}

/**
 * The mentions of one ticker in one hour, with their minutes inside: one
 * bucket (one load of the ticker's posts_by_ticker rows for the hour) feeds
 * both ticker_sentiment_1m and mentions_by_hour. A drain writes the hour and
 * only the minutes that changed.
 */
export function mentionSpec(): BucketSpec<MentionFact, HourState, MentionRow> {
  return {
    sizeMs: HOUR_MS,
    keyOf: (m) => m.ticker,
    timeOf: (m) => m.created,
    // posts_by_ticker's key within a ticker: (created, post_id)
    idOf: (m) => `${m.created}:${m.postId}`,
    digestOf: (m) => digestOf([m.sentiment], m.label),
    create: (ticker, hour) => ({ ticker, hour, ...emptyTally(), minutes: new Map(), changed: new Set() }),
    add(s, m) {
      if (!LABELS.includes(m.label)) throw new RangeError(`sentiment label must be pos, neg or neu, got ${String(m.label)}`);
      tally(s, m);
      const minute = Math.floor(m.created / MINUTE_MS) * MINUTE_MS;
      let t = s.minutes.get(minute);
      if (t === undefined) s.minutes.set(minute, (t = emptyTally()));
      tally(t, m);
      s.changed.add(minute);
    },
    drain(s) {
      // A bucket loaded empty (its raw rows not visible yet) has nothing true to say.
      if (s.count === 0) return [];
      const rows: MentionRow[] = [{
        table: 'mentions_by_hour',
        row: { ticker: s.ticker, hour: s.hour, count: s.count, sentimentSum: s.sumUnits / UNITS, pos: s.pos, neg: s.neg, neu: s.neu },
      }];
      for (const minute of s.changed) {
        const t = s.minutes.get(minute)!;
        rows.push({
          table: 'ticker_sentiment_1m',
          row: { ticker: s.ticker, minute, count: t.count, sum: t.sumUnits / UNITS, sumSquares: t.squareUnits / SQUARE_UNITS, pos: t.pos, neg: t.neg, neu: t.neu },
        });
      }
      s.changed.clear();
      return rows;
    },
  };
}
