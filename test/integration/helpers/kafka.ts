import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import './node-warnings.ts';
import type { Bus, BusRecord, ConsumerHandlers, PartitionBatch, TopicPartition } from '../../../services/lib/io/bus/bus.ts';

/**
 * Shared by test/integration/kafka-*.test.ts: where the local stack is, names
 * that do not collide with other runs or engineers on the same servers, and a
 * kafkajs admin of the test's own (not the code under test) for set-up,
 * inspection and clean-up. No skipping: a stack that is down fails the test,
 * saying how to start it.
 */


export const BROKERS = (process.env.STOCKSTREAMER_KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`).split(',').map((s) => s.trim());
export const REGISTRY_URL = process.env.STOCKSTREAMER_REGISTRY_URL ?? `http://127.0.0.1:${process.env.REGISTRY_PORT ?? 8081}`;
/** Debian's python3, where python3-confluent-kafka and python3-avro live (scripts/ensure-test-tools.sh) */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** `<prefix>-<random>`: topic and group names unique to this run */
export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;

export interface TestKafka {
  admin: Admin;
  /** topics and groups deleted by cleanup() */
  track(names: { topics?: string[]; groups?: string[] }): void;
  cleanup(): Promise<void>;
}

/** Connects a kafkajs admin of the test's own; fails loudly when Kafka is not up. */
export async function connectTestKafka(): Promise<TestKafka> {
  const kafka = new kafkajs.Kafka({
    clientId: 'kafka-integration-test',
    brokers: BROKERS,
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 2000,
    retry: { retries: 2 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.describeCluster();
  } catch (err) {
    throw new Error(`Kafka is not reachable at ${BROKERS.join(',')} (start the local stack with \`make up\`): ${(err as Error).message}`, { cause: err });
  }
  const topics = new Set<string>();
  const groups = new Set<string>();
  return {
    admin,
    track(names) {
      for (const t of names.topics ?? []) topics.add(t);
      for (const g of names.groups ?? []) groups.add(g);
    },
    async cleanup() {
      if (groups.size > 0) await admin.deleteGroups([...groups]).catch(() => {});
      const existing = new Set(await admin.listTopics().catch(() => [] as string[]));
      const ours = [...topics].filter((t) => existing.has(t));
      if (ours.length > 0) await admin.deleteTopics({ topics: ours, timeout: 10_000 }).catch(() => {});
      await admin.disconnect();
    },
  };
}

export async function assertRegistryUp(url = REGISTRY_URL): Promise<void> {
  try {
    const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(3000) });
    if (res.status !== 200) throw new Error(`GET /subjects answered HTTP ${res.status}`);
  } catch (err) {
    throw new Error(`the schema registry is not reachable at ${url} (start the local stack with \`make up\`): ${(err as Error).message}`, { cause: err });
  }
}

export interface ConsumeLog {
  records: BusRecord[];
  batches: Omit<PartitionBatch, 'heartbeat' | 'stillOwned' | 'records'>[];
  assigned: TopicPartition[][];
  revoked: TopicPartition[][];
}

/**
 * Runs one consumer of `groupId` until `done(log)` holds (or `timeoutMs`),
 * committing after every batch unless `commit` says otherwise; resolves with
 * what it saw once the consumer has left the group.
 */
export async function consumeUntil(
  bus: Bus,
  groupId: string,
  topics: string[],
  done: (log: ConsumeLog) => boolean,
  options: {
    timeoutMs?: number;
    /** the offset to commit after a batch; undefined skips the commit */
    commit?: (batch: PartitionBatch) => number | undefined;
    onBatch?: (batch: PartitionBatch) => Promise<void>;
    signal?: AbortSignal;
  } = {},
): Promise<ConsumeLog> {
  const log: ConsumeLog = { records: [], batches: [], assigned: [], revoked: [] };
  const controller = new AbortController();
  const consumer = bus.consumer(groupId);
  const timeoutMs = options.timeoutMs ?? 15_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  options.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const check = () => {
    if (done(log)) controller.abort();
  };
  const handlers: ConsumerHandlers = {
    topics,
    onAssign: async (tps) => {
      log.assigned.push(tps);
      check();
    },
    onRevoke: async (tps) => {
      log.revoked.push(tps);
    },
    eachBatch: async (batch) => {
      log.records.push(...batch.records);
      log.batches.push({ topic: batch.topic, partition: batch.partition, highWatermark: batch.highWatermark });
      await options.onBatch?.(batch);
      const at = options.commit ? options.commit(batch) : batch.records.at(-1)!.offset + 1;
      if (at !== undefined) await consumer.commit(batch.topic, batch.partition, at);
      check();
    },
  };
  try {
    await consumer.run(handlers, controller.signal);
  } finally {
    clearTimeout(timer);
  }
  if (timedOut && !done(log)) {
    throw new Error(`consumer of ${groupId} timed out after ${timeoutMs} ms with ${log.records.length} records`);
  }
  return log;
}

/** Runs a program and returns its stdout; stderr in the error when it fails. */
export function run(file: string, args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: options.timeoutMs ?? 20_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr}`, { cause: err }));
      else resolve(stdout);
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}

export const byPartition = (records: BusRecord[]): Map<number, BusRecord[]> => {
  const out = new Map<number, BusRecord[]>();
  for (const r of records) {
    const list = out.get(r.partition) ?? [];
    list.push(r);
    out.set(r.partition, list);
  }
  return out;
};
