import { createRequire } from 'node:module';
import { connect } from 'node:net';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKafkaBus } from '../../services/lib/io/bus/kafka.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import { BROKERS, connectTestKafka, uniqueName, type TestKafka } from './helpers/kafka.ts';

/**
 * kafkajs 2.2.4 against Kafka 4: Kafka 4 removed every protocol version older
 * than 2.1 (KIP-896). kafkajs picks min(its highest version, the broker's
 * highest) and never looks at the broker's lowest, so an API whose kafkajs
 * maximum fell below the broker's new minimum would fail only at run time.
 * This asks the broker for its ranges itself (ApiVersions v0, raw bytes, no
 * kafkajs) and checks every API the adapter and these tests use.
 */

const require = createRequire(import.meta.url);
const { requests } = require('kafkajs/src/protocol/requests/index.js') as { requests: Record<string, { versions: string[] }> };
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys.js') as Record<string, number>;

/** the APIs kafka.ts, kafka-admin.ts, kafka-consumer.ts, kafka-producer.ts and the tests' admin send */
const USED = [
  'ApiVersions', 'Metadata', 'Produce', 'InitProducerId', 'Fetch', 'ListOffsets', 'GroupCoordinator',
  'JoinGroup', 'SyncGroup', 'Heartbeat', 'LeaveGroup', 'OffsetCommit', 'OffsetFetch', 'DescribeGroups',
  'CreateTopics', 'CreatePartitions', 'DescribeConfigs', 'AlterConfigs', 'DeleteTopics', 'DeleteGroups',
];

/** ApiVersions v0 request → {apiKey: [min, max]} */
async function brokerApiVersions(hostPort: string): Promise<Map<number, [number, number]>> {
  const [host, port] = hostPort.split(':') as [string, string];
  const clientId = Buffer.from('api-versions-probe');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(18, 0); // ApiVersions
  body.writeInt16BE(0, 2); // version 0: no tagged fields, understood by every broker
  body.writeInt32BE(1, 4); // correlation id
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const frame = Buffer.concat([Buffer.alloc(4), body]);
  frame.writeInt32BE(body.length, 0);

  const response = await new Promise<Buffer>((resolve, reject) => {
    const socket = connect(Number(port), host);
    const chunks: Buffer[] = [];
    socket.setTimeout(5000, () => socket.destroy(new Error('ApiVersions timed out')));
    socket.on('connect', () => socket.write(frame));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (all.length >= 4 && all.length >= 4 + all.readInt32BE(0)) {
        socket.end();
        resolve(all.subarray(4, 4 + all.readInt32BE(0)));
      }
    });
    socket.on('error', reject);
  });
  expect(response.readInt32BE(0)).toBe(1); // correlation id
  expect(response.readInt16BE(4)).toBe(0); // error code
  const count = response.readInt32BE(6);
  const out = new Map<number, [number, number]>();
  for (let i = 0, at = 10; i < count; i++, at += 6) out.set(response.readInt16BE(at), [response.readInt16BE(at + 2), response.readInt16BE(at + 4)]);
  return out;
}

let kafka: TestKafka;
beforeAll(async () => {
  kafka = await connectTestKafka();
});
afterAll(async () => {
  await kafka?.cleanup();
});

describe('kafkajs 2.2.4 on this Kafka broker', () => {
  it('negotiates a version the broker still accepts for every API we use', async () => {
    const broker = await brokerApiVersions(BROKERS[0]!);
    const table = USED.map((name) => {
      const ours = requests[name]!.versions.map(Number);
      const theirs = broker.get(apiKeys[name]!);
      const chosen = theirs ? Math.min(Math.max(...ours), theirs[1]) : undefined;
      return { name, kafkajs: `${Math.min(...ours)}-${Math.max(...ours)}`, broker: theirs ? `${theirs[0]}-${theirs[1]}` : 'absent', chosen, ok: theirs !== undefined && chosen! >= theirs[0] };
    });
    const bad = table.filter((row) => !row.ok);
    expect(bad, `APIs kafkajs cannot speak to this broker:\n${JSON.stringify(bad, null, 1)}`).toEqual([]);
  });

  it('the idempotent producer gets a producer id (InitProducerId) and writes sequenced batches; without it there is none', async () => {
    const topic = uniqueName('it-idempotent');
    kafka.track({ topics: [topic] });
    const producerIds = async (idempotent: boolean, from: number) => {
      const bus = createKafkaBus({ brokers: BROKERS, clientId: 'idempotence-test', logger: silentLogger(), producer: { idempotent } });
      await bus.ensureTopics([{ name: topic, partitions: 1 }]);
      const producer = bus.producer();
      await producer.send(topic, [{ key: 'a', value: Buffer.from('1') }, { key: 'a', value: Buffer.from('2') }]);
      await producer.send(topic, [{ key: 'a', value: Buffer.from('3') }]);
      await bus.close();

      // read the raw batches with a kafkajs consumer of the test's own: records carry their batch header
      const client = new kafkajs.Kafka({ brokers: BROKERS, clientId: 'idempotence-reader', logLevel: kafkajs.logLevel.NOTHING });
      const groupId = uniqueName('it-idempotent-reader');
      kafka.track({ groups: [groupId] });
      const reader = client.consumer({ groupId, maxWaitTimeInMs: 100 });
      await reader.connect();
      await reader.subscribe({ topics: [topic], fromBeginning: true });
      const seen: { offset: number; producerId: string; firstSequence: number }[] = [];
      await new Promise<void>((resolve) => {
        void reader.run({
          eachMessage: async ({ message }) => {
            const ctx = (message as unknown as { batchContext: { producerId: string; firstSequence: number } }).batchContext;
            if (Number(message.offset) >= from) seen.push({ offset: Number(message.offset), producerId: ctx.producerId, firstSequence: ctx.firstSequence });
            if (Number(message.offset) >= from + 2) resolve();
          },
        });
      });
      await reader.disconnect();
      return seen;
    };

    const idempotent = await producerIds(true, 0);
    expect(idempotent).toHaveLength(3);
    expect(Number(idempotent[0]!.producerId)).toBeGreaterThanOrEqual(0);
    expect(new Set(idempotent.map((r) => r.producerId)).size).toBe(1);
    // two requests: sequences 0 (two records) then 2
    expect([...new Set(idempotent.map((r) => r.firstSequence))]).toEqual([0, 2]);

    const plain = await producerIds(false, 3);
    expect(plain.map((r) => r.producerId)).toEqual(['-1', '-1', '-1']);
  });
});
