import { describe, expect, it } from 'vitest';
import type { SentimentLabel } from '../types.ts';
import { createBucketCache, mentionSpec, type MentionFact, type MentionRow } from './index.ts';

const HOUR = Date.UTC(2024, 0, 2, 14);
const mention = (ticker: string, minutesAfter14: number, sentiment: number, label: SentimentLabel, post = `t3_${ticker}${minutesAfter14}`): MentionFact => ({
  postId: post, ticker, sentiment, label, created: HOUR + minutesAfter14 * 60_000,
});

const stream = [
  mention('GME', 0.1, 0.5, 'pos'),
  mention('GME', 0.9, -0.25, 'neg'),
  mention('GME', 0.5, 0, 'neu'),
  mention('AMC', 0.2, 0.75, 'pos'),
  mention('GME', 1.5, 1, 'pos'),
  mention('GME', 59.9, -1, 'neg'),
  mention('GME', 61, 0.5, 'pos'),
];

function drainAll(facts: readonly MentionFact[]): MentionRow[] {
  const cache = createBucketCache(mentionSpec(), { retainMs: 3_600_000 });
  for (const m of facts) cache.add(m);
  return cache.drain();
}

describe('mention buckets', () => {
  it('aggregate count, sums and labels per ticker and minute', () => {
    const minutes = new Map(drainAll(stream).filter((r) => r.table === 'ticker_sentiment_1m').map((r) => [`${r.row.ticker}|${((r.row as { minute: number }).minute - HOUR) / 60_000}`, r.row]));
    expect(minutes.get('GME|0')).toEqual({ ticker: 'GME', minute: HOUR, count: 3, sum: 0.25, sumSquares: 0.3125, pos: 1, neg: 1, neu: 1 });
    expect(minutes.get('AMC|0')).toMatchObject({ count: 1, sum: 0.75, pos: 1 });
    expect(minutes.get('GME|1')).toMatchObject({ count: 1, sum: 1, sumSquares: 1 });
    expect(minutes.size).toBe(5);
  });

  it('count mentions per ticker and hour for the top-tickers chart', () => {
    const hours = drainAll(stream).filter((r) => r.table === 'mentions_by_hour').map((r) => r.row);
    expect(hours.find((r) => r.ticker === 'GME' && (r as { hour: number }).hour === HOUR)).toEqual({ ticker: 'GME', hour: HOUR, count: 5, sentimentSum: 0.25, pos: 2, neg: 2, neu: 1 });
    expect(hours.find((r) => r.ticker === 'GME' && (r as { hour: number }).hour === HOUR + 3_600_000)).toMatchObject({ count: 1 });
    expect(hours).toHaveLength(3);
  });

  it('sums scores exactly: the same mentions in any order give the same bits', () => {
    const scores = [0.1, 0.2, 0.3, -0.7000000000000001, 0.123456789, 1 / 3];
    const facts = scores.map((s, i) => mention('NVDA', i / 10, s, s > 0 ? 'pos' : 'neg', `t1_${i}`));
    const forward = drainAll(facts);
    const backward = drainAll([...facts].reverse());
    const byKey = (rows: MentionRow[]) => new Map(rows.map((r) => [`${r.table}|${JSON.stringify(r.row)}`, r]));
    expect([...byKey(backward).keys()].sort()).toEqual([...byKey(forward).keys()].sort());
  });

  it('drains only the minutes that changed since the last drain, and the hour', () => {
    const cache = createBucketCache(mentionSpec(), { retainMs: 3_600_000 });
    cache.add(mention('TSLA', 1, 0.5, 'pos', 'a'));
    cache.add(mention('TSLA', 2, 0.5, 'pos', 'b'));
    expect(cache.drain()).toHaveLength(3);
    cache.add(mention('TSLA', 2.5, -0.5, 'neg', 'c'));
    const rows = cache.drain();
    expect(rows.map((r) => r.table).sort()).toEqual(['mentions_by_hour', 'ticker_sentiment_1m']);
    expect(rows.find((r) => r.table === 'ticker_sentiment_1m')!.row).toMatchObject({ count: 2, sum: 0, pos: 1, neg: 1 });
  });
});
