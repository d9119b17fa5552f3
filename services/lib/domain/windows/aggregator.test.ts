import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trade } from '../types.ts';
import { candleSpec, createWindowAggregator, type WindowSpec } from './index.ts';

const BASE = Date.UTC(2024, 0, 2, 14, 30);
const trade = (symbol: string, seconds: number, seq: number, price = 100): Trade =>
  ({ symbol, price, volume: 1, timestamp: BASE + seconds * 1000, conditions: [], seq });

/** counts records per key and window: the simplest possible fold */
const counting = (sizeMs: number, latenessMs: number): WindowSpec<{ key: string; t: number }, { key: string; start: number; n: number }, { key: string; start: number; n: number }> => ({
  sizeMs,
  latenessMs,
  keyOf: (x) => x.key,
  timeOf: (x) => x.t,
  init: (key, start) => ({ key, start, n: 0 }),
  add: (s) => void s.n++,
  toRow: (s) => ({ ...s }),
});

const events = fc.array(
  fc.record({ key: fc.constantFrom('a', 'b', 'c'), t: fc.integer({ min: 0, max: 600_000 }) }),
  { maxLength: 200, size: 'max' },
);

describe('late records', () => {
  it('rejects a trade whose minute the watermark has passed, counts it, and leaves the candle as it was', () => {
    const agg = createWindowAggregator(candleSpec({ latenessMs: 10_000 }));
    expect(agg.add(trade('AAPL', 30, 0, 100), 0)).toBe('accepted');
    expect(agg.add(trade('AAPL', 75, 1, 101), 1)).toBe('accepted'); // watermark 14:31:05
    expect(agg.watermark()).toBe(BASE + 65_000);
    expect(agg.add(trade('AAPL', 59, 2, 999), 2)).toBe('late'); // 14:30 ended at 14:31:00
    expect(agg.add(trade('MSFT', 10, 3, 50), 3)).toBe('late'); // the watermark is per partition, not per symbol
    expect(agg.add(trade('AAPL', 61, 4, 102), 4)).toBe('accepted');
    expect(agg.lateCount()).toBe(2);
    const rows = agg.drainChanged();
    expect(rows.find((r) => r.minute === BASE)).toMatchObject({ open: 100, close: 100, high: 100, trades: 1 });
    expect(rows.some((r) => r.symbol === 'MSFT')).toBe(false);
  });

  it('keeps accepting out-of-order trades within the lateness', () => {
    const agg = createWindowAggregator(candleSpec({ latenessMs: 30_000 }));
    agg.add(trade('AAPL', 75, 0, 101), 0); // watermark 14:30:45
    expect(agg.add(trade('AAPL', 50, 1, 100), 1)).toBe('accepted');
    expect(agg.lateCount()).toBe(0);
  });

  it('an early record does not pull the watermark back', () => {
    const agg = createWindowAggregator(candleSpec({ latenessMs: 5_000 }));
    expect(agg.watermark()).toBe(-Infinity);
    agg.add(trade('AAPL', 100, 0), 0);
    agg.add(trade('AAPL', 97, 1), 1);
    expect(agg.watermark()).toBe(BASE + 95_000);
  });

  it('the accept/late decision is the watermark rule and nothing else (model check)', () => {
    fc.assert(
      fc.property(events, fc.integer({ min: 0, max: 120_000 }), (xs, lateness) => {
        const agg = createWindowAggregator(counting(60_000, lateness));
        let max = -Infinity;
        const expected = new Map<string, number>();
        xs.forEach((x, i) => {
          const end = Math.floor(x.t / 60_000) * 60_000 + 60_000;
          const late = end <= max - lateness;
          expect(agg.add(x, i)).toBe(late ? 'late' : 'accepted');
          if (!late) {
            max = Math.max(max, x.t);
            const k = `${x.key}|${end - 60_000}`;
            expected.set(k, (expected.get(k) ?? 0) + 1);
          }
          if (i % 7 === 0) agg.closeExpired(); // closing must never change decisions
        });
        const got = new Map<string, number>();
        for (const r of agg.drainChanged()) got.set(`${r.key}|${r.start}`, r.n);
        expect(got).toEqual(expected);
        expect(agg.lateCount()).toBe(xs.length - [...expected.values()].reduce((a, b) => a + b, 0));
      }),
    );
  });
});

describe('determinism', () => {
  it('the same record order gives the same decisions, watermarks and rows however the caller batches drains and closes', () => {
    fc.assert(
      fc.property(events, fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }), fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }), (xs, drainAt, closeAt) => {
        const a = createWindowAggregator(counting(60_000, 20_000));
        const b = createWindowAggregator(counting(60_000, 20_000));
        const rowsA = new Map<string, number>();
        const rowsB = new Map<string, number>();
        xs.forEach((x, i) => {
          expect(b.add(x, i)).toBe(a.add(x, i));
          expect(b.watermark()).toBe(a.watermark());
          if (drainAt[i]) for (const r of b.drainChanged()) rowsB.set(`${r.key}|${r.start}`, r.n);
          if (closeAt[i]) b.closeExpired();
        });
        for (const r of a.drainChanged()) rowsA.set(`${r.key}|${r.start}`, r.n);
        for (const r of b.drainChanged()) rowsB.set(`${r.key}|${r.start}`, r.n);
        expect(rowsB).toEqual(rowsA);
        expect(b.lateCount()).toBe(a.lateCount());
      }),
    );
  });
});

describe('safePosition', () => {
  it('is the first position of the earliest window still in memory, never past it', () => {
    fc.assert(
      fc.property(events, fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }), (xs, closeAt) => {
        const agg = createWindowAggregator(counting(60_000, 15_000));
        // model: first accepted position per window not yet closed
        const held = new Map<string, number>();
        xs.forEach((x, i) => {
          if (agg.add(x, i) === 'accepted') {
            const k = `${x.key}|${Math.floor(x.t / 60_000) * 60_000}`;
            if (!held.has(k)) held.set(k, i);
          }
          if (closeAt[i]) for (const r of agg.closeExpired()) held.delete(`${r.key}|${r.start}`);
          const safe = agg.safePosition(i);
          expect(safe).toBe(Math.min(i + 1, ...held.values()));
          expect(agg.openWindows()).toBe(held.size);
        });
      }),
    );
  });

  it('is everything seen, plus one, when no window is held', () => {
    const agg = createWindowAggregator(candleSpec({ latenessMs: 0 }));
    expect(agg.safePosition(41)).toBe(42);
    agg.add(trade('AAPL', 1, 0), 42);
    expect(agg.safePosition(42)).toBe(42);
  });
});

describe('drainChanged and closeExpired', () => {
  it('drains only what changed, full state each time, and hands out a closed window once more if it changed', () => {
    const agg = createWindowAggregator(candleSpec({ latenessMs: 0 }));
    agg.add(trade('AAPL', 1, 0, 10), 0);
    agg.add(trade('MSFT', 2, 1, 20), 1);
    expect(agg.drainChanged()).toHaveLength(2);
    expect(agg.drainChanged()).toEqual([]);
    agg.add(trade('AAPL', 3, 2, 11), 2);
    expect(agg.drainChanged()).toEqual([expect.objectContaining({ symbol: 'AAPL', open: 10, close: 11, trades: 2 })]);
    agg.add(trade('AAPL', 4, 3, 12), 3);
    agg.add(trade('AAPL', 61, 4, 13), 4); // passes 14:30
    const closed = agg.closeExpired();
    expect(closed.map((r) => `${r.symbol}@${r.minute}`).sort()).toEqual([`AAPL@${BASE}`, `MSFT@${BASE}`]);
    expect(agg.openWindows()).toBe(1);
    const changed = agg.drainChanged();
    expect(changed.find((r) => r.minute === BASE)).toMatchObject({ close: 12, trades: 3 });
    expect(changed).toHaveLength(2);
    expect(agg.closeExpired()).toEqual([]);
  });

  it('returned rows are snapshots: later records do not alter rows already handed out', () => {
    const agg = createWindowAggregator(candleSpec({ latenessMs: 0 }));
    agg.add(trade('AAPL', 1, 0, 10), 0);
    const [row] = agg.drainChanged();
    agg.add(trade('AAPL', 2, 1, 50), 1);
    expect(row).toMatchObject({ high: 10, trades: 1 });
  });
});

describe('restore', () => {
  it('rejects records for windows the restored watermark has passed', () => {
    const agg = createWindowAggregator(candleSpec({ latenessMs: 30_000 }));
    agg.restore(BASE + 60_000);
    expect(agg.add(trade('AAPL', 59, 0), 0)).toBe('late');
    expect(agg.add(trade('AAPL', 60, 1), 1)).toBe('accepted');
    expect(agg.watermark()).toBe(BASE + 60_000); // 14:31:00 − 30 s does not lower it
  });

  it('accepts -Infinity (nothing committed yet) and refuses to run after records were added', () => {
    const agg = createWindowAggregator(candleSpec({ latenessMs: 30_000 }));
    agg.restore(-Infinity);
    expect(agg.watermark()).toBe(-Infinity);
    agg.add(trade('AAPL', 1, 0), 0);
    expect(() => agg.restore(BASE)).toThrow(/before the first/);
    expect(() => createWindowAggregator(candleSpec({ latenessMs: 0 })).restore(Number.NaN)).toThrow(RangeError);
  });
});

describe('contract checks', () => {
  it('refuses nonsense window sizes and lateness at construction, and non-finite event times', () => {
    expect(() => createWindowAggregator(counting(0, 0))).toThrow(RangeError);
    expect(() => createWindowAggregator(counting(1.5, 0))).toThrow(RangeError);
    expect(() => createWindowAggregator(counting(60_000, -1))).toThrow(RangeError);
    expect(() => candleSpec({ latenessMs: Number.NaN })).toThrow(/latenessMs/);
    expect(() => candleSpec({ latenessMs: 1, lateMs: 2 } as { latenessMs: number })).toThrow(/unknown option "lateMs"/);
    const agg = createWindowAggregator(counting(60_000, 0));
    expect(() => agg.add({ key: 'a', t: Number.NaN }, 0)).toThrow(RangeError);
    expect(agg.watermark()).toBe(-Infinity);
  });
});
