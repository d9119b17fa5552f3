import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaBus, type KafkaBus } from '../../services/lib/io/bus/kafka.ts';
import { isRetriable } from '../../services/lib/runtime/errors.ts';
import { createMetrics } from '../../services/lib/runtime/metrics.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import { startPrivateKafka, type PrivateKafka } from './helpers/private-kafka.ts';

/**
 * A broker restart in the middle of producing and consuming loses nothing:
 * every send() resolves (the bounded producer waits and retries across the
 * outage), the consumer rejoins by itself and reads every record, and the
 * committed offsets end at the log end. Runs on a private broker (see
 * helpers/private-kafka.ts), never on the shared one.
 */

let broker: PrivateKafka;
let bus: KafkaBus;
const metrics = createMetrics();

beforeAll(async () => {
  broker = await startPrivateKafka();
  bus = createKafkaBus({
    brokers: broker.brokers,
    clientId: 'kafka-restart-test',
    logger: silentLogger(),
    metrics,
    producer: { maxInFlightMessages: 1000 },
    consumer: { sessionTimeoutMs: 6000, rebalanceTimeoutMs: 10_000, heartbeatIntervalMs: 300, maxWaitMs: 200 },
  });
}, 120_000);

afterAll(async () => {
  await bus?.close();
  await broker?.stop();
}, 60_000);

describe('Kafka broker restart', () => {
  it('mid-run: every send is acknowledged, every record consumed, offsets committed to the end', async () => {
    const topic = 'restart';
    const N = 20_000;
    await bus.ensureTopics([{ name: topic, partitions: 3 }]);

    const seen = new Set<number>();
    let deliveries = 0;
    let peakInFlight = 0;
    const stop = new AbortController();
    const consumer = bus.consumer('restart-group');
    const consuming = consumer.run({
      topics: [topic],
      eachBatch: async (batch) => {
        for (const r of batch.records) seen.add(Number(r.value.toString()));
        deliveries += batch.records.length;
        // what the processor's retry does for a commit during the outage
        for (;;) {
          try {
            await consumer.commit(batch.topic, batch.partition, batch.records.at(-1)!.offset + 1);
            return;
          } catch (err) {
            if (!isRetriable(err)) throw err;
            await batch.heartbeat().catch(() => {});
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      },
    }, stop.signal);

    const producer = bus.producer();
    const pending: Promise<void>[] = [];
    let restarting: Promise<void> | undefined;
    let haltedAt = 0;
    let lastAck = 0;
    for (let i = 0; i < N; i += 100) {
      const sent = producer.send(topic, Array.from({ length: 100 }, (_, j) => ({ key: `k${(i + j) % 41}`, value: Buffer.from(String(i + j)) })));
      pending.push(sent.then(() => {
        lastAck = Date.now();
      }));
      if (pending.length >= 20) await pending.shift();
      peakInFlight = Math.max(peakInFlight, producer.stats().inFlightMessages);
      if (i === 6000) {
        // The broker goes away with sends in flight; the producer keeps going
        // while it comes back: its sends wait at the bound, then get through.
        await broker.halt();
        haltedAt = Date.now();
        restarting = (async () => {
          await new Promise((r) => setTimeout(r, 1000));
          await broker.start();
        })();
      }
    }
    await Promise.all(pending);
    await restarting;
    await producer.close();
    expect(peakInFlight).toBeLessThanOrEqual(1000);
    // the outage really happened under load: sends were retried and acknowledged only after it
    expect(haltedAt).toBeGreaterThan(0);
    expect(lastAck).toBeGreaterThan(haltedAt + 1000);
    const retried = (await metrics.errors.get()).values.find((v) => v.labels.code === 'BUS_UNAVAILABLE')?.value ?? 0;
    expect(retried).toBeGreaterThan(0);

    const deadline = Date.now() + 60_000;
    while (seen.size < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    stop.abort();
    await consuming;
    expect(seen.size, `distinct records consumed (${deliveries} deliveries)`).toBe(N);
    expect(deliveries).toBeGreaterThanOrEqual(N); // replays after the restart are allowed, losses are not

    const ends = await Promise.all([0, 1, 2].map((p) => consumer.committed(topic, p)));
    const total = ends.reduce((sum: number, e) => sum + (e ?? 0), 0);
    expect(total).toBeGreaterThanOrEqual(N); // a retried request may have been written twice
  }, 120_000);
});
