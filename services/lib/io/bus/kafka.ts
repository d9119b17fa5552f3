import { Gauge } from 'prom-client';
import { z } from 'zod';
import { StockstreamerError } from '../../runtime/errors.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { Metrics } from '../../runtime/metrics.ts';
import type { Bus, BusConsumer } from './bus.ts';
import { createTopicAdmin } from './kafka-admin.ts';
import { createKafkaClient } from './kafka-client.ts';
import { createKafkaConsumer } from './kafka-consumer.ts';
import { createBoundedProducer, createKafkaTransport } from './kafka-producer.ts';
import type { KafkaBusProducer } from './kafka-producer.ts';

/**
 * The bus port on Apache Kafka (kafkajs 2.2.4, verified against Kafka 4.x by
 * test/integration/kafka-*.test.ts). The parts live beside this file along
 * the data path: kafka-admin.ts (topics, committed offsets),
 * kafka-producer.ts (bounded queue, acks=all, idempotent), kafka-consumer.ts
 * (group member, explicit commits), kafka-client.ts (client, logs, errors).
 *
 * Options are checked once here, unknown keys rejected, defaults with their
 * unit; the result is frozen.
 */
const positive = () => z.number().int().positive();

const OptionsSchema = z.strictObject({
  brokers: z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port')).min(1),
  clientId: z.string().min(1),
  connectionTimeoutMs: positive().default(3000), // milliseconds
  requestTimeoutMs: positive().default(30_000), // milliseconds
  topics: z.strictObject({
    replicationFactor: positive().default(1), // replicas; 3 on a cluster
    minInsyncReplicas: positive().optional(), // broker default when unset
    onFewerPartitions: z.enum(['fail', 'increase']).default('fail'),
    createTimeoutMs: positive().default(10_000), // milliseconds
  }).prefault({}),
  producer: z.strictObject({
    maxInFlightMessages: positive().default(10_000), // messages
    maxInFlightBytes: positive().default(64 * 1024 * 1024), // bytes
    lingerMs: z.number().int().min(0).default(5), // milliseconds
    maxRequestMessages: positive().default(5000), // messages
    maxRequestBytes: positive().default(900 * 1024), // bytes
    deliveryTimeoutMs: positive().default(120_000), // milliseconds
    closeTimeoutMs: positive().default(30_000), // milliseconds
    ackTimeoutMs: positive().default(30_000), // milliseconds
    compression: z.enum(['none', 'gzip']).default('none'),
    idempotent: z.boolean().default(true),
  }).prefault({}),
  consumer: z.strictObject({
    sessionTimeoutMs: positive().default(30_000), // milliseconds
    rebalanceTimeoutMs: positive().default(60_000), // milliseconds
    heartbeatIntervalMs: positive().default(3000), // milliseconds
    maxBytesPerPartition: positive().default(1024 * 1024), // bytes
    maxBytes: positive().default(10 * 1024 * 1024), // bytes
    maxWaitMs: positive().default(500), // milliseconds
    maxBatchRecords: positive().default(2000), // records
  }).prefault({}),
});

export type KafkaBusOptions = z.input<typeof OptionsSchema> & {
  logger: Logger;
  /** per-service metrics; the producers' in-flight messages are exported as a gauge */
  metrics?: Metrics;
};

export type KafkaBusSettings = Readonly<z.output<typeof OptionsSchema>>;

export interface KafkaBus extends Bus {
  producer(): KafkaBusProducer;
  /** one metadata round trip; rejects with BUS_UNAVAILABLE when Kafka does not answer (for /readyz) */
  ping(): Promise<void>;
  /**
   * The partitions of these topics (full names) that cannot take an acks=all write
   * now: no leader, or fewer in-sync replicas than topics.minInsyncReplicas (1 when
   * unset); [] when all can. One metadata round trip (for /readyz).
   */
  underReplicated(topics: string[]): Promise<string[]>;
  readonly settings: KafkaBusSettings;
}

export function parseKafkaBusOptions(options: z.input<typeof OptionsSchema>): KafkaBusSettings {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.') || '(root)';
    throw new StockstreamerError('CONFIG_INVALID', `kafka bus option ${key}: ${issue.message}`, { details: { key } });
  }
  return deepFreeze(parsed.data);
}

export function createKafkaBus(options: KafkaBusOptions): KafkaBus {
  const { logger: rootLogger, metrics, ...rest } = options;
  const settings = parseKafkaBusOptions(rest);
  const logger = rootLogger.child({ bus: 'kafka' });
  const kafka = createKafkaClient({
    brokers: [...settings.brokers],
    clientId: settings.clientId,
    logger,
    connectionTimeoutMs: settings.connectionTimeoutMs,
    requestTimeoutMs: settings.requestTimeoutMs,
  });
  const admin = createTopicAdmin(kafka, { ...settings.topics, minInsyncReplicas: settings.topics.minInsyncReplicas }, logger);
  const producers = new Set<KafkaBusProducer>();

  if (metrics && !metrics.registry.getSingleMetric('stockstreamer_producer_in_flight_messages')) {
    new Gauge({
      name: 'stockstreamer_producer_in_flight_messages',
      help: 'messages handed to a Kafka producer and not yet acknowledged',
      registers: [metrics.registry],
      collect() {
        let n = 0;
        for (const p of producers) n += p.stats().inFlightMessages;
        this.set(n);
      },
    });
  }

  return {
    settings,
    ensureTopics: (specs) => admin.ensureTopics(specs),
    ping: () => admin.ensureTopics([]),
    underReplicated: (topics) => admin.underReplicated(topics, settings.topics.minInsyncReplicas ?? 1),

    producer() {
      const transport = createKafkaTransport(kafka, {
        idempotent: settings.producer.idempotent,
        compression: settings.producer.compression,
        ackTimeoutMs: settings.producer.ackTimeoutMs,
        partitionCount: (topic) => admin.partitionCount(topic),
      });
      const producer: KafkaBusProducer = createBoundedProducer(transport, settings.producer, {
        logger,
        ...(metrics ? { metrics } : {}),
        onClose: () => producers.delete(producer),
      });
      producers.add(producer);
      return producer;
    },

    consumer(groupId: string): BusConsumer {
      return createKafkaConsumer(kafka, groupId, settings.consumer, { logger, admin });
    },

    async close() {
      // producers flush what they hold; consumers stop with their own signal
      await Promise.all([...producers].map((p) => p.close()));
      await admin.close();
    },
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
