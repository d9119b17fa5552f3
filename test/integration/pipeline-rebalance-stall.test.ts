/**
 * Two processors share the partitions; Cassandra is frozen (SIGSTOP, so
 * connections stay open and writes sit in the server's queues) for longer
 * than the Kafka session timeout, while records keep arriving out of order.
 * The broker gives the stalled members' partitions away; when Cassandra
 * thaws, the writes the old owners had already sent land late — after the
 * new owners' — and their retries meet a partition they no longer own.
 * Fencing (aggregate writes versioned after the raw rows and an ownership
 * check; a later owner always writes above) must make those delayed writes
 * harmless: in the end every table equals the recomputation from the input
 * and every aggregate equals the oracle's recomputation from the raw rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, acquirePipelineLock, createWorld, recentT0, sendPaced, sleep, waitFor, type World } from './helpers/pipeline-stack.ts';
import { MIN, converge, encode, generate, recompute, sizes } from './helpers/pipeline-data.ts';

const SESSION_MS = 6000;
const PROCESSOR = {
  STOCKSTREAMER_CANDLE_LATENESS_MS: '5000', STOCKSTREAMER_SENTIMENT_LATENESS_MS: '60000',
  STOCKSTREAMER_KAFKA_SESSION_TIMEOUT_MS: String(SESSION_MS), STOCKSTREAMER_BATCH_MAX: '200',
};

const cassandraPid = (): number => Number(readFileSync(join(ROOT, '.stack', 'run', 'cassandra.pid'), 'utf8').trim());

describe('pipeline on the real stack: rebalance during a Cassandra stall', () => {
  let release: () => void = () => {};
  let world: World;
  let frozen = false;
  beforeAll(async () => {
    release = await acquirePipelineLock();
    world = await createWorld('stall');
  }, 660_000);
  afterAll(async () => {
    // never leave the shared stack's database frozen
    if (frozen) process.kill(cassandraPid(), 'SIGCONT');
    await world?.close();
    release();
  }, 120_000);

  it(`Cassandra frozen for 3× the ${SESSION_MS / 1000} s session while two processors run: delayed writes of the old owners change nothing`, async () => {
    const input = generate({
      seed: 31, trades: 10_000, submissions: 800, comments: 1_200, t0: recentT0(), spanMs: 30 * MIN,
      disorder: { lateFraction: 0.1, maxLateMs: 20 * MIN, duplicateFraction: 0.02 },
    });
    const expected = await recompute(input);
    const a = await world.startProcessor(PROCESSOR);
    const b = await world.startProcessor(PROCESSOR);

    let sentSoFar = 0;
    const producing = sendPaced(world.bus, encode(world.serde, input), { perTick: 100, tickMs: 200, onTick: (n) => { sentSoFar = n; } });
    await waitFor('a third of the input sent', async () => (sentSoFar > 4000 ? true : undefined), { timeoutMs: 60_000 });

    const pid = cassandraPid();
    process.kill(pid, 'SIGSTOP');
    frozen = true;
    await sleep(3 * SESSION_MS);
    process.kill(pid, 'SIGCONT');
    frozen = false;

    const sent = await producing;
    expect(sent.failures).toEqual([]);
    const result = await converge(world.cql, expected, { timeoutMs: 180_000 });
    const fenced = (await Promise.all([a, b].filter((p) => p.running).map((p) => p.metric('stockstreamer_fenced_batches_total')))).reduce((x, y) => x + y, 0);
    const rebalanced = [a, b].map((p) => (p.log().match(/assigned \d+ partitions/g) ?? []).length);
    console.log(`stall: converged ${result.ms} ms after the thaw; ${sizes(result.actual)}; batches fenced ${fenced}; assignments per processor ${rebalanced.join('/')}`);
    expect(result.diff).toEqual([]);
    // the stall did cost the members their partitions: both joined again at least once
    expect(Math.min(...rebalanced)).toBeGreaterThanOrEqual(2);
    expect(a.running && b.running, `${a.tail()}\n${b.tail()}`).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
  }, 420_000);
});
