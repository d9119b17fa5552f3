import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SentimentWindow } from '../types.ts';
import { createBucketCache, meanOver, mentionSpec, roundSentiment, mergeSentimentWindows, movingAverage, sentimentSeries, volatility } from './index.ts';

const T0 = Date.UTC(2024, 0, 2, 14, 30);
const minute = (n: number) => T0 + n * 60_000;
const win = (n: number, count: number, sum: number, ticker = 'GME'): SentimentWindow =>
  ({ ticker, minute: minute(n), count, sum, sumSquares: 0, pos: 0, neg: 0, neu: count });

describe('moving average and volatility', () => {
  // per-minute means: 0.5, -0.5, 0, (no mentions at minute 3), 1
  const windows = [win(4, 1, 1), win(0, 2, 1), win(1, 1, -0.5), win(2, 4, 0), win(3, 0, 0)];

  it('follow a known series over a 3-minute trailing span, skipping the silent minute', () => {
    const points = sentimentSeries(windows, 3);
    expect(points.map((p) => p.minute)).toEqual([minute(0), minute(1), minute(2), minute(4)]);
    expect(points.map((p) => p.mean)).toEqual([0.5, -0.5, 0, 1]);
    expect(points.map((p) => p.movingAverage)).toEqual([0.5, 0, 0, 0.5]);
    const vol = points.map((p) => p.volatility);
    expect(vol[0]).toBe(0);
    expect(vol[1]).toBe(0.5);
    expect(vol[2]).toBeCloseTo(Math.sqrt(1 / 6), 15);
    expect(vol[3]).toBe(0.5); // minutes 2 and 4 only: minute 1 is outside (4 − 3, 4]
    expect(movingAverage(windows, 3)).toEqual(points.map((p) => ({ minute: p.minute, value: p.movingAverage })));
    expect(volatility(windows, 3)).toEqual(points.map((p) => ({ minute: p.minute, value: p.volatility })));
  });

  it('with a span of one minute is the mean itself and no volatility', () => {
    for (const p of sentimentSeries(windows, 1)) {
      expect(p.movingAverage).toBe(p.mean);
      expect(p.volatility).toBe(0);
    }
  });

  it('merges windows that share a minute before taking the mean', () => {
    const [p] = sentimentSeries([win(0, 1, 1, 'GME'), win(0, 3, -1, 'AMC')], 5);
    expect(p?.mean).toBe(0);
  });

  it('refuses a span that is not a whole number of minutes', () => {
    expect(() => sentimentSeries(windows, 0)).toThrow(RangeError);
    expect(() => sentimentSeries(windows, 2.5)).toThrow(RangeError);
  });
});

describe('meanOver', () => {
  const scores = fc.array(
    // scores as the processor stores them: 6 decimals
    fc.record({ second: fc.integer({ min: 0, max: 1_199 }), score: fc.integer({ min: -1024, max: 1024 }).map((n) => roundSentiment(n / 1024)) }),
    { minLength: 1, maxLength: 200, size: 'max' },
  );

  it('equals the mean of every mention in the range, exactly, not a mean of minute means', () => {
    fc.assert(
      fc.property(scores, fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), (xs, a, b) => {
        const cache = createBucketCache(mentionSpec(), { retainMs: 3_600_000 });
        xs.forEach((x, i) => cache.add({ ticker: 'GME', postId: `t1_${i}`, created: T0 + x.second * 1000, sentiment: x.score, label: 'neu' }));
        const windows = cache.drain().flatMap((r) => (r.table === 'ticker_sentiment_1m' ? [r.row] : []));
        const from = minute(Math.min(a, b));
        const to = minute(Math.max(a, b));
        const inRange = xs.filter((x) => T0 + x.second * 1000 >= from && T0 + x.second * 1000 < to).map((x) => x.score);
        const expected = inRange.length === 0 ? null : inRange.reduce((s, v) => s + v, 0) / inRange.length;
        // sums are kept in exact 1e-6 units, so the mean equals the float mean but for its last bits
        const got = meanOver(windows, from, to);
        if (expected === null) expect(got).toBeNull();
        else expect(Math.abs(got! - expected)).toBeLessThan(1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('weights a busy minute by its mentions', () => {
    expect(meanOver([win(0, 9, 9), win(1, 1, -1)], minute(0), minute(2))).toBe(0.8);
    expect(meanOver([win(0, 9, 9)], minute(1), minute(2))).toBeNull();
  });
});

describe('mergeSentimentWindows', () => {
  it('adds every field and keeps the earlier minute', () => {
    const a: SentimentWindow = { ticker: 'GME', minute: minute(1), count: 2, sum: 0.5, sumSquares: 0.25, pos: 1, neg: 0, neu: 1 };
    const b: SentimentWindow = { ticker: 'GME', minute: minute(0), count: 3, sum: -1, sumSquares: 1, pos: 0, neg: 2, neu: 1 };
    expect(mergeSentimentWindows(a, b)).toEqual({ ticker: 'GME', minute: minute(0), count: 5, sum: -0.5, sumSquares: 1.25, pos: 1, neg: 2, neu: 2 });
    expect(() => mergeSentimentWindows(a, { ...b, ticker: 'AMC' })).toThrow(/different tickers/);
  });
});
