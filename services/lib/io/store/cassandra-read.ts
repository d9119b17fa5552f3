import type cassandra from 'cassandra-driver';
import type { AlertRow, DeadLetterRow, LatestPrice, MentionsHourRow, MentionSummary, PostRow, StoreReader } from './repository.ts';
import { DAY_MS, HOUR_MS, dayOf } from './repository.ts';
import { mapBounded, type CassandraExecutor } from './cassandra-exec.ts';
import { collect, perDay, type DayIndex } from './cassandra-days.ts';
import {
  cqlDay, statements, toAlert, toCandle, toCompany, toDeadLetter, toMentionsHour, toPost, toSentiment, toTrade,
} from './cassandra-rows.ts';

/**
 * The dashboards' half of the Cassandra store, with the semantics of the
 * SQLite reference store: reads walk the day buckets listed in day_index,
 * newest first, and stop at the limit; range reads (candles, trades,
 * sentiment) answer oldest first, as the SQLite store does.
 */
export interface ReadContext {
  db: CassandraExecutor;
  q: ReturnType<typeof statements>;
  index: DayIndex;
  concurrency: number;
}

export function createCassandraReader(ctx: ReadContext): StoreReader {
  const { db, q, index, concurrency } = ctx;

  /** one row per partition key, newest-first rows of each day, concatenated and turned oldest first */
  const rangeRead = async <T>(scope: string, table: string, query: string, key: string, fromMs: number, toMs: number, map: (r: cassandra.types.Row) => T): Promise<T[]> => {
    if (!(toMs > fromMs)) return [];
    const buckets = await index.days(scope, fromMs, toMs);
    return (await perDay(db, concurrency, table, query, key, buckets, fromMs, toMs, (r) => r)).reverse().map(map);
  };

  const mentionsHours = async (fromMs: number, toMs: number): Promise<MentionsHourRow[]> => {
    if (!(toMs > fromMs)) return [];
    const buckets = (await index.days('mentions', fromMs, toMs)).reverse();
    const hours: number[] = [];
    for (const day of buckets) {
      for (let h = Math.max(day, Math.ceil(fromMs / HOUR_MS) * HOUR_MS); h < day + DAY_MS && h < toMs; h += HOUR_MS) hours.push(h);
    }
    const perHour = await mapBounded(hours, concurrency, (h) => db.execute('mentions_by_hour', q.selectMentionsHour, [h]));
    return perHour.flat().map(toMentionsHour);
  };

  return {
    async latestPrices(): Promise<LatestPrice[]> {
      const rows = await collect(db.rows('latest_prices', q.selectLatestPrices, []));
      const out = await mapBounded(rows, concurrency, async (r): Promise<LatestPrice> => {
        const timestamp = (r.ts as Date).getTime();
        const [open] = await db.execute('candles_1m', q.selectDayOpen, [r.symbol, cqlDay(dayOf(timestamp))]);
        return { symbol: r.symbol as string, price: r.price as number, timestamp, dayOpen: open ? (open.open as number) : null };
      });
      return out.sort((a, b) => compare(a.symbol, b.symbol));
    },

    candles: (symbol, fromMs, toMs) => rangeRead(`candles/${symbol}`, 'candles_1m', q.selectCandles, symbol, fromMs, toMs, toCandle),
    trades: (symbol, fromMs, toMs) => rangeRead(`trades/${symbol}`, 'trades_by_symbol', q.selectTrades, symbol, fromMs, toMs, toTrade),
    sentimentWindows: (ticker, fromMs, toMs) => rangeRead(`sentiment/${ticker}`, 'ticker_sentiment_1m', q.selectSentiment, ticker, fromMs, toMs, toSentiment),
    mentionsHours,

    async topMentions(fromMs, toMs, limit): Promise<MentionSummary[]> {
      const totals = new Map<string, { count: number; sum: number }>();
      for (const r of await mentionsHours(fromMs, toMs)) {
        const t = totals.get(r.ticker) ?? { count: 0, sum: 0 };
        t.count += r.count;
        t.sum += r.sentimentSum;
        totals.set(r.ticker, t);
      }
      return [...totals]
        .sort(([ta, a], [tb, b]) => b.count - a.count || compare(ta, tb))
        .slice(0, Math.max(0, limit))
        .map(([ticker, t]) => ({ ticker, count: t.count, meanSentiment: t.sum / t.count }));
    },

    async latestPosts({ ticker, limit }) {
      const out: PostRow[] = [];
      if (!(limit > 0)) return out;
      if (ticker === undefined) {
        for (const day of await index.days('posts')) {
          for await (const r of db.rows('posts_by_day', q.selectPostsOfDay, [cqlDay(day)], Math.min(limit - out.length, 5000))) {
            out.push(toPost(r));
            if (out.length >= limit) return out;
          }
        }
        return out;
      }
      // posts_by_ticker points at the post; like the SQLite join, a mention
      // whose post was never written is not shown.
      for (const day of await index.days(`posts/${ticker}`)) {
        for await (const r of db.rows('posts_by_ticker', q.selectPostIdsOfTicker, [ticker, cqlDay(day)], Math.min(limit - out.length, 5000))) {
          const created = (r.created as Date).getTime();
          const [post] = await db.execute('posts_by_day', q.selectPost, [cqlDay(dayOf(created)), created, r.post_id]);
          if (post) out.push(toPost(post));
          if (out.length >= limit) return out;
        }
      }
      return out;
    },

    async deadLetters(limit) {
      const out: DeadLetterRow[] = [];
      if (!(limit > 0)) return out;
      for (const day of await index.days('dlq')) {
        const rows = await db.execute('dlq_events', q.selectDeadLetters, [cqlDay(day), limit - out.length]);
        for (const r of rows) out.push(toDeadLetter(r));
        if (out.length >= limit) break;
      }
      return out;
    },

    async company(symbol) {
      const [r] = await db.execute('companies', q.selectCompany, [symbol]);
      return r ? toCompany(r) : undefined;
    },

    async alerts(fromMs, toMs, limit) {
      const out: AlertRow[] = [];
      if (!(limit > 0) || !(toMs > fromMs)) return out;
      for (const day of await index.days('alerts', fromMs, toMs)) {
        const rows = await db.execute('alerts', q.selectAlerts, [cqlDay(day), fromMs, toMs, limit - out.length]);
        for (const r of rows) out.push(toAlert(r));
        if (out.length >= limit) break;
      }
      return out;
    },

  };
}

/** binary order, as SQLite's ORDER BY on text */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
