import kafkajs from 'kafkajs';
import type { Kafka, LogEntry } from 'kafkajs';
import { StockstreamerError } from '../../runtime/errors.ts';
import type { Logger } from '../../runtime/logger.ts';

/**
 * What the Kafka adapter's parts share: the kafkajs client, its logs routed
 * into our logger, and the one place where kafkajs errors become codes of the
 * closed set.
 */

const { Kafka: KafkaClient, logLevel: KafkaLogLevel } = kafkajs;

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
}

export function createKafkaClient(options: KafkaClientOptions): Kafka {
  return new KafkaClient({
    brokers: options.brokers,
    clientId: options.clientId,
    connectionTimeout: options.connectionTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    // Short: connecting is retried by whoever called (the producer queue until
    // its delivery deadline, the consumer by restarting, the processor's retry),
    // so a dead broker is reported in about a second instead of kafkajs' 30.
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
    logLevel: kafkaLevelOf(options.logger.level),
    logCreator: () => (entry) => forwardLog(options.logger, entry),
  });
}

function kafkaLevelOf(level: string): number {
  switch (level) {
    case 'trace':
    case 'debug':
      return KafkaLogLevel.DEBUG;
    case 'info':
      return KafkaLogLevel.INFO;
    case 'warn':
      return KafkaLogLevel.WARN;
    case 'silent':
      return KafkaLogLevel.NOTHING;
    default:
      return KafkaLogLevel.ERROR;
  }
}

function forwardLog(logger: Logger, { namespace, level, log }: LogEntry): void {
  const { message, timestamp: _timestamp, logger: _name, ...extra } = log as unknown as Record<string, unknown> & { message: string };
  // The bounded producer gives up after its delivery timeout and starts a new
  // kafkajs producer (new producer id, fresh sequences), which is exactly what
  // this warning asks for; repeating it on every start would only be noise.
  if (message.startsWith('Limiting retries for the idempotent producer')) return;
  const fields = { kafkajs: namespace, ...extra };
  if (level === KafkaLogLevel.ERROR) logger.error(fields, message);
  else if (level === KafkaLogLevel.WARN) logger.warn(fields, message);
  else if (level === KafkaLogLevel.INFO) logger.info(fields, message);
  else logger.debug(fields, message);
}

/** kafkajs error names that mean "the broker is not reachable right now". */
const UNREACHABLE = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSLockTimeout',
  'KafkaJSTimeout',
]);

/**
 * Protocol errors meaning this member's view of the group is out of date: rejoin, do not
 * retry. NOT_COORDINATOR_FOR_GROUP (kafkajs's name for NOT_COORDINATOR) belongs here: the
 * group's coordinator moved (its __consumer_offsets partition got a new leader — a broker
 * lost, or Kafka's own preferred-leader rebalance every 5 minutes) and kafkajs looks the
 * new one up only when it rejoins. Retrying the heartbeat asks the old broker forever.
 */
const REBALANCE_TYPES = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'FENCED_INSTANCE_ID', 'NOT_COORDINATOR_FOR_GROUP', 'NOT_COORDINATOR']);

interface KafkaLikeError {
  name?: string;
  message?: string;
  type?: string;
  retriable?: boolean;
  code?: string;
  cause?: unknown;
}

/** The error and every cause below it, outermost first. */
function chainOf(err: unknown): KafkaLikeError[] {
  const out: KafkaLikeError[] = [];
  let cur: unknown = err;
  while (cur !== null && typeof cur === 'object' && out.length < 10) {
    out.push(cur as KafkaLikeError);
    cur = (cur as KafkaLikeError).cause;
  }
  return out;
}

/** The protocol error type anywhere in the chain (e.g. REBALANCE_IN_PROGRESS), if any. */
export function kafkaErrorType(err: unknown): string | undefined {
  return chainOf(err).find((e) => typeof e.type === 'string')?.type;
}

export function isRebalanceError(err: unknown): boolean {
  const type = kafkaErrorType(err);
  return type !== undefined && REBALANCE_TYPES.has(type);
}

/**
 * The broker is away or busy: a later attempt of the same operation may work.
 * KafkaJSNumberOfRetriesExceeded wraps the last attempt's error, so the cause
 * decides; a protocol error that kafkajs marks retriable (leader moved,
 * coordinator loading, …) counts as unavailable too.
 */
export function isUnavailable(err: unknown): boolean {
  return chainOf(err).some(
    (e) =>
      (e.name !== undefined && UNREACHABLE.has(e.name)) ||
      (e.name === 'KafkaJSProtocolError' && e.retriable === true) ||
      e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET' || e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH' ||
      // kafkajs' plain Error when a broker accepted the connection but never
      // answered ApiVersions (a hung broker) and a request is made anyway
      (e.name === 'Error' && e.message === 'Broker not connected'),
  );
}

/**
 * Maps a kafkajs failure to the closed set: unreachable or transient →
 * BUS_UNAVAILABLE (retriable); a refusal from Kafka itself (a record too
 * large, a topic that does not exist, not authorised) → BUS_REJECTED (not
 * retriable); original chained as cause. Programming errors are returned as
 * they are, never wrapped, never retried.
 */
export function toBusError(err: unknown, what: string, details: Record<string, unknown> = {}): unknown {
  if (err instanceof StockstreamerError) return err;
  if (isUnavailable(err)) {
    const message = err instanceof Error ? err.message : String(err);
    return new StockstreamerError('BUS_UNAVAILABLE', `${what}: Kafka is unreachable (${message})`, { cause: err, details: { ...details, kafkaError: kafkaErrorType(err) ?? (err as KafkaLikeError).name } });
  }
  if (chainOf(err).some((e) => typeof e.name === 'string' && e.name.startsWith('KafkaJS'))) {
    const message = err instanceof Error ? err.message : String(err);
    return new StockstreamerError('BUS_REJECTED', `${what}: Kafka refused it (${message})`, { cause: err, details: { ...details, kafkaError: kafkaErrorType(err) ?? (err as KafkaLikeError).name } });
  }
  return err;
}
