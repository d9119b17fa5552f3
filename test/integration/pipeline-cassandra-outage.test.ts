/**
 * Cassandra stopped for 20 s in the middle of a run (dev/stop-one.sh, then
 * dev/start-one.sh) while a producer keeps sending and the processor keeps
 * running: the processor must neither exit nor skip anything, report itself
 * not ready while the database is away, and catch up by itself afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquirePipelineLock, createWorld, recentT0, sendPaced, sleep, stackScript, waitFor, type World } from './helpers/pipeline-stack.ts';
import { HOUR, MIN, converge, encode, generate, recompute, sizes } from './helpers/pipeline-data.ts';

const PROCESSOR = { STOCKSTREAMER_CANDLE_LATENESS_MS: '5000', STOCKSTREAMER_SENTIMENT_LATENESS_MS: String(3 * HOUR) };

describe('pipeline on the real stack: Cassandra outage', () => {
  let release: () => void = () => {};
  let world: World;
  let cassandraDown = false;
  beforeAll(async () => {
    release = await acquirePipelineLock();
    world = await createWorld('cassdown');
  }, 660_000);
  afterAll(async () => {
    // never leave the shared stack without its database
    if (cassandraDown) await stackScript('start-one.sh', ['cassandra']).catch((err: unknown) => console.error(String(err)));
    await world?.close();
    release();
  }, 240_000);

  it('Cassandra away for 20 s mid-run: the processor stays up, reports not ready, recovers by itself, nothing lost', async () => {
    const input = generate({ seed: 7, trades: 12_000, submissions: 1_000, comments: 1_500, t0: recentT0(), spanMs: 30 * MIN });
    const expected = await recompute(input);
    const processor = await world.startProcessor(PROCESSOR);

    // ~14,500 records over ~40 s
    let sentSoFar = 0;
    const producing = sendPaced(world.bus, encode(world.serde, input), { perTick: 90, tickMs: 250, onTick: (n) => { sentSoFar = n; } });

    await waitFor('a quarter of the input sent', async () => (sentSoFar > 3000 ? true : undefined), { timeoutMs: 60_000 });
    const readiness: boolean[] = [];
    let watching = true;
    const watch = (async () => {
      while (watching) {
        readiness.push(await processor.ready());
        await sleep(500);
      }
    })();
    let t = Date.now();
    cassandraDown = true;
    await stackScript('stop-one.sh', ['cassandra']);
    const stoppedIn = Date.now() - t;
    await sleep(20_000);
    expect(processor.running, `the processor exited while Cassandra was down:\n${processor.tail()}`).toBe(true);
    const notReadySeen = readiness.includes(false);
    t = Date.now();
    await stackScript('start-one.sh', ['cassandra']);
    cassandraDown = false;
    const startedIn = Date.now() - t;
    t = Date.now();
    await waitFor('the processor to report ready again', async () => ((await processor.ready()) ? true : undefined), { timeoutMs: 60_000, intervalMs: 250 });
    const readyAfter = Date.now() - t;
    watching = false;
    await watch;

    const produced = await producing;
    expect(produced.failures).toEqual([]);
    expect(produced.sent).toBe(input.trades.length + input.posts.length);
    const result = await converge(world.cql, expected, { timeoutMs: 90_000 });
    console.log(`cassandra outage: stop ${stoppedIn} ms, start ${startedIn} ms, ready again ${readyAfter} ms after start-one; converged ${result.ms} ms after the producer finished: ${sizes(result.actual)}`);
    expect(notReadySeen, '/readyz said ready the whole time Cassandra was down').toBe(true);
    expect(result.diff).toEqual([]);
    expect(processor.running).toBe(true);
    expect(processor.log()).toMatch(/STORE_UNAVAILABLE/);
    await processor.stop();
  }, 300_000);
});
