import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../sources/prng.ts';
import type { MentionTally } from '../windows/crowd.ts';
import { coverWindow, slidingWindow } from './cover.ts';
import { chanceThreshold, crossCorrelate, leadLag, MIN_PAIRS } from './lead-lag.ts';
import { rankTickers } from './rankings.ts';
import { previousClose, priceReference, sessionCloseOf } from './session.ts';
import { crowdSignals } from './signals.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('coverWindow', () => {
  it('covers any minute-aligned window exactly once, with the coarsest buckets that fit', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 40 * 1440 }), fc.integer({ min: 0, max: 10 * 1440 }), (a, len) => {
      const from = Date.UTC(2026, 0, 1) + a * MIN;
      const to = from + len * MIN;
      const pieces = coverWindow(from, to);
      // contiguous, in order, aligned to their grain
      let at = from;
      for (const p of pieces) {
        expect(p.fromMs).toBe(at);
        const size = p.grain === 'minute' ? MIN : p.grain === 'hour' ? HOUR : DAY;
        expect(p.fromMs % size).toBe(0);
        expect(p.toMs % size).toBe(0);
        at = p.toMs;
      }
      expect(at).toBe(to);
      // bounded: at most two minute edges, two hour stretches, one day stretch
      expect(pieces.filter((p) => p.grain === 'minute').length).toBeLessThanOrEqual(2);
      expect(pieces.filter((p) => p.grain === 'day').length).toBeLessThanOrEqual(1);
      const minutes = pieces.filter((p) => p.grain === 'minute').reduce((n, p) => n + (p.toMs - p.fromMs) / MIN, 0);
      expect(minutes).toBeLessThan(120);
    }), { numRuns: 500 });
  });

  it('slides with the running minute, never jumping at the top of the hour', () => {
    const at = Date.UTC(2026, 0, 5, 8, 0, 25);
    expect(slidingWindow(at, HOUR)).toEqual({ fromMs: Date.UTC(2026, 0, 5, 7, 1), toMs: Date.UTC(2026, 0, 5, 8, 1) });
    expect(() => coverWindow(at, at + HOUR)).toThrow(/minute-aligned/);
  });
});

const row = (ticker: string, count: number, over: Partial<MentionTally> = {}): MentionTally => ({
  grain: 'hour', ticker, scope: '*', start: 0, count, sentimentSum: count * 0.1, pos: count, neg: 0, neu: 0, upvotes: count * 3, weighted: count * 4, authors: [], top: null, ...over, authorCount: over.authorCount ?? (over.authors ?? []).length,
});

describe('rankTickers', () => {
  it('ranks by mentions with the change and the climb against the previous window of the same length', () => {
    const current = [row('GME', 30), row('AMC', 10), row('TSLA', 10, { grain: 'minute' }), row('TSLA', 5), row('NEW', 2)];
    const previous = [row('GME', 10), row('TSLA', 40), row('AMC', 10)];
    const ranked = rankTickers(current, previous);
    // before: TSLA 40 first, then AMC and GME tied at 10 (alphabetical)
    expect(ranked.map((t) => [t.ticker, t.rank, t.mentions, t.previous.rank, t.rankChange, t.change])).toEqual([
      ['GME', 1, 30, 3, 2, 2],
      ['TSLA', 2, 15, 1, -1, -0.625],
      ['AMC', 3, 10, 2, -1, 0],
      ['NEW', 4, 2, null, null, null],
    ]);
    expect(ranked[0]!.bullish + ranked[0]!.bearish + ranked[0]!.neutral).toBeCloseTo(1);
    // ranked by upvote-weighted mentions instead
    const weighted = rankTickers([row('A', 10, { weighted: 10 }), row('B', 2, { weighted: 500 })], [], 'weighted');
    expect(weighted.map((t) => t.ticker)).toEqual(['B', 'A']);
  });
});

describe('crowdSignals', () => {
  it('counts distinct authors over the union of the covering tallies, shares and the breakdown per subreddit', () => {
    const top = (score: number, postId: string) => ({ postId, created: score, score, permalink: `/r/x/${postId}`, text: postId });
    const rows: MentionTally[] = [
      row('GME', 3, { scope: '*', authors: ['a', 'b'], pos: 2, neu: 1, top: top(10, 'p1') }),
      row('GME', 4, { grain: 'minute', scope: '*', authors: ['a', 'c'], pos: 1, neg: 3, top: top(50, 'p2') }),
      row('GME', 5, { grain: 'minute', scope: 'wallstreetbets', authors: ['a'] }),
      row('GME', 2, { scope: 'stocks', authors: ['b', 'c'] }),
      row('AMC', 99, { authors: ['z'] }),
    ];
    const s = crowdSignals('GME', rows);
    expect(s.mentions).toBe(7);
    expect(s.authors).toBe(3); // a, b, c: not 2 + 2
    expect(s.mentionsPerAuthor).toBeCloseTo(7 / 3);
    expect([s.bullish, s.bearish, s.neutral]).toEqual([3 / 7, 3 / 7, 1 / 7]);
    expect(s.topPost?.postId).toBe('p2');
    expect(s.subreddits.map((x) => [x.subreddit, x.mentions, x.authors])).toEqual([['wallstreetbets', 5, 1], ['stocks', 2, 2]]);
    expect(crowdSignals('NONE', rows)).toMatchObject({ mentions: 0, authors: 0, meanSentiment: null, topPost: null, subreddits: [] });
  });
});

describe('leadLag', () => {
  const T0 = Date.UTC(2026, 0, 5, 14, 30);
  const build = (minutes: number, lead: number | null, seed = 7) => {
    const random = createSeededRandom(seed);
    const counts: number[] = Array.from({ length: minutes }, () => Math.floor(random() * 6));
    const mentions = new Map<number, { count: number; sum: number }>();
    const closes = new Map<number, number>();
    let price = 100;
    for (let i = 0; i < minutes; i++) {
      mentions.set(T0 + i * MIN, { count: counts[i]!, sum: counts[i]! * (random() - 0.5) });
      // returns follow the change in mentions `lead` minutes earlier, plus noise
      const j = lead === null ? -1 : i - lead;
      const driver = j >= 1 ? counts[j]! - counts[j - 1]! : 0;
      price *= Math.exp(0.0004 * driver + 0.0004 * (random() - 0.5));
      closes.set(T0 + i * MIN, price);
    }
    return { fromMs: T0, toMs: T0 + minutes * MIN, mentions, closes };
  };

  it('finds chatter that leads the price, at the right lag', () => {
    const [m] = leadLag(build(400, 5));
    expect(m!.verdict).toBe('chatter_leads');
    expect(m!.best?.lag).toBe(5);
    expect(m!.summary).toMatch(/lead the price by 5 min/);
    expect(m!.lags).toHaveLength(61);
  });

  it('says no clear lead for independent series (at most the 5 % chance allows), and too little data for a short range', () => {
    const verdicts = Array.from({ length: 20 }, (_, i) => leadLag(build(400, null, 100 + i)).map((x) => x.verdict)).flat();
    expect(verdicts.filter((v) => v !== 'no_clear_lead').length).toBeLessThanOrEqual(3);
    const noLead = leadLag(build(400, null, 11))[0]!;
    expect(noLead.verdict).toBe('no_clear_lead');
    expect(Math.abs(noLead.best!.r!)).toBeLessThan(noLead.threshold!);
    const short = leadLag(build(MIN_PAIRS - 20, 5))[0]!;
    expect(short.verdict).toBe('too_little_data');
    expect(short.summary).toMatch(/Too little data/);
    // a closed market: no trades, nothing to correlate
    const closed = leadLag({ ...build(400, 5), closes: new Map() });
    expect(closed.every((x) => x.verdict === 'too_little_data')).toBe(true);
  });

  it('correlates every lag like Pearson over the pairs that exist, gaps on either side left out', () => {
    const random = createSeededRandom(3);
    const gappy = (p: number) => Array.from({ length: 300 }, () => (random() < p ? undefined : random() < 0.3 ? 0 : random() - 0.5));
    const xs = gappy(0.2);
    const rs = gappy(0.4);
    // the oracle: collect the pairs, textbook Pearson
    const naive = (k: number) => {
      const pairs: [number, number][] = [];
      xs.forEach((x, t) => { const r = rs[t + k]; if (x !== undefined && r !== undefined) pairs.push([x, r]); });
      const n = pairs.length;
      const mx = pairs.reduce((a, [x]) => a + x, 0) / n;
      const my = pairs.reduce((a, [, y]) => a + y, 0) / n;
      const cov = pairs.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
      const vx = pairs.reduce((a, [x]) => a + (x - mx) ** 2, 0);
      const vy = pairs.reduce((a, [, y]) => a + (y - my) ** 2, 0);
      return { r: cov / Math.sqrt(vx * vy), n, moving: pairs.filter(([x, y]) => x !== 0 && y !== 0).length };
    };
    const { lags, active } = crossCorrelate(xs, rs, 30);
    expect(lags.map((p) => p.lag)).toEqual(Array.from({ length: 61 }, (_, i) => i - 30));
    for (const p of lags) {
      const want = naive(p.lag);
      expect(p.n).toBe(want.n);
      expect(p.r).toBeCloseTo(want.r, 12);
      expect(active.get(p.lag)).toBe(want.moving);
    }
    // a side that does not vary has no correlation
    expect(crossCorrelate(xs.map((x) => (x === undefined ? x : 1)), rs, 2).lags.every((p) => p.r === null)).toBe(true);
  });

  it('raises the bar to what rotations give when the best lag clears the Bonferroni bound', () => {
    const [m] = leadLag(build(400, 5));
    expect(m!.threshold!).toBeGreaterThanOrEqual(3.34 / Math.sqrt(m!.best!.n));
    // too short to rotate by at least an hour each way
    expect(chanceThreshold(new Array<number>(150).fill(1), new Array<number>(150).fill(1), 30)).toBeNull();
  });
});

describe('price reference', () => {
  it('is the previous 16:00 New York close on weekdays, across daylight saving, and 24 h for crypto', () => {
    // Tuesday 2026-03-10 10:00 EDT (DST began on the 8th): Monday's close, 20:00 UTC
    expect(previousClose(Date.UTC(2026, 2, 10, 14))).toBe(Date.UTC(2026, 2, 9, 20));
    // Monday morning: Friday's close, still EST (21:00 UTC)
    expect(previousClose(Date.UTC(2026, 2, 9, 13))).toBe(Date.UTC(2026, 2, 6, 21));
    // after 16:00 the day's own close: the after-hours move
    expect(previousClose(Date.UTC(2026, 2, 10, 21))).toBe(Date.UTC(2026, 2, 10, 20));
    // Sunday: Friday's close
    expect(previousClose(Date.UTC(2026, 10, 22, 18))).toBe(Date.UTC(2026, 10, 20, 21));
    expect(priceReference('BINANCE:BTCUSDT', Date.UTC(2026, 0, 2))).toEqual({ kind: 'rolling_24h', atMs: Date.UTC(2026, 0, 1), timeZone: 'UTC' });
    expect(priceReference('AAPL', Date.UTC(2026, 0, 2, 15)).timeZone).toBe('America/New_York');
    expect(sessionCloseOf(Date.UTC(2026, 6, 3))).toBe(Date.UTC(2026, 6, 3, 20));
    expect(sessionCloseOf(Date.UTC(2026, 6, 4))).toBeNull(); // a Saturday
  });
});
