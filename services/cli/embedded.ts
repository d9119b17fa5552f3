import { join } from 'node:path';
import { createSentimentScorer } from '../lib/domain/sentiment/index.ts';
import { createTickerExtractor } from '../lib/domain/tickers/index.ts';
import type { Security } from '../lib/domain/types.ts';
import { createMemoryRegistry } from '../lib/io/avro/registry.ts';
import { createSerde } from '../lib/io/avro/serde.ts';
import { createMemoryBus } from '../lib/io/bus/memory.ts';
import { createSqliteBusLog } from '../lib/io/bus/bus-log-sqlite.ts';
import { TOPIC_RECORD, topicSpecs } from '../lib/io/bus/topics.ts';
import { createSqliteStore } from '../lib/io/store/sqlite.ts';
import type { Store } from '../lib/io/store/repository.ts';
import { loadUniverse } from '../lib/io/universe.ts';
import type { Config } from '../lib/runtime/config.ts';
import type { Credentials } from '../lib/runtime/credentials.ts';
import { sleep, systemClock, type Clock } from '../lib/runtime/clock.ts';
import type { Logger } from '../lib/runtime/logger.ts';
import { createMetrics, type Metrics } from '../lib/runtime/metrics.ts';
import { createPriceProducer } from '../price-producer/producer.ts';
import { createRedditProducer } from '../reddit-producer/producer.ts';
import { createProcessor, processorOptions } from '../processor/processor.ts';
import { selectSources, type SelectedSources } from './sources.ts';

export interface EmbeddedPipeline {
  store: Store;
  metrics: Metrics;
  securities: Security[];
  sources: SelectedSources;
  /**
   * Runs producers and processor until `signal` aborts, then stops the
   * sources, lets the processor drain what they produced (at most
   * `drainTimeoutMs`; what is left stays in the bus log for the next run),
   * and closes the bus but not the store: the caller owns the store.
   */
  run(signal: AbortSignal): Promise<void>;
  /** records produced but not yet consumed by the processor */
  backlog(): Promise<number>;
}

const counterTotal = async (c: Metrics['produced'] | Metrics['recordsIn']): Promise<number> =>
  (await c.get()).values.reduce((sum, v) => sum + v.value, 0);

/**
 * Everything in one process: the in-process bus and registry, SQLite, the
 * same producers and processor the services run against Kafka and Cassandra.
 */
export async function createEmbeddedPipeline(deps: {
  config: Config; credentials: Credentials; logger: Logger; clock?: Clock; store?: Store; drainTimeoutMs?: number;
}): Promise<EmbeddedPipeline> {
  const { config, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const metrics = createMetrics();
  const securities = await loadUniverse();
  const extractor = createTickerExtractor({ securities });
  const scorer = createSentimentScorer();
  const serde = createSerde({ registry: createMemoryRegistry(), topics: TOPIC_RECORD });
  await serde.init();
  // The bus's log and committed offsets live in the home beside the store: a
  // run killed at any instant restarts like a Kafka consumer, from its commits.
  const bus = createMemoryBus({ maxBatch: config.batchMax, log: createSqliteBusLog({ path: join(config.home, 'bus.sqlite') }) });
  await bus.ensureTopics(topicSpecs({ partitions: config.kafkaPartitions }));
  const store = deps.store ?? createSqliteStore({ path: join(config.home, 'stockstreamer.sqlite') });
  await store.seedCompanies(securities);
  const sources = selectSources({ config, credentials: deps.credentials, logger, clock, companyName: (s) => extractor.companyName(s) });

  const processor = createProcessor(
    { bus, store, serde, scorer, extractor, clock, logger: logger.child({ component: 'processor' }), metrics },
    processorOptions(config),
  );
  const backlog = async () => (await counterTotal(metrics.produced)) - (await counterTotal(metrics.recordsIn));

  return {
    store, metrics, securities, sources, backlog,
    async run(signal) {
      const stopSources = new AbortController();
      const stopProcessor = new AbortController();
      const onAbort = () => stopSources.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      const producers = Promise.all([
        createPriceProducer({ source: sources.trades, bus, serde, metrics, logger }).run(stopSources.signal),
        createRedditProducer({ source: sources.reddit, bus, serde, metrics, logger }).run(stopSources.signal),
      ]);
      const processing = processor.run(stopProcessor.signal);
      try {
        await producers;
      } catch (err) {
        // A source that cannot go on (bad credentials) stops the run, but what
        // was already produced is still processed below.
        stopSources.abort();
        logger.error({ err }, 'a source stopped the run');
        throw err;
      } finally {
        const deadline = clock.now() + (deps.drainTimeoutMs ?? 10_000);
        while ((await backlog()) > 0 && clock.now() < deadline) await sleep(20);
        stopProcessor.abort();
        await processing;
        await sources.close();
        await bus.close();
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}

