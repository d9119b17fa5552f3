/**
 * The whole embedded pipeline (replayed recordings → Avro → in-process bus →
 * processor → SQLite) checked table by table against a recomputation from the
 * source records that shares no code with the aggregation path.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmbeddedPipeline } from '../../services/cli/embedded.ts';
import { createReplaySource } from '../../services/lib/io/sources/index.ts';
import { loadConfig } from '../../services/lib/runtime/config.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import { createSqliteStore } from '../../services/lib/io/store/sqlite.ts';
import { createSentimentScorer } from '../../services/lib/domain/sentiment/index.ts';
import { createTickerExtractor } from '../../services/lib/domain/tickers/index.ts';
import { loadUniverse } from '../../services/lib/io/universe.ts';
import { enrichPost } from '../../services/processor/posts.ts';
import type { RedditPost, Trade } from '../../services/lib/domain/types.ts';

const MIN = 60_000;
const HOUR = 3_600_000;

async function collect<T>(source: { run(emit: (items: T[]) => Promise<void>, signal: AbortSignal): Promise<void> }): Promise<T[]> {
  const out: T[] = [];
  await source.run(async (items) => { out.push(...items); }, new AbortController().signal);
  return out;
}

function configFor(home: string) {
  return loadConfig({
    STOCKSTREAMER_HOME: home,
    STOCKSTREAMER_CREDENTIALS: join(home, 'absent.ini'),
    STOCKSTREAMER_SOURCE: 'replay',
    STOCKSTREAMER_REPLAY_DIR: 'data/recorded',
    STOCKSTREAMER_REPLAY_SPEED: '0',
    // generous lateness: the recomputation below counts every record
    STOCKSTREAMER_CANDLE_LATENESS_MS: String(HOUR),
    STOCKSTREAMER_SENTIMENT_LATENESS_MS: String(24 * HOUR),
    STOCKSTREAMER_BATCH_MAX: '37', // small, odd batches: windows straddle batch boundaries
  });
}

async function runOnce(home: string) {
  const config = configFor(home);
  const store = createSqliteStore({ path: join(home, 'db.sqlite') });
  const pipeline = await createEmbeddedPipeline({ config, credentials: { reddit: null, finnhubToken: null }, logger: silentLogger(), store });
  await pipeline.run(new AbortController().signal);
  return { store, pipeline };
}

async function snapshot(store: ReturnType<typeof createSqliteStore>, symbols: string[], tickers: string[]) {
  const all = [0, 8_640_000_000_000];
  return {
    trades: await Promise.all(symbols.map((s) => store.trades(s, all[0]!, all[1]!))),
    candles: await Promise.all(symbols.map((s) => store.candles(s, all[0]!, all[1]!))),
    prices: await store.latestPrices(),
    posts: await store.latestPosts({ limit: 100_000 }),
    sentiment: await Promise.all(tickers.map((t) => store.sentimentWindows(t, all[0]!, all[1]!))),
    hours: await store.mentionsHours(all[0]!, all[1]!),
  };
}

describe('embedded pipeline, end to end', () => {
  it('stores exactly what an independent recomputation of the recorded input says, and a second run changes nothing', async () => {
    const trades = await collect<Trade>(createReplaySource({ path: 'data/recorded/finnhub-sample.jsonl', source: 'finnhub' }));
    const posts = await collect<RedditPost>(createReplaySource({ path: 'data/recorded/reddit-sample.jsonl', source: 'reddit' }));
    expect(trades.length).toBeGreaterThan(300);
    expect(posts.length).toBeGreaterThan(100);

    const home = mkdtempSync(join(tmpdir(), 'ss-e2e-'));
    const { store } = await runOnce(home);

    // trades and latest prices
    const symbols = [...new Set(trades.map((t) => t.symbol))].sort();
    for (const s of symbols) {
      const mine = trades.filter((t) => t.symbol === s).sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
      expect(await store.trades(s, 0, 8_640_000_000_000)).toEqual(mine);
      const last = mine[mine.length - 1]!;
      expect((await store.latestPrices()).find((p) => p.symbol === s)).toMatchObject({ price: last.price, timestamp: last.timestamp });
      // candles: first/last by (timestamp, seq), extremes, sums
      const byMinute = new Map<number, Trade[]>();
      for (const t of mine) {
        const m = Math.floor(t.timestamp / MIN) * MIN;
        byMinute.set(m, [...(byMinute.get(m) ?? []), t]);
      }
      const candles = await store.candles(s, 0, 8_640_000_000_000);
      expect(candles.map((c) => c.minute)).toEqual([...byMinute.keys()].sort((a, b) => a - b));
      for (const c of candles) {
        const ts = byMinute.get(c.minute)!;
        expect(c.open).toBe(ts[0]!.price);
        expect(c.close).toBe(ts[ts.length - 1]!.price);
        expect(c.high).toBe(Math.max(...ts.map((t) => t.price)));
        expect(c.low).toBe(Math.min(...ts.map((t) => t.price)));
        expect(c.trades).toBe(ts.length);
        expect(c.volume).toBeCloseTo(ts.reduce((a, t) => a + t.volume, 0), 6);
      }
    }

    // posts, mentions, sentiment windows, hourly mention counts
    const universe = await loadUniverse();
    const scorer = createSentimentScorer();
    const extractor = createTickerExtractor({ securities: universe });
    const enriched = posts.map((p) => enrichPost(p, scorer, extractor));
    const stored = await store.latestPosts({ limit: 100_000 });
    expect(stored.map((p) => p.fullname).sort()).toEqual(enriched.map((e) => e.post.fullname).sort());

    const mentions = enriched.flatMap((e) => e.mentions);
    expect(mentions.length).toBeGreaterThan(50);
    const tickers = [...new Set(mentions.map((m) => m.ticker))];
    for (const t of tickers) {
      const windows = await store.sentimentWindows(t, 0, 8_640_000_000_000);
      const expected = new Map<number, { count: number; sum: number; pos: number; neg: number; neu: number }>();
      for (const m of mentions.filter((x) => x.ticker === t)) {
        const k = Math.floor(m.created / MIN) * MIN;
        const w = expected.get(k) ?? { count: 0, sum: 0, pos: 0, neg: 0, neu: 0 };
        w.count++; w.sum += m.sentiment; w[m.label]++;
        expected.set(k, w);
      }
      expect(windows.map((w) => w.minute)).toEqual([...expected.keys()].sort((a, b) => a - b));
      for (const w of windows) {
        const e = expected.get(w.minute)!;
        expect({ count: w.count, pos: w.pos, neg: w.neg, neu: w.neu }).toEqual({ count: e.count, pos: e.pos, neg: e.neg, neu: e.neu });
        expect(w.sum).toBeCloseTo(e.sum, 9);
      }
      const posts = await store.latestPosts({ ticker: t, limit: 100_000 });
      expect(posts.length).toBe(mentions.filter((m) => m.ticker === t).length);
    }
    const hours = await store.mentionsHours(0, 8_640_000_000_000);
    const expectedHours = new Map<string, number>();
    for (const m of mentions) {
      const k = `${Math.floor(m.created / HOUR) * HOUR}|${m.ticker}`;
      expectedHours.set(k, (expectedHours.get(k) ?? 0) + 1);
    }
    expect(new Map(hours.map((h) => [`${h.hour}|${h.ticker}`, h.count]))).toEqual(expectedHours);

    // Invariant 1: replaying the same input into the same store changes nothing.
    const before = await snapshot(store, symbols, tickers);
    await store.close();
    const again = await runOnce(home);
    expect(await snapshot(again.store, symbols, tickers)).toEqual(before);
    await again.store.close();
  }, 60_000);
});
