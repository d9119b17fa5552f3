import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Trade, TickerMention } from '../types.ts';
import {
  candleSpec,
  createWindowAggregator,
  decodeWatermarks,
  encodeWatermarks,
  mentionsHourSpec,
  sentimentSpec,
  type WindowSpec,
} from './index.ts';

/**
 * A processor over one partition, reduced to what exactly-once depends on:
 * batches of records, full-state upserts into a "database" (a Map keyed by the
 * window, last write wins), commits of { position, watermark metadata } every
 * few batches, and kill -9 at chosen record positions — possibly in the middle
 * of writing a batch's rows. After each crash a fresh process restores the
 * watermarks from the last commit and replays from the committed position.
 */
interface Pipeline<In> {
  name: string;
  spec: WindowSpec<In, unknown, unknown>;
  rowKey(row: unknown): string;
}

interface Plan {
  batchSize: number;
  commitEvery: number;
  /** record positions at which the process dies (processed up to, not including, it) */
  crashes: number[];
}

interface Outcome {
  db: Map<string, unknown>;
  commits: number;
  crashesHit: number;
}

function runProcessor<In>(records: readonly In[], pipelines: readonly Pipeline<In>[], plan: Plan): Outcome {
  const db = new Map<string, unknown>();
  let committed = { position: 0, metadata: '' };
  let commits = 0;
  const crashes = [...plan.crashes].sort((a, b) => a - b);
  let nextCrash = 0;

  process: for (;;) {
    const aggregators = pipelines.map((p) => createWindowAggregator(p.spec));
    const marks = decodeWatermarks(committed.metadata);
    pipelines.forEach((p, i) => {
      const mark = marks[p.name];
      if (mark !== undefined) aggregators[i]!.restore(mark);
    });
    let position = committed.position;
    let batches = 0;
    while (position < records.length) {
      const end = Math.min(position + plan.batchSize, records.length);
      const crashAt = nextCrash < crashes.length ? crashes[nextCrash]! : Infinity;
      const crashing = crashAt < end;
      const stop = crashing ? Math.max(position, crashAt) : end;
      for (let i = position; i < stop; i++) {
        for (const a of aggregators) a.add(records[i]!, i);
      }
      const rows: [string, unknown][] = [];
      pipelines.forEach((p, i) => {
        for (const row of aggregators[i]!.drainChanged()) rows.push([`${p.name}|${p.rowKey(row)}`, row]);
      });
      // A crash may cut the write half-way: only a prefix of the rows lands.
      const written = crashing ? crashAt % (rows.length + 1) : rows.length;
      for (let r = 0; r < written; r++) db.set(rows[r]![0], rows[r]![1]);
      if (crashing) {
        nextCrash++;
        continue process;
      }
      for (const a of aggregators) a.closeExpired();
      batches++;
      if (batches % plan.commitEvery === 0 || end === records.length) {
        const lastSeen = end - 1;
        const marksNow: Record<string, number> = {};
        pipelines.forEach((p, i) => (marksNow[p.name] = aggregators[i]!.watermark()));
        committed = {
          position: Math.min(...aggregators.map((a) => a.safePosition(lastSeen))),
          metadata: encodeWatermarks(marksNow),
        };
        commits++;
      }
      position = end;
    }
    return { db, commits, crashesHit: nextCrash };
  }
}

const BASE = Date.UTC(2024, 0, 2, 14, 30);

/**
 * Event times drift forward with the arrival order, and some records arrive
 * far behind (beyond the lateness) while others are a little ahead, so every
 * run has out-of-order records both inside and beyond the lateness.
 */
const offsets = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -20_000, max: 5_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: -240_000, max: -20_000 }) },
);

/** mostly seconds between records, now and then a quiet spell of minutes so hour windows close too */
const steps = fc.oneof(
  { weight: 20, arbitrary: fc.integer({ min: 0, max: 12_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 60_000, max: 1_200_000 }) },
);

const tradeItems = fc.array(
  fc.record({
    symbol: fc.constantFrom('AAPL', 'MSFT', 'TSLA'),
    step: steps,
    offset: offsets,
    price: fc.double({ min: 1, max: 2000, noNaN: true }),
    volume: fc.double({ min: 0, max: 5000, noNaN: true }),
  }),
  { minLength: 1, maxLength: 250, size: 'max' },
);

const trades = tradeItems.map((items) => {
  let clock = BASE;
  return items.map((it, seq): Trade => {
    clock += it.step;
    return { symbol: it.symbol, price: it.price, volume: it.volume, timestamp: clock + it.offset, conditions: [], seq };
  });
});

const mentions = fc
  .array(
    fc.record({
      ticker: fc.constantFrom('GME', 'AMC', 'TSLA', 'PLTR'),
      step: steps,
      offset: offsets,
      sentiment: fc.double({ min: -1, max: 1, noNaN: true }),
    }),
    { minLength: 1, maxLength: 250, size: 'max' },
  )
  .map((items) => {
    let clock = BASE;
    return items.map((it, i): TickerMention => {
      clock += it.step;
      return {
        postId: `t1_${i.toString(36)}`,
        ticker: it.ticker,
        kind: 'comment',
        subreddit: 'wallstreetbets',
        author: 'someone',
        text: `$${it.ticker} to the moon`,
        permalink: `/r/wallstreetbets/comments/x/${i}`,
        sentiment: it.sentiment,
        label: it.sentiment > 0.05 ? 'pos' : it.sentiment < -0.05 ? 'neg' : 'neu',
        created: clock + it.offset,
      };
    });
  });

function plans(length: number) {
  return fc.record({
    batchSize: fc.integer({ min: 1, max: 40 }),
    commitEvery: fc.integer({ min: 1, max: 4 }),
    crashes: fc.array(fc.integer({ min: 0, max: Math.max(0, length - 1) }), { minLength: 1, maxLength: 4 }),
  });
}

const candles: Pipeline<Trade> = {
  name: 'candles',
  spec: candleSpec({ latenessMs: 30_000 }) as WindowSpec<Trade, unknown, unknown>,
  rowKey: (row) => {
    const c = row as { symbol: string; minute: number };
    return `${c.symbol}|${c.minute}`;
  },
};

const sentiment: Pipeline<TickerMention> = {
  name: 'sentiment',
  spec: sentimentSpec({ latenessMs: 45_000 }) as WindowSpec<TickerMention, unknown, unknown>,
  rowKey: (row) => {
    const w = row as { ticker: string; minute: number };
    return `${w.ticker}|${w.minute}`;
  },
};

const mentionsHour: Pipeline<TickerMention> = {
  name: 'mentions-hour',
  // a shorter lateness than the minute windows: the two aggregators disagree
  // on the watermark and share one commit position
  spec: mentionsHourSpec({ latenessMs: 10_000 }) as WindowSpec<TickerMention, unknown, unknown>,
  rowKey: (row) => {
    const h = row as { ticker: string; hour: number };
    return `${h.ticker}|${h.hour}`;
  },
};

const uninterrupted = { batchSize: 1_000_000, commitEvery: 1, crashes: [] };

describe('crash and replay from the committed position', () => {
  it('leaves the candle table exactly as an uninterrupted run', () => {
    fc.assert(
      fc.property(
        trades.chain((ts) => fc.tuple(fc.constant(ts), plans(ts.length))),
        ([ts, plan]) => {
          const expected = runProcessor(ts, [candles], uninterrupted).db;
          const crashed = runProcessor(ts, [candles], plan);
          expect(crashed.crashesHit).toBeGreaterThan(0);
          expect(crashed.db).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves the sentiment tables exactly as an uninterrupted run, with two aggregators sharing one commit', () => {
    fc.assert(
      fc.property(
        mentions.chain((ms) => fc.tuple(fc.constant(ms), plans(ms.length))),
        ([ms, plan]) => {
          const expected = runProcessor(ms, [sentiment, mentionsHour], uninterrupted).db;
          const crashed = runProcessor(ms, [sentiment, mentionsHour], plan);
          expect(crashed.db).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves the minute sentiment table exactly as an uninterrupted run', () => {
    fc.assert(
      fc.property(
        mentions.chain((ms) => fc.tuple(fc.constant(ms), plans(ms.length))),
        ([ms, plan]) => {
          const expected = runProcessor(ms, [sentiment], uninterrupted).db;
          expect(runProcessor(ms, [sentiment], plan).db).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches even when the batching is the same as the crashed run, so the comparison is not hiding behind batch shape', () => {
    fc.assert(
      fc.property(
        trades.chain((ts) => fc.tuple(fc.constant(ts), plans(ts.length))),
        ([ts, plan]) => {
          const expected = runProcessor(ts, [candles], { ...plan, crashes: [] }).db;
          expect(runProcessor(ts, [candles], plan).db).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('the streams really exercise the late path (guards the generators)', () => {
    const sample = fc.sample(trades, { numRuns: 200, seed: 7 });
    let late = 0;
    for (const ts of sample) {
      const agg = createWindowAggregator(candleSpec({ latenessMs: 30_000 }));
      ts.forEach((t, i) => agg.add(t, i));
      late += agg.lateCount();
    }
    expect(late).toBeGreaterThan(50);
  });

  it('replaying from any position at or before the committed one is exact too', () => {
    fc.assert(
      fc.property(
        trades,
        fc.nat(),
        fc.nat(),
        (ts, cutSeed, backSeed) => {
          const expected = runProcessor(ts, [candles], uninterrupted).db;
          const db = new Map<string, unknown>();
          const first = createWindowAggregator(candleSpec({ latenessMs: 30_000 }));
          const cut = cutSeed % (ts.length + 1);
          for (let i = 0; i < cut; i++) first.add(ts[i]!, i);
          for (const row of first.drainChanged()) db.set(candles.rowKey(row), row);
          first.closeExpired();
          const safe = first.safePosition(cut - 1);
          const from = safe - (backSeed % (safe + 1));
          const second = createWindowAggregator(candleSpec({ latenessMs: 30_000 }));
          second.restore(first.watermark());
          for (let i = from; i < ts.length; i++) second.add(ts[i]!, i);
          for (const row of second.drainChanged()) db.set(candles.rowKey(row), row);
          const prefixed = new Map([...expected].map(([k, v]) => [k.slice('candles|'.length), v]));
          expect(db).toEqual(prefixed);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('without the restored watermark, a replay from the committed position would overwrite a closed candle with a partial one', () => {
    // Minute 14:30 has trades on both sides of the commit position (0 and 2)
    // and is closed, final in the store. The commit sits at 1, the first
    // trade of the still-open 14:31. Replaying from 1 without the watermark
    // re-opens 14:30 with only the trade at 2 and upserts that over the full
    // candle.
    const t = (secondsAfter1430: number, seq: number, price: number): Trade =>
      ({ symbol: 'AAPL', price, volume: 1, timestamp: BASE + secondsAfter1430 * 1000, conditions: [], seq });
    const stream = [t(10, 0, 10), t(65, 1, 11), t(50, 2, 12), t(100, 3, 13)];
    const spec = candleSpec({ latenessMs: 30_000 });
    const live = createWindowAggregator(spec);
    stream.forEach((trade, i) => expect(live.add(trade, i)).toBe('accepted'));
    const store = new Map(live.drainChanged().map((r) => [r.minute, r]));
    expect(store.get(BASE)).toMatchObject({ open: 10, close: 12, trades: 2 });
    live.closeExpired();
    const commit = { position: live.safePosition(3), watermark: live.watermark() };
    expect(commit).toEqual({ position: 1, watermark: BASE + 70_000 });

    const naive = createWindowAggregator(spec);
    for (let i = commit.position; i < stream.length; i++) naive.add(stream[i]!, i);
    expect(naive.drainChanged().find((r) => r.minute === BASE)).toMatchObject({ open: 12, trades: 1 });

    const restored = createWindowAggregator(spec);
    restored.restore(commit.watermark);
    for (let i = commit.position; i < stream.length; i++) restored.add(stream[i]!, i);
    expect(restored.lateCount()).toBe(1);
    for (const row of restored.drainChanged()) store.set(row.minute, row);
    expect(store.get(BASE)).toMatchObject({ open: 10, close: 12, trades: 2 });
    expect(store.get(BASE + 60_000)).toMatchObject({ open: 11, close: 13, trades: 2 });
  });
});
