import type {
  Bus, BusConsumer, BusProducer, BusRecord, ConsumerHandlers, OutgoingMessage, TopicSpec,
} from './bus.ts';
import { partitionFor } from './bus.ts';

/**
 * The in-process bus of embedded mode: an append-only log per partition and
 * committed offsets per consumer group, with the same delivery contract as the
 * Kafka adapter (per-partition order, at-least-once from the committed offset).
 * It makes no claim about Kafka; tests of Kafka behaviour use the real broker.
 */
export interface MemoryBusOptions {
  /** records handed to one eachBatch call at most */
  maxBatch?: number;
  /** partitions of a topic that was not declared with ensureTopics */
  defaultPartitions?: number;
}

interface TopicLog {
  partitions: BusRecord[][];
}

export function createMemoryBus(options: MemoryBusOptions = {}): Bus & {
  /** every record of a topic, partition by partition: for tests and the replay tool */
  records(topic: string): BusRecord[];
  /** resolves once the group's consumer has been handed everything and waits for more */
  whenIdle(groupId: string): Promise<void>;
} {
  const maxBatch = options.maxBatch ?? 1000;
  const defaultPartitions = options.defaultPartitions ?? 1;
  const topics = new Map<string, TopicLog>();
  const committed = new Map<string, number>(); // `${group}\0${topic}\0${partition}` → next offset
  const waiters = new Set<() => void>();
  const idleWaiters = new Map<string, (() => void)[]>();
  const idleGroups = new Set<string>();
  let roundRobin = 0;

  const topicLog = (name: string): TopicLog => {
    let log = topics.get(name);
    if (!log) {
      log = { partitions: Array.from({ length: defaultPartitions }, () => []) };
      topics.set(name, log);
    }
    return log;
  };

  const wakeAll = () => {
    for (const w of [...waiters]) w();
  };

  const append = (topic: string, messages: OutgoingMessage[]) => {
    const log = topicLog(topic);
    const now = Date.now();
    for (const m of messages) {
      const partition = partitionFor(m.key, log.partitions.length, roundRobin++);
      const part = log.partitions[partition]!;
      part.push({
        topic, partition, offset: part.length, key: m.key, value: m.value,
        headers: { ...(m.headers ?? {}) }, timestamp: m.timestamp ?? now,
      });
    }
    idleGroups.clear();
    wakeAll();
  };

  const producer = (): BusProducer => ({
    async send(topic, messages) {
      append(topic, messages);
    },
    async close() {},
  });

  const consumer = (groupId: string): BusConsumer => {
    const key = (t: string, p: number) => `${groupId}\0${t}\0${p}`;
    return {
      async commit(topic, partition, offset) {
        committed.set(key(topic, partition), offset);
      },
      async committed(topic, partition) {
        return committed.get(key(topic, partition));
      },
      async run(handlers: ConsumerHandlers, signal: AbortSignal) {
        idleGroups.delete(groupId);
        // One consumer per group in one process owns every partition.
        const assigned = handlers.topics.flatMap((topic) =>
          topicLog(topic).partitions.map((_, partition) => ({ topic, partition })),
        );
        await handlers.onAssign?.(assigned);
        const position = new Map<string, number>();
        for (const tp of assigned) position.set(key(tp.topic, tp.partition), committed.get(key(tp.topic, tp.partition)) ?? 0);

        while (!signal.aborted) {
          let delivered = false;
          for (const tp of assigned) {
            if (signal.aborted) break;
            const log = topicLog(tp.topic).partitions[tp.partition]!;
            const k = key(tp.topic, tp.partition);
            const from = position.get(k)!;
            if (from >= log.length) continue;
            const records = log.slice(from, from + maxBatch);
            await handlers.eachBatch({ topic: tp.topic, partition: tp.partition, records, highWatermark: log.length, heartbeat: async () => {} });
            position.set(k, from + records.length);
            delivered = true;
          }
          if (!delivered) {
            idleGroups.add(groupId);
            for (const resolve of idleWaiters.get(groupId) ?? []) resolve();
            idleWaiters.delete(groupId);
            await waitForData(signal);
          }
        }
        await handlers.onRevoke?.(assigned);
      },
    };
  };

  const waitForData = (signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const done = () => {
        waiters.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      waiters.add(done);
      signal.addEventListener('abort', done, { once: true });
    });

  return {
    async ensureTopics(specs: TopicSpec[]) {
      for (const spec of specs) {
        const log = topics.get(spec.name);
        if (!log) topics.set(spec.name, { partitions: Array.from({ length: spec.partitions }, () => []) });
        else while (log.partitions.length < spec.partitions) log.partitions.push([]);
      }
    },
    producer,
    consumer,
    async close() {
      wakeAll();
    },
    records(topic) {
      return topicLog(topic).partitions.flat();
    },
    whenIdle(groupId) {
      if (idleGroups.has(groupId)) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.set(groupId, [...(idleWaiters.get(groupId) ?? []), resolve]));
    },
  };
}
