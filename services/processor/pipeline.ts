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
}

/** One topic's processing: decode+apply a batch, then make its results durable. */
export interface TopicHandler {
  assign(tp: TopicPartition): Promise<void>;
  revoke(tp: TopicPartition): void;
  /**
   * Processes the records and writes everything they produced. Resolves with
   * the offset that is safe to commit: rows are durable up to it and no
   * open window in memory started before it (invariant 2).
   */
  handle(batch: PartitionBatch, good: DecodedRecord[], ctx: BatchContext): Promise<number>;
}

export interface DecodedRecord {
  record: BusRecord;
  value: unknown;
}

export interface BatchContext {
  signal: AbortSignal;
  /** a store or bus call, retried while its error is retriable */
  durable<T>(what: string, fn: () => Promise<T>): Promise<T>;
}

/**
 * Decodes a batch, routing poison records to the dead-letter topic and table.
 * The dead letters are made durable before the handler's rows, so a commit
 * can never pass a rejected record that was not set aside.
 */
export async function decodeBatch(
  batch: PartitionBatch, deps: PipelineDeps, validate: (value: unknown) => unknown, ctx: BatchContext,
): Promise<DecodedRecord[]> {
  const good: DecodedRecord[] = [];
  const dead: DeadLetter[] = [];
  for (const record of batch.records) {
    try {
      const decoded = deps.serde.decodeCached?.(record.topic, record.value) ?? (await deps.serde.decode(record.topic, record.value));
      good.push({ record, value: validate(decoded) });
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
  return {
    signal,
    durable: (what, fn) => withRetry(what, fn, { logger: deps.logger, metrics: deps.metrics, signal, heartbeat: batch.heartbeat }),
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
