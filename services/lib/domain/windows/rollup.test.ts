import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candle, Trade } from '../types.ts';
import { candleRollupSpec, candleSpec, createBucketCache, createRollupCache, DAY_CANDLE_MS, HOUR_CANDLE_MS, type RollupCache } from './index.ts';

const BASE = Date.UTC(2026, 2, 7, 22, 0); // two hours before a UTC midnight
const MIN = 60_000;

/**
 * One partition's trade handler reduced to what the roll-ups depend on, against
 * a model store: raw trades (last write per id wins), candles_1m, candles_1h,
 * candles_1d, the raw horizon. A crash can strike before any step of a batch;
 * a fresh process starts its caches from the store's horizon, as trades.ts does.
 */
type Step = 'raw' | 'minutes' | 'hours' | 'days' | 'commit';
function run(log: readonly Trade[], batch: number, retainMs: number, crashes: Set<number>, crashStep: (attempt: number) => Step) {
  const raw = new Map<string, Trade>();
  const m1 = new Map<string, Candle>();
  const h1 = new Map<string, Candle>();
  const d1 = new Map<string, Candle>();
  let horizon = -Infinity;
  const key = (c: Candle) => `${c.symbol}|${c.minute}`;
  const boot = () => {
    const minutes = createBucketCache(candleSpec(), { retainMs });
    const hours = createRollupCache(candleRollupSpec(HOUR_CANDLE_MS), { retainMs });
    const days = createRollupCache(candleRollupSpec(DAY_CANDLE_MS), { retainMs });
    for (const c of [minutes, hours, days]) c.raiseFloor(horizon);
    return { minutes, hours, days };
  };
  const fold = (cache: RollupCache<Candle>, rows: Candle[], from: Map<string, Candle>, into: Map<string, Candle>) => {
    for (const ref of cache.toLoad(rows)) {
      cache.install(ref, [...from.values()].filter((c) => c.symbol === ref.key && c.minute >= ref.start && c.minute < ref.end));
    }
    for (const r of rows) cache.put(r);
    const { rows: out, emptied } = cache.drain();
    for (const r of out) into.set(key(r), r);
    for (const e of emptied) into.delete(`${e.key}|${e.start}`);
    return out;
  };
  let c = boot();
  let committed = 0;
  for (let attempt = 1; committed < log.length; attempt++) {
    const crash = crashes.has(attempt) ? crashStep(attempt) : undefined;
    const records = log.slice(committed, committed + batch);
    if (crash === 'raw') { c = boot(); continue; }
    for (const t of records) {
      raw.set(`${t.symbol}|${t.timestamp}|${t.seq}`, t);
      horizon = Math.max(horizon, t.timestamp);
    }
    for (const ref of c.minutes.toLoad(records)) {
      c.minutes.install(ref, [...raw.values()].filter((t) => t.symbol === ref.key && t.timestamp >= ref.start && t.timestamp < ref.end));
    }
    for (const t of records) c.minutes.add(t);
    for (const ref of c.minutes.pending()) {
      c.minutes.install(ref, [...raw.values()].filter((t) => t.symbol === ref.key && t.timestamp >= ref.start && t.timestamp < ref.end));
    }
    const minutes = c.minutes.drain();
    if (crash === 'minutes') { c = boot(); continue; }
    for (const m of minutes) m1.set(key(m), m);
    const hours = fold(c.hours, minutes, m1, h1);
    if (crash === 'hours') { c = boot(); continue; }
    fold(c.days, hours, h1, d1);
    if (crash === 'days') { c = boot(); continue; }
    c.minutes.evict();
    c.hours.evict();
    c.days.evict();
    if (crash === 'commit') { c = boot(); continue; }
    committed += records.length;
  }
  return { raw, h1, d1 };
}

/** The oracle: an hour's or a day's candle straight from the raw trades, written here without the code under test. */
function recompute(raw: Map<string, Trade>, sizeMs: number): Map<string, Candle> {
  const groups = new Map<string, Trade[]>();
  for (const t of raw.values()) {
    const k = `${t.symbol}|${Math.floor(t.timestamp / sizeMs) * sizeMs}`;
    groups.set(k, [...(groups.get(k) ?? []), t]);
  }
  const out = new Map<string, Candle>();
  for (const [k, ts] of groups) {
    ts.sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
    const [symbol, start] = k.split('|');
    out.set(k, {
      symbol: symbol!, minute: Number(start), open: ts[0]!.price, close: ts[ts.length - 1]!.price,
      high: Math.max(...ts.map((t) => t.price)), low: Math.min(...ts.map((t) => t.price)),
      volume: ts.reduce((a, t) => a + t.volume, 0), trades: ts.length,
    });
  }
  return out;
}

function expectSame(got: Map<string, Candle>, want: Map<string, Candle>) {
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [k, w] of want) {
    const g = got.get(k)!;
    expect({ ...g, volume: 0 }).toEqual({ ...w, volume: 0 });
    expect(g.volume).toBeCloseTo(w.volume, 6);
  }
}

const trades = fc
  .array(
    fc.record({
      symbol: fc.constantFrom('AAPL', 'MSFT'),
      // four hours around midnight, minutes apart: hours and days both change
      at: fc.integer({ min: 0, max: 240 }).map((n) => BASE + n * MIN + (n % 7) * 1000),
      seq: fc.integer({ min: 0, max: 3 }),
      price: fc.integer({ min: 1, max: 10_000 }).map((n) => n / 100),
      volume: fc.integer({ min: 0, max: 100_000 }).map((n) => n / 1000),
    }),
    { minLength: 1, maxLength: 200 },
  )
  // a duplicate id with other values is kept: the raw table's last write decides
  .map((items) => items.map((it): Trade => ({ symbol: it.symbol, price: it.price, volume: it.volume, timestamp: it.at, conditions: [], seq: it.seq })));

describe('candle roll-ups', () => {
  it('combine minutes into an hour: first open, last close, extremes, summed volume and trades', () => {
    const m = (minute: number, open: number, high: number, low: number, close: number, volume: number, n: number): Candle =>
      ({ symbol: 'AAPL', minute: BASE + minute * MIN, open, high, low, close, volume, trades: n });
    const cache = createRollupCache(candleRollupSpec(HOUR_CANDLE_MS), { retainMs: HOUR_CANDLE_MS });
    for (const c of [m(30, 12, 13, 9, 10, 0.3, 2), m(5, 10, 11, 10, 11, 0.1, 1), m(59, 10, 10, 8, 9, 0.2, 4)]) cache.put(c);
    expect(cache.drain().rows).toEqual([{ symbol: 'AAPL', minute: BASE, open: 10, high: 13, low: 8, close: 9, volume: 0.6, trades: 7 }]);
    // a minute written again replaces its earlier version; a minute removed leaves the hour
    cache.put(m(5, 10, 20, 10, 11, 1, 1));
    cache.remove('AAPL', BASE + 59 * MIN);
    expect(cache.drain().rows).toEqual([{ symbol: 'AAPL', minute: BASE, open: 10, high: 20, low: 9, close: 10, volume: 1.3, trades: 3 }]);
    cache.remove('AAPL', BASE + 5 * MIN);
    cache.remove('AAPL', BASE + 30 * MIN);
    expect(cache.drain()).toEqual({ rows: [], emptied: [{ key: 'AAPL', start: BASE, end: BASE + HOUR_CANDLE_MS }] });
  });

  it('list a bucket at or below the floor for a load, refuse a put into it, and raise the floor on eviction', () => {
    const cache = createRollupCache(candleRollupSpec(HOUR_CANDLE_MS), { retainMs: 0 });
    cache.raiseFloor(BASE + 10 * MIN);
    const row: Candle = { symbol: 'AAPL', minute: BASE + 20 * MIN, open: 1, high: 1, low: 1, close: 1, volume: 1, trades: 1 };
    expect(cache.toLoad([row, row])).toEqual([{ key: 'AAPL', start: BASE, end: BASE + HOUR_CANDLE_MS }]);
    expect(() => cache.put(row)).toThrow(RangeError);
    cache.install({ key: 'AAPL', start: BASE, end: BASE + HOUR_CANDLE_MS }, []);
    cache.put(row);
    expect(cache.toLoad([row])).toEqual([]);
    cache.drain();
    cache.put({ ...row, minute: BASE + 2 * HOUR_CANDLE_MS });
    cache.drain();
    expect(cache.evict()).toBe(1);
    expect(cache.floor()).toBe(BASE + 10 * MIN); // never lowered
    cache.put({ ...row, minute: BASE + 5 * HOUR_CANDLE_MS });
    cache.drain();
    expect(cache.evict()).toBe(1);
    expect(cache.floor()).toBe(BASE + 2 * HOUR_CANDLE_MS);
    expect(() => cache.install({ key: 'AAPL', start: BASE + 1, end: BASE + HOUR_CANDLE_MS + 1 }, [])).toThrow(RangeError);
  });

  it('equal the hours and days recomputed from the raw trades, whatever the order, duplicates, batches, evictions and crashes', () => {
    fc.assert(
      fc.property(
        trades, fc.integer({ min: 1, max: 20 }), fc.constantFrom(0, MIN, HOUR_CANDLE_MS, 2 * DAY_CANDLE_MS),
        fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 6 }), fc.nat(),
        (log, batch, retainMs, crashAt, seed) => {
          const steps: Step[] = ['raw', 'minutes', 'hours', 'days', 'commit'];
          const got = run(log, batch, retainMs, new Set(crashAt), (a) => steps[(a + seed) % steps.length]!);
          expectSame(got.h1, recompute(got.raw, HOUR_CANDLE_MS));
          expectSame(got.d1, recompute(got.raw, DAY_CANDLE_MS));
        },
      ),
      { numRuns: 300 },
    );
  });
});
