import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { StockstreamerError } from '../../runtime/errors.ts';
import type { BusRecord } from './bus.ts';
import type { BusLog } from './bus-log.ts';

/**
 * The embedded bus's log in a SQLite file of its own (home/bus.sqlite, beside
 * the store's file so the two never wait on each other's locks): every
 * appended record and every committed offset, durable when the call returns.
 * A restart then replays exactly what a Kafka consumer would: the records
 * after the committed offsets.
 *
 * Retention: a partition keeps the records some consumer group has not
 * committed past (and `keepUnconsumed` records of a partition no group reads,
 * such as the dead-letter topics, whose rows are also in dlq_events); the
 * rest is deleted as commits move on, so the file stays small.
 */
const SCHEMA = `
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS topics (topic TEXT PRIMARY KEY, partitions INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS records (
  topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
  key TEXT, value BLOB NOT NULL, headers TEXT NOT NULL, timestamp INTEGER NOT NULL,
  PRIMARY KEY (topic, partition, offset)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ends (topic TEXT NOT NULL, partition INTEGER NOT NULL, next INTEGER NOT NULL, PRIMARY KEY (topic, partition)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS offsets (grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
  PRIMARY KEY (grp, topic, partition)) WITHOUT ROWID;
`;

type Row = Record<string, unknown>;

export function createSqliteBusLog(options: { path: string; keepUnconsumed?: number }): BusLog {
  const keepUnconsumed = options.keepUnconsumed ?? 10_000;
  let db: DatabaseSync;
  try {
    mkdirSync(dirname(options.path), { recursive: true });
    db = new DatabaseSync(options.path);
    db.exec(SCHEMA);
  } catch (cause) {
    throw new StockstreamerError('STORE_UNAVAILABLE', `cannot open the embedded bus log at ${options.path}`, { cause, details: { path: options.path } });
  }
  const prepared = new Map<string, StatementSync>();
  const stmt = (sql: string): StatementSync => {
    let s = prepared.get(sql);
    if (!s) prepared.set(sql, (s = db.prepare(sql)));
    return s;
  };
  // Small in-memory mirrors of what every call needs: partition counts and next offsets.
  const partitions = new Map<string, number>();
  for (const r of stmt('SELECT topic, partitions FROM topics').all() as Row[]) partitions.set(r.topic as string, r.partitions as number);
  const ends = new Map<string, number>();
  for (const r of stmt('SELECT topic, partition, next FROM ends').all() as Row[]) ends.set(`${r.topic}\0${r.partition}`, r.next as number);

  const trimmedAt = new Map<string, number>();

  const inTx = (fn: () => void) => {
    db.exec('BEGIN');
    try {
      fn();
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  };

  /** deletes what every group that reads the partition has committed past */
  const trim = (topic: string, partition: number) => {
    const r = stmt('SELECT MIN(offset) AS low, COUNT(*) AS groups FROM offsets WHERE topic = ? AND partition = ?').get(topic, partition) as Row;
    const end = ends.get(`${topic}\0${partition}`) ?? 0;
    const below = (r.groups as number) > 0 ? (r.low as number) : end - keepUnconsumed;
    if (below > 0) stmt('DELETE FROM records WHERE topic = ? AND partition = ? AND offset < ?').run(topic, partition, below);
  };

  return {
    partitions: (topic) => partitions.get(topic) ?? 0,
    ensure(topic, count) {
      if ((partitions.get(topic) ?? 0) >= count) return;
      stmt('INSERT INTO topics (topic, partitions) VALUES (?, ?) ON CONFLICT (topic) DO UPDATE SET partitions = excluded.partitions').run(topic, count);
      partitions.set(topic, count);
    },
    end: (topic, partition) => ends.get(`${topic}\0${partition}`) ?? 0,
    read(topic, partition, from, max) {
      return (stmt('SELECT * FROM records WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset LIMIT ?').all(topic, partition, from, max) as Row[]).map((r): BusRecord => ({
        topic: r.topic as string, partition: r.partition as number, offset: r.offset as number, key: (r.key as string | null) ?? null,
        value: Buffer.from(r.value as Uint8Array), headers: JSON.parse(r.headers as string) as Record<string, string>, timestamp: r.timestamp as number,
      }));
    },
    append(records) {
      if (records.length === 0) return;
      const next = new Map<string, number>();
      inTx(() => {
        const insert = stmt('INSERT INTO records (topic, partition, offset, key, value, headers, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)');
        for (const r of records) {
          const k = `${r.topic}\0${r.partition}`;
          const offset = next.get(k) ?? ends.get(k) ?? 0;
          insert.run(r.topic, r.partition, offset, r.key, r.value, JSON.stringify(r.headers), r.timestamp);
          next.set(k, offset + 1);
        }
        const end = stmt('INSERT INTO ends (topic, partition, next) VALUES (?, ?, ?) ON CONFLICT (topic, partition) DO UPDATE SET next = excluded.next');
        for (const [k, offset] of next) {
          const [topic, partition] = k.split('\0');
          end.run(topic!, Number(partition), offset);
        }
      });
      for (const [k, offset] of next) {
        ends.set(k, offset);
        // now and then, not per append: a partition no group reads (the dead letters) is kept to its last records
        if (offset - (trimmedAt.get(k) ?? 0) >= 1000) {
          trimmedAt.set(k, offset);
          const [topic, partition] = k.split('\0');
          trim(topic!, Number(partition));
        }
      }
    },
    committed(group, topic, partition) {
      const r = stmt('SELECT offset FROM offsets WHERE grp = ? AND topic = ? AND partition = ?').get(group, topic, partition) as Row | undefined;
      return r ? (r.offset as number) : undefined;
    },
    commit(group, topic, partition, offset) {
      inTx(() => {
        stmt('INSERT INTO offsets (grp, topic, partition, offset) VALUES (?, ?, ?, ?) ON CONFLICT (grp, topic, partition) DO UPDATE SET offset = excluded.offset')
          .run(group, topic, partition, offset);
        trim(topic, partition);
      });
    },
    close() {
      db.close();
    },
  };
}
