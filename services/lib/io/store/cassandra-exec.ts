import cassandra from 'cassandra-driver';
import { StockstreamerError } from '../../runtime/errors.ts';
import type { Metrics } from '../../runtime/metrics.ts';

/**
 * How the Cassandra store talks to the driver: every statement prepared, every
 * statement marked idempotent (they are all full upserts or reads, so the
 * driver may retry them on another host), fan-out bounded, and every driver
 * error turned into one code of the closed set.
 */

const { errors, types } = cassandra;
type Client = cassandra.Client;
type Row = cassandra.types.Row;
export type Param = unknown;
export interface Statement {
  query: string;
  params: Param[];
}

/**
 * Response codes that mean "try again later", not "this write is wrong":
 * the coordinator lacks replicas, is overloaded or still joining, or the
 * replicas did not answer in time. Every write is an idempotent upsert, so a
 * timed-out write that did land is harmless to repeat.
 */
const TRANSIENT_RESPONSE_CODES: ReadonlySet<number> = new Set([
  types.responseErrorCodes.unavailableException,
  types.responseErrorCodes.overloaded,
  types.responseErrorCodes.isBootstrapping,
  types.responseErrorCodes.writeTimeout,
  types.responseErrorCodes.readTimeout,
]);

export function isTransientCassandraError(err: unknown): boolean {
  if (err instanceof errors.NoHostAvailableError) return true;
  if (err instanceof errors.OperationTimedOutError) return true;
  if (err instanceof errors.BusyConnectionError) return true;
  if (err instanceof errors.ResponseError) return TRANSIENT_RESPONSE_CODES.has(err.code);
  // The connection died under an in-flight request.
  return (err as { isSocketError?: unknown } | null)?.isSocketError === true;
}

/**
 * NoHostAvailable / OperationTimedOut / Unavailable (and the other transient
 * cases above) → STORE_UNAVAILABLE, retriable; anything else (a rejected
 * statement, a missing table, a bad value) → STORE_WRITE_FAILED. The driver's
 * error is kept as `cause`.
 */
export function toStoreError(err: unknown, what: string): StockstreamerError {
  if (err instanceof StockstreamerError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (isTransientCassandraError(err)) {
    return new StockstreamerError('STORE_UNAVAILABLE', `Cassandra is unavailable (${what}): ${message}`, { cause: err, details: { what } });
  }
  // The usual cause of these on a fresh cluster: migrate was never run.
  const hint = /unconfigured table|keyspace .* does not exist/i.test(message) ? ' (run `stockstreamer migrate`)' : '';
  return new StockstreamerError('STORE_WRITE_FAILED', `Cassandra rejected ${what}: ${message}${hint}`, { cause: err, details: { what } });
}

/**
 * Runs fn over items with at most `limit` in flight. On the first failure no
 * new item starts; the call settles only after the in-flight ones did, so a
 * caller's retry never overlaps a write of the failed attempt.
 */
export async function forEachBounded<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const i = next++;
      try {
        await fn(items[i]!, i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure !== undefined) throw failure.error;
}

export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  await forEachBounded(items, limit, async (item, i) => {
    out[i] = await fn(item);
  });
  return out;
}

export interface CassandraExecutor {
  /** one prepared statement; its first page of rows (fetchSize 0: unpaged, every row at once) */
  execute(table: string, query: string, params: Param[], options?: { fetchSize?: number }): Promise<Row[]>;
  /** rows of one prepared query, page by page, until the caller stops */
  rows(table: string, query: string, params: Param[], fetchSize?: number): AsyncGenerator<Row>;
  /**
   * Writes groups of statements, each group sharing one partition key: a group
   * of one is a plain execute, a larger group one UNLOGGED batch (one mutation
   * on the replica, no batch log). Groups run with bounded concurrency.
   */
  writeGroups(table: string, groups: Statement[][]): Promise<void>;
}

export function createExecutor(client: Client, options: { concurrency: number; metrics?: Metrics }): CassandraExecutor {
  const base = { prepare: true, isIdempotent: true } as const;
  const timed = async <T>(table: string, fn: () => Promise<T>): Promise<T> => {
    const end = options.metrics?.batchWriteSeconds.startTimer({ table });
    const out = await fn();
    end?.();
    return out;
  };
  return {
    async execute(table, query, params, opts = {}) {
      try {
        const rs = await client.execute(query, params, { ...base, ...(opts.fetchSize !== undefined ? { fetchSize: opts.fetchSize } : {}) });
        return rs.rows;
      } catch (err) {
        throw toStoreError(err, `a statement on ${table}`);
      }
    },
    async *rows(table, query, params, fetchSize = 1000) {
      let rs: cassandra.types.ResultSet;
      try {
        rs = await client.execute(query, params, { ...base, fetchSize });
      } catch (err) {
        throw toStoreError(err, `a read of ${table}`);
      }
      for (;;) {
        yield* rs.rows;
        if (!rs.pageState) return;
        try {
          rs = await client.execute(query, params, { ...base, fetchSize, pageState: rs.pageState });
        } catch (err) {
          throw toStoreError(err, `a read of ${table}`);
        }
      }
    },
    async writeGroups(table, groups) {
      if (groups.length === 0) return;
      await timed(table, () => forEachBounded(groups, options.concurrency, async (group) => {
        try {
          if (group.length === 1) await client.execute(group[0]!.query, group[0]!.params, base);
          else await client.batch(group, { ...base, logged: false });
        } catch (err) {
          throw toStoreError(err, `a write to ${table}`);
        }
      }));
    },
  };
}

/** rows per single-partition UNLOGGED batch: one mutation on the replica, small enough to stay cheap to retry */
export const BATCH_ROWS = 100;

/** Splits items into groups of at most `size`, keyed by `key` (rows of one partition). */
export function groupBy<T>(items: readonly T[], key: (item: T) => string, size: number): T[][] {
  const byKey = new Map<string, T[][]>();
  const out: T[][] = [];
  for (const item of items) {
    const k = key(item);
    let chunks = byKey.get(k);
    if (chunks === undefined) byKey.set(k, (chunks = []));
    let last = chunks[chunks.length - 1];
    if (last === undefined || last.length >= size) {
      last = [];
      chunks.push(last);
      out.push(last);
    }
    last.push(item);
  }
  return out;
}
