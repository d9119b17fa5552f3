import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizedSchema, parseAvroType } from '../../services/lib/io/avro/avro-type.ts';
import { createConfluentRegistry } from '../../services/lib/io/avro/confluent-registry.ts';
import { goldenVersions, readGolden } from '../../services/lib/io/avro/golden.ts';
import type { RecordTypeName } from '../../services/lib/io/avro/schemas.ts';
import { createSerde } from '../../services/lib/io/avro/serde.ts';
import { createKafkaBus, type KafkaBus } from '../../services/lib/io/bus/kafka.ts';
import { isStockstreamerError } from '../../services/lib/runtime/errors.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import { BROKERS, REGISTRY_URL, assertRegistryUp, connectTestKafka, consumeUntil, uniqueName, type TestKafka } from './helpers/kafka.ts';

/**
 * The Confluent-API registry adapter against the local stack's registry, and
 * the serde on top of it through real Kafka. Subjects have a random suffix;
 * the record names in the evolution test are unique too, since schema ids are
 * global across subjects.
 */

const logger = silentLogger();
const registry = () => createConfluentRegistry({ url: REGISTRY_URL, logger });

type Json = Record<string, unknown> & { fields: Record<string, unknown>[] };
const recordSchema = (name: string): Json => ({
  type: 'record',
  name,
  namespace: 'dev.stockstreamer.test',
  fields: [
    { name: 'symbol', type: 'string' },
    { name: 'price', type: 'double' },
  ],
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => {
    throw new Error('expected a rejection');
  }, (err: unknown) => err);
}

let kafka: TestKafka;
let bus: KafkaBus;
beforeAll(async () => {
  await assertRegistryUp();
  kafka = await connectTestKafka();
  bus = createKafkaBus({ brokers: BROKERS, clientId: 'kafka-registry-test', logger, consumer: { maxWaitMs: 200 } });
});
afterAll(async () => {
  await bus?.close();
  await kafka?.cleanup();
});

describe('Confluent schema registry adapter', () => {
  it('gives the same schema the same id: again, under another subject, and respelled', async () => {
    const r = registry();
    const name = `Same${uniqueName('x').slice(2)}`;
    const subject = `${uniqueName('it-same')}-value`;
    const id = await r.register(subject, recordSchema(name));
    expect(await r.register(subject, recordSchema(name))).toBe(id);
    expect(await r.register(`${uniqueName('it-same-other')}-value`, recordSchema(name))).toBe(id);
    const respelled = recordSchema(name);
    respelled.fields[0] = { type: { type: 'string' }, name: 'symbol' };
    expect(await r.register(subject, Object.fromEntries(Object.entries(respelled).reverse()))).toBe(id);
    // stored as registered, in avsc's normalised spelling (full name, no shorthand)
    const stored = await registry().getSchema(id);
    expect(normalizedSchema(parseAvroType(stored))).toBe(normalizedSchema(parseAvroType(recordSchema(name))));
  });

  it('sets BACKWARD on the subject and rejects an incompatible change as SCHEMA_INCOMPATIBLE', async () => {
    const r = registry();
    const name = `Evolving${uniqueName('x').slice(2)}`;
    const subject = `${uniqueName('it-evolve')}-value`;
    const v1 = await r.register(subject, recordSchema(name));

    const config = await (await fetch(`${REGISTRY_URL}/config/${subject}`)).json();
    expect(config).toEqual({ compatibilityLevel: 'BACKWARD' });

    // a new field without a default: a v2 reader cannot read v1 data
    const breaking = recordSchema(name);
    breaking.fields.push({ name: 'venue', type: 'string' });
    const err = await rejection(r.register(subject, breaking));
    expect(isStockstreamerError(err, 'SCHEMA_INCOMPATIBLE')).toBe(true);
    expect((err as Error & { retriable: boolean }).retriable).toBe(false);
    expect((err as Error).cause).toBeDefined();

    // the same change with a default is fine, and gets a new id
    const compatible = recordSchema(name);
    compatible.fields.push({ name: 'venue', type: 'string', default: '' });
    const v2 = await r.register(subject, compatible);
    expect(v2).not.toBe(v1);
    const versions = await (await fetch(`${REGISTRY_URL}/subjects/${subject}/versions`)).json();
    expect(versions).toEqual([1, 2]);
  });

  it('rejects a schema that is not Avro without asking the registry', async () => {
    const err = await rejection(registry().register(`${uniqueName('it-bad')}-value`, { type: 'record', name: 'Bad', fields: [{ name: 'x', type: 'nonsense' }] }));
    expect(isStockstreamerError(err, 'SCHEMA_INCOMPATIBLE')).toBe(true);
  });

  it('an id nobody registered is DECODE_UNKNOWN_SCHEMA (poison)', async () => {
    const err = await rejection(registry().getSchema(2_000_000_000));
    expect(isStockstreamerError(err, 'DECODE_UNKNOWN_SCHEMA')).toBe(true);
    expect((err as Error & { poison: boolean }).poison).toBe(true);
  });

  it('an unreachable registry is REGISTRY_UNAVAILABLE (retriable), with the cause', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise((r) => server.close(r));
    const dead = createConfluentRegistry({ url: `http://127.0.0.1:${port}`, logger, retries: 0, timeoutMs: 1000 });
    for (const attempt of [dead.register('x-value', recordSchema('X')), dead.getSchema(1)]) {
      const err = await rejection(attempt);
      expect(isStockstreamerError(err, 'REGISTRY_UNAVAILABLE')).toBe(true);
      expect((err as Error & { retriable: boolean }).retriable).toBe(true);
      expect((err as Error).cause).toBeDefined();
    }
  });
});

describe('serde on the Confluent registry through real Kafka', () => {
  it('round-trips every record type: encode → produce → consume → decode', async () => {
    const types: RecordTypeName[] = ['Trade', 'RedditSubmission', 'RedditComment', 'TickerMention'];
    const topics = Object.fromEntries(types.map((t) => [uniqueName(`it-serde-${t.toLowerCase()}`), t])) as Record<string, RecordTypeName>;
    kafka.track({ topics: Object.keys(topics) });
    await bus.ensureTopics(Object.keys(topics).map((name) => ({ name, partitions: 2 })));

    const writer = createSerde({ registry: registry(), topics });
    await writer.init();
    const sent = new Map<string, unknown>();
    const producer = bus.producer();
    for (const [topic, type] of Object.entries(topics)) {
      const value = readGolden(type, goldenVersions(type).at(-1)!).value;
      sent.set(topic, value);
      await producer.send(topic, [{ key: type, value: writer.encode(topic, value) }]);
    }
    await producer.close();

    // a reader with its own registry client: it learns the writer schemas by id
    const reader = createSerde({ registry: registry(), topics });
    const group = uniqueName('it-serde-group');
    kafka.track({ groups: [group] });
    const log = await consumeUntil(bus, group, Object.keys(topics), (l) => l.records.length >= types.length);
    for (const record of log.records) {
      expect(await reader.decode(record.topic, record.value)).toEqual(sent.get(record.topic));
    }
    expect(new Set(log.records.map((r) => r.topic))).toEqual(new Set(Object.keys(topics)));
  });
});
