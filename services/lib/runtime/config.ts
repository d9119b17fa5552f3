import { isIP } from 'node:net';
import { z } from 'zod';
import { StockstreamerError } from './errors.ts';
import { closest } from './suggest.ts';

/**
 * Every setting other than secrets comes from a STOCKSTREAMER_* environment
 * variable. The table below is the single source of truth: the validator, the
 * defaults (with their unit) and the README's configuration table all come
 * from it, and a test keeps the README in step. An unknown STOCKSTREAMER_*
 * variable stops start-up: a typo must not silently fall back to a default.
 */
const list = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = z.string().url();
const ipAddress = z.string().refine((s) => isIP(s) !== 0, 'expected an IP address such as 127.0.0.1 or 0.0.0.0');

/**
 * Default metrics port of each long-running service. One machine running
 * `process`, `produce prices` and `produce reddit` side by side (README
 * "Local stack and services") needs three ports; in the cluster each pod has
 * its own network namespace and every pod sets STOCKSTREAMER_METRICS_PORT=9464.
 */
/** Cassandra consistency levels a setting may name; quorum levels are what replication 3 is for. */
export const CASSANDRA_CONSISTENCIES = ['one', 'local_one', 'quorum', 'local_quorum', 'each_quorum', 'all'] as const;

export const METRICS_PORTS = { processor: 9464, 'price-producer': 9465, 'reddit-producer': 9466 } as const;
export type MetricsService = keyof typeof METRICS_PORTS;
const metricsPortsDoc = Object.entries(METRICS_PORTS).map(([name, port]) => `${name} ${port}`).join(', ');

export const CONFIG_SPEC = {
  STOCKSTREAMER_HOME: { key: 'home', schema: z.string().min(1), default: '.stockstreamer', doc: 'folder of the embedded SQLite database and recordings' },
  STOCKSTREAMER_CREDENTIALS: { key: 'credentialsFile', schema: z.string().min(1), default: 'secrets/credentials.ini', doc: 'path of the credentials file' },
  STOCKSTREAMER_LOG_LEVEL: { key: 'logLevel', schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), default: 'info', doc: 'pino log level' },
  STOCKSTREAMER_SYMBOLS: { key: 'symbols', schema: list, default: 'AAPL,MSFT,NVDA,TSLA,AMZN,GOOGL,META,AMD,GME,PLTR', doc: 'symbols subscribed on Finnhub (and simulated)' },
  STOCKSTREAMER_SUBREDDITS: { key: 'subreddits', schema: list, default: 'wallstreetbets,stocks,investing,stockmarket,options', doc: 'subreddits streamed' },
  STOCKSTREAMER_STORE: { key: 'store', schema: z.enum(['sqlite', 'cassandra']), default: 'sqlite', doc: 'store read by `dashboard` and `alerter`: the embedded SQLite file or Cassandra' },
  STOCKSTREAMER_SOURCE: { key: 'source', schema: z.enum(['auto', 'live', 'synthetic', 'replay']), default: 'auto', doc: 'auto = live where credentials are filled, synthetic otherwise' },
  STOCKSTREAMER_REPLAY_DIR: { key: 'replayDir', schema: z.string().min(1), default: 'data/recorded', doc: 'folder of finnhub-*.jsonl / reddit-*.jsonl for source=replay' },
  STOCKSTREAMER_REPLAY_SPEED: { key: 'replaySpeed', schema: z.coerce.number().min(0).max(10_000), default: '1', doc: 'replay pace: 1 = as recorded, 10 = ten times faster, 0 = as fast as possible' },
  STOCKSTREAMER_RECORD_DIR: { key: 'recordDir', schema: z.string(), default: '', doc: 'when set, raw source messages are recorded here as JSONL' },
  STOCKSTREAMER_FINNHUB_URL: { key: 'finnhubUrl', schema: url, default: 'wss://ws.finnhub.io', doc: 'Finnhub WebSocket endpoint' },
  STOCKSTREAMER_REDDIT_BASE_URL: { key: 'redditBaseUrl', schema: url, default: 'https://www.reddit.com', doc: 'Reddit API base (tests point it at a local server)' },
  STOCKSTREAMER_REDDIT_POLL_MS: { key: 'redditPollMs', schema: int(500, 600_000), default: '5000', doc: 'milliseconds between Reddit listing polls' },
  STOCKSTREAMER_SYNTHETIC_TRADES_PER_S: { key: 'syntheticTradesPerSecond', schema: int(1, 1_000_000), default: '40', doc: 'trades per second of the synthetic feed' },
  STOCKSTREAMER_SYNTHETIC_POSTS_PER_S: { key: 'syntheticPostsPerSecond', schema: int(1, 100_000), default: '4', doc: 'posts per second of the synthetic feed' },
  STOCKSTREAMER_SEED: { key: 'seed', schema: int(0, 2 ** 31 - 1), default: '0', doc: 'seed of the synthetic feeds; 0 = from the clock' },
  STOCKSTREAMER_CANDLE_LATENESS_MS: { key: 'candleLatenessMs', schema: int(0, 86_400_000), default: '5000', doc: 'milliseconds a candle stays in memory behind the newest trade of its partition; a later trade still counts (its minute is read back from the raw trades), this only bounds memory' },
  STOCKSTREAMER_SENTIMENT_LATENESS_MS: { key: 'sentimentLatenessMs', schema: int(0, 86_400_000), default: '300000', doc: 'milliseconds an hour of mentions stays in memory behind the newest mention of its partition; a later mention still counts (its hour is read back from posts_by_ticker), this only bounds memory' },
  STOCKSTREAMER_MAX_CLOCK_SKEW_MS: { key: 'maxClockSkewMs', schema: int(0, 86_400_000), default: '300000', doc: 'milliseconds an event time may be ahead of the time its record reached the bus; further ahead is dead-lettered as a skewed clock (VALIDATION_FAILED)' },
  STOCKSTREAMER_MIN_EVENT_TIME: { key: 'minEventTime', schema: z.iso.datetime({ offset: true }).or(z.iso.date()).transform((s) => Date.parse(s)), default: '2000-01-01', doc: 'event times before this date (ISO 8601) are dead-lettered as a broken clock (VALIDATION_FAILED)' },
  STOCKSTREAMER_SENTIMENT_SPAN_MIN: { key: 'sentimentSpanMinutes', schema: int(1, 1440), default: '10', doc: 'minutes of the sentiment moving average and volatility' },
  STOCKSTREAMER_BATCH_MAX: { key: 'batchMax', schema: int(1, 100_000), default: '2000', doc: 'records per processor batch at most' },
  STOCKSTREAMER_DASHBOARD_PORT: { key: 'dashboardPort', schema: int(0, 65535), default: '8080', doc: 'port of the built-in dashboard (0 = any free port)' },
  STOCKSTREAMER_METRICS_PORT: { key: 'metricsPort', schema: z.union([z.literal('').transform(() => undefined), int(0, 65535)]), default: '', doc: `port of /healthz, /readyz and /metrics of a service; empty = the service's own (${metricsPortsDoc}), 0 = any free port (printed at start-up)` },
  STOCKSTREAMER_LISTEN_ADDRESS: { key: 'listenAddress', schema: ipAddress, default: '127.0.0.1', doc: 'address the services\' /healthz, /readyz, /metrics and the dashboard listen on: 127.0.0.1 = this machine only (neither has a login); 0.0.0.0 = every interface (the cluster\'s pods, behind their Services)' },
  STOCKSTREAMER_KAFKA_BROKERS: { key: 'kafkaBrokers', schema: list, default: '127.0.0.1:9092', doc: 'Kafka bootstrap servers' },
  STOCKSTREAMER_TOPIC_PREFIX: { key: 'topicPrefix', schema: z.string().regex(/^[A-Za-z0-9._-]{0,100}$/), default: '', doc: 'prefix of every Kafka topic and consumer group name; empty in production (tests set it to share a broker without sharing records or offsets)' },
  STOCKSTREAMER_KAFKA_PARTITIONS: { key: 'kafkaPartitions', schema: int(1, 1000), default: '6', doc: 'partitions of each main topic when created' },
  STOCKSTREAMER_KAFKA_REPLICATION: { key: 'kafkaReplication', schema: int(1, 9), default: '1', doc: 'replicas of each topic when created: 1 on one broker, 3 from three brokers on (with STOCKSTREAMER_KAFKA_MIN_INSYNC_REPLICAS=2, one broker may be lost without losing or refusing a write); a topic that exists keeps its replicas' },
  STOCKSTREAMER_KAFKA_MIN_INSYNC_REPLICAS: { key: 'kafkaMinInsyncReplicas', schema: z.union([z.literal('').transform(() => undefined), int(1, 9)]), default: '', doc: 'replicas that must hold a record before Kafka acknowledges it (the producers send acks=all): set on every topic and checked by /readyz, which reports not ready while a partition has fewer in sync; empty = the broker\'s setting (1), at most STOCKSTREAMER_KAFKA_REPLICATION' },
  STOCKSTREAMER_KAFKA_FETCH_MAX_BYTES: { key: 'kafkaFetchMaxBytes', schema: int(1024, 256 * 1024 * 1024), default: '1048576', doc: 'bytes of one Kafka fetch response at most, over all partitions; bounds the records a consumer holds decoded at once (1 MiB ≈ 20,000 trades)' },
  STOCKSTREAMER_KAFKA_FETCH_PARTITION_MAX_BYTES: { key: 'kafkaFetchPartitionMaxBytes', schema: int(1024, 64 * 1024 * 1024), default: '262144', doc: 'bytes fetched from one partition per Kafka fetch at most (a larger first record batch is still returned whole)' },
  STOCKSTREAMER_KAFKA_SESSION_TIMEOUT_MS: { key: 'kafkaSessionTimeoutMs', schema: int(6000, 300_000), default: '30000', doc: 'milliseconds a processor may go without a heartbeat (a stalled write) before Kafka gives its partitions to another; its later writes are fenced' },
  STOCKSTREAMER_KAFKA_RETENTION_MS: { key: 'kafkaRetentionMs', schema: z.coerce.number().int().min(-1), default: '604800000', doc: 'retention of the main topics in milliseconds (-1 = forever)' },
  STOCKSTREAMER_REGISTRY_URL: { key: 'registryUrl', schema: url, default: 'http://127.0.0.1:8081', doc: 'Confluent-API schema registry' },
  STOCKSTREAMER_CASSANDRA_CONTACT_POINTS: { key: 'cassandraContactPoints', schema: list, default: '127.0.0.1:9042', doc: 'Cassandra contact points' },
  STOCKSTREAMER_CASSANDRA_DC: { key: 'cassandraDc', schema: z.string().min(1), default: 'datacenter1', doc: 'local datacenter name' },
  STOCKSTREAMER_CASSANDRA_KEYSPACE: { key: 'cassandraKeyspace', schema: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/), default: 'stockstreamer', doc: 'keyspace' },
  STOCKSTREAMER_CASSANDRA_REPLICATION: { key: 'cassandraReplication', schema: z.coerce.number().int().min(1).max(9), default: '1', doc: 'replication factor used by migrate' },
  STOCKSTREAMER_CASSANDRA_CONSISTENCY: { key: 'cassandraConsistency', schema: z.enum(CASSANDRA_CONSISTENCIES), default: 'local_quorum', doc: 'consistency level of every read and write (processor, reprocess, dashboard, alerter) and of the /readyz probe: local_quorum = a majority of the replicas in the local datacenter, so with replication 3 one node may be down (with replication 1 it is the one replica)' },
  STOCKSTREAMER_ALERT_RULES: { key: 'alertRulesFile', schema: z.string().min(1), default: 'config/alerts.json', doc: 'alert rules file (JSON, see config/alerts.example.json); a missing file means no alerts' },
  STOCKSTREAMER_ALERT_INTERVAL_MS: { key: 'alertIntervalMs', schema: int(100, 3_600_000), default: '5000', doc: 'milliseconds between two evaluations of the alert rules' },
  STOCKSTREAMER_ALERT_FROM: { key: 'alertFrom', schema: z.string().trim().min(3), default: 'stockstreamer <stockstreamer@localhost>', doc: 'sender of alert mails ("Name <address>" or an address)' },
  STOCKSTREAMER_ALERT_TO: { key: 'alertTo', schema: list, default: '', doc: 'recipients of alert mails, comma-separated; required when STOCKSTREAMER_SMTP_HOST is set' },
  STOCKSTREAMER_SMTP_HOST: { key: 'smtpHost', schema: z.string().trim(), default: '', doc: 'SMTP server for alert mails; empty = alerts are stored and shown but not mailed' },
  STOCKSTREAMER_SMTP_PORT: { key: 'smtpPort', schema: int(1, 65535), default: '587', doc: 'SMTP port (587 for starttls, 465 for tls)' },
  STOCKSTREAMER_SMTP_TLS: { key: 'smtpTls', schema: z.enum(['starttls', 'tls', 'none']), default: 'starttls', doc: 'starttls = upgrade required, tls = TLS from the first byte, none = plain text (a relay on the same host only)' },
  STOCKSTREAMER_SMTP_TIMEOUT_MS: { key: 'smtpTimeoutMs', schema: int(100, 600_000), default: '10000', doc: 'milliseconds to connect, greet or answer before a mail counts as undelivered' },
  STOCKSTREAMER_TRADE_TTL_S: { key: 'tradeTtlSeconds', schema: int(0, 10 * 365 * 86400), default: '1209600', doc: 'seconds raw trades are kept (0 = forever)' },
  STOCKSTREAMER_POST_TEXT_TTL_S: { key: 'postTextTtlSeconds', schema: int(0, 10 * 365 * 86400), default: '2592000', doc: 'seconds the text of a Reddit post is kept in Cassandra (0 = forever); the rest of the post (score, sentiment, tickers, author, link) stays, so an aggregate rebuilt after it expired counts the same' },
  STOCKSTREAMER_DLQ_PAYLOAD_TTL_S: { key: 'deadLetterPayloadTtlSeconds', schema: int(0, 10 * 365 * 86400), default: '1209600', doc: 'seconds the bytes of a dead-lettered record are kept in Cassandra\'s dlq_events (0 = forever); its code, reason and topic/partition/offset stay' },
} as const;

/**
 * V8 heap bounds of the `process` service, set where it is started (the
 * processor pod's NODE_OPTIONS in terraform/lib/pipeline.ts, the benchmark's
 * processor spawn). Without them V8 sizes the heap for the whole machine
 * (4 GB on a 24 GB host): while draining a backlog every fetched record lives
 * about a second, survives two scavenges and is promoted, and V8 lets that
 * garbage pile up to ~300 MB of old space (beside a young generation of
 * ~100 MB) before a full collection, although a full collection finds only
 * 50-70 MB live. 16 MB semi-spaces and a 192 MB old space keep RSS near
 * 230 MB and flat while draining (bench/pipeline.ts memory, was 540-680 MB);
 * the price is more full collections, ~10-20 % of drain throughput. 192 MB is
 * about three times the live set, and old space + young generation + ~100 MB
 * of code, type-stripper and native buffers stay well under the pod's 512Mi
 * limit, so a real leak ends in a V8 heap error with a stack, not an OOM kill.
 */
export const PROCESSOR_NODE_OPTIONS = '--max-old-space-size=192 --max-semi-space-size=16';

type Spec = typeof CONFIG_SPEC;
type EnvName = keyof Spec;
export type Config = Readonly<{ [K in EnvName as Spec[K]['key']]: z.output<Spec[K]['schema']> }>;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  for (const name of Object.keys(env)) {
    if (name.startsWith('STOCKSTREAMER_') && !(name in CONFIG_SPEC)) {
      const near = closest(name, Object.keys(CONFIG_SPEC));
      throw new StockstreamerError('CONFIG_INVALID', `unknown setting ${name}${near ? `; did you mean ${near}?` : ''} (known: see README "Configuration")`, { details: { key: name } });
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(CONFIG_SPEC) as [EnvName, Spec[EnvName]][]) {
    const raw = env[name] ?? spec.default;
    const parsed = (spec.schema as z.ZodType).safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues[0]?.message ?? 'invalid';
      throw new StockstreamerError('CONFIG_INVALID', `${name}=${JSON.stringify(raw)} is invalid: ${why}`, { details: { key: name } });
    }
    out[spec.key] = parsed.data;
  }
  // the one rule that spans two settings: Kafka could never satisfy it and would refuse every write
  const minInsync = out.kafkaMinInsyncReplicas as number | undefined;
  if (minInsync !== undefined && minInsync > (out.kafkaReplication as number)) {
    throw new StockstreamerError('CONFIG_INVALID', `STOCKSTREAMER_KAFKA_MIN_INSYNC_REPLICAS=${minInsync} is more than STOCKSTREAMER_KAFKA_REPLICATION=${String(out.kafkaReplication)}: no write could ever be acknowledged`, { details: { key: 'STOCKSTREAMER_KAFKA_MIN_INSYNC_REPLICAS' } });
  }
  return Object.freeze(out) as Config;
}
