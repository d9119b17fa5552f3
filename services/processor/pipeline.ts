import type { BusProducer, BusRecord, PartitionBatch, TopicPartition } from '../lib/io/bus/bus.ts';
import { dlqOf } from '../lib/io/bus/topics.ts';
import type { Serde } from '../lib/io/avro/serde.ts';
import type { Store } from '../lib/io/store/repository.ts';
import type { Clock } from '../lib/runtime/clock.ts';
import type { Logger } from '../lib/runtime/logger.ts';
import type { Metrics } from '../lib/runtime/metrics.ts';
import { asPoison, toDeadLetter, type DeadLetter } from './dead-letters.ts';
import { withRetry } from '../lib/runtime/retry.ts';

/** What every topic handler is given. */
export interface PipelineDeps {
  serde: Serde;
  store: Store;
  producer: BusProducer;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  group: string;
  versions: VersionClock;
}

/** One topic's processing: decode+apply a batch, then make its results durable. */
export interface TopicHandler {
  /** a partition newly owned: forget anything held for it (its state is rebuilt from the store) */
  assign(tp: TopicPartition): void;
  revoke(tp: TopicPartition): void;
  /**
   * Processes the records and writes everything they produced. Resolves once
   * every row is durable: the batch may then be committed whole.
   */
  handle(batch: PartitionBatch, good: DecodedRecord[], ctx: BatchContext): Promise<void>;
}

export interface DecodedRecord {
  record: BusRecord;
  value: unknown;
}

export interface BatchContext {
  signal: AbortSignal;
  /** a store or bus call, retried while its error is retriable */
  durable<T>(what: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Confirms the batch's partition is still owned and hands out the version
   * its aggregate rows are written with: call once the raw rows are durable,
   * right before writing aggregates. Throws PartitionLost when the partition
   * went to another consumer: nothing more may be written for it.
   */
  claim(): Promise<number>;
}

/**
 * The partition was reassigned while the batch was in flight. Not a failure:
 * the new owner re-reads the uncommitted records and writes their aggregates
 * with later versions; this batch stops before writing any aggregate.
 */
export class PartitionLost extends Error {
  constructor(tp: TopicPartition) {
    super(`${tp.topic}/${tp.partition} was reassigned during the batch`);
    this.name = 'PartitionLost';
  }
}

/**
 * Versions of aggregate writes: the clock in microseconds, strictly
 * increasing within the process and never below the store's version horizon
 * (observed when a partition's state is built), so a restart on a clock that
 * went backwards still writes above everything written before. Taken after
 * the raw rows are durable and ownership confirmed, so a later owner (or a
 * later reprocess) always writes with a higher one than a zombie, as long as
 * the hosts' clocks agree to within a session timeout.
 */
export interface VersionClock {
  next(): number;
  /** a version seen in the store: later ones go above it */
  observe(version: number): void;
}

export function createVersionClock(clock: Clock): VersionClock {
  let last = 0;
  return {
    next() {
      last = Math.max(Math.floor(clock.now() * 1000), last + 1);
      return last;
    },
    observe(version) {
      if (Number.isSafeInteger(version) && version > last) last = version;
    },
  };
}

/**
 * Decodes a batch, routing poison records to the dead-letter topic and table.
 * The dead letters are made durable before the handler's rows, so a commit
 * can never pass a rejected record that was not set aside.
 */
export async function decodeBatch(
  batch: PartitionBatch, deps: PipelineDeps, validate: (value: unknown, record: BusRecord) => unknown, ctx: BatchContext,
): Promise<DecodedRecord[]> {
  const good: DecodedRecord[] = [];
  const dead: DeadLetter[] = [];
  for (const record of batch.records) {
    try {
      const decoded = deps.serde.decodeCached?.(record.topic, record.value) ?? (await deps.serde.decode(record.topic, record.value));
      good.push({ record, value: validate(decoded, record) });
    } catch (err) {
      const poison = asPoison(err);
      if (!poison) throw err;
      dead.push(toDeadLetter(record, poison, deps.clock.now()));
      deps.metrics.errors.inc({ code: poison.code });
      deps.logger.warn({ code: poison.code, topic: record.topic, partition: record.partition, offset: record.offset }, `dead-lettered: ${poison.message}`);
    }
  }
  if (dead.length > 0) {
    await ctx.durable('dead-letter publish', () => deps.producer.send(dlqOf(batch.topic), dead.map((d) => d.message)));
    await ctx.durable('dead-letter rows', () => deps.store.writeDeadLetters(dead.map((d) => d.row)));
  }
  return good;
}

export function batchContext(deps: PipelineDeps, batch: PartitionBatch, signal: AbortSignal): BatchContext {
  const durable = <T>(what: string, fn: () => Promise<T>) =>
    withRetry(what, fn, { logger: deps.logger, metrics: deps.metrics, signal, heartbeat: batch.heartbeat });
  return {
    signal,
    durable,
    async claim() {
      if (!(await durable('confirm partition ownership', () => batch.stillOwned()))) throw new PartitionLost(batch);
      return deps.versions.next();
    },
  };
}

/** Times a store write and counts its rows. */
export async function timedWrite(deps: PipelineDeps, table: string, rows: number, fn: () => Promise<void>): Promise<void> {
  if (rows === 0) return;
  const end = deps.metrics.batchWriteSeconds.startTimer({ table });
  await fn();
  end();
  deps.metrics.recordsOut.inc({ table }, rows);
}
