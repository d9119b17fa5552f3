import type { Bus, BusConsumer, PartitionBatch } from '../lib/io/bus/bus.ts';
import { TOPICS } from '../lib/io/bus/topics.ts';
import type { SentimentScorer } from '../lib/domain/sentiment/index.ts';
import type { TickerExtractor } from '../lib/domain/tickers/index.ts';
import { validateComment, validateMention, validateSubmission, validateTrade } from '../lib/domain/validate.ts';
import { batchContext, decodeBatch, type PipelineDeps, type TopicHandler } from './pipeline.ts';
import { createTradeHandler } from './trades.ts';
import { createPostHandler } from './posts.ts';
import { createMentionHandler } from './mentions.ts';

export interface ProcessorOptions {
  /** milliseconds a trade may arrive after its minute ended */
  candleLatenessMs: number;
  /** milliseconds a mention may arrive after its minute ended */
  sentimentLatenessMs: number;
}

export interface Processor {
  /** consumes until `signal` aborts; in-flight batches finish and commit first */
  run(signal: AbortSignal): Promise<void>;
}

export const PROCESSOR_GROUP = 'stockstreamer-processor';

/**
 * The streaming job: decode → validate → (score, extract | aggregate) → write
 * → checkpoint → commit, per partition batch. The same code runs on the
 * in-process bus with SQLite and on Kafka with Cassandra; only the factories
 * handed in differ.
 */
export function createProcessor(
  deps: Omit<PipelineDeps, 'producer' | 'group'> & { bus: Bus; scorer: SentimentScorer; extractor: TickerExtractor; group?: string },
  options: ProcessorOptions,
): Processor {
  const group = deps.group ?? PROCESSOR_GROUP;
  // One producer per run, so a run retried after a broker outage gets a live one;
  // the handlers reach it through this indirection.
  let producer = deps.bus.producer();
  const pipeline: PipelineDeps = {
    ...deps, group,
    producer: { send: (topic, messages) => producer.send(topic, messages), close: () => producer.close() },
  };
  const handlers: Record<string, { handler: TopicHandler; validate: (v: unknown) => unknown }> = {
    [TOPICS.trades]: { handler: createTradeHandler(pipeline, { latenessMs: options.candleLatenessMs }), validate: validateTrade },
    [TOPICS.submissions]: { handler: createPostHandler({ ...pipeline, scorer: deps.scorer, extractor: deps.extractor }), validate: validateSubmission },
    [TOPICS.comments]: { handler: createPostHandler({ ...pipeline, scorer: deps.scorer, extractor: deps.extractor }), validate: validateComment },
    [TOPICS.mentions]: { handler: createMentionHandler(pipeline, { latenessMs: options.sentimentLatenessMs }), validate: validateMention },
  };

  const onBatch = (consumer: BusConsumer, signal: AbortSignal) => async (batch: PartitionBatch) => {
    if (batch.records.length === 0) return;
    const entry = handlers[batch.topic];
    if (!entry) throw new Error(`no handler for topic ${batch.topic}`);
    const ctx = batchContext(pipeline, batch, signal);
    deps.metrics.recordsIn.inc({ topic: batch.topic }, batch.records.length);
    const good = await decodeBatch(batch, pipeline, entry.validate, ctx);
    // Even an all-poison batch goes through the handler: only it knows how far
    // a commit may go without passing the start of a window still open.
    const commitAt = await entry.handler.handle(batch, good, ctx);
    await ctx.durable('commit offsets', () => consumer.commit(batch.topic, batch.partition, commitAt));
    deps.metrics.consumerLag.set({ topic: batch.topic, partition: String(batch.partition) }, batch.highWatermark - (batch.records[batch.records.length - 1]!.offset + 1));
  };

  return {
    async run(signal) {
      producer = deps.bus.producer();
      const consumer = deps.bus.consumer(group);
      try {
        await consumer.run({
          topics: Object.keys(handlers),
          onAssign: async (tps) => { for (const tp of tps) await handlers[tp.topic]?.handler.assign(tp); },
          onRevoke: async (tps) => { for (const tp of tps) handlers[tp.topic]?.handler.revoke(tp); },
          eachBatch: onBatch(consumer, signal),
        }, signal);
      } finally {
        await producer.close();
      }
    },
  };
}
