import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candle, Trade } from '../types.ts';
import { candleSpec, createBucketCache, digestOf, mentionSpec, type MentionFact } from './index.ts';
import { STEPS, run } from './testing.ts';

/**
 * One partition's processing reduced to what exactness depends on, against a
 * model store: raw rows keyed like the raw table (last write wins per id),
 * aggregate rows keyed by their window, a raw horizon (the newest event time
 * written). Batches follow the cache protocol; a crash can strike at any step,
 * after which a fresh cache starts from the last commit with the store's
 * horizon as its floor. At the end every aggregate row must equal the oracle:
 * plain code over the raw rows the model store holds.
 */
const BASE = Date.UTC(2026, 2, 2, 14, 30);
const MIN = 60_000;

// ---- the oracle: plain code over raw rows, nothing of candles.ts or sentiment.ts ----

function candleOracle(raw: Iterable<Trade>): Map<string, Candle> {
  const groups = new Map<string, Trade[]>();
  for (const t of raw) {
    const k = `${t.symbol}|${Math.floor(t.timestamp / MIN) * MIN}`;
    groups.set(k, [...(groups.get(k) ?? []), t]);
  }
  const out = new Map<string, Candle>();
  for (const [k, ts] of groups) {
    const sorted = [...ts].sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
    out.set(k, {
      symbol: sorted[0]!.symbol, minute: Math.floor(sorted[0]!.timestamp / MIN) * MIN,
      open: sorted[0]!.price, close: sorted.at(-1)!.price,
      high: Math.max(...sorted.map((t) => t.price)), low: Math.min(...sorted.map((t) => t.price)),
      volume: sorted.reduce((a, t) => a + t.volume, 0), trades: sorted.length,
    });
  }
  return out;
}

function expectCandles(actual: Map<string, Candle>, expected: Map<string, Candle>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [k, e] of expected) {
    const a = actual.get(k)!;
    expect({ ...a, volume: 0 }, k).toEqual({ ...e, volume: 0 });
    expect(Math.abs(a.volume - e.volume), k).toBeLessThan(1e-6);
  }
}

// ---- generated streams: disorder, lateness far beyond the retention, duplicates, conflicting versions ----

const tradeLog = fc.record({
  trades: fc.array(fc.record({
    symbol: fc.constantFrom('AAPL', 'MSFT', 'GME'),
    // mostly moving forward, some far behind (hours), some a little ahead
    minute: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 20 }) }, { weight: 1, arbitrary: fc.integer({ min: -240, max: 30 }) }),
    ms: fc.integer({ min: 0, max: MIN - 1 }),
    seq: fc.integer({ min: 0, max: 3 }),
    price: fc.integer({ min: 1, max: 10_000 }).map((c) => c / 100),
    volume: fc.integer({ min: 1, max: 100_000 }).map((c) => c / 100),
  }), { minLength: 1, maxLength: 120 }),
  /** indices of records delivered again later (a producer retry) */
  duplicates: fc.array(fc.nat(), { maxLength: 20 }),
  /** indices of records re-sent under the same id with another price (an id collision upstream) */
  conflicts: fc.array(fc.nat(), { maxLength: 4 }),
}).map(({ trades, duplicates, conflicts }) => {
  const log: Trade[] = trades.map((t) => ({ symbol: t.symbol, price: t.price, volume: t.volume, timestamp: BASE + t.minute * MIN + t.ms, conditions: [], seq: t.seq }));
  for (const i of duplicates) log.splice((i * 7) % (log.length + 1), 0, log[i % log.length]!);
  for (const i of conflicts) {
    const t = log[i % log.length]!;
    log.splice((i * 13) % (log.length + 1), 0, { ...t, price: t.price + 1 });
  }
  return log;
});

const crashes = fc.array(fc.record({ attempt: fc.integer({ min: 1, max: 40 }), step: fc.constantFrom(...STEPS) }), { maxLength: 6 });

describe('bucket cache', () => {
  it('candles equal the recomputation from the raw rows, for any order, lateness, duplicates, crash and retention', () => {
    fc.assert(fc.property(tradeLog, fc.integer({ min: 1, max: 25 }), fc.constantFrom(0, 5_000, 60_000, 3_600_000), crashes, (log, batch, retainMs, crashPlan) => {
      const w = run({
        spec: candleSpec(), log, batch, retainMs, crashes: crashPlan,
        rawKey: (t) => `${t.symbol}|${t.timestamp}|${t.seq}`, rowKey: (c) => `${c.symbol}|${c.minute}`,
      });
      expectCandles(w.agg, candleOracle(w.raw.values()));
    }), { numRuns: 400 });
  });

  it('mention minutes and hours equal the recomputation from the raw rows, whatever happens', () => {
    const mentionLog = fc.array(fc.record({
      ticker: fc.constantFrom('GME', 'TSLA'),
      post: fc.integer({ min: 0, max: 80 }),
      score: fc.integer({ min: -1000, max: 1000 }).map((n) => n / 1000),
    }), { minLength: 1, maxLength: 150 }).map((items) => {
      // a post has one creation time: derive it from the post id, spread over
      // 11 hours, so the random order of posts is the disorder (hours late)
      const facts: MentionFact[] = items.map((m) => ({
        ticker: m.ticker, postId: `t1_${m.post}`, created: BASE + (((m.post * 7919) % 700) - 100) * MIN + m.post * 17,
        sentiment: m.score, label: m.score > 0.1 ? 'pos' : m.score < -0.1 ? 'neg' : 'neu',
      }));
      // a re-scored post (the same mention re-published with another score) must replace, not add
      return facts.map((f, i) => (i % 11 === 10 ? { ...f, sentiment: -f.sentiment, label: f.label === 'pos' ? 'neg' as const : f.label === 'neg' ? 'pos' as const : 'neu' as const } : f));
    });
    fc.assert(fc.property(mentionLog, fc.integer({ min: 1, max: 30 }), fc.constantFrom(0, 60_000, 3_600_000), crashes, (log, batch, retainMs, crashPlan) => {
      const w = run({
        spec: mentionSpec(), log, batch, retainMs, crashes: crashPlan,
        rawKey: (m) => `${m.ticker}|${m.created}|${m.postId}`,
        rowKey: (r) => `${r.table}|${r.row.ticker}|${r.table === 'mentions_by_hour' ? r.row.hour : r.row.minute}`,
      });
      // oracle: group the raw rows by minute and by hour with plain sums
      const expected = new Map<string, { count: number; sum: number; pos: number; neg: number; neu: number }>();
      const bump = (k: string, m: MentionFact) => {
        const e = expected.get(k) ?? { count: 0, sum: 0, pos: 0, neg: 0, neu: 0 };
        e.count++;
        e.sum += m.sentiment;
        e[m.label]++;
        expected.set(k, e);
      };
      for (const m of w.raw.values()) {
        bump(`ticker_sentiment_1m|${m.ticker}|${Math.floor(m.created / MIN) * MIN}`, m);
        bump(`mentions_by_hour|${m.ticker}|${Math.floor(m.created / 3_600_000) * 3_600_000}`, m);
      }
      expect([...w.agg.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [k, e] of expected) {
        const r = w.agg.get(k)!.row as { count: number; pos: number; neg: number; neu: number; sum?: number; sentimentSum?: number };
        expect({ count: r.count, pos: r.pos, neg: r.neg, neu: r.neu }, k).toEqual({ count: e.count, pos: e.pos, neg: e.neg, neu: e.neu });
        expect(Math.abs((r.sum ?? r.sentimentSum)! - e.sum), k).toBeLessThan(1e-9);
      }
    }), { numRuns: 300 });
  });

  it('folds an in-order stream without a single load, and reloads only what it evicted or never held', () => {
    const log: Trade[] = Array.from({ length: 600 }, (_, i) => ({ symbol: i % 2 ? 'AAPL' : 'MSFT', price: 100 + (i % 7), volume: 1, timestamp: BASE + i * 1000, conditions: [], seq: 0 }));
    const inOrder = run({ spec: candleSpec(), log, batch: 50, retainMs: 5_000, crashes: [], rawKey: (t) => `${t.symbol}|${t.timestamp}|${t.seq}`, rowKey: (c) => `${c.symbol}|${c.minute}` });
    expect(inOrder.loads).toBe(0);
    // one trade 5 minutes late: its minute was evicted, so exactly that bucket is read back
    const late = [...log.slice(0, 400), { ...log[50]!, seq: 1, price: 1 }, ...log.slice(400)];
    const w = run({ spec: candleSpec(), log: late, batch: 50, retainMs: 5_000, crashes: [], rawKey: (t) => `${t.symbol}|${t.timestamp}|${t.seq}`, rowKey: (c) => `${c.symbol}|${c.minute}` });
    expect(w.loads).toBe(1);
    expectCandles(w.agg, candleOracle(w.raw.values()));
    // a restart reads back only the buckets at or before the horizon that the new batches touch
    const restarted = run({ spec: candleSpec(), log, batch: 50, retainMs: 5_000, crashes: [{ attempt: 6, step: 'commit' }], rawKey: (t) => `${t.symbol}|${t.timestamp}|${t.seq}`, rowKey: (c) => `${c.symbol}|${c.minute}` });
    expect(restarted.loads).toBeGreaterThan(0);
    expect(restarted.loads).toBeLessThanOrEqual(4);
  });

  it('holds memory to the retention: buckets behind it are forgotten once written', () => {
    const cache = createBucketCache(candleSpec(), { retainMs: 2 * MIN });
    for (let i = 0; i < 60 * 24; i++) {
      const t: Trade = { symbol: 'AAPL', price: 1, volume: 1, timestamp: BASE + i * MIN, conditions: [], seq: 0 };
      cache.add(t);
      cache.drain();
      cache.evict();
      expect(cache.held()).toBeLessThanOrEqual(3);
    }
    // the newest minute is 1439; 2 minutes of retention keep 1437-1439, so 1436 was the last evicted
    expect(cache.floor()).toBe(BASE + 1436 * MIN);
  });

  it('refuses to fold into a bucket that must come from the raw rows', () => {
    const cache = createBucketCache(candleSpec(), { retainMs: 0 });
    cache.raiseFloor(BASE + 10 * MIN);
    const t: Trade = { symbol: 'AAPL', price: 1, volume: 1, timestamp: BASE, conditions: [], seq: 0 };
    expect(() => cache.add(t)).toThrow(/must be loaded/);
    const [ref] = cache.toLoad([t]);
    expect(ref).toEqual({ key: 'AAPL', start: BASE, end: BASE + MIN });
    cache.install(ref!, [{ ...t, seq: 5 }, t]);
    cache.add(t);
    expect(cache.drain()).toEqual([{ symbol: 'AAPL', minute: BASE, open: 1, high: 1, low: 1, close: 1, volume: 2, trades: 2 }]);
  });

  it('digests equal values equally and tell different ones apart', () => {
    expect(digestOf([1.5, 2])).toBe(digestOf([1.5, 2]));
    expect(digestOf([1.5, 2])).not.toBe(digestOf([2, 1.5]));
    expect(digestOf([0.5], 'pos')).not.toBe(digestOf([0.5], 'neg'));
    expect(Number.isSafeInteger(digestOf([Math.PI]))).toBe(true);
  });
});
