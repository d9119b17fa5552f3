/**
 * End to end on the real stack: the recorded Finnhub and Reddit feeds replayed
 * by the real `produce prices` / `produce reddit` services into Kafka, the real
 * `process` service into Cassandra, and every table compared with a
 * recomputation from the recorded records (helpers/pipeline-data.ts).
 * Then the producers run the same recording again (what a producer restart or
 * a retried produce request does to the topics): nothing may change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReplaySource } from '../../services/lib/io/sources/index.ts';
import type { RedditPost, Trade } from '../../services/lib/domain/types.ts';
import { TOPICS } from '../../services/lib/io/bus/topics.ts';
import { acquirePipelineLock, createWorld, runCli, type World } from './helpers/pipeline-stack.ts';
import { HOUR, converge, diffTables, readTables, recompute, sizes } from './helpers/pipeline-data.ts';

async function collect<T>(source: { run(emit: (items: T[]) => Promise<void>, signal: AbortSignal): Promise<void> }): Promise<T[]> {
  const out: T[] = [];
  await source.run(async (items) => { out.push(...items); }, new AbortController().signal);
  return out;
}

const REPLAY = {
  STOCKSTREAMER_SOURCE: 'replay',
  STOCKSTREAMER_REPLAY_DIR: 'data/recorded',
  STOCKSTREAMER_REPLAY_SPEED: '0',
};
// The recording is not in event-time order across symbols and posts: a
// lateness longer than it spans makes every record count, as in the embedded e2e test.
const PROCESSOR = { STOCKSTREAMER_CANDLE_LATENESS_MS: String(HOUR), STOCKSTREAMER_SENTIMENT_LATENESS_MS: String(24 * HOUR), STOCKSTREAMER_BATCH_MAX: '37' };

describe('pipeline on the real stack: end to end', () => {
  let release: () => void = () => {};
  let world: World;
  beforeAll(async () => {
    release = await acquirePipelineLock();
    world = await createWorld('e2e');
  }, 660_000);
  afterAll(async () => {
    await world?.close();
    release();
  }, 60_000);

  it('replayed feeds → Kafka → processor → Cassandra: every table equals the recomputation; producing the same feed again changes nothing', async () => {
    const trades = await collect<Trade>(createReplaySource({ path: 'data/recorded/finnhub-sample.jsonl', source: 'finnhub' }));
    const posts = await collect<RedditPost>(createReplaySource({ path: 'data/recorded/reddit-sample.jsonl', source: 'reddit' }));
    expect(trades.length).toBeGreaterThan(300);
    expect(posts.length).toBeGreaterThan(100);
    const expected = await recompute({ trades, posts });

    const processor = await world.startProcessor(PROCESSOR);
    const [prices, reddit] = await Promise.all([runCli(world, ['produce', 'prices'], REPLAY), runCli(world, ['produce', 'reddit'], REPLAY)]);
    expect(prices.code, prices.log.slice(-2000)).toBe(0);
    expect(reddit.code, reddit.log.slice(-2000)).toBe(0);
    const produced = (await world.endOffsets(TOPICS.trades)).reduce((a, b) => a + b, 0);
    expect(produced).toBe(trades.length);

    const first = await converge(world.cql, expected, { timeoutMs: 60_000 });
    console.log(`e2e: converged in ${first.ms} ms: ${sizes(first.actual)}`);
    expect(first.diff).toEqual([]);
    expect(first.actual.deadLetters.size).toBe(0);
    expect(await processor.ready()).toBe(true);
    expect(await processor.metric('stockstreamer_records_in_total')).toBeGreaterThanOrEqual(trades.length + posts.length);

    // Every record again (a second producer run over the same recording).
    const [prices2, reddit2] = await Promise.all([runCli(world, ['produce', 'prices'], REPLAY), runCli(world, ['produce', 'reddit'], REPLAY)]);
    expect(prices2.code).toBe(0);
    expect(reddit2.code).toBe(0);
    // Wait until the processor has read and committed past the second copy, then compare.
    const committedAll = async () => {
      for (const topic of [TOPICS.trades, TOPICS.submissions, TOPICS.comments]) {
        const [c, e] = await Promise.all([world.committed(topic), world.endOffsets(topic)]);
        // trades and mentions commit up to the first open window; posts up to the end
        if (topic !== TOPICS.trades && c.some((x, i) => x < e[i]!)) return false;
      }
      return true;
    };
    const until = Date.now() + 60_000;
    while (!(await committedAll()) && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
    const second = await converge(world.cql, expected, { timeoutMs: 20_000 });
    expect(second.diff, 'after the same feed was produced a second time').toEqual([]);

    // A graceful stop (SIGTERM) ends within the 25 s budget and loses nothing.
    const t0 = Date.now();
    await processor.stop();
    expect(processor.exitCode).toBe(0);
    expect(Date.now() - t0).toBeLessThan(25_000);
    expect(diffTables(expected, await readTables(world.cql))).toEqual([]);
  }, 240_000);
});
