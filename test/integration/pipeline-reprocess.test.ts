/**
 * `stockstreamer reprocess` on the real stack while the pipeline is live: a
 * processor drains topics that keep receiving records (some of them late),
 * the aggregates of a past range are damaged behind its back (rows deleted,
 * rows altered, a row no raw row backs), and reprocess rebuilds the range from
 * the raw rows next to the running processor. In the end every table equals
 * the recomputation from the input and the oracle's recomputation from the raw
 * rows; a second reprocess of the range rewrites the same values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquirePipelineLock, createWorld, recentT0, runCli, sendPaced, waitFor, type World } from './helpers/pipeline-stack.ts';
import { HOUR, MIN, converge, encode, generate, readTables, recompute, sizes } from './helpers/pipeline-data.ts';
import { checkSnapshot } from '../oracle/aggregates.ts';
import { readCassandraSnapshot } from '../oracle/cassandra.ts';

const PROCESSOR = { STOCKSTREAMER_CANDLE_LATENESS_MS: '5000', STOCKSTREAMER_SENTIMENT_LATENESS_MS: '60000' };

describe('pipeline on the real stack: reprocess', () => {
  let release: () => void = () => {};
  let world: World;
  beforeAll(async () => {
    release = await acquirePipelineLock();
    world = await createWorld('reprocess');
  }, 660_000);
  afterAll(async () => {
    await world?.close();
    release();
  }, 120_000);

  it('rebuilds a damaged past range from the raw rows next to a live processor, idempotently', async () => {
    const t0 = recentT0();
    const input = generate({
      seed: 17, trades: 8_000, submissions: 600, comments: 900, t0, spanMs: 60 * MIN,
      disorder: { lateFraction: 0.05, maxLateMs: 30 * MIN, duplicateFraction: 0.02 },
    });
    const expected = await recompute(input);
    const processor = await world.startProcessor(PROCESSOR);
    let sentSoFar = 0;
    const producing = sendPaced(world.bus, encode(world.serde, input), { perTick: 120, tickMs: 200, onTick: (n) => { sentSoFar = n; } });
    await waitFor('half of the input sent', async () => (sentSoFar > 5000 ? true : undefined), { timeoutMs: 60_000 });

    // Damage the first 20 minutes (and the 30 before, where only late records fall) while the processor goes on with the rest.
    const from = t0 - 30 * MIN;
    const to = t0 + 20 * MIN;
    const ks = world.keyspace;
    const before = await readTables(world.cql, ['candles', 'sentiment', 'hours']);
    const candles = [...before.candles.keys()].map((k) => k.split('|')).filter(([, m]) => Number(m) >= from && Number(m) < to);
    expect(candles.length).toBeGreaterThan(20);
    const day = (ms: number) => new Date(Math.floor(ms / 86_400_000) * 86_400_000).toISOString().slice(0, 10);
    for (const [i, [symbol, minute]] of candles.entries()) {
      const m = Number(minute);
      if (i % 3 === 0) await world.cql.execute(`DELETE FROM ${ks}.candles_1m WHERE symbol = ? AND day = ? AND minute = ?`, [symbol, day(m), m], { prepare: true });
      else if (i % 3 === 1) await world.cql.execute(`UPDATE ${ks}.candles_1m SET trades = 999999, high = 1e9 WHERE symbol = ? AND day = ? AND minute = ?`, [symbol, day(m), m], { prepare: true });
    }
    // a candle no trade backs: a minute of the range the input has no trade of that symbol in
    const [symbol] = candles[0]!;
    const empty = Array.from({ length: 50 }, (_, i) => from + i * MIN).find((m) => !expected.candles.has(`${symbol}|${m}`));
    expect(empty, 'the late records leave some minute without a trade').toBeDefined();
    await world.cql.execute(`INSERT INTO ${ks}.candles_1m (symbol, day, minute, open, high, low, close, volume, trades) VALUES (?, ?, ?, 1, 1, 1, 1, 1, 1)`,
      [symbol, day(empty!), empty!], { prepare: true });
    const hour = Math.floor(from / HOUR) * HOUR;
    await world.cql.execute(`DELETE FROM ${ks}.mentions_by_hour WHERE hour = ?`, [hour], { prepare: true });
    for (const k of [...before.sentiment.keys()].filter((k) => Number(k.split('|')[1]) < to).slice(0, 30)) {
      const [ticker, minute] = k.split('|');
      await world.cql.execute(`UPDATE ${ks}.ticker_sentiment_1m SET count = 0, sum = 5 WHERE ticker = ? AND day = ? AND minute = ?`, [ticker, day(Number(minute)), Number(minute)], { prepare: true });
    }
    expect(checkSnapshot(await readCassandraSnapshot(world.cql, ks)).length).toBeGreaterThan(0);

    const env = { STOCKSTREAMER_STORE: 'cassandra' };
    const range = ['reprocess', '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString()];
    const first = await runCli(world, range, env, 180_000);
    expect(first.code, first.log).toBe(0);
    expect(first.log).toMatch(/reprocess: done in .*\d+ symbols, \d+ tickers, \d+ rows written, [1-9]\d* deleted/);

    const sent = await producing;
    expect(sent.failures).toEqual([]);
    const result = await converge(world.cql, expected, { timeoutMs: 120_000 });
    console.log(`reprocess: converged ${result.ms} ms after the input ended: ${sizes(result.actual)}`);
    expect(result.diff).toEqual([]);

    const rebuilt = await readCassandraSnapshot(world.cql, ks);
    const second = await runCli(world, range, env, 180_000);
    expect(second.code, second.log).toBe(0);
    expect((await readCassandraSnapshot(world.cql, ks)).actual).toEqual(rebuilt.actual);
    expect(processor.running).toBe(true);
    await processor.stop();
  }, 420_000);
});
