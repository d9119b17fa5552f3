/**
 * The services of the local-stack and cluster modes: each is one process with
 * the same configuration, real Kafka, the Confluent-API registry and Cassandra,
 * and /healthz, /readyz, /metrics on STOCKSTREAMER_METRICS_PORT (each its own
 * default, so all of them can run on one machine) at STOCKSTREAMER_LISTEN_ADDRESS.
 */
import { createSentimentScorer } from '../lib/domain/sentiment/index.ts';
import { createTickerExtractor } from '../lib/domain/tickers/index.ts';
import { createConfluentRegistry } from '../lib/io/avro/confluent-registry.ts';
import { createSerde, type Serde } from '../lib/io/avro/serde.ts';
import { createKafkaBus, type KafkaBus } from '../lib/io/bus/kafka.ts';
import { prefixedBus } from '../lib/io/bus/prefixed.ts';
import { TOPIC_RECORD, topicSpecs } from '../lib/io/bus/topics.ts';
import { createCassandraStore } from '../lib/io/store/cassandra.ts';
import { migrate } from '../lib/io/store/migrate.ts';
import type { Store } from '../lib/io/store/repository.ts';
import { loadUniverse } from '../lib/io/universe.ts';
import { systemClock } from '../lib/runtime/clock.ts';
import { METRICS_PORTS, type Config, type MetricsService } from '../lib/runtime/config.ts';
import type { Credentials } from '../lib/runtime/credentials.ts';
import type { ReadinessCheck } from '../lib/runtime/health.ts';
import type { Logger } from '../lib/runtime/logger.ts';
import { createMetrics, type Metrics } from '../lib/runtime/metrics.ts';
import { runService } from '../lib/runtime/service.ts';
import { withRetry } from '../lib/runtime/retry.ts';
import { createPriceProducer } from '../price-producer/producer.ts';
import { createRedditProducer } from '../reddit-producer/producer.ts';
import { createProcessor, processorOptions } from '../processor/processor.ts';
import { selectSources } from './sources.ts';

export interface ServiceStartup {
  config: Config;
  credentials: Credentials;
  logger: Logger;
  signal: AbortSignal;
}

interface Wiring {
  bus: KafkaBus;
  serde: Serde;
  checks: ReadinessCheck[];
}

/**
 * Consumer fetch sizes from the configuration. kafkajs decodes a whole fetch
 * response into message objects (Buffers, offset and timestamp strings,
 * headers) before the first batch is handled, so these bytes, not the batch
 * size, set how many records a consumer holds at once: the library's 10 MiB
 * (1 MiB per partition) is up to ~200,000 38-byte trades. 1 MiB is ~20,000
 * trades, about a second of processor work; measured (bench/pipeline.ts) it
 * lowers the drain's RSS peak by ~50 MB at no measurable cost in throughput.
 */
export function consumerFetch(config: Config): { maxBatchRecords: number; maxBytes: number; maxBytesPerPartition: number; sessionTimeoutMs: number; heartbeatIntervalMs: number } {
  return {
    maxBatchRecords: config.batchMax, maxBytes: config.kafkaFetchMaxBytes, maxBytesPerPartition: config.kafkaFetchPartitionMaxBytes,
    // a third of the session, as Kafka advises, and no more than the 3 s default
    sessionTimeoutMs: config.kafkaSessionTimeoutMs, heartbeatIntervalMs: Math.min(3000, Math.floor(config.kafkaSessionTimeoutMs / 3)),
  };
}

/**
 * Kafka, topics, registry and serde. Start-up waits (with backoff) for Kafka
 * and the registry instead of crashing: in a cluster they may come up later.
 */
async function wire(s: ServiceStartup, name: string, metrics: Metrics): Promise<Wiring> {
  const { config, logger, signal } = s;
  const bus = prefixedBus(createKafkaBus({
    brokers: [...config.kafkaBrokers], clientId: `stockstreamer-${name}`, logger, metrics, consumer: consumerFetch(config),
    topics: { replicationFactor: config.kafkaReplication, ...(config.kafkaMinInsyncReplicas === undefined ? {} : { minInsyncReplicas: config.kafkaMinInsyncReplicas }) },
  }), config.topicPrefix);
  const registry = createConfluentRegistry({ url: config.registryUrl, logger });
  const serde = createSerde({ registry, topics: TOPIC_RECORD });
  const specs = topicSpecs({ partitions: config.kafkaPartitions, retentionMs: config.kafkaRetentionMs });
  await withRetry('create topics', () => bus.ensureTopics(specs), { logger, metrics, signal, maxDelayMs: 10_000 });
  await withRetry('register schemas', () => serde.init(), { logger, metrics, signal, maxDelayMs: 10_000 });
  const checks: ReadinessCheck[] = [
    { name: 'kafka', check: kafkaReadiness(bus, specs.map((t) => `${config.topicPrefix}${t.name}`), logger) },
    { name: 'registry', check: () => fetch(new URL('/subjects', config.registryUrl), { signal: AbortSignal.timeout(1500) }).then((r) => r.ok, () => false) },
  ];
  return { bus, serde, checks };
}

/**
 * Kafka answers, and every partition of our topics can take an acks=all write:
 * it has a leader and at least min.insync.replicas in sync. A broker answering
 * metadata is not enough with replication: with two of three brokers gone the
 * survivor still answers, but partitions refuse writes. Why it is not ready is
 * logged once per change, not at every probe.
 */
function kafkaReadiness(bus: KafkaBus, topics: string[], logger: Logger): () => Promise<boolean> {
  let last = '';
  return async () => {
    let problems: string[];
    try {
      problems = await bus.underReplicated(topics);
    } catch (err) {
      problems = [`Kafka does not answer: ${(err as Error).message}`];
    }
    const now = problems.length === 0 ? '' : `${problems.length} partition(s) cannot take writes: ${problems.slice(0, 5).join('; ')}`;
    if (now !== last) {
      if (now === '') logger.info('readiness: every partition has its in-sync replicas again');
      else logger.warn({ problems: problems.slice(0, 20) }, `readiness: ${now}`);
      last = now;
    }
    return problems.length === 0;
  };
}

/** Where a service serves /healthz, /readyz and /metrics. */
function endpoint(config: Config, name: MetricsService): { port: number; host: string } {
  return { port: config.metricsPort ?? METRICS_PORTS[name], host: config.listenAddress };
}

function cassandraStore(config: Config, logger: Logger, metrics?: Metrics): Store {
  return createCassandraStore({
    contactPoints: [...config.cassandraContactPoints], localDataCenter: config.cassandraDc, keyspace: config.cassandraKeyspace,
    logger, ...(metrics ? { metrics } : {}), tradeTtlSeconds: config.tradeTtlSeconds,
    postTextTtlSeconds: config.postTextTtlSeconds, deadLetterPayloadTtlSeconds: config.deadLetterPayloadTtlSeconds,
    consistency: config.cassandraConsistency,
  });
}

/** `stockstreamer produce prices|reddit`: one source into Kafka. */
export async function produceService(s: ServiceStartup, what: 'prices' | 'reddit'): Promise<void> {
  const name = what === 'prices' ? 'price-producer' : 'reddit-producer';
  const metrics = createMetrics({ defaultMetrics: true });
  await runService({
    name, ...endpoint(s.config, name), logger: s.logger, metrics, signal: s.signal,
    start: async () => {
      const { bus, serde, checks } = await wire(s, name, metrics);
      const extractor = createTickerExtractor({ securities: await loadUniverse() });
      const sources = selectSources({ config: s.config, credentials: s.credentials, logger: s.logger, clock: systemClock, companyName: (x) => extractor.companyName(x) });
      s.logger.info(sources.describe.find((l) => l.startsWith(what === 'prices' ? 'trades' : 'reddit')) ?? '');
      const producer = what === 'prices'
        ? createPriceProducer({ source: sources.trades, bus, serde, metrics, logger: s.logger })
        : createRedditProducer({ source: sources.reddit, bus, serde, metrics, logger: s.logger });
      return { checks, work: (signal) => producer.run(signal), close: [() => sources.close(), () => bus.close()] };
    },
  });
}

/** `stockstreamer process`: Kafka → processor → Cassandra. */
export async function processService(s: ServiceStartup): Promise<void> {
  const metrics = createMetrics({ defaultMetrics: true });
  await runService({
    name: 'processor', ...endpoint(s.config, 'processor'), logger: s.logger, metrics, signal: s.signal,
    start: async () => {
      const { bus, serde, checks } = await wire(s, 'processor', metrics);
      const store = cassandraStore(s.config, s.logger, metrics);
      const securities = await loadUniverse();
      const processor = createProcessor(
        { bus, store, serde, scorer: createSentimentScorer(), extractor: createTickerExtractor({ securities }), clock: systemClock, logger: s.logger, metrics },
        processorOptions(s.config),
      );
      return {
        checks: [...checks, { name: 'cassandra', check: () => store.ping() }],
        // Kafka down at start-up, or a consumer that crashed on a broker outage,
        // ends run() with BUS_UNAVAILABLE: run again from the committed offsets.
        work: (signal) => withRetry('consume', () => processor.run(signal), { logger: s.logger, metrics, signal, maxDelayMs: 10_000 })
          .catch((err: unknown) => {
            // Stopped in the middle of an outage: what was not committed is read
            // again by the next owner (every write is idempotent); not a crash.
            if (!signal.aborted) throw err;
            s.logger.warn({ err }, 'processor: stopped while a write was failing; uncommitted records will be reprocessed');
          }),
        close: [() => bus.close(), () => store.close()],
      };
    },
  });
}

/** `stockstreamer migrate`: keyspace, versioned CQL, companies. */
export async function migrateCommand(s: Omit<ServiceStartup, 'signal'>): Promise<void> {
  const result = await migrate({
    contactPoints: [...s.config.cassandraContactPoints], localDataCenter: s.config.cassandraDc, keyspace: s.config.cassandraKeyspace,
    replicationFactor: s.config.cassandraReplication, consistency: s.config.cassandraConsistency, logger: s.logger,
  });
  s.logger.info({ result }, 'migrate: done');
}

export { cassandraStore };
