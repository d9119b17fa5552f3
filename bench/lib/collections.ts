/**
 * Frozen against non-frozen collections on the real Cassandra (issue 13):
 * trades_by_symbol.conditions and posts_by_day.tickers were `list<text>`, and
 * a full upsert of a non-frozen collection writes a range tombstone before its
 * elements (one per row, even for an empty list). The same rows are written
 * to twin tables that differ only in that column, by the store's executor
 * with the writer's batching (single-partition UNLOGGED batches of ≤ 100 rows,
 * 64 in flight), alternating the two, then read back partition slice by
 * partition slice as the processor's rebuild and the dashboards read them.
 *
 * Measured side by side in one run: rows written per second, Cassandra CPU
 * per 100,000 rows, read latency, tombstones per read and the bytes on disk
 * (system_views), per variant.
 */
import cassandra from 'cassandra-driver';
import { createExecutor, groupBy, type Statement } from '../../services/lib/io/store/cassandra-exec.ts';
import { cqlDay } from '../../services/lib/io/store/cassandra-rows.ts';
import { dayOf, hourOf } from '../../services/lib/io/store/repository.ts';
import type { PostRow } from '../../services/lib/io/store/repository.ts';
import type { Trade } from '../../services/lib/domain/types.ts';
import { procStats, serverPid } from './stack.ts';
import { latencyStats, type LatencyStats } from './latency.ts';

export type Variant = 'frozen' | 'non-frozen';
export const VARIANTS: readonly Variant[] = ['non-frozen', 'frozen'];
const suffix = (v: Variant) => (v === 'frozen' ? 'f' : 'nf');
const listType = (v: Variant) => (v === 'frozen' ? 'frozen<list<text>>' : 'list<text>');

export interface CollectionFigures {
  table: 'trades' | 'posts';
  variant: Variant;
  rows: number;
  /** rows written per second, each rep */
  writePerS: number[];
  /** Cassandra CPU seconds per 100,000 rows, each rep */
  cassandraCpuPer100k: number[];
  read: LatencyStats;
  /** tombstones Cassandra met per read (p99 and max, system_views.tombstones_per_read) */
  tombstonesP99: number;
  tombstonesMax: number;
  diskMiB: number;
}

export async function createTwinTables(cql: cassandra.Client, keyspace: string): Promise<void> {
  for (const v of VARIANTS) {
    await cql.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.trades_${suffix(v)} (
      symbol text, day date, ts timestamp, seq int, price double, volume double, conditions ${listType(v)},
      PRIMARY KEY ((symbol, day), ts, seq)) WITH CLUSTERING ORDER BY (ts DESC, seq DESC)`);
    await cql.execute(`CREATE TABLE IF NOT EXISTS ${keyspace}.posts_${suffix(v)} (
      hour timestamp, created timestamp, fullname text, kind text, subreddit text, author text, text text, permalink text, score int,
      sentiment double, label text, tickers ${listType(v)},
      PRIMARY KEY ((hour), created, fullname)) WITH CLUSTERING ORDER BY (created DESC, fullname DESC)`);
  }
}

/**
 * The list as each writer binds it: the writer before 005 bound every list,
 * empty ones too; the frozen writer leaves an empty list unset, since an empty
 * frozen collection is stored as a null cell, a tombstone (see cassandra-write.ts).
 */
const listValue = (v: Variant, xs: readonly string[]): readonly string[] | undefined => (v === 'frozen' && xs.length === 0 ? undefined : xs);

/** The writer's statements for the twin tables, grouped as the store groups them. */
function tradeGroups(keyspace: string, v: Variant, trades: readonly Trade[]): Statement[][] {
  const query = `INSERT INTO ${keyspace}.trades_${suffix(v)} (symbol, day, ts, seq, price, volume, conditions) VALUES (?, ?, ?, ?, ?, ?, ?) USING TTL ?`;
  return groupBy(trades, (t) => `${t.symbol}\u0000${dayOf(t.timestamp)}`, 100).map((g) => g.map((t) => ({
    query, params: [t.symbol, cqlDay(dayOf(t.timestamp)), t.timestamp, t.seq, t.price, t.volume, listValue(v, t.conditions), 0],
  })));
}
function postGroups(keyspace: string, v: Variant, posts: readonly PostRow[]): Statement[][] {
  const query = `INSERT INTO ${keyspace}.posts_${suffix(v)} (hour, created, fullname, kind, subreddit, author, text, permalink, score, sentiment, label, tickers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
  return groupBy(posts, (p) => String(hourOf(p.created)), 100).map((g) => g.map((p) => ({
    query, params: [hourOf(p.created), p.created, p.fullname, p.kind, p.subreddit, p.author, p.text, p.permalink, p.score, p.sentiment, p.label, listValue(v, p.tickers)],
  })));
}

async function tombstones(cql: cassandra.Client, keyspace: string, table: string): Promise<{ p99: number; max: number }> {
  const rs = await cql.execute('SELECT p99th, max FROM system_views.tombstones_per_read WHERE keyspace_name = ? AND table_name = ?', [keyspace, table], { prepare: true });
  return { p99: Number(rs.rows[0]?.p99th ?? 0), max: Number(rs.rows[0]?.max ?? 0) };
}
async function diskMiB(cql: cassandra.Client, keyspace: string, table: string): Promise<number> {
  const rs = await cql.execute('SELECT mebibytes FROM system_views.disk_usage WHERE keyspace_name = ? AND table_name = ?', [keyspace, table], { prepare: true });
  return Number(rs.rows[0]?.mebibytes ?? 0);
}

/**
 * Writes `trades` and `posts` to both variants, `reps` times each,
 * alternating (non-frozen, frozen, non-frozen, …) so a drift of the shared
 * machine falls on both; then reads `reads` slices of each at `rate`/s.
 */
export async function compareCollections(o: {
  cql: cassandra.Client; keyspace: string; trades: readonly Trade[]; posts: readonly PostRow[]; reps: number; reads: number; rate: number;
  log: (line: string) => void;
}): Promise<CollectionFigures[]> {
  const { cql, keyspace } = o;
  await createTwinTables(cql, keyspace);
  const db = createExecutor(cql, { concurrency: 64 });
  const pid = serverPid('cassandra');
  const out: CollectionFigures[] = [];
  for (const table of ['trades', 'posts'] as const) {
    const rows = table === 'trades' ? o.trades.length : o.posts.length;
    const figures = new Map<Variant, { writePerS: number[]; cpu: number[] }>(VARIANTS.map((v) => [v, { writePerS: [], cpu: [] }]));
    for (let rep = 0; rep < o.reps; rep++) {
      for (const v of VARIANTS) {
        const groups = table === 'trades' ? tradeGroups(keyspace, v, o.trades) : postGroups(keyspace, v, o.posts);
        const cpu0 = pid ? procStats(pid)?.cpuS ?? 0 : 0;
        const t0 = performance.now();
        await db.writeGroups(`${table}_${suffix(v)}`, groups);
        const s = (performance.now() - t0) / 1000;
        const cpu = pid ? (procStats(pid)?.cpuS ?? 0) - cpu0 : NaN;
        figures.get(v)!.writePerS.push(Math.round(rows / s));
        figures.get(v)!.cpu.push(Number(((cpu / rows) * 100_000).toFixed(2)));
        o.log(`[bench] ${table} ${v} rep ${rep + 1}: ${Math.round(rows / s).toLocaleString('en-US')} rows/s, Cassandra ${(cpu / rows * 1e6).toFixed(1)} µs CPU a row`);
      }
    }
    // reads: the slices the product reads (a symbol's hour of trades for a rebuild; an hour of posts, newest 30)
    const slices = table === 'trades'
      ? [...new Set(o.trades.map((t) => `${t.symbol}|${hourOf(t.timestamp)}`))].map((k) => k.split('|')).map(([s, h]) => [s!, cqlDay(dayOf(Number(h))), Number(h), Number(h) + 3_600_000] as unknown[])
      : [...new Set(o.posts.map((p) => hourOf(p.created)))].map((h) => [h, 30] as unknown[]);
    for (const v of VARIANTS) {
      const query = table === 'trades'
        ? `SELECT symbol, ts, seq, price, volume, conditions FROM ${keyspace}.trades_${suffix(v)} WHERE symbol = ? AND day = ? AND ts >= ? AND ts < ?`
        : `SELECT * FROM ${keyspace}.posts_${suffix(v)} WHERE hour = ? LIMIT ?`;
      const latencies: number[] = [];
      const t0 = performance.now();
      const pending: Promise<void>[] = [];
      for (let i = 0; i < o.reads; i++) {
        const due = t0 + (i * 1000) / o.rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        pending.push(cql.execute(query, slices[i % slices.length]!, { prepare: true, fetchSize: 5000 }).then(() => { latencies.push(performance.now() - due); }));
      }
      await Promise.all(pending);
      const t = await tombstones(cql, keyspace, `${table}_${suffix(v)}`);
      const f = figures.get(v)!;
      out.push({
        table, variant: v, rows, writePerS: f.writePerS, cassandraCpuPer100k: f.cpu, read: latencyStats(latencies, (performance.now() - t0) / 1000),
        tombstonesP99: t.p99, tombstonesMax: t.max, diskMiB: await diskMiB(cql, keyspace, `${table}_${suffix(v)}`),
      });
    }
  }
  return out;
}

