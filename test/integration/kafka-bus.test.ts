import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage, TopicPartition } from '../../services/lib/io/bus/bus.ts';
import { createKafkaBus, type KafkaBus } from '../../services/lib/io/bus/kafka.ts';
import { isStockstreamerError } from '../../services/lib/runtime/errors.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import { BROKERS, byPartition, connectTestKafka, consumeUntil, uniqueName, type TestKafka } from './helpers/kafka.ts';

/**
 * The Kafka bus against the real Kafka 4 of the local stack (`make up`):
 * topics, keyed partitioning, explicit commits and resume, group rebalances,
 * graceful stop. Every topic and group has a random suffix and is deleted at
 * the end: other files and engineers share the broker.
 */

let kafka: TestKafka;
let bus: KafkaBus;

// Fast group membership for tests: the broker's minimum session is 6 s.
const consumer = { sessionTimeoutMs: 6000, rebalanceTimeoutMs: 10_000, heartbeatIntervalMs: 300, maxWaitMs: 200 };

beforeAll(async () => {
  kafka = await connectTestKafka();
  bus = createKafkaBus({ brokers: BROKERS, clientId: 'kafka-bus-test', logger: silentLogger(), consumer, producer: { lingerMs: 2 } });
});

afterAll(async () => {
  await bus?.close();
  await kafka?.cleanup();
});

const messages = (n: number, key: (i: number) => string | null, from = 0): OutgoingMessage[] =>
  Array.from({ length: n }, (_, i) => ({ key: key(i + from), value: Buffer.from(`v${i + from}`), headers: { seq: String(i + from) } }));

async function newTopic(prefix: string, partitions: number): Promise<string> {
  const name = uniqueName(prefix);
  kafka.track({ topics: [name] });
  await bus.ensureTopics([{ name, partitions, retentionMs: 3_600_000 }]);
  return name;
}

describe('ensureTopics', () => {
  it('ping answers when Kafka does', async () => {
    await bus.ping();
  });

  it('creates topics with their partitions, retention and delete policy, and is idempotent', async () => {
    const main = uniqueName('it-topics');
    const dlq = `${main}.dlq`;
    kafka.track({ topics: [main, dlq] });
    const specs = [
      { name: main, partitions: 6, retentionMs: 3_600_000 },
      { name: dlq, partitions: 1, retentionMs: 30 * 24 * 3_600_000 },
    ];
    await bus.ensureTopics(specs);
    await bus.ensureTopics(specs); // again: nothing to do, no error

    const { topics } = await kafka.admin.fetchTopicMetadata({ topics: [main, dlq] });
    expect(topics.find((t) => t.name === main)!.partitions).toHaveLength(6);
    expect(topics.find((t) => t.name === dlq)!.partitions).toHaveLength(1);
    const configs = await kafka.admin.describeConfigs({
      includeSynonyms: false,
      resources: [main, dlq].map((name) => ({ type: kafkajs.ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms', 'cleanup.policy'] })),
    });
    const settings = Object.fromEntries(configs.resources.map((r) => [r.resourceName, Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue]))]));
    expect(settings[main]).toEqual({ 'retention.ms': '3600000', 'cleanup.policy': 'delete' });
    expect(settings[dlq]).toEqual({ 'retention.ms': String(30 * 24 * 3_600_000), 'cleanup.policy': 'delete' });
  });

  it('brings the retention of an existing topic in line, and refuses to silently add partitions', async () => {
    const name = uniqueName('it-existing');
    kafka.track({ topics: [name] });
    await kafka.admin.createTopics({ topics: [{ topic: name, numPartitions: 2, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '60000' }] }] });

    const err = await bus.ensureTopics([{ name, partitions: 6, retentionMs: 7_200_000 }]).catch((e: unknown) => e);
    expect(isStockstreamerError(err, 'CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(new RegExp(`${name} has 2 partitions.*asks for 6`));

    await bus.ensureTopics([{ name, partitions: 2, retentionMs: 7_200_000 }]);
    const configs = await kafka.admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms'] }],
    });
    expect(configs.resources[0]!.configEntries[0]!.configValue).toBe('7200000');
    const { topics } = await kafka.admin.fetchTopicMetadata({ topics: [name] });
    expect(topics[0]!.partitions).toHaveLength(2);
  });
});

describe('producing and consuming through the bus port', () => {
  it('puts every key in one partition, in send order, and hands batches over with the high watermark', async () => {
    const topic = await newTopic('it-keys', 6);
    const producer = bus.producer();
    const keys = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GOOGL', 'META', 'AMD', 'GME', 'PLTR'];
    for (let round = 0; round < 4; round++) await producer.send(topic, messages(50, (i) => keys[i % keys.length]!, round * 50));
    await producer.close();

    const group = uniqueName('it-keys-group');
    kafka.track({ groups: [group] });
    const log = await consumeUntil(bus, group, [topic], (l) => l.records.length >= 200);
    expect(log.records).toHaveLength(200);

    const partitionsOfKey = new Map<string, Set<number>>();
    for (const r of log.records) partitionsOfKey.set(r.key!, (partitionsOfKey.get(r.key!) ?? new Set()).add(r.partition));
    expect([...partitionsOfKey.values()].every((s) => s.size === 1)).toBe(true);
    expect(new Set(log.records.map((r) => r.partition)).size).toBeGreaterThan(2);

    for (const [partition, records] of byPartition(log.records)) {
      expect(records.map((r) => r.offset)).toEqual(records.map((_, i) => i)); // gap-free, in order
      const seqs = records.map((r) => Number(r.headers.seq));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b)); // send order kept per key
      const hw = log.batches.filter((b) => b.partition === partition).map((b) => b.highWatermark);
      expect(Math.max(...hw)).toBe(records.length);
    }
    expect(log.records[0]!.value.toString()).toMatch(/^v\d+$/);
    expect(Math.abs(log.records[0]!.timestamp - Date.now())).toBeLessThan(60_000);
  });

  it('resumes after the committed offset when the group restarts, and replays what was not committed', async () => {
    const topic = await newTopic('it-resume', 3);
    const group = uniqueName('it-resume-group');
    kafka.track({ groups: [group] });
    const producer = bus.producer();
    await producer.send(topic, messages(60, (i) => `k${i}`));

    // First run: commits everything except partition 0, which stops at offset 2
    // (as the processor does for a window still open).
    const first = await consumeUntil(bus, group, [topic], (l) => l.records.length >= 60, {
      commit: (b) => (b.partition === 0 ? 2 : b.records.at(-1)!.offset + 1),
    });
    const firstBy = byPartition(first.records);
    const c = bus.consumer(group);
    expect(await c.committed(topic, 0)).toBe(2);
    expect(await c.committed(topic, 1)).toBe(firstBy.get(1)!.length);

    await producer.send(topic, messages(9, (i) => `k${i}`, 100));
    await producer.close();

    const expected = firstBy.get(0)!.length - 2 + 9;
    const second = await consumeUntil(bus, group, [topic], (l) => l.records.length >= expected, { timeoutMs: 15_000 });
    expect(second.records).toHaveLength(expected);
    const replayed0 = second.records.filter((r) => r.partition === 0 && Number(r.headers.seq) < 100);
    expect(replayed0.map((r) => r.offset)).toEqual(firstBy.get(0)!.slice(2).map((r) => r.offset));
    expect(second.records.filter((r) => Number(r.headers.seq) < 100 && r.partition !== 0)).toEqual([]);
    expect(await c.committed(topic, 2)).toBe(firstBy.get(2)!.length + second.records.filter((r) => r.partition === 2).length);
  });

  it('a group never committed reads from the beginning; committed() is undefined for it', async () => {
    const topic = await newTopic('it-fresh', 1);
    const producer = bus.producer();
    await producer.send(topic, messages(5, () => null));
    await producer.close();
    const group = uniqueName('it-fresh-group');
    kafka.track({ groups: [group] });
    expect(await bus.consumer(group).committed(topic, 0)).toBeUndefined();
    const log = await consumeUntil(bus, group, [topic], (l) => l.records.length >= 5, { commit: () => undefined });
    expect(log.records.map((r) => r.offset)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('consumer groups', () => {
  it('splits the partitions between two members, revokes on rebalance, and gives everything back when one leaves', async () => {
    const topic = await newTopic('it-group', 4);
    const group = uniqueName('it-group-group');
    kafka.track({ groups: [group] });
    const key = (tps: TopicPartition[]) => tps.map((tp) => tp.partition).sort();

    const stopA = new AbortController();
    const stopB = new AbortController();
    const events: string[] = [];
    let a = { assigned: [] as number[][], revoked: [] as number[][] };
    let b = { assigned: [] as number[][], revoked: [] as number[][] };
    const member = (log: typeof a, name: string, signal: AbortSignal) =>
      bus.consumer(group).run({
        topics: [topic],
        onAssign: async (tps) => {
          log.assigned.push(key(tps));
          events.push(`${name}+${key(tps).join(',')}`);
        },
        onRevoke: async (tps) => {
          log.revoked.push(key(tps));
          events.push(`${name}-${key(tps).join(',')}`);
        },
        eachBatch: async () => {},
      }, signal);

    const until = async (cond: () => boolean, what: string, ms = 15_000) => {
      const deadline = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${events.join(' ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    const runA = member(a, 'A', stopA.signal);
    await until(() => a.assigned.length === 1, 'A to get its first assignment');
    expect(a.assigned[0]).toEqual([0, 1, 2, 3]);

    const runB = member(b, 'B', stopB.signal);
    await until(() => b.assigned.length === 1 && a.assigned.length === 2, 'the rebalance after B joined');
    expect(a.revoked[0]).toEqual([0, 1, 2, 3]); // A gave everything back first
    const [ofA, ofB] = [a.assigned[1]!, b.assigned[0]!];
    expect(ofA.length + ofB.length).toBe(4);
    expect(ofA.filter((p) => ofB.includes(p))).toEqual([]); // disjoint
    expect([...ofA, ...ofB].sort()).toEqual([0, 1, 2, 3]);

    stopB.abort();
    await runB; // B left the group
    expect(b.revoked).toEqual([ofB]);
    await until(() => a.assigned.length === 3, 'A to take over after B left');
    expect(a.revoked[1]).toEqual(ofA);
    expect(a.assigned[2]).toEqual([0, 1, 2, 3]);

    stopA.abort();
    await runA;
    expect(a.revoked.at(-1)).toEqual([0, 1, 2, 3]);
    const described = await kafka.admin.describeGroups([group]);
    expect(described.groups[0]!.state).toBe('Empty'); // both members left cleanly
    a = b = { assigned: [], revoked: [] };
  }, 40_000);

  it('on stop, finishes the batch in flight and its commit, then leaves the group', async () => {
    const topic = await newTopic('it-stop', 1);
    const group = uniqueName('it-stop-group');
    kafka.track({ groups: [group] });
    const producer = bus.producer();
    await producer.send(topic, messages(20, () => 'k'));
    await producer.close();

    const stop = new AbortController();
    const consumerOfGroup = bus.consumer(group);
    let handed = 0;
    let finished = false;
    let heartbeats = 0;
    const run = consumerOfGroup.run({
      topics: [topic],
      eachBatch: async (batch) => {
        handed++;
        stop.abort(); // the stop arrives while this batch is being written
        await batch.heartbeat();
        heartbeats++;
        await new Promise((r) => setTimeout(r, 300));
        await consumerOfGroup.commit(batch.topic, batch.partition, batch.records.at(-1)!.offset + 1);
        finished = true;
      },
    }, stop.signal);
    await run;
    expect(handed).toBe(1);
    expect(finished).toBe(true);
    expect(heartbeats).toBe(1);
    expect(await consumerOfGroup.committed(topic, 0)).toBe(20);
    const described = await kafka.admin.describeGroups([group]);
    expect(described.groups[0]!.state).toBe('Empty');
  });

  it('a failing eachBatch stops the run with its error and commits nothing past it', async () => {
    const topic = await newTopic('it-fail', 1);
    const group = uniqueName('it-fail-group');
    kafka.track({ groups: [group] });
    const producer = bus.producer();
    await producer.send(topic, messages(3, () => 'k'));
    await producer.close();
    const boom = new TypeError('a bug in the handler');
    const c = bus.consumer(group);
    const err = await c.run({ topics: [topic], eachBatch: async () => { throw boom; } }, new AbortController().signal).catch((e: unknown) => e);
    expect(err).toBe(boom);
    expect(await c.committed(topic, 0)).toBeUndefined();
  });
});
