import type { Candle } from '../../domain/types.ts';
import type { CandleRollups } from './repository.ts';
import { BATCH_ROWS, groupBy, type CassandraExecutor, type Statement } from './cassandra-exec.ts';
import { checkVersion, toCandle, versionHorizon } from './cassandra-rows.ts';

/**
 * The Cassandra store's candle roll-ups (k8s/cassandra/006_candle_rollups.cql):
 * candles_1h and candles_1d, a partition per symbol, so a range of any length
 * is one slice of one partition.
 */
export interface RollupContext {
  db: CassandraExecutor;
  keyspace: string;
}

const COLUMNS = 'open, high, low, close, volume, trades';

export function createCassandraRollups(ctx: RollupContext): CandleRollups {
  const { db, keyspace } = ctx;
  const h = `${keyspace}.candles_1h`;
  const d = `${keyspace}.candles_1d`;
  const q = {
    hour: {
      table: 'candles_1h',
      insert: `INSERT INTO ${h} (symbol, hour, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`,
      delete: `DELETE FROM ${h} USING TIMESTAMP ? WHERE symbol = ? AND hour = ?`,
      select: `SELECT symbol, hour AS minute, ${COLUMNS} FROM ${h} WHERE symbol = ? AND hour >= ? AND hour < ?`,
    },
    day: {
      table: 'candles_1d',
      insert: `INSERT INTO ${d} (symbol, day, ${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`,
      delete: `DELETE FROM ${d} USING TIMESTAMP ? WHERE symbol = ? AND day = ?`,
      select: `SELECT symbol, day AS minute, ${COLUMNS} FROM ${d} WHERE symbol = ? AND day >= ? AND day < ?`,
    },
  } as const;
  const values = (c: Candle) => [c.open, c.high, c.low, c.close, c.volume, c.trades];

  return {
    async writeCandleRollups(grain, candles, version) {
      if (candles.length === 0) return;
      const v = checkVersion(version);
      const groups = groupBy(candles, (c) => c.symbol, BATCH_ROWS)
        .map((g) => g.map((c): Statement => ({ query: q[grain].insert, params: [c.symbol, c.minute, ...values(c), v] })));
      await Promise.all([db.writeGroups(q[grain].table, groups), db.writeGroups('horizons', versionHorizon(keyspace, v))]);
    },

    async deleteCandleRollups(grain, symbol, starts, version) {
      if (starts.length === 0) return;
      const v = checkVersion(version);
      await Promise.all([
        db.writeGroups(q[grain].table, starts.map((s) => [{ query: q[grain].delete, params: [v, symbol, s] }])),
        db.writeGroups('horizons', versionHorizon(keyspace, v)),
      ]);
    },

    async candleRollups(grain, symbol, fromMs, toMs) {
      if (!(toMs > fromMs)) return [];
      // clustered newest first: reversed here, oldest first as the port says
      return (await db.execute(q[grain].table, q[grain].select, [symbol, fromMs, toMs])).map(toCandle).reverse();
    },
  };
}
