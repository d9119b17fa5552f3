import type {
  Bus, BusConsumer, BusProducer, BusRecord, ConsumerHandlers, OutgoingMessage, TopicPartition, TopicSpec,
} from './bus.ts';
import { partitionFor } from './bus.ts';
import { createMemoryBusLog, type BusLog } from './bus-log.ts';

/**
 * The in-process bus of embedded mode: an append-only log per partition and
 * committed offsets per consumer group (in memory, or durable in the home's
 * SQLite file: bus-log.ts), with the same delivery contract as the Kafka
 * adapter (per-partition order, at-least-once from the committed offset).
 * It makes no claim about Kafka; tests of Kafka behaviour use the real broker.
 *
 * Consumer groups behave like Kafka's as far as the processor can tell: every
 * run() joins the group, partitions are spread over the members, and a join,
 * a leave or an expiry starts a new generation. A member notices a new
 * generation between batches (revoke everything it held, assign its new
 * share, resume from the committed offsets); a batch in flight finishes
 * first, and a member that is no longer the owner has its commits refused and
 * learns it from stillOwned() — which is how the tests make "zombies".
 */
export interface MemoryBusOptions {
  /** records handed to one eachBatch call at most */
  maxBatch?: number;
  /** partitions of a topic that was not declared with ensureTopics */
  defaultPartitions?: number;
  /** stamps appended records; epoch milliseconds */
  now?: () => number;
  /** where records and committed offsets live; in memory by default */
  log?: BusLog;
}

interface Member {
  readonly id: number;
  readonly topics: string[];
  /** false once it left or was expired */
  alive: boolean;
  /** the share of the current generation */
  target: TopicPartition[];
  /** nothing to deliver and waiting for records */
  idle: boolean;
}

interface Group {
  members: Member[];
  generation: number;
}

export type MemoryBus = Bus & {
  /** every record of a topic, partition by partition: for tests and the replay tool */
  records(topic: string): BusRecord[];
  /** resolves once every member of the group has been handed everything and waits for more */
  whenIdle(groupId: string): Promise<void>;
  /**
   * Drops the consumer's current membership, as a broker does when a session
   * times out: the group rebalances without it, its batch in flight goes on
   * (a zombie), and it rejoins as a new member when that batch is done.
   */
  expire(consumer: BusConsumer): void;
};

export function createMemoryBus(options: MemoryBusOptions = {}): MemoryBus {
  const maxBatch = options.maxBatch ?? 1000;
  const defaultPartitions = options.defaultPartitions ?? 1;
  const now = options.now ?? Date.now;
  const log = options.log ?? createMemoryBusLog();
  const groups = new Map<string, Group>();
  const waiters = new Set<() => void>();
  const idleWaiters = new Map<string, (() => void)[]>();
  /** the membership each consumer object holds now */
  const membership = new WeakMap<BusConsumer, { group: string; member: Member }>();
  let roundRobin = 0;
  let nextMember = 1;

  /** partitions of a topic, creating it with the default count on first use */
  const partitionsOf = (topic: string): number => {
    if (log.partitions(topic) === 0) log.ensure(topic, defaultPartitions);
    return log.partitions(topic);
  };
  const groupOf = (id: string): Group => {
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { members: [], generation: 0 }));
    return g;
  };

  const wakeAll = () => {
    for (const w of [...waiters]) w();
  };

  const checkIdle = (groupId: string) => {
    const g = groupOf(groupId);
    if (g.members.length === 0 || !g.members.every((m) => m.idle)) return;
    for (const resolve of idleWaiters.get(groupId) ?? []) resolve();
    idleWaiters.delete(groupId);
  };

  /** A new generation: every partition of the members' topics, dealt round-robin in join order. */
  const rebalance = (g: Group) => {
    g.generation++;
    const live = g.members.filter((m) => m.alive);
    g.members = live;
    for (const m of live) m.target = [];
    const all = [...new Set(live.flatMap((m) => m.topics))].sort().flatMap((topic) =>
      Array.from({ length: partitionsOf(topic) }, (_, partition) => ({ topic, partition })));
    let i = 0;
    for (const tp of all) {
      const candidates = live.filter((m) => m.topics.includes(tp.topic));
      if (candidates.length === 0) continue;
      candidates[i++ % candidates.length]!.target.push(tp);
    }
    for (const m of live) m.idle = false;
    wakeAll();
  };

  const append = (topic: string, messages: OutgoingMessage[]) => {
    const count = partitionsOf(topic);
    const at = now();
    log.append(messages.map((m) => ({
      topic, partition: partitionFor(m.key, count, roundRobin++), key: m.key, value: m.value,
      headers: { ...(m.headers ?? {}) }, timestamp: m.timestamp ?? at,
    })));
    for (const g of groups.values()) for (const m of g.members) m.idle = false;
    wakeAll();
  };

  const producer = (): BusProducer => ({
    async send(topic, messages) {
      append(topic, messages);
    },
    async close() {},
  });

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

  const consumer = (groupId: string): BusConsumer => {
    const key = (t: string, p: number) => `${groupId}\0${t}\0${p}`;
    const group = groupOf(groupId);
    const owns = (member: Member, topic: string, partition: number, generation: number) =>
      member.alive && generation === group.generation && member.target.some((tp) => tp.topic === topic && tp.partition === partition);
    /** the generation this consumer last synced to: its assignment is current only if it equals the group's */
    let synced = -1;

    const self: BusConsumer = {
      async commit(topic, partition, offset) {
        const current = membership.get(self);
        // Kafka refuses a commit from a member of an old generation; so do we, silently, as the Kafka adapter does.
        if (current && !owns(current.member, topic, partition, synced)) return;
        log.commit(groupId, topic, partition, offset);
      },
      async committed(topic, partition) {
        return log.committed(groupId, topic, partition);
      },
      async run(handlers: ConsumerHandlers, signal: AbortSignal) {
        const join = (): Member => {
          const member: Member = { id: nextMember++, topics: [...handlers.topics], alive: true, target: [], idle: false };
          group.members.push(member);
          membership.set(self, { group: groupId, member });
          rebalance(group);
          return member;
        };
        let member = join();
        let held: TopicPartition[] = [];
        const position = new Map<string, number>();
        try {
          while (!signal.aborted) {
            if (!member.alive) member = join();
            if (synced !== group.generation) {
              // revoke everything held, assign the new share, resume from the commits (as the Kafka adapter does)
              if (held.length > 0) await handlers.onRevoke?.(held);
              const generation = group.generation;
              held = [...member.target];
              synced = generation;
              position.clear();
              for (const tp of held) position.set(key(tp.topic, tp.partition), log.committed(groupId, tp.topic, tp.partition) ?? 0);
              if (held.length > 0) await handlers.onAssign?.(held);
              continue;
            }
            let delivered = false;
            for (const tp of held) {
              if (signal.aborted || synced !== group.generation || !member.alive) break;
              const k = key(tp.topic, tp.partition);
              const from = position.get(k)!;
              const end = log.end(tp.topic, tp.partition);
              if (from >= end) continue;
              const records = log.read(tp.topic, tp.partition, from, maxBatch);
              if (records.length === 0) {
                // trimmed below the committed offset of another group: nothing to hand over there
                position.set(k, end);
                continue;
              }
              const generation = synced;
              const mine = member;
              await handlers.eachBatch({
                topic: tp.topic, partition: tp.partition, records, highWatermark: end,
                heartbeat: async () => {},
                stillOwned: async () => owns(mine, tp.topic, tp.partition, generation),
              });
              position.set(k, records[records.length - 1]!.offset + 1);
              delivered = true;
            }
            if (!delivered && synced === group.generation && member.alive && !signal.aborted) {
              member.idle = true;
              checkIdle(groupId);
              await waitForData(signal);
            }
          }
        } finally {
          if (held.length > 0) await handlers.onRevoke?.(held);
          member.alive = false;
          membership.delete(self);
          rebalance(group);
          checkIdle(groupId);
        }
      },
    };
    return self;
  };

  return {
    async ensureTopics(specs: TopicSpec[]) {
      for (const spec of specs) log.ensure(spec.name, spec.partitions);
    },
    producer,
    consumer,
    async close() {
      wakeAll();
      log.close();
    },
    records(topic) {
      return Array.from({ length: partitionsOf(topic) }, (_, p) => log.read(topic, p, 0, Number.MAX_SAFE_INTEGER)).flat();
    },
    whenIdle(groupId) {
      const g = groupOf(groupId);
      if (g.members.length > 0 && g.members.every((m) => m.idle)) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.set(groupId, [...(idleWaiters.get(groupId) ?? []), resolve]));
    },
    expire(c) {
      const current = membership.get(c);
      if (!current) return;
      // The membership stays recorded so that the consumer's commits are refused until it rejoins.
      current.member.alive = false;
      rebalance(groupOf(current.group));
    },
  };
}
