import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Candle, Trade } from '../types.ts';
import { candleSpec, createBucketCache, tradeKey } from './index.ts';

const BASE = Date.UTC(2024, 0, 2, 14, 30);

/** Candles of trades folded in this order, one batch each, each drain upserted into a map. */
function candlesOf(trades: readonly Trade[], retainMs: number): Map<string, Candle> {
  const cache = createBucketCache(candleSpec(), { retainMs });
  const rows = new Map<string, Candle>();
  for (const t of trades) {
    expect(cache.toLoad([t])).toEqual([]);
    cache.add(t);
    for (const c of cache.drain()) rows.set(`${c.symbol}|${c.minute}`, c);
    cache.evict();
  }
  return rows;
}

const trades = fc
  .array(
    fc.record({
      symbol: fc.constantFrom('AAPL', 'MSFT', 'BINANCE:BTCUSDT'),
      // few distinct milliseconds, so (timestamp, seq) ties on the timestamp are common
      at: fc.integer({ min: 0, max: 300 }).map((n) => BASE + n * 1_000),
      price: fc.double({ min: 0.0001, max: 100_000, noNaN: true }),
      volume: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 1_000 }).map((n) => n / 1_000)),
    }),
    { minLength: 1, maxLength: 300, size: 'max' },
  )
  .map((items) => items.map((it, i): Trade => ({ symbol: it.symbol, price: it.price, volume: it.volume, timestamp: it.at, conditions: [], seq: i })));

describe('candles', () => {
  it('builds OHLCV for a minute', () => {
    const t = (s: number, seq: number, price: number, volume: number): Trade =>
      ({ symbol: 'AAPL', price, volume, timestamp: BASE + s * 1000, conditions: [], seq });
    const got = candlesOf([t(5, 0, 100, 10), t(20, 1, 104, 5), t(20, 2, 98, 1), t(59, 3, 101, 2.5), t(60, 4, 200, 1)], 60_000);
    expect(got.get(`AAPL|${BASE}`)).toEqual({ symbol: 'AAPL', minute: BASE, open: 100, high: 104, low: 98, close: 101, volume: 18.5, trades: 4 });
    expect(got.get(`AAPL|${BASE + 60_000}`)).toMatchObject({ open: 200, close: 200, trades: 1 });
  });

  it('from trades in any arrival order equal the candles from sorted trades', () => {
    fc.assert(
      fc.property(trades, fc.nat(), (ts, seed) => {
        const sorted = [...ts].sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
        // a seeded Fisher–Yates keeps the shuffle reproducible from the counterexample
        const shuffled = [...ts];
        let s = seed;
        for (let i = shuffled.length - 1; i > 0; i--) {
          s = (s * 1103515245 + 12345) % 2147483648;
          const j = s % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
        }
        // the retention covers the whole span: nothing needs a reload from the raw rows here
        expect(candlesOf(shuffled, 600_000)).toEqual(candlesOf(sorted, 600_000));
        expect(candlesOf([...ts].reverse(), 600_000)).toEqual(candlesOf(sorted, 600_000));
      }),
      { numRuns: 300 },
    );
  });

  it('counts a trade that reaches the topic twice (producer retry or re-run) once', () => {
    const t1: Trade = { symbol: 'AAPL', price: 10, volume: 2, timestamp: BASE + 1000, conditions: [], seq: 0 };
    const t2: Trade = { symbol: 'AAPL', price: 11, volume: 3, timestamp: BASE + 2000, conditions: [], seq: 1 };
    expect(candlesOf([t1, t2, t1, t2], 60_000)).toEqual(candlesOf([t1, t2], 60_000));
    expect(candlesOf([t1, t2, t1], 60_000).get(`AAPL|${BASE}`)).toMatchObject({ trades: 2, volume: 5 });
  });

  it('keys a trade by (timestamp, seq): one key per id, distinct ids never share one, in either encoding', () => {
    const ids = fc.tuple(
      fc.oneof(fc.integer({ min: -2_000, max: 62_000 }).map((ms) => BASE + ms), fc.double({ min: BASE - 1, max: BASE + 61_000, noNaN: true })),
      fc.oneof(fc.integer({ min: 0, max: 20_000 }), fc.constantFrom(-1, 0.5, 2 ** 40, 2 ** 53, Number.MAX_SAFE_INTEGER)),
    );
    fc.assert(fc.property(ids, ids, ([ts1, seq1], [ts2, seq2]) => {
      expect(tradeKey(ts1, seq1, BASE)).toBe(tradeKey(ts1, seq1, BASE));
      expect(tradeKey(ts1, seq1, BASE) === tradeKey(ts2, seq2, BASE)).toBe(ts1 === ts2 && seq1 === seq2);
    }), { numRuns: 2000 });
    // the common case is a small integer, not a string
    expect(tradeKey(BASE + 59_999, 3, BASE)).toBe(3 * 60_000 + 59_999);
    expect(tradeKey(BASE + 60_000, 0, BASE)).toBe(`${BASE + 60_000}:0`);
  });

  it('orders trades in the same millisecond by seq, not by arrival', () => {
    const t = (seq: number, price: number): Trade => ({ symbol: 'AAPL', price, volume: 1, timestamp: BASE + 500, conditions: [], seq });
    const got = candlesOf([t(2, 30), t(0, 10), t(1, 20)], 0);
    expect(got.get(`AAPL|${BASE}`)).toMatchObject({ open: 10, close: 30 });
  });

  it('sums fractional volumes exactly, so 0.1 + 0.2 shows as 0.3 whatever the order', () => {
    const t = (seq: number, volume: number): Trade => ({ symbol: 'BINANCE:BTCUSDT', price: 1, volume, timestamp: BASE + seq, conditions: [], seq });
    expect(candlesOf([t(0, 0.1), t(1, 0.2)], 0).get(`BINANCE:BTCUSDT|${BASE}`)?.volume).toBe(0.3);
    expect(candlesOf([t(0, 0.99999999), t(1, 0.00000001), t(2, 1234.5)], 0).get(`BINANCE:BTCUSDT|${BASE}`)?.volume).toBe(1235.5);
  });
});
