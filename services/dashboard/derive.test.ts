import { describe, expect, it } from 'vitest';
import type { SentimentWindow } from '../lib/domain/types.ts';
import type { MentionsHourRow, PostRow } from '../lib/io/store/repository.ts';
import {
  alertKey, deriveAlerts, derivePost, derivePrice, deriveSentiment, deriveTopMentions, diffByKey, mentionWindows, postUrl,
} from './derive.ts';

const H = 3_600_000;
const HOUR = Date.UTC(2026, 10, 23, 14); // 14:00 UTC
const row = (ticker: string, hour: number, count: number, sentimentSum: number): MentionsHourRow =>
  ({ ticker, hour, count, sentimentSum, pos: 0, neg: 0, neu: count });

describe('derivePrice', () => {
  it('reports the change against the reference price (the previous close), absolute and as a fraction', () => {
    const reference = { kind: 'previous_close' as const, at: HOUR, price: 200, minute: HOUR - 60_000, timeZone: 'America/New_York' };
    const p = derivePrice({ symbol: 'AAPL', price: 220, timestamp: HOUR, dayOpen: 150 }, 'Apple Inc.', reference);
    expect(p).toMatchObject({ symbol: 'AAPL', name: 'Apple Inc.', change: 20, changePct: 0.1, reference, timeZone: 'America/New_York' });
    expect(derivePrice({ symbol: 'BINANCE:BTCUSDT', price: 1, timestamp: HOUR, dayOpen: null }).timeZone).toBe('UTC');
  });

  it('has no change (rather than a made-up one) without a reference price', () => {
    expect(derivePrice({ symbol: 'AAPL', price: 220, timestamp: HOUR, dayOpen: 200 })).toMatchObject({ change: null, changePct: null, reference: null });
    const zero = { kind: 'previous_close' as const, at: HOUR, price: 0, minute: 0, timeZone: 'America/New_York' };
    expect(derivePrice({ symbol: 'X', price: 1, timestamp: HOUR, dayOpen: 0 }, null, zero).changePct).toBeNull();
  });
});

describe('deriveTopMentions', () => {
  it('ranks by mentions this hour with the count-weighted mean sentiment', () => {
    const rows = [row('TSLA', HOUR, 30, 6), row('GME', HOUR, 50, -10), row('AAPL', HOUR, 10, 5)];
    const top = deriveTopMentions(rows, HOUR + H - 1, 1, 2);
    expect(top.map((t) => t.ticker)).toEqual(['GME', 'TSLA']);
    expect(top[0]!.meanSentiment).toBeCloseTo(-0.2);
    expect(top[1]!.meanSentiment).toBeCloseTo(0.2);
  });

  it('compares the pace of the running hour with the whole previous hour', () => {
    // 15 minutes in: 10 mentions is a pace of 40 an hour, double the previous hour's 20.
    const rows = [row('TSLA', HOUR, 10, 5), row('TSLA', HOUR - H, 20, -2)];
    const [t] = deriveTopMentions(rows, HOUR + 15 * 60_000, 1, 10);
    expect(t).toMatchObject({ ticker: 'TSLA', count: 10, previousCount: 20 });
    expect(t!.changePct).toBeCloseTo(1);
    expect(t!.previousMeanSentiment).toBeCloseTo(-0.1);
    expect(t!.sentimentChange).toBeCloseTo(0.6);
  });

  it('calls a ticker with no mentions in the previous hour new (null change), and drops one silent this hour', () => {
    const rows = [row('PLTR', HOUR, 4, 0), row('AMC', HOUR - H, 9, 0)];
    const top = deriveTopMentions(rows, HOUR + 30 * 60_000, 1, 10);
    expect(top).toHaveLength(1);
    expect(top[0]).toMatchObject({ ticker: 'PLTR', changePct: null, sentimentChange: null, previousCount: 0 });
  });

  it('with hours=2 compares the last two hour buckets with the two before, ignoring older rows', () => {
    const rows = [
      row('NVDA', HOUR, 5, 0), row('NVDA', HOUR - H, 5, 0), // current window
      row('NVDA', HOUR - 2 * H, 10, 0), row('NVDA', HOUR - 3 * H, 10, 0), // previous window
      row('NVDA', HOUR - 4 * H, 999, 0), // older: ignored
    ];
    const [t] = deriveTopMentions(rows, HOUR + H - 1, 2, 10);
    expect(t).toMatchObject({ count: 10, previousCount: 20 });
    expect(t!.changePct).toBeCloseTo(-0.5, 3);
    expect(mentionWindows(HOUR + 5, 2)).toEqual({ currentFrom: HOUR - H, previousFrom: HOUR - 3 * H, to: HOUR + H });
  });

  it('does not project a handful of mentions in the first seconds of an hour to thousands', () => {
    const [t] = deriveTopMentions([row('GME', HOUR, 1, 0), row('GME', HOUR - H, 60, 0)], HOUR + 1000, 1, 10);
    expect(t!.changePct).toBeCloseTo(0); // one mention in (at least) one minute = 60 an hour
  });
});

describe('deriveSentiment', () => {
  const M = 60_000;
  const w = (minute: number, count: number, sum: number): SentimentWindow =>
    ({ ticker: 'TSLA', minute, count, sum, sumSquares: sum * sum, pos: 0, neg: 0, neu: count });

  it('gives mean, moving average and a band of ± volatility per minute, from the first minute asked', () => {
    const t0 = HOUR;
    const windows = [w(t0 - 2 * M, 1, 0.6), w(t0 - M, 1, 0.2), w(t0, 2, 0.8), w(t0 + M, 1, -0.2)];
    const points = deriveSentiment(windows, 3, t0, t0 + 2 * M);
    expect(points.map((p) => p.minute)).toEqual([t0, t0 + M]);
    // The first plotted minute already averages over the two before it.
    expect(points[0]).toMatchObject({ count: 2 });
    expect(points[0]!.mean).toBeCloseTo(0.4);
    expect(points[0]!.movingAverage).toBeCloseTo(0.4);
    expect(points[0]!.volatility).toBeCloseTo(Math.sqrt(((0.2) ** 2 + (0.2) ** 2 + 0) / 3));
    for (const p of points) {
      expect(p.upper).toBeCloseTo(p.movingAverage + p.volatility);
      expect(p.lower).toBeCloseTo(p.movingAverage - p.volatility);
    }
  });

  it('keeps the band inside the score range', () => {
    const windows = [w(HOUR, 1, 1), w(HOUR + 60_000, 1, -1)];
    const [, p] = deriveSentiment(windows, 2, HOUR, HOUR + 120_000);
    expect(p!.upper).toBeLessThanOrEqual(1);
    expect(p!.lower).toBeGreaterThanOrEqual(-1);
  });
});

describe('posts', () => {
  const post: PostRow = {
    fullname: 't3_x', kind: 'submission', subreddit: 'stocks', author: 'a', text: 'TSLA to the moon', permalink: '/r/stocks/comments/x/',
    created: HOUR, score: 1, sentiment: 0.5, label: 'pos', tickers: ['TSLA'],
  };

  it('links relative permalinks to reddit and never passes a script link', () => {
    expect(postUrl('/r/stocks/comments/x/')).toBe('https://www.reddit.com/r/stocks/comments/x/');
    expect(postUrl('https://old.reddit.com/r/a/')).toBe('https://old.reddit.com/r/a/');
    expect(postUrl('javascript:alert(1)')).toBeNull();
    expect(postUrl('//evil.example/x')).toBeNull();
    expect(derivePost(post).url).toBe('https://www.reddit.com/r/stocks/comments/x/');
  });

  it('cuts long self-posts at a word boundary and folds whitespace', () => {
    const long = derivePost({ ...post, text: `${'word '.repeat(200)}\n\nend` }, 100);
    expect(long.text.length).toBeLessThanOrEqual(101);
    expect(long.text.endsWith('word…')).toBe(true);
    expect(derivePost({ ...post, text: 'a\n\n  b' }).text).toBe('a b');
  });
});

describe('deriveAlerts', () => {
  it('lists alerts newest first, ties in a stable order, keyed like the store', () => {
    const a = (ruleId: string, ticker: string, firedAt: number) =>
      ({ ruleId, ticker, firedAt, kind: 'price_cross', message: `${ticker} ${ruleId}`, value: 1, threshold: 1, delivered: false });
    const out = deriveAlerts([a('r1', 'AAPL', 1000), a('r2', 'GME', 2000), a('r1', 'TSLA', 2000)]);
    expect(out.map((x) => `${x.ruleId}/${x.ticker}`)).toEqual(['r1/TSLA', 'r2/GME', 'r1/AAPL']);
    expect(alertKey(a('r', 'T', 1))).not.toBe(alertKey(a('r', 'T', 2)));
  });
});

describe('diffByKey', () => {
  it('reports new and changed items only', () => {
    const first = diffByKey(new Map(), [{ k: 1, v: 'a' }, { k: 2, v: 'b' }], (x) => String(x.k));
    expect(first.changed).toHaveLength(2);
    const second = diffByKey(first.state, [{ k: 1, v: 'a' }, { k: 2, v: 'B' }, { k: 3, v: 'c' }], (x) => String(x.k));
    expect(second.changed).toEqual([{ k: 2, v: 'B' }, { k: 3, v: 'c' }]);
    expect(diffByKey(second.state, [{ k: 3, v: 'c' }], (x) => String(x.k)).changed).toEqual([]);
  });
});
