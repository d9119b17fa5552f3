import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics every service exposes on /metrics. One registry per
 * service instance (not the global one), so tests and the embedded mode can
 * run several pipelines in one process without name clashes.
 */
export interface Metrics {
  registry: Registry;
  recordsIn: Counter<'topic'>;
  recordsOut: Counter<'table'>;
  produced: Counter<'topic'>;
  errors: Counter<'code'>;
  bucketLoads: Counter<'table'>;
  fencedBatches: Counter<'topic'>;
  consumerLag: Gauge<'topic' | 'partition'>;
  batchWriteSeconds: Histogram<'table'>;
  sourceReceived: Counter<'source'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'stockstreamer_' });
  const registers = [registry];
  return {
    registry,
    recordsIn: new Counter({ name: 'stockstreamer_records_in_total', help: 'records consumed, by topic', labelNames: ['topic'], registers }),
    recordsOut: new Counter({ name: 'stockstreamer_rows_written_total', help: 'rows upserted, by table', labelNames: ['table'], registers }),
    produced: new Counter({ name: 'stockstreamer_records_produced_total', help: 'records produced, by topic', labelNames: ['topic'], registers }),
    errors: new Counter({ name: 'stockstreamer_errors_total', help: 'errors, by code of the closed set', labelNames: ['code'], registers }),
    bucketLoads: new Counter({
      name: 'stockstreamer_bucket_loads_total', labelNames: ['table'], registers,
      help: 'aggregate buckets rebuilt from the raw rows (late records, restarts, rebalances), by aggregate table',
    }),
    fencedBatches: new Counter({
      name: 'stockstreamer_fenced_batches_total', labelNames: ['topic'], registers,
      help: 'batches whose aggregates were not written because the partition was lost mid-batch (its new owner writes them)',
    }),
    consumerLag: new Gauge({ name: 'stockstreamer_consumer_lag', help: 'records not yet consumed, by partition', labelNames: ['topic', 'partition'], registers }),
    batchWriteSeconds: new Histogram({
      name: 'stockstreamer_batch_write_seconds', help: 'latency of one batch write, by table', labelNames: ['table'], registers,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    sourceReceived: new Counter({ name: 'stockstreamer_source_received_total', help: 'records received from a source', labelNames: ['source'], registers }),
  };
}
