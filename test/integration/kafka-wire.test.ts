import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConfluentRegistry } from '../../services/lib/io/avro/confluent-registry.ts';
import { loadSchema } from '../../services/lib/io/avro/schemas.ts';
import { createSerde } from '../../services/lib/io/avro/serde.ts';
import { createKafkaBus, type KafkaBus } from '../../services/lib/io/bus/kafka.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import { BROKERS, DEBIAN_PYTHON, REGISTRY_URL, assertRegistryUp, connectTestKafka, run, uniqueName, type TestKafka } from './helpers/kafka.ts';

/**
 * What we write is readable by clients that are not ours: Debian's Python
 * confluent-kafka + avro (librdkafka, the registry's REST API, the Apache Avro
 * library) and kcat. Needs scripts/ensure-test-tools.sh (`make test` runs it);
 * a missing tool fails the test, it does not skip it.
 */

const logger = silentLogger();
const READER = fileURLToPath(new URL('./helpers/read-confluent.py', import.meta.url));

let kafka: TestKafka;
let bus: KafkaBus;
beforeAll(async () => {
  await assertRegistryUp();
  await run('bash', [fileURLToPath(new URL('../../scripts/ensure-test-tools.sh', import.meta.url)), '--check']).catch((err: Error) => {
    throw new Error(`the independent clients are missing: run scripts/ensure-test-tools.sh\n${err.message}`);
  });
  kafka = await connectTestKafka();
  bus = createKafkaBus({ brokers: BROKERS, clientId: 'kafka-wire-test', logger });
});
afterAll(async () => {
  await bus?.close();
  await kafka?.cleanup();
});

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'GME', 'PLTR'];
const trades = SYMBOLS.flatMap((symbol, i) => [0, 1].map((seq) => ({
  symbol, price: 100 + i + seq / 4, volume: 10 * (seq + 1), timestamp: 1_767_225_600_000 + i * 1000 + seq, conditions: seq ? ['1', '12'] : [], seq,
})));

describe('the Confluent wire format, read by independent clients', () => {
  it('Python confluent-kafka + avro decode our records with the schema the registry has under the id in the header', async () => {
    const topic = uniqueName('it-wire-trades');
    kafka.track({ topics: [topic] });
    await bus.ensureTopics([{ name: topic, partitions: 3 }]);
    const serde = createSerde({ registry: createConfluentRegistry({ url: REGISTRY_URL, logger }), topics: { [topic]: 'Trade' } });
    await serde.init();
    const producer = bus.producer();
    await producer.send(topic, trades.map((t) => ({ key: t.symbol, value: serde.encode(topic, t) })));
    await producer.close();
    const ourId = await createConfluentRegistry({ url: REGISTRY_URL, logger }).register(`${topic}-value`, loadSchema('Trade'));

    const out = JSON.parse(await run(DEBIAN_PYTHON, [READER, BROKERS.join(','), topic, REGISTRY_URL, String(trades.length)])) as {
      latestId: number;
      records: { partition: number; key: string; magic: number; schemaId: number; bodyLeft: number; record: Record<string, unknown> }[];
    };
    expect(out.records).toHaveLength(trades.length);
    expect(out.latestId).toBe(ourId);
    for (const r of out.records) {
      expect(r.magic).toBe(0);
      expect(r.schemaId).toBe(ourId);
      expect(r.bodyLeft).toBe(0); // the Avro body is exactly the rest of the value
    }
    const decoded = out.records.map((r) => r.record).sort((a, b) => (a.timestamp as number) - (b.timestamp as number));
    expect(decoded).toEqual(trades);
  });

  it('kcat sees every key in one partition, the one a Java-compatible (murmur2) client picks for it', async () => {
    const ours = uniqueName('it-wire-keys');
    const theirs = uniqueName('it-wire-keys-kcat');
    kafka.track({ topics: [ours, theirs] });
    await bus.ensureTopics([{ name: ours, partitions: 6 }, { name: theirs, partitions: 6 }]);
    const producer = bus.producer();
    await producer.send(ours, SYMBOLS.map((symbol) => ({ key: symbol, value: Buffer.from(symbol) })));
    await producer.close();
    // the same keys produced by librdkafka with the Java client's partitioner
    await run('kcat', ['-b', BROKERS.join(','), '-P', '-t', theirs, '-K', ':', '-X', 'partitioner=murmur2_random'], {
      input: SYMBOLS.map((s) => `${s}:${s}\n`).join(''),
    });

    const partitionOf = async (topic: string) => {
      const lines = await run('kcat', ['-b', BROKERS.join(','), '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k\t%p\t%s\n']);
      return new Map(lines.trim().split('\n').map((line) => {
        const [key, partition, value] = line.split('\t');
        expect(value).toBe(key);
        return [key!, Number(partition)] as const;
      }));
    };
    const ourPartitions = await partitionOf(ours);
    expect([...ourPartitions.keys()].sort()).toEqual([...SYMBOLS].sort());
    expect(ourPartitions).toEqual(await partitionOf(theirs));
  });
});
