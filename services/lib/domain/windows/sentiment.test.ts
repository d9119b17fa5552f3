import { describe, expect, it } from 'vitest';
import type { SentimentLabel, TickerMention } from '../types.ts';
import { createWindowAggregator, mentionsHourSpec, sentimentSpec } from './index.ts';

const HOUR = Date.UTC(2024, 0, 2, 14);
const mention = (ticker: string, minutesAfter14: number, sentiment: number, label: SentimentLabel): TickerMention => ({
  postId: `t3_${ticker}${minutesAfter14}`,
  ticker,
  kind: 'submission',
  subreddit: 'stocks',
  author: 'a',
  text: ticker,
  permalink: '/r/stocks',
  sentiment,
  label,
  created: HOUR + minutesAfter14 * 60_000,
});

const stream = [
  mention('GME', 0.1, 0.5, 'pos'),
  mention('GME', 0.9, -0.25, 'neg'),
  mention('GME', 0.5, 0, 'neu'),
  mention('AMC', 0.2, 0.75, 'pos'),
  mention('GME', 1.5, 1, 'pos'),
  mention('GME', 59.9, -1, 'neg'),
];

describe('sentiment windows', () => {
  it('aggregate count, sums and labels per ticker and minute', () => {
    const agg = createWindowAggregator(sentimentSpec({ latenessMs: 3_600_000 }));
    stream.forEach((m, i) => agg.add(m, i));
    const rows = new Map(agg.drainChanged().map((w) => [`${w.ticker}|${(w.minute - HOUR) / 60_000}`, w]));
    expect(rows.get('GME|0')).toEqual({ ticker: 'GME', minute: HOUR, count: 3, sum: 0.25, sumSquares: 0.3125, pos: 1, neg: 1, neu: 1 });
    expect(rows.get('AMC|0')).toMatchObject({ count: 1, sum: 0.75, pos: 1 });
    expect(rows.get('GME|1')).toMatchObject({ count: 1, sum: 1, sumSquares: 1 });
    expect(rows.size).toBe(4);
  });

  it('count mentions per ticker and hour for the top-tickers chart', () => {
    const agg = createWindowAggregator(mentionsHourSpec({ latenessMs: 60_000 }));
    stream.forEach((m, i) => agg.add(m, i));
    agg.add(mention('GME', 61, 0.5, 'pos'), 6);
    const rows = agg.drainChanged();
    expect(rows.find((r) => r.ticker === 'GME' && r.hour === HOUR)).toEqual({ ticker: 'GME', hour: HOUR, count: 5, sentimentSum: 0.25, pos: 2, neg: 2, neu: 1 });
    expect(rows.find((r) => r.ticker === 'GME' && r.hour === HOUR + 3_600_000)).toMatchObject({ count: 1 });
    // the 15:01 mention moves the watermark to 15:00, which closes the 14:00 hour
    expect(agg.closeExpired().map((r) => r.ticker).sort()).toEqual(['AMC', 'GME']);
  });
});
