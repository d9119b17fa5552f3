import type cassandra from 'cassandra-driver';
import type { Candle, SentimentLabel } from '../../domain/types.ts';
import { ALL_SCOPE, DAY_MS, type CrowdFact, type Grain, type MentionTally } from '../../domain/windows/crowd.ts';
import type { CrowdWriter, InsightReader, TallyKey, TallyQuery } from './repository.ts';
import { HOUR_MS, dayOf, hourOf } from './repository.ts';
import { collect, daysBetween, perDay } from './cassandra-days.ts';
import { BATCH_ROWS, groupBy, mapBounded, type CassandraExecutor, type Statement } from './cassandra-exec.ts';
import { checkVersion, cqlDay, toCandle, versionHorizon } from './cassandra-rows.ts';

/**
 * The Cassandra store's half of the insight views (issue 11; tables in
 * k8s/cassandra/004_crowd_tallies.cql): the crowd tallies the mention handler
 * writes, the raw rows they are rebuilt from, and their reads.
 *
 * Each grain has its table, partitioned by the next coarser unit of time
 * (minutes by hour, hours by day, days by day) and clustered by ticker, then
 * scope: a ranking reads whole partitions and keeps one scope (a partition
 * holds the tickers mentioned in that hour or day, not more); a ticker's crowd
 * reads its slice of a partition, every scope at once. A window of any length
 * touches at most two partitions of minutes, two of hours and one per whole
 * day (insight/cover.ts).
 */
export interface CrowdContext {
  db: CassandraExecutor;
  keyspace: string;
  concurrency: number;
}

type Row = cassandra.types.Row;

const COUNTS = 'ticker, scope, count, sentiment_sum, pos, neg, neu, upvotes, weighted, authors_count';
const FULL = `${COUNTS}, authors, top_post_id, top_created, top_score, top_permalink, top_text`;

/** per grain: its table, the partition of a start, and the clustering column of the start (none for days) */
const LAYOUT: Record<Grain, { table: string; partition: (start: number) => unknown; column: string | null }> = {
  minute: { table: 'mention_minutes', partition: (start) => new Date(hourOf(start)), column: 'minute' },
  hour: { table: 'mention_hours', partition: (start) => cqlDay(dayOf(start)), column: 'hour' },
  day: { table: 'mention_days', partition: (start) => cqlDay(dayOf(start)), column: null },
};
const PARTITION_COLUMN: Record<Grain, string> = { minute: 'hour', hour: 'day', day: 'day' };

/** the partitions of a grain's table that [fromMs, toMs) touches: hours for minutes, days otherwise */
function partitionsOf(grain: Grain, fromMs: number, toMs: number): number[] {
  if (grain !== 'minute') return daysBetween(fromMs, toMs);
  const out: number[] = [];
  for (let h = hourOf(fromMs); h < toMs; h += HOUR_MS) out.push(h);
  return out;
}

function statementsOf(keyspace: string) {
  const each = (grain: Grain) => {
    const { table, column } = LAYOUT[grain];
    const p = PARTITION_COLUMN[grain];
    const t = `${keyspace}.${table}`;
    const startCol = column === null ? '' : `, ${column}`;
    const startKey = column === null ? '' : ` AND ${column} = ?`;
    return {
      insert: `INSERT INTO ${t} (${p}, ${FULL}${startCol}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?${column === null ? '' : ', ?'}) USING TIMESTAMP ?`,
      delete: `DELETE FROM ${t} USING TIMESTAMP ? WHERE ${p} = ? AND ticker = ? AND scope = ?${startKey}`,
      counts: `SELECT ${COUNTS}${startCol} FROM ${t} WHERE ${p} = ?`,
      ticker: `SELECT ${FULL}${startCol} FROM ${t} WHERE ${p} = ? AND ticker = ?`,
      // one scope of a ticker: a slice of the clustering (ticker, scope), not every subreddit's rows
      tickerScope: `SELECT ${FULL}${startCol} FROM ${t} WHERE ${p} = ? AND ticker = ? AND scope = ?`,
      tickerScopeCounts: `SELECT ${COUNTS}${startCol} FROM ${t} WHERE ${p} = ? AND ticker = ? AND scope = ?`,
    };
  };
  return {
    minute: each('minute'),
    hour: each('hour'),
    day: each('day'),
    selectCrowdFacts: `SELECT ticker, post_id, created, sentiment, label, subreddit, author, score, permalink, text FROM ${keyspace}.posts_by_ticker WHERE ticker = ? AND day = ? AND created >= ? AND created < ?`,
    selectLastCandle: `SELECT symbol, minute, open, high, low, close, volume, trades FROM ${keyspace}.candles_1m WHERE symbol = ? AND day = ? AND minute >= ? AND minute < ? LIMIT 1`,
    selectHorizon: `SELECT value FROM ${keyspace}.horizons WHERE name = ?`,
  } as const;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : (v as cassandra.types.Long).toNumber());

function toTally(grain: Grain, r: Row, start: number, full: boolean): MentionTally {
  return {
    grain, ticker: r.ticker as string, scope: r.scope as string, start,
    count: num(r.count), sentimentSum: (r.sentiment_sum as number | null) ?? 0, pos: num(r.pos), neg: num(r.neg), neu: num(r.neu),
    upvotes: num(r.upvotes), weighted: num(r.weighted),
    authors: full ? [...((r.authors as string[] | null) ?? [])].sort() : [],
    // a row from before schema 7 has no count: a full read takes the set's size
    authorCount: r.authors_count !== null && r.authors_count !== undefined ? (r.authors_count as number) : full ? ((r.authors as string[] | null) ?? []).length : null,
    top: full && r.top_post_id !== null && r.top_post_id !== undefined ? {
      postId: r.top_post_id as string, created: (r.top_created as Date).getTime(), score: num(r.top_score),
      permalink: (r.top_permalink as string | null) ?? '', text: (r.top_text as string | null) ?? '',
    } : null,
  };
}

export function createCassandraCrowd(ctx: CrowdContext): CrowdWriter & InsightReader {
  const { db, concurrency } = ctx;
  const q = statementsOf(ctx.keyspace);
  const horizon = async (name: string): Promise<number | null> => {
    const [r] = await db.execute('horizons', q.selectHorizon, [name]);
    return r?.value === null || r?.value === undefined ? null : Number(r.value);
  };

  return {
    async writeMentionTallies(rows: MentionTally[], version: number) {
      if (rows.length === 0) return;
      checkVersion(version);
      const byGrain = (['minute', 'hour', 'day'] as const).map((grain) => {
        const { partition, table } = LAYOUT[grain];
        const groups = groupBy(rows.filter((r) => r.grain === grain), (r) => String(grain === 'minute' ? hourOf(r.start) : dayOf(r.start)), BATCH_ROWS)
          .map((g) => g.map((r): Statement => ({
            query: q[grain].insert,
            params: [
              partition(r.start), r.ticker, r.scope, r.count, r.sentimentSum, r.pos, r.neg, r.neu, r.upvotes, r.weighted, r.authors.length, r.authors,
              r.top?.postId ?? null, r.top?.created ?? null, r.top?.score ?? null, r.top?.permalink ?? null, r.top?.text ?? null,
              ...(grain === 'day' ? [] : [r.start]), version,
            ],
          })));
        return db.writeGroups(table, groups);
      });
      await Promise.all([...byGrain, db.writeGroups('horizons', versionHorizon(ctx.keyspace, version))]);
    },

    async deleteMentionTallies(ticker: string, keys: TallyKey[], version: number) {
      if (keys.length === 0) return;
      await Promise.all([
        ...(['minute', 'hour', 'day'] as const).map((grain) => db.writeGroups(LAYOUT[grain].table, keys.filter((k) => k.grain === grain).map((k) => [{
          query: q[grain].delete,
          params: [version, LAYOUT[grain].partition(k.start), ticker, k.scope, ...(grain === 'day' ? [] : [k.start])],
        }]))),
        db.writeGroups('horizons', versionHorizon(ctx.keyspace, version)),
      ]);
    },

    loadCrowd: (ticker, fromMs, toMs) =>
      perDay(db, concurrency, 'posts_by_ticker', q.selectCrowdFacts, ticker, daysBetween(fromMs, toMs), fromMs, toMs, (r): CrowdFact => ({
        ticker: r.ticker as string, postId: r.post_id as string, created: (r.created as Date).getTime(), sentiment: r.sentiment as number,
        label: r.label as SentimentLabel, subreddit: r.subreddit as string, author: r.author as string, score: num(r.score),
        // text past its TTL (STOCKSTREAMER_POST_TEXT_TTL_S) reads as null: a top post then shows its link alone
        permalink: r.permalink as string, text: (r.text as string | null) ?? '',
      })),

    async mentionTallies(query: TallyQuery) {
      const { grain, fromMs, toMs } = query;
      if (!(toMs > fromMs)) return [];
      const layout = LAYOUT[grain];
      const startOf = (r: Row, partition: number): number => (layout.column === null ? partition : (r[layout.column] as Date).getTime());
      const parts = partitionsOf(grain, fromMs, toMs);
      const scope = query.ticker === undefined ? (query.scope ?? ALL_SCOPE) : query.scope;
      const per = await mapBounded(parts, concurrency, async (partition) => {
        const key = grain === 'minute' ? new Date(partition) : cqlDay(partition);
        const full = query.ticker !== undefined && query.countsOnly !== true;
        const rows = query.ticker === undefined
          ? await collect(db.rows(layout.table, q[grain].counts, [key], 5000))
          : scope === undefined
            ? await collect(db.rows(layout.table, q[grain].ticker, [key, query.ticker], 5000))
            : await collect(db.rows(layout.table, full ? q[grain].tickerScope : q[grain].tickerScopeCounts, [key, query.ticker, scope], 5000));
        const out: MentionTally[] = [];
        for (const r of rows) {
          const start = startOf(r, partition);
          if (start < fromMs || start >= toMs) continue;
          if (scope !== undefined && r.scope !== scope) continue;
          out.push(toTally(grain, r, start, full));
        }
        return out;
      });
      return per.flat();
    },

    async lastCandleBefore(symbol, beforeMs, notBeforeMs): Promise<Candle | null> {
      // newest day first; a day's rows are clustered newest first, so LIMIT 1 is the answer of that day
      for (let day = dayOf(beforeMs - 1); day >= dayOf(notBeforeMs) && day + DAY_MS > notBeforeMs; day -= DAY_MS) {
        const [r] = await db.execute('candles_1m', q.selectLastCandle, [symbol, cqlDay(day), notBeforeMs, beforeMs]);
        if (r) return toCandle(r);
      }
      return null;
    },

    async dataTime() {
      const [trades, mentions] = await Promise.all([horizon('raw/trades'), horizon('raw/mentions')]);
      return { trades, mentions };
    },
  };
}
