import type { Bus, BusConsumer, BusRecord, PartitionBatch } from '../lib/io/bus/bus.ts';
import { TOPICS } from '../lib/io/bus/topics.ts';
import type { Config } from '../lib/runtime/config.ts';
import type { SentimentScorer } from '../lib/domain/sentiment/index.ts';
import type { TickerExtractor } from '../lib/domain/tickers/index.ts';
import {
  validateComment, validateEventTime, validateMention, validateSubmission, validateTrade, type EventTimeLimits, type RecordName,
} from '../lib/domain/validate.ts';
import { batchContext, createVersionClock, decodeBatch, PartitionLost, type PipelineDeps, type TopicHandler } from './pipeline.ts';
import { createTradeHandler } from './trades.ts';
import { createPostHandler } from './posts.ts';
import { createMentionHandler } from './mentions.ts';

export interface ProcessorOptions {
  /** milliseconds a candle stays in memory behind the newest trade of its partition (later trades still count: the minute is read back) */
  candleRetainMs: number;
  /** milliseconds an hour of mentions stays in memory behind the newest mention of its partition */
  mentionRetainMs: number;
  /** event times outside these are dead-lettered as a skewed clock */
  eventTime: EventTimeLimits;
}

export interface Processor {
  /** consumes until `signal` aborts; in-flight batches finish and commit first */
  run(signal: AbortSignal): Promise<void>;
}

export const PROCESSOR_GROUP = 'stockstreamer-processor';

/** The processor's options as the configuration states them. */
export function processorOptions(config: Pick<Config, 'candleLatenessMs' | 'sentimentLatenessMs' | 'maxClockSkewMs' | 'minEventTime'>): ProcessorOptions {
  return {
    candleRetainMs: config.candleLatenessMs,
    mentionRetainMs: config.sentimentLatenessMs,
    eventTime: { maxAheadMs: config.maxClockSkewMs, floorMs: config.minEventTime },
  };
}

/** Record validation per topic: the record's rules, then its event time against the bus time. */
function validator(record: RecordName, validate: (v: unknown) => unknown, timeOf: (v: never) => number, field: string, limits: EventTimeLimits) {
  return (value: unknown, bus: BusRecord): unknown => {
    const v = validate(value);
    validateEventTime(record, field, timeOf(v as never), bus.timestamp, limits);
    return v;
  };
}

/**
 * The streaming job: decode → validate → (score, extract | aggregate) → write
 * → commit, per partition batch. Every batch is committed whole once its rows
 * are durable (no window has to close first), so a restart or a rebalance
 * re-reads at most the batches in flight. The same code runs on the
 * in-process bus with SQLite and on Kafka with Cassandra; only the factories
 * handed in differ.
 */
export function createProcessor(
  deps: Omit<PipelineDeps, 'producer' | 'group' | 'versions'> & { bus: Bus; scorer: SentimentScorer; extractor: TickerExtractor; group?: string },
  options: ProcessorOptions,
): Processor {
  const group = deps.group ?? PROCESSOR_GROUP;
  // One producer per run, so a run retried after a broker outage gets a live one;
  // the handlers reach it through this indirection.
  let producer = deps.bus.producer();
  const pipeline: PipelineDeps = {
    ...deps, group,
    producer: { send: (topic, messages) => producer.send(topic, messages), close: () => producer.close() },
    versions: createVersionClock(deps.clock),
  };
  const limits = options.eventTime;
  const posts = createPostHandler({ ...pipeline, scorer: deps.scorer, extractor: deps.extractor });
  const handlers: Record<string, { handler: TopicHandler; validate: (v: unknown, r: BusRecord) => unknown }> = {
    [TOPICS.trades]: {
      handler: createTradeHandler(pipeline, { retainMs: options.candleRetainMs }),
      validate: validator('Trade', validateTrade, (t: { timestamp: number }) => t.timestamp, 'timestamp', limits),
    },
    [TOPICS.submissions]: { handler: posts, validate: validator('RedditSubmission', validateSubmission, (p: { created: number }) => p.created, 'created', limits) },
    [TOPICS.comments]: { handler: posts, validate: validator('RedditComment', validateComment, (p: { created: number }) => p.created, 'created', limits) },
    [TOPICS.mentions]: {
      handler: createMentionHandler(pipeline, { retainMs: options.mentionRetainMs }),
      validate: validator('TickerMention', validateMention, (m: { created: number }) => m.created, 'created', limits),
    },
  };

  const onBatch = (consumer: BusConsumer, signal: AbortSignal) => async (batch: PartitionBatch) => {
    if (batch.records.length === 0) return;
    const entry = handlers[batch.topic];
    if (!entry) throw new Error(`no handler for topic ${batch.topic}`);
    const ctx = batchContext(pipeline, batch, signal);
    deps.metrics.recordsIn.inc({ topic: batch.topic }, batch.records.length);
    try {
      const good = await decodeBatch(batch, pipeline, entry.validate, ctx);
      await entry.handler.handle(batch, good, ctx);
    } catch (err) {
      if (!(err instanceof PartitionLost)) throw err;
      // Not committed: the new owner re-reads these records and writes their aggregates.
      deps.metrics.fencedBatches.inc({ topic: batch.topic });
      deps.logger.warn({ topic: batch.topic, partition: batch.partition }, `${err.message}; its aggregates are left to the new owner`);
      return;
    }
    const next = batch.records[batch.records.length - 1]!.offset + 1;
    await ctx.durable('commit offsets', () => consumer.commit(batch.topic, batch.partition, next));
    deps.metrics.consumerLag.set({ topic: batch.topic, partition: String(batch.partition) }, batch.highWatermark - next);
  };

  return {
    async run(signal) {
      producer = deps.bus.producer();
      const consumer = deps.bus.consumer(group);
      try {
        await consumer.run({
          topics: Object.keys(handlers),
          onAssign: async (tps) => { for (const tp of tps) handlers[tp.topic]?.handler.assign(tp); },
          onRevoke: async (tps) => { for (const tp of tps) handlers[tp.topic]?.handler.revoke(tp); },
          eachBatch: onBatch(consumer, signal),
        }, signal);
      } finally {
        await producer.close();
      }
    },
  };
}
