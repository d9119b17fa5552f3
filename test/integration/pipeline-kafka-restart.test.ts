/**
 * The Kafka broker restarted (dev/restart.sh kafka) while the project's
 * producer sends and the processor consumes: every send is acknowledged in
 * the end (the producer retries through the outage), every record reaches the
 * tables exactly once (a retried produce request may write a batch twice; the
 * processor must not count it twice), and the processor rejoins by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '../../services/lib/io/bus/topics.ts';
import { acquirePipelineLock, createWorld, recentT0, sendPaced, stackScript, waitFor, type World } from './helpers/pipeline-stack.ts';
import { HOUR, MIN, converge, encode, generate, recompute, sizes } from './helpers/pipeline-data.ts';

const PROCESSOR = { STOCKSTREAMER_CANDLE_LATENESS_MS: '5000', STOCKSTREAMER_SENTIMENT_LATENESS_MS: String(3 * HOUR) };

describe('pipeline on the real stack: Kafka broker restart', () => {
  let release: () => void = () => {};
  let world: World;
  beforeAll(async () => {
    release = await acquirePipelineLock();
    world = await createWorld('kafkarestart');
  }, 660_000);
  afterAll(async () => {
    await world?.close();
    release();
  }, 120_000);

  it('broker restarted mid-run: nothing lost on the producer side or the processor side', async () => {
    const input = generate({ seed: 11, trades: 12_000, submissions: 1_000, comments: 1_500, t0: recentT0(), spanMs: 30 * MIN });
    const expected = await recompute(input);
    const processor = await world.startProcessor(PROCESSOR);

    let sentSoFar = 0;
    const producing = sendPaced(world.bus, encode(world.serde, input), { perTick: 90, tickMs: 250, onTick: (n) => { sentSoFar = n; } });
    await waitFor('a quarter of the input sent', async () => (sentSoFar > 3000 ? true : undefined), { timeoutMs: 60_000 });
    const before = sentSoFar;
    const t = Date.now();
    await stackScript('restart.sh', ['kafka']);
    const restartMs = Date.now() - t;

    const produced = await producing;
    expect(produced.failures).toEqual([]);
    expect(produced.sent).toBe(input.trades.length + input.posts.length);
    const inTopics = (await Promise.all([TOPICS.trades, TOPICS.submissions, TOPICS.comments].map((tp) => world.endOffsets(tp)))).flat().reduce((a, b) => a + b, 0);
    expect(inTopics).toBeGreaterThanOrEqual(produced.sent);

    const result = await converge(world.cql, expected, { timeoutMs: 120_000 });
    console.log(`kafka restart: ${before} sent before, restart took ${restartMs} ms, longest tick ${produced.maxSendMs} ms; ${inTopics - produced.sent} duplicate records in the topics; converged ${result.ms} ms after the producer finished: ${sizes(result.actual)}`);
    expect(result.diff).toEqual([]);
    expect(processor.running, processor.tail()).toBe(true);
    await processor.stop();
  }, 300_000);
});
