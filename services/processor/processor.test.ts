import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createProcessor, PROCESSOR_GROUP } from './processor.ts';
import { createMemoryBus } from '../lib/io/bus/memory.ts';
import { TOPICS, TOPIC_RECORD, dlqOf, topicSpecs } from '../lib/io/bus/topics.ts';
import { createMemoryRegistry } from '../lib/io/avro/registry.ts';
import { createSerde } from '../lib/io/avro/serde.ts';
import { createSqliteStore } from '../lib/io/store/sqlite.ts';
import type { Store } from '../lib/io/store/repository.ts';
import { createSentimentScorer } from '../lib/domain/sentiment/index.ts';
import { createTickerExtractor } from '../lib/domain/tickers/index.ts';
import { createSeededRandom } from '../lib/domain/sources/prng.ts';
import { createMetrics } from '../lib/runtime/metrics.ts';
import { silentLogger } from '../lib/runtime/logger.ts';
import type { RedditComment, RedditSubmission, Trade } from '../lib/domain/types.ts';
import type { Security } from '../lib/domain/types.ts';

const T0 = Date.UTC(2026, 10, 23, 14, 30);
const securities: Security[] = ['AAPL', 'TSLA', 'NVDA', 'GME'].map((symbol) => ({
  symbol, name: `${symbol} Corp Common Stock`, exchange: 'NASDAQ', sector: 'Tech', industry: 'x', marketCapUsd: 1e11, country: 'US',
}));
const scorer = createSentimentScorer();
const extractor = createTickerExtractor({ securities });

async function world(options: { maxBatch?: number } = {}) {
  const bus = createMemoryBus({ maxBatch: options.maxBatch ?? 50 });
  await bus.ensureTopics(topicSpecs({ partitions: 3 }));
  const serde = createSerde({ registry: createMemoryRegistry(), topics: TOPIC_RECORD });
  await serde.init();
  return { bus, serde };
}

type World = Awaited<ReturnType<typeof world>>;

function startProcessor(w: World, store: Store) {
  const processor = createProcessor(
    { bus: w.bus, store, serde: w.serde, scorer, extractor, clock: { now: () => T0 }, logger: silentLogger(), metrics: createMetrics() },
    { candleRetainMs: 10_000, mentionRetainMs: 60_000, eventTime: { maxAheadMs: 300_000, floorMs: Date.UTC(2000, 0, 1) } },
  );
  const ac = new AbortController();
  const done = processor.run(ac.signal);
  return { done, stop: async () => { ac.abort(); await done; } };
}

/** A random but realistic input: trades a little out of order, posts that mention tickers. */
function input(seed: number, n: number) {
  const random = createSeededRandom(seed);
  const trades: Trade[] = [];
  const symbols = ['AAPL', 'TSLA', 'NVDA', 'GME'];
  const seqs = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const symbol = symbols[Math.floor(random() * symbols.length)]!;
    const timestamp = T0 + i * 700 - Math.floor(random() * 8000); // up to 8 s out of order
    const k = `${symbol}|${timestamp}`;
    const seq = seqs.get(k) ?? 0;
    seqs.set(k, seq + 1);
    trades.push({ symbol, price: 100 + Math.round(random() * 1000) / 100, volume: 1 + Math.floor(random() * 500), timestamp, conditions: [], seq });
  }
  const posts: (RedditSubmission | RedditComment)[] = [];
  const phrases = ['$TSLA to the moon 🚀', 'NVDA calls printing, so bullish', 'selling my GME, this is a rug pull', 'what do you think about AAPL earnings?', 'bagholding $GME again 💀'];
  for (let i = 0; i < n / 5; i++) {
    const created = T0 + i * 3500;
    const text = phrases[Math.floor(random() * phrases.length)]!;
    if (i % 3 === 0) {
      posts.push({ kind: 'submission', fullname: `t3_s${i}`, id: `s${i}`, subreddit: 'stocks', author: 'a', title: text, selftext: '', score: 1, created, permalink: `/r/stocks/comments/s${i}/` });
    } else {
      posts.push({ kind: 'comment', fullname: `t1_c${i}`, id: `c${i}`, subreddit: 'stocks', author: 'b', body: i % 4 === 0 ? 'agreed, loading up' : text, score: 1, created,
        permalink: `/r/stocks/comments/s0/x/c${i}/`, linkId: 't3_s0', parentId: 't3_s0', linkTitle: 'NVDA earnings thread' });
    }
  }
  return { trades, posts };
}

async function produce(w: World, trades: Trade[], posts: (RedditSubmission | RedditComment)[]) {
  const p = w.bus.producer();
  await p.send(TOPICS.trades, trades.map((t) => ({ key: t.symbol, value: w.serde.encode(TOPICS.trades, t) })));
  for (const post of posts) {
    const topic = post.kind === 'submission' ? TOPICS.submissions : TOPICS.comments;
    await p.send(topic, [{ key: post.id, value: w.serde.encode(topic, post) }]);
  }
}

async function tables(store: Store) {
  const all: [number, number] = [0, 8_640_000_000_000];
  const symbols = ['AAPL', 'TSLA', 'NVDA', 'GME'];
  return {
    trades: await Promise.all(symbols.map((s) => store.trades(s, ...all))),
    candles: await Promise.all(symbols.map((s) => store.candles(s, ...all))),
    prices: await store.latestPrices(),
    posts: await store.latestPosts({ limit: 10_000 }),
    sentiment: await Promise.all(symbols.map((s) => store.sentimentWindows(s, ...all))),
    hours: await store.mentionsHours(...all),
  };
}

describe('processor', () => {
  it('sends poison records to the dead-letter topic with the reason, and processes every good one', async () => {
    const w = await world();
    const store = createSqliteStore({ path: ':memory:' });
    const good = input(1, 40).trades;
    const valid = w.serde.encode(TOPICS.trades, good[0]!);
    const poison = [
      { key: 'AAPL', value: Buffer.from('{"symbol":"AAPL","price":1}') }, // JSON, not Avro: wrong magic byte
      { key: 'AAPL', value: valid.subarray(0, 7) }, // truncated
      { key: 'AAPL', value: Buffer.concat([Buffer.from([0, 0, 0, 0x7f, 0x7f]), valid.subarray(5)]) }, // unknown schema id
      { key: 'AAPL', value: w.serde.encode(TOPICS.trades, { ...good[0]!, price: -5 }) }, // decodes, fails validation
    ];
    const p = w.bus.producer();
    await p.send(TOPICS.trades, good.slice(0, 20).map((t) => ({ key: t.symbol, value: w.serde.encode(TOPICS.trades, t) })));
    await p.send(TOPICS.trades, poison);
    await p.send(TOPICS.trades, good.slice(20).map((t) => ({ key: t.symbol, value: w.serde.encode(TOPICS.trades, t) })));

    const run = startProcessor(w, store);
    await w.bus.whenIdle(PROCESSOR_GROUP);
    await run.stop();

    const dlq = w.bus.records(dlqOf(TOPICS.trades));
    expect(dlq.map((r) => r.headers['dlq.error.code']).sort()).toEqual(['DECODE_MAGIC_BYTE', 'DECODE_TRUNCATED', 'DECODE_UNKNOWN_SCHEMA', 'VALIDATION_FAILED']);
    for (const r of dlq) {
      expect(r.headers['dlq.source.topic']).toBe(TOPICS.trades);
      expect(Number(r.headers['dlq.source.offset'])).toBeGreaterThanOrEqual(0);
      expect(r.headers['dlq.error.message']).toBeTruthy();
    }
    // the dead letter keeps the original bytes, so it can be inspected and replayed
    expect(dlq.some((r) => r.value.equals(poison[0]!.value))).toBe(true);
    expect((await store.deadLetters(10)).map((d) => d.code).sort()).toEqual(['DECODE_MAGIC_BYTE', 'DECODE_TRUNCATED', 'DECODE_UNKNOWN_SCHEMA', 'VALIDATION_FAILED']);
    const stored = (await tables(store)).trades.flat();
    expect(stored).toHaveLength(good.length);
  });

  it('a crash at any write, then a restart, leaves every table as an uninterrupted run does', async () => {
    const { trades, posts } = input(7, 400);
    const reference = await (async () => {
      const w = await world({ maxBatch: 17 });
      const store = createSqliteStore({ path: ':memory:' });
      await produce(w, trades, posts);
      const run = startProcessor(w, store);
      await w.bus.whenIdle(PROCESSOR_GROUP);
      await run.stop();
      return tables(store);
    })();
    expect(reference.candles.flat().length).toBeGreaterThan(5);
    expect(reference.sentiment.flat().length).toBeGreaterThan(5);

    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 3 }), async (crashAt, crashes) => {
      const w = await world({ maxBatch: 17 });
      const real = createSqliteStore({ path: ':memory:' });
      await produce(w, trades, posts);
      for (let c = 0; c < crashes; c++) {
        // A store that dies (like kill -9) on the crashAt-th write of this life.
        let writes = 0;
        const dying = new Proxy(real, {
          get(target, prop, receiver) {
            const v = Reflect.get(target, prop, receiver);
            if (typeof v !== 'function' || !String(prop).startsWith('write') && !String(prop).startsWith('load')) return v;
            return async (...args: unknown[]) => {
              if (++writes === crashAt * (c + 1)) throw new TypeError('simulated crash');
              return (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            };
          },
        });
        const run = startProcessor(w, dying);
        await Promise.race([run.done.catch(() => {}), w.bus.whenIdle(PROCESSOR_GROUP)]);
        await run.stop().catch(() => {});
      }
      const final = startProcessor(w, real);
      await w.bus.whenIdle(PROCESSOR_GROUP);
      await final.stop();
      expect(await tables(real)).toEqual(reference);
    }), { numRuns: 15 });
  }, 120_000);
});
