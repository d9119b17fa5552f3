import cassandra from 'cassandra-driver';
import type { Store } from './repository.ts';
import { StockstreamerError } from '../../runtime/errors.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { Metrics } from '../../runtime/metrics.ts';
import type { CASSANDRA_CONSISTENCIES } from '../../runtime/config.ts';
import { createExecutor } from './cassandra-exec.ts';
import { createDayIndex } from './cassandra-days.ts';
import { statements } from './cassandra-rows.ts';
import { createCassandraWriter } from './cassandra-write.ts';
import { createCassandraReader } from './cassandra-read.ts';
import { createCassandraCrowd } from './cassandra-crowd.ts';
import { createCassandraRollups } from './cassandra-rollups.ts';

/**
 * The store port on Apache Cassandra (k8s/cassandra/*.cql, applied by
 * migrate.ts), with the semantics of the SQLite reference store, in two
 * halves along the data path: cassandra-write.ts (the processor's writes and
 * raw reads) and cassandra-read.ts (the dashboards' reads), sharing the
 * executor (cassandra-exec.ts: prepared, idempotent, bounded; driver errors
 * become STORE_UNAVAILABLE, retriable, or STORE_WRITE_FAILED) and the day
 * index (cassandra-days.ts).
 *
 * The client connects on first use and reconnects by itself: a store created
 * while Cassandra is down answers STORE_UNAVAILABLE until it is back.
 */
export interface CassandraStoreOptions {
  /** "host" or "host:port" */
  contactPoints: string[];
  localDataCenter: string;
  keyspace: string;
  logger: Logger;
  /** when given, write latency is observed per Cassandra table (batchWriteSeconds) */
  metrics?: Metrics;
  /** statements or batches in flight per call at most */
  concurrency?: number; // default 64
  /** seconds raw trades live (STOCKSTREAMER_TRADE_TTL_S); 0 = forever */
  tradeTtlSeconds: number;
  /** seconds the text of a post lives; the rest of its rows stays (STOCKSTREAMER_POST_TEXT_TTL_S); 0 = forever */
  postTextTtlSeconds?: number; // default 0
  /** seconds the payload of a dead letter lives; its code and reason stay (STOCKSTREAMER_DLQ_PAYLOAD_TTL_S); 0 = forever */
  deadLetterPayloadTtlSeconds?: number; // default 0
  /** milliseconds the driver waits for one answer before OperationTimedOut */
  readTimeoutMs?: number; // default 12000
  /** milliseconds to open a connection */
  connectTimeoutMs?: number; // default 5000
  /** of every statement (STOCKSTREAMER_CASSANDRA_CONSISTENCY) */
  consistency?: Consistency; // default local_quorum
}

export type Consistency = (typeof CASSANDRA_CONSISTENCIES)[number];

const { consistencies } = cassandra.types;
const CONSISTENCY: Record<Consistency, number> = {
  one: consistencies.one, local_one: consistencies.localOne, quorum: consistencies.quorum,
  local_quorum: consistencies.localQuorum, each_quorum: consistencies.eachQuorum, all: consistencies.all,
};

const KEYSPACE_NAME = /^[a-z][a-z0-9_]{0,47}$/;

export function createCassandraClient(options: Pick<CassandraStoreOptions, 'contactPoints' | 'localDataCenter' | 'readTimeoutMs' | 'connectTimeoutMs' | 'consistency'>): cassandra.Client {
  return new cassandra.Client({
    contactPoints: options.contactPoints,
    localDataCenter: options.localDataCenter,
    socketOptions: { readTimeout: options.readTimeoutMs ?? 12_000, connectTimeout: options.connectTimeoutMs ?? 5000 },
    policies: {
      // Back within seconds after an outage, not the default 10-minute ceiling.
      reconnection: new cassandra.policies.reconnection.ExponentialReconnectionPolicy(500, 5000, false), // milliseconds
    },
    // Reads and writes at a quorum of the replicas (by default) overlap in at least one
    // replica, so a read sees every acknowledged write while one replica of three is away.
    queryOptions: { consistency: CONSISTENCY[options.consistency ?? 'local_quorum'] },
  });
}

export function createCassandraStore(options: CassandraStoreOptions): Store {
  const { keyspace, logger } = options;
  if (!KEYSPACE_NAME.test(keyspace)) {
    throw new StockstreamerError('CONFIG_INVALID', `Cassandra keyspace "${keyspace}" must match ${KEYSPACE_NAME}`, { details: { key: 'STOCKSTREAMER_CASSANDRA_KEYSPACE' } });
  }
  const concurrency = options.concurrency ?? 64;
  const client = createCassandraClient(options);
  // The driver's own account of hosts going down and coming back, for the operator.
  client.on('log', (level: string, className: string, message: string) => {
    if (level === 'warning' || level === 'error') logger.warn({ driver: className }, `cassandra-driver: ${message}`);
  });
  const db = createExecutor(client, { concurrency, ...(options.metrics ? { metrics: options.metrics } : {}) });
  const q = statements(keyspace);
  const index = createDayIndex(db, q);
  let closed = false;

  return {
    ...createCassandraWriter({
      db, q, index, concurrency, tradeTtlSeconds: options.tradeTtlSeconds,
      postTextTtlSeconds: options.postTextTtlSeconds ?? 0, deadLetterPayloadTtlSeconds: options.deadLetterPayloadTtlSeconds ?? 0,
    }),
    ...createCassandraReader({ db, q, index, concurrency }),
    ...createCassandraCrowd({ db, keyspace, concurrency }),
    ...createCassandraRollups({ db, keyspace }),

    /**
     * Ready = a read in the keyspace at the configured consistency answers: with
     * replication 3 that needs a quorum of its replicas, which `system.local` (one
     * node's own table) would not (that said ready with two of three nodes gone).
     */
    async ping() {
      if (closed) return false;
      try {
        await client.execute(`SELECT version FROM ${keyspace}.schema_migrations WHERE version = 1`, [], { prepare: true, isIdempotent: true });
        return true;
      } catch (err) {
        logger.debug({ err: (err as Error).message }, 'Cassandra ping failed');
        return false;
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      await client.shutdown();
    },
  };
}
