/**
 * Crash safety on the real stack (ARCHITECTURE invariants 2 and 3): 50,000
 * messages (trades and Reddit posts generated deterministically, produced up
 * front with the project's Kafka producer) out of order — 8 % of them up to
 * 30 minutes late, 3 % sent twice — and the processor a real child process
 * killed with SIGKILL three times at random moments while it drains the
 * backlog, restarted each time. Windows leave memory all the time here (5 s
 * for candles, 1 min for mention hours over 40 minutes of event time), so late
 * records and restarts go through buckets read back from the raw rows. At the
 * end every table equals the recomputation from the produced records (nothing
 * lost, nothing counted twice), and every aggregate equals the oracle's
 * recomputation from the raw rows Cassandra holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../services/lib/domain/sources/prng.ts';
import { TOPICS } from '../../services/lib/io/bus/topics.ts';
import { acquirePipelineLock, createWorld, recentT0, sendAll, sleep, testSeed, type World } from './helpers/pipeline-stack.ts';
import { MIN, converge, encode, generate, recompute, sizes } from './helpers/pipeline-data.ts';

const PROCESSOR = { STOCKSTREAMER_CANDLE_LATENESS_MS: '5000', STOCKSTREAMER_SENTIMENT_LATENESS_MS: '60000' };

describe('pipeline on the real stack: kill -9', () => {
  let release: () => void = () => {};
  let world: World;
  beforeAll(async () => {
    release = await acquirePipelineLock();
    world = await createWorld('crash');
  }, 660_000);
  afterAll(async () => {
    await world?.close();
    release();
  }, 60_000);

  it('three kill -9 at random moments while draining 50,000 messages: every table equals the recomputation', async () => {
    const input = generate({
      seed: 42, trades: 42_000, submissions: 3_000, comments: 5_000, t0: recentT0(), spanMs: 40 * MIN,
      disorder: { lateFraction: 0.08, maxLateMs: 30 * MIN, duplicateFraction: 0.03 },
    });
    const batches = encode(world.serde, input);
    expect(batches.reduce((a, b) => a + b.messages.length, 0)).toBeGreaterThanOrEqual(50_000);
    const expected = await recompute(input);
    let t = Date.now();
    await sendAll(world.bus, batches);
    console.log(`crash: produced ${input.trades.length} trades and ${input.posts.length} posts in ${Date.now() - t} ms; expect ${sizes(expected)}`);

    const seed = testSeed();
    const random = createSeededRandom(seed);
    const total = batches[0]!.messages.length;
    const progress = async () => (await world.committed(TOPICS.trades)).reduce((a, b) => a + b, 0) / total;
    const kills: string[] = [];
    for (let k = 0; k < 3; k++) {
      const p = await world.startProcessor(PROCESSOR);
      // somewhere in the k-th quarter of the backlog, plus up to 400 ms
      const target = 0.1 + 0.25 * k + random() * 0.15;
      const delay = Math.floor(random() * 400);
      t = Date.now();
      for (;;) {
        if (!p.running) throw new Error(`processor exited by itself (code ${p.exitCode}): ${p.tail()}`);
        if ((await progress()) >= target) break;
        if (Date.now() - t > 120_000) throw new Error(`no progress to ${target} within 120 s: ${p.tail()}`);
        await sleep(50);
      }
      await sleep(delay);
      const at = await progress();
      p.kill9();
      await p.exited;
      expect(p.exitSignal).toBe('SIGKILL');
      kills.push(`kill ${k + 1} at ${(at * 100).toFixed(1)}% of trades committed (${Date.now() - t} ms after start)`);
      expect(at, 'killed while it was still draining').toBeLessThan(1);
    }
    console.log(`crash (PIPELINE_SEED=${seed}): ${kills.join('; ')}`);

    const last = await world.startProcessor(PROCESSOR);
    const result = await converge(world.cql, expected, { timeoutMs: 180_000 });
    console.log(`crash: converged ${result.ms} ms after the last restart: ${sizes(result.actual)}`);
    expect(result.diff).toEqual([]);
    expect(last.running).toBe(true);
    await last.stop();
  }, 420_000);
});
