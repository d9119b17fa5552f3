import type cassandra from 'cassandra-driver';
import { dayOf } from './repository.ts';
import { mapBounded, type CassandraExecutor, type Statement } from './cassandra-exec.ts';
import { cqlDay, dayMsOf, type statements } from './cassandra-rows.ts';

/**
 * day_index: which day buckets of a scope ('posts', 'trades/AAPL', …) hold
 * rows, so a read without a range ("the newest 50 posts") walks only days
 * that exist. Shared by the write half (it records days) and the read half.
 */
export interface DayIndex {
  /** index rows for (scope, day) pairs not yet known to this process (always, for a TTL'd scope) */
  entries(scopes: Iterable<[string, number]>, ttlSeconds?: number): Statement[];
  /** writes entries; `remember` when they never expire */
  write(entries: Statement[], remember: boolean): Promise<void>;
  /** the days of a scope, newest first; within [fromMs, toMs] when given */
  days(scope: string, fromMs?: number, toMs?: number): Promise<number[]>;
  /**
   * The days of a scope, newest first, read a page of a few days at a time
   * as the caller goes: "the newest N rows" stops after the days it needed,
   * however many years the index lists. Only days at or before `untilMs`
   * (and at or after `sinceMs`) when given.
   */
  walk(scope: string, range?: { sinceMs?: number; untilMs?: number }): AsyncGenerator<number>;
}

/** day_index rows fetched per page by walk(): one day usually fills a "newest N" read, a page more is cheap */
const WALK_PAGE = 4;

export function createDayIndex(db: CassandraExecutor, q: ReturnType<typeof statements>): DayIndex {
  /**
   * (scope, day) pairs already in day_index. Index rows are never deleted, so
   * writing one once per process is enough; TTL'd scopes (trades) are always
   * rewritten to keep their expiry ahead of the rows they point at.
   */
  const knownDays = new Set<string>();
  return {
    entries(scopes, ttlSeconds) {
      const out: Statement[] = [];
      const seen = new Set<string>();
      for (const [scope, day] of scopes) {
        const key = `${scope}\u0000${day}`;
        if (seen.has(key) || (ttlSeconds === undefined && knownDays.has(key))) continue;
        seen.add(key);
        out.push(ttlSeconds === undefined
          ? { query: q.insertDay, params: [scope, cqlDay(day)] }
          : { query: q.insertDayTtl, params: [scope, cqlDay(day), ttlSeconds] });
      }
      return out;
    },
    async write(entries, remember) {
      await db.writeGroups('day_index', entries.map((e) => [e]));
      if (remember) for (const e of entries) knownDays.add(`${e.params[0] as string}\u0000${dayMsOf(e.params[1])}`);
    },
    async days(scope, fromMs, toMs) {
      const rows = fromMs === undefined || toMs === undefined
        ? await collect(db.rows('day_index', q.selectAllDays, [scope]))
        : await collect(db.rows('day_index', q.selectDays, [scope, cqlDay(dayOf(clampMs(fromMs))), cqlDay(dayOf(clampMs(toMs)))]));
      return rows.map((r) => dayMsOf(r.day));
    },
    async *walk(scope, range = {}) {
      const since = cqlDay(dayOf(clampMs(range.sinceMs ?? -8.64e15)));
      const until = cqlDay(dayOf(clampMs(range.untilMs ?? 8.64e15)));
      for await (const r of db.rows('day_index', q.selectDays, [scope, since, until], WALK_PAGE)) yield dayMsOf(r.day);
    },
  };
}

/** The day buckets [fromMs, toMs) touches, oldest first, computed (no index read): for short processor reads. */
export function daysBetween(fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  if (!(toMs > fromMs)) return out;
  for (let d = dayOf(clampMs(fromMs)); d < clampMs(toMs); d += 86_400_000) out.push(d);
  return out;
}

export async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/** "all time" ranges such as [0, Number.MAX_SAFE_INTEGER] stay within what a Date (and a CQL date) can hold */
export const clampMs = (ms: number): number => Math.min(Math.max(ms, -8.64e15), 8.64e15);

/** one query per day partition of a key, bounded in flight */
export async function perDay<T>(db: CassandraExecutor, concurrency: number, table: string, query: string, key: string, dayList: number[], fromMs: number, toMs: number, map: (r: cassandra.types.Row) => T): Promise<T[]> {
  const parts = await mapBounded(dayList, concurrency, (day) => collect(db.rows(table, query, [key, cqlDay(day), fromMs, toMs], 5000)));
  return parts.flat().map(map);
}
