import type { Candle } from '../../domain/types.ts';
import type { CandleGrain, CandleRollups } from './repository.ts';
import { groupBy, type CassandraExecutor, type Statement } from './cassandra-exec.ts';
import { toCandle } from './cassandra-rows.ts';

/**
 * The Cassandra store's candle roll-ups (k8s/cassandra/006_candle_rollups.cql):
 * candles_1h partitioned by symbol and UTC year, candles_1d by symbol. A range
 * read names its partitions from the range itself (no index read): one or two
 * for any range up to a year.
 */
export interface RollupContext {
  db: CassandraExecutor;
  keyspace: string;
  /** raises the version horizon with every aggregate write (cassandra-write.ts) */
  raiseVersion(version: number): Promise<void>;
}

/** rows per single-partition UNLOGGED batch, as in cassandra-write.ts */
const BATCH_ROWS = 100;
const COLUMNS = 'open, high, low, close, volume, trades';

const yearOf = (ms: number): number => new Date(ms).getUTCFullYear();

function checkVersion(version: number): number {
  if (!Number.isSafeInteger(version) || version < 0) throw new RangeError(`aggregate version must be a non-negative integer of microseconds, got ${version}`);
  return version;
}

export function createCassandraRollups(ctx: RollupContext): CandleRollups {
  const { db, keyspace } = ctx;
  const h = `${keyspace}.candles_1h`;
  const d = `${keyspace}.candles_1d`;
  const q = {
    hour: {
      table: 'candles_1h',
      insert: `INSERT INTO ${h} (symbol, year, hour, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`,
      delete: `DELETE FROM ${h} USING TIMESTAMP ? WHERE symbol = ? AND year = ? AND hour = ?`,
      select: `SELECT symbol, hour AS minute, ${COLUMNS} FROM ${h} WHERE symbol = ? AND year = ? AND hour >= ? AND hour < ?`,
    },
    day: {
      table: 'candles_1d',
      insert: `INSERT INTO ${d} (symbol, day, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`,
      delete: `DELETE FROM ${d} USING TIMESTAMP ? WHERE symbol = ? AND day = ?`,
      select: `SELECT symbol, day AS minute, ${COLUMNS} FROM ${d} WHERE symbol = ? AND day >= ? AND day < ?`,
    },
  } as const;
  /** the partition key values after the symbol: the year for hours, none for days */
  const partOf = (grain: CandleGrain, start: number): unknown[] => (grain === 'hour' ? [yearOf(start)] : []);
  const values = (c: Candle) => [c.open, c.high, c.low, c.close, c.volume, c.trades];

  return {
    async writeCandleRollups(grain, candles, version) {
      if (candles.length === 0) return;
      const v = checkVersion(version);
      const groups = groupBy(candles, (c) => `${c.symbol}\u0000${partOf(grain, c.minute).join()}`, BATCH_ROWS)
        .map((g) => g.map((c): Statement => ({ query: q[grain].insert, params: [c.symbol, ...partOf(grain, c.minute), c.minute, ...values(c), v] })));
      await Promise.all([db.writeGroups(q[grain].table, groups), ctx.raiseVersion(v)]);
    },

    async deleteCandleRollups(grain, symbol, starts, version) {
      if (starts.length === 0) return;
      const v = checkVersion(version);
      await Promise.all([
        db.writeGroups(q[grain].table, starts.map((s) => [{ query: q[grain].delete, params: [v, symbol, ...partOf(grain, s), s] }])),
        ctx.raiseVersion(v),
      ]);
    },

    async candleRollups(grain, symbol, fromMs, toMs) {
      if (!(toMs > fromMs)) return [];
      const reads: Promise<Candle[]>[] = [];
      if (grain === 'day') {
        reads.push(db.execute(q.day.table, q.day.select, [symbol, fromMs, toMs]).then((rows) => rows.map(toCandle)));
      } else {
        for (let y = yearOf(fromMs); y <= yearOf(toMs - 1); y++) {
          reads.push(db.execute(q.hour.table, q.hour.select, [symbol, y, fromMs, toMs]).then((rows) => rows.map(toCandle)));
        }
      }
      return (await Promise.all(reads)).flat().sort((a, b) => a.minute - b.minute);
    },
  };
}
