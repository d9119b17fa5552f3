import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from '../../runtime/logger.ts';
import type { BusConsumer, BusRecord, ConsumerHandlers, TopicPartition } from './bus.ts';
import type { TopicAdmin } from './kafka-admin.ts';
import { isRebalanceError, toBusError } from './kafka-client.ts';

/**
 * The consumer side of the Kafka bus: one kafkajs group member per run().
 *
 * - Batches are one partition's records in offset order (kafkajs eachBatch,
 *   one partition at a time), split into at most maxBatchRecords per call.
 * - Nothing is committed automatically (autoCommit off, autoResolve off): the
 *   processor commits with commit() once rows are durable. After a batch the
 *   fetch position moves past it (resolveOffset), but the committed offset is
 *   only ever what the processor said, so a restart replays from there.
 * - Assignment: kafkajs 2.2.4 has no rebalance listener, but every join or
 *   rejoin emits GROUP_JOIN with this member's new assignment, and after each
 *   one kafkajs restarts every partition from its committed offset (a fresh
 *   OffsetManager). So a join is "revoke everything held, assign the new set":
 *   the processor drops its in-memory state and reloads it, which is exactly
 *   consistent with kafkajs replaying from the commit. onAssign, onRevoke and
 *   eachBatch run one after another in one lane, so a revoke never overlaps a
 *   batch and a batch never runs before its partition's onAssign finished.
 * - A commit refused because the group moved on (rebalance, generation bump,
 *   member expired) is dropped with a warning: the rows are durable, and the
 *   partition's next owner replays from the last commit into idempotent upserts.
 * - Stop (signal): the batch in flight finishes (and commits), then the member
 *   leaves the group, then onRevoke. kafkajs' own stop would refuse commits
 *   made after it began, so it is only called once the lane is idle.
 */
export interface ConsumerSettings {
  /** milliseconds without a heartbeat before the broker drops the member */
  sessionTimeoutMs: number;
  /** milliseconds the group waits for members to rejoin during a rebalance */
  rebalanceTimeoutMs: number;
  /** milliseconds between heartbeats (sent between batches and on batch.heartbeat()) */
  heartbeatIntervalMs: number;
  /** bytes fetched per partition per request at most */
  maxBytesPerPartition: number;
  /** bytes per fetch response at most */
  maxBytes: number;
  /** milliseconds the broker may hold a fetch open waiting for data */
  maxWaitMs: number;
  /** records handed to one eachBatch call at most */
  maxBatchRecords: number;
}

export function createKafkaConsumer(
  kafka: Kafka,
  groupId: string,
  settings: ConsumerSettings,
  deps: { logger: Logger; admin: TopicAdmin },
): BusConsumer {
  if (typeof groupId !== 'string' || groupId === '') throw new TypeError('groupId must be a non-empty string');
  const logger = deps.logger.child({ group: groupId });
  /** the kafkajs consumer of the run in progress, while it is a group member */
  let live: Consumer | undefined;
  let running = false;

  return {
    async run(handlers: ConsumerHandlers, signal: AbortSignal) {
      if (running) throw new Error(`consumer of group ${groupId} is already running`);
      if (handlers.topics.length === 0) throw new TypeError('handlers.topics must name at least one topic');
      if (signal.aborted) return;
      running = true;

      let assigned: TopicPartition[] = [];
      let lane: Promise<void> = Promise.resolve();
      let failure: unknown;
      let stopping = false;
      /** a heartbeat saw the group rebalancing: skip work until the rejoin (it restarts from the commits) */
      let rebalancing = false;
      /** when a heartbeat last went through (or the run started) */
      let lastHeartbeat = Date.now();
      let requestStop!: () => void;
      const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
      const fail = (err: unknown) => {
        failure ??= err;
        requestStop();
      };
      /** runs fn after everything queued before it; a failure stops the run */
      const inLane = (fn: () => Promise<void>): Promise<void> => {
        const next = lane.then(() => (failure === undefined ? fn() : undefined));
        lane = next.catch(fail);
        return lane;
      };
      const owns = (topic: string, partition: number) => assigned.some((tp) => tp.topic === topic && tp.partition === partition);
      const reassign = (next: TopicPartition[]) =>
        inLane(async () => {
          const previous = assigned;
          assigned = [];
          if (previous.length > 0) await handlers.onRevoke?.(previous);
          assigned = next;
          if (next.length > 0) await handlers.onAssign?.(next);
          logger.info({ partitions: next.map((tp) => `${tp.topic}/${tp.partition}`) }, `assigned ${next.length} partitions (revoked ${previous.length})`);
        });

      const consumer = kafka.consumer({
        groupId,
        sessionTimeout: settings.sessionTimeoutMs,
        rebalanceTimeout: settings.rebalanceTimeoutMs,
        heartbeatInterval: settings.heartbeatIntervalMs,
        maxBytesPerPartition: settings.maxBytesPerPartition,
        maxBytes: settings.maxBytes,
        maxWaitTimeInMs: settings.maxWaitMs,
        allowAutoTopicCreation: false,
        retry: {
          retries: 5,
          initialRetryTime: 300,
          maxRetryTime: 5000,
          // kafkajs restarts the member after a retriable crash (broker restart…), not after we stopped
          restartOnFailure: async () => !stopping,
        },
      });

      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        const assignment = (event.payload as { memberAssignment: Record<string, number[]> }).memberAssignment;
        const next = Object.entries(assignment).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })));
        rebalancing = false;
        lastHeartbeat = Date.now();
        void reassign(next);
      });
      consumer.on(consumer.events.CRASH, (event) => {
        const { error, restart } = event.payload as { error: Error; restart: boolean };
        // the member left the group: whatever it held is gone until it rejoins
        void reassign([]);
        if (!restart && !stopping) fail(toBusError(error, `consumer of group ${groupId} crashed`, { groupId }));
        else if (!stopping) logger.warn({ err: error.message }, 'consumer crashed; kafkajs restarts it and it rejoins the group');
      });

      const eachBatch = async (payload: EachBatchPayload) => {
        const { batch } = payload;
        await inLane(async () => {
          if (stopping || rebalancing || !payload.isRunning() || payload.isStale() || !owns(batch.topic, batch.partition)) return;
          const highWatermark = Number(batch.highWatermark);
          const records = batch.messages.map((m) => toRecord(batch.topic, batch.partition, m));
          const heartbeat = async () => {
            try {
              await payload.heartbeat();
              lastHeartbeat = Date.now();
            } catch (err) {
              // The group is rebalancing (or its coordinator moved): finishing the
              // batch quickly is all that helps; its commit is then refused and
              // dropped (see above). Heartbeats failing for longer than the session
              // mean the coordinator has dropped this member whatever the cause (its
              // broker may never come back): the same, rather than asking it forever.
              if (isRebalanceError(err) || Date.now() - lastHeartbeat > settings.sessionTimeoutMs) {
                rebalancing = true;
                return;
              }
              throw toBusError(err, 'heartbeat', { groupId });
            }
          };
          const stillOwned = async (): Promise<boolean> => {
            if (rebalancing || !payload.isRunning() || payload.isStale() || !owns(batch.topic, batch.partition)) return false;
            // A heartbeat the coordinator accepts is the proof of membership kafkajs
            // offers; after a stall longer than the session it is refused.
            await heartbeat();
            return !rebalancing;
          };
          for (let i = 0; i < records.length; i += settings.maxBatchRecords) {
            // a stop lets the records already handed over finish, not the rest of the fetch
            if (i > 0 && (stopping || rebalancing || failure !== undefined)) return;
            const chunk = records.slice(i, i + settings.maxBatchRecords);
            await handlers.eachBatch({ topic: batch.topic, partition: batch.partition, records: chunk, highWatermark, heartbeat, stillOwned });
            payload.resolveOffset(batch.messages[i + chunk.length - 1]!.offset);
          }
        });
      };

      signal.addEventListener('abort', requestStop, { once: true });
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: handlers.topics, fromBeginning: true });
        live = consumer;
        await consumer.run({ eachBatch, eachBatchAutoResolve: false, autoCommit: false, partitionsConsumedConcurrently: 1 });
        await stopRequested;
      } catch (err) {
        fail(toBusError(err, `consumer of group ${groupId}`, { groupId, topics: handlers.topics }));
      } finally {
        stopping = true;
        signal.removeEventListener('abort', requestStop);
        await lane;
        live = undefined;
        await consumer.disconnect().catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'leaving the group failed'));
        const held = assigned;
        assigned = [];
        if (held.length > 0) await Promise.resolve(handlers.onRevoke?.(held)).catch(fail);
        running = false;
      }
      if (failure !== undefined) throw failure;
    },

    async commit(topic, partition, offset) {
      if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer, got ${offset}`);
      const consumer = live;
      if (!consumer) {
        await deps.admin.setCommitted(groupId, topic, partition, offset);
        return;
      }
      try {
        // kafkajs resolves without committing when its runner already stopped
        // (a crash being restarted): the same outcome as a refused commit.
        await consumer.commitOffsets([{ topic, partition, offset: String(offset) }]);
      } catch (err) {
        if (isRebalanceError(err) || (err as Error).message?.includes('Consumer group was not initialized')) {
          logger.warn({ topic, partition, offset }, 'commit refused: the group is rebalancing; the partition\'s next owner replays from the last commit');
          return;
        }
        throw toBusError(err, 'commit', { groupId, topic, partition, offset });
      }
    },

    committed(topic, partition) {
      return deps.admin.fetchCommitted(groupId, topic, partition);
    },
  };
}

function toRecord(topic: string, partition: number, m: KafkaMessage): BusRecord {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    if (v === undefined) continue;
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) headers[k] = first.toString();
  }
  return {
    topic,
    partition,
    offset: Number(m.offset),
    key: m.key === null ? null : m.key.toString('utf8'),
    value: m.value ?? Buffer.alloc(0),
    headers,
    timestamp: Number(m.timestamp),
  };
}
