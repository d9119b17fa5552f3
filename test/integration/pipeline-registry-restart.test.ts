/**
 * The local schema registry keeps its schemas in Cassandra (dev/servers.sh),
 * so a schema id written into a record means the same schema after any
 * restart. With the in-memory backend it had before, `make down && make up`
 * handed ids out from 1 again and records already in Kafka decoded against
 * the wrong schema or none (6,172 dead-lettered as DECODE_UNKNOWN_SCHEMA in
 * one try).
 *
 * While a producer sends and the processor consumes: the registry is
 * restarted, then Cassandra (where the registry keeps them), then the whole
 * stack (dev/down.sh, dev/up.sh). After each, a processor started afresh
 * (no cached schemas) must look every writer id up again. Nothing may be
 * dead-lettered and every table must equal the recomputation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfluentRegistry } from '../../services/lib/io/avro/confluent-registry.ts';
import { createSerde } from '../../services/lib/io/avro/serde.ts';
import type { OutgoingMessage } from '../../services/lib/io/bus/bus.ts';
import { TOPICS, TOPIC_RECORD, dlqOf } from '../../services/lib/io/bus/topics.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import { REGISTRY_URL } from './helpers/kafka.ts';
import { acquirePipelineLock, createWorld, recentT0, sleep, stackScript, waitFor, type World } from './helpers/pipeline-stack.ts';
import { HOUR, MIN, converge, encode, generate, recompute, sizes } from './helpers/pipeline-data.ts';

const PROCESSOR = { STOCKSTREAMER_CANDLE_LATENESS_MS: '5000', STOCKSTREAMER_SENTIMENT_LATENESS_MS: String(3 * HOUR) };

/** schema id → the schema text the registry gives for it, or the HTTP status when it gives none */
async function schemaById(id: number): Promise<string> {
  const res = await fetch(`${REGISTRY_URL}/schemas/ids/${id}`, { signal: AbortSignal.timeout(5000) });
  return res.ok ? JSON.stringify(JSON.parse(((await res.json()) as { schema: string }).schema)) : `HTTP ${res.status}`;
}

/**
 * Sends the messages interleaved by timestamp, `perTick` every `tickMs`, as a
 * producer service would: a tick that fails (Kafka away while the whole stack
 * restarts) is sent again until acknowledged. A retried send may put a batch
 * on the topic twice; the processor must count it once.
 */
async function sendSteadily(world: World, batches: { topic: string; messages: OutgoingMessage[] }[], options: { perTick: number; tickMs: number; onTick: (sent: number) => void }): Promise<{ sent: number; retriedTicks: number }> {
  const all = batches.flatMap(({ topic, messages }) => messages.map((message, i) => ({ topic, message, i })))
    .sort((a, b) => (a.message.timestamp ?? 0) - (b.message.timestamp ?? 0) || a.i - b.i);
  const producer = world.bus.producer();
  let sent = 0;
  let retriedTicks = 0;
  try {
    for (let at = 0; at < all.length; at += options.perTick) {
      const byTopic = new Map<string, OutgoingMessage[]>();
      for (const { topic, message } of all.slice(at, at + options.perTick)) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
      for (const [topic, messages] of byTopic) {
        for (let attempt = 0; ; attempt++) {
          try {
            await producer.send(topic, messages);
            break;
          } catch (err) {
            if (attempt === 0) retriedTicks++;
            if (attempt > 60) throw new Error(`${topic}: ${messages.length} messages not acknowledged after ${attempt} tries: ${(err as Error).message}`);
            await sleep(1000);
          }
        }
        sent += messages.length;
      }
      options.onTick(sent);
      await sleep(options.tickMs);
    }
  } finally {
    await producer.close().catch(() => {});
  }
  return { sent, retriedTicks };
}

describe('pipeline on the real stack: schema registry and whole-stack restarts', () => {
  let release: () => void = () => {};
  let world: World;
  beforeAll(async () => {
    release = await acquirePipelineLock();
    world = await createWorld('registryrestart');
  }, 660_000);
  afterAll(async () => {
    // Whatever happened above, every server runs again when this file ends.
    await stackScript('up.sh', []).catch((err: unknown) => console.error(String(err)));
    await world?.close();
    release();
  }, 300_000);

  it('registry, Cassandra, then the whole stack restarted mid-run: same ids, nothing dead-lettered, every table equals the recomputation', async () => {
    const input = generate({ seed: 23, trades: 9_000, submissions: 800, comments: 1_200, t0: recentT0(), spanMs: 30 * MIN });
    const expected = await recompute(input);
    const batches = encode(world.serde, input);
    // The writer schema ids the records carry (magic byte, then the id as INT32 BE).
    const ids = [...new Set(batches.flatMap((b) => b.messages.map((m) => (m.value as Buffer).readInt32BE(1))))].sort((a, b) => a - b);
    const schemas = new Map(await Promise.all(ids.map(async (id) => [id, await schemaById(id)] as const)));
    expect([...schemas.values()].filter((s) => s.startsWith('HTTP')), 'every id the records carry is known before any restart').toEqual([]);
    /** every id still names the very same schema, and registering the schemas again (a producer restarting) gives the same ids */
    const sameSchemas = async (after: string) => {
      for (const id of ids) expect(await schemaById(id), `schema id ${id} after ${after}`).toBe(schemas.get(id));
      const again = createSerde({ registry: createConfluentRegistry({ url: REGISTRY_URL, logger: silentLogger() }), topics: TOPIC_RECORD });
      await again.init();
      const reencoded = encode(again, { trades: input.trades.slice(0, 1), posts: [input.posts.find((p) => p.kind === 'submission')!, input.posts.find((p) => p.kind === 'comment')!] });
      for (const b of reencoded) expect(b.messages.map((m) => (m.value as Buffer).readInt32BE(1)), `${b.topic} after ${after}`).toEqual(batches.find((x) => x.topic === b.topic)!.messages.slice(0, 1).map((m) => (m.value as Buffer).readInt32BE(1)));
    };
    /** a processor with nothing cached: it has to ask the registry for every writer id */
    const freshProcessor = async () => {
      for (const p of world.processors) p.kill9();
      await Promise.all(world.processors.map((p) => p.exited));
      return world.startProcessor(PROCESSOR);
    };

    await world.startProcessor(PROCESSOR);
    let sentSoFar = 0;
    const total = batches.reduce((n, b) => n + b.messages.length, 0);
    const producing = sendSteadily(world, batches, { perTick: 60, tickMs: 250, onTick: (n) => { sentSoFar = n; } });
    const reach = (fraction: number) => waitFor(`${Math.round(fraction * 100)} % of the input sent`, async () => (sentSoFar >= fraction * total ? true : undefined), { timeoutMs: 180_000 });
    const timings: string[] = [];
    const timed = async (what: string, step: () => Promise<unknown>) => {
      const t = Date.now();
      await step();
      timings.push(`${what} ${Date.now() - t} ms`);
    };

    // 1. The registry alone.
    await reach(0.2);
    await timed('restart registry', () => stackScript('restart.sh', ['registry']));
    await sameSchemas('the registry restarted');
    await timed('fresh processor', freshProcessor);

    // 2. Cassandra, where the registry keeps the schemas: the registry reconnects by itself.
    await reach(0.45);
    await timed('restart cassandra', () => stackScript('restart.sh', ['cassandra']));
    await timed('registry answers again', () => waitFor('the registry to answer from Cassandra again', async () => ((await schemaById(ids[0]!)) === schemas.get(ids[0]!) ? true : undefined), { timeoutMs: 60_000, intervalMs: 500 }));
    await sameSchemas('Cassandra restarted');

    // 3. The whole stack, as `make down && make up`, the processor running through it.
    await reach(0.7);
    await timed('down', () => stackScript('down.sh', []));
    await timed('up', () => stackScript('up.sh', []));
    await sameSchemas('the whole stack restarted');
    await timed('fresh processor', freshProcessor);

    const produced = await producing;
    expect(produced.sent).toBe(total);
    const result = await converge(world.cql, expected, { timeoutMs: 180_000 });
    const dlq = (await Promise.all([TOPICS.trades, TOPICS.submissions, TOPICS.comments, TOPICS.mentions].map((t) => world.endOffsets(dlqOf(t))))).flat().reduce((a, b) => a + b, 0);
    console.log(`registry restart: ${timings.join(', ')}; ${produced.retriedTicks} ticks re-sent; converged ${result.ms} ms after the producer finished: ${sizes(result.actual)}; ${dlq} dead letters`);
    expect(result.diff).toEqual([]);
    expect(result.actual.deadLetters.size, 'rows in dlq_events').toBe(0);
    expect(dlq, 'records on the dead-letter topics').toBe(0);
    const last = world.processors.at(-1)!;
    expect(last.running, last.tail()).toBe(true);
    expect(last.log()).not.toContain('DECODE_UNKNOWN_SCHEMA');
    await last.stop();
  }, 600_000);
});
