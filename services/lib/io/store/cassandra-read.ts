import type cassandra from 'cassandra-driver';
import type { AlertRow, DeadLetterRow, LatestPrice, MentionsHourRow, MentionSummary, PostRow, StoreReader } from './repository.ts';
import { DAY_MS, HOUR_MS, dayOf, hourOf } from './repository.ts';
import { mapBounded, type CassandraExecutor } from './cassandra-exec.ts';
import { collect, daysBetween, perDay, type DayIndex } from './cassandra-days.ts';
import {
  POSTS_BY_HOUR_SCOPE, NEWEST_POST_HORIZON, PRICE_BOARD,
  cqlDay, statements, toAlert, toCandle, toCompany, toDeadLetter, toMentionsHour, toPost, toSentiment, toTrade,
} from './cassandra-rows.ts';

/**
 * The dashboards' half of the Cassandra store, with the semantics of the
 * SQLite reference store. Every read touches a bounded number of partitions
 * and rows, whatever the range asked and however much history is stored
 * (README "Design", the read path):
 *
 * - the price list is one partition (price_board); each symbol's day open
 *   (its first candle of the day, one row) is read again at most every
 *   DAY_OPEN_MAX_AGE_MS;
 * - range reads (candles, trades, sentiment, mention hours) of up to a week
 *   compute their day or hour partitions from the range and read them in
 *   parallel, without an index read; longer ranges (reprocess, "all time")
 *   read day_index for the days that hold rows;
 * - "the newest N" reads (posts, posts of a ticker, dead letters, alerts)
 *   walk their partitions newest first, a page of day_index at a time, and
 *   stop at the limit: they read the partitions they return rows from, plus
 *   at most a page of index;
 * - a ticker's posts come whole from posts_by_ticker, which holds what the
 *   page shows; only rows written before 005_read_path.cql look their post up.
 * Range reads answer oldest first, "newest N" reads newest first, as SQLite.
 */
export interface ReadContext {
  db: CassandraExecutor;
  q: ReturnType<typeof statements>;
  index: DayIndex;
  concurrency: number;
}

/** a range of up to this many day buckets (a week's chart touches 8) is read without an index read */
const COMPUTED_DAYS_MAX = 8;
/** a range of up to this many hours (the alerter's and the top list's windows) is read hour by hour without an index read */
const COMPUTED_HOURS_MAX = 48;
/** rows per page of a "newest N" read: one page answers a dashboard list */
const LIST_PAGE_MAX = 500;
/**
 * How long a symbol's day open is reused before it is read again, ms. The
 * first candle of a day only changes with a trade late into that day's
 * first minutes, or a reprocess; the price list is asked every second by
 * every dashboard, and reading 50 first candles each time was 50 of the 60
 * reads a second of an open page (bench/read.ts, live).
 */
const DAY_OPEN_MAX_AGE_MS = 10_000;

export function createCassandraReader(ctx: ReadContext): StoreReader {
  const { db, q, index, concurrency } = ctx;

  /** the day buckets of [fromMs, toMs) that may hold rows of the scope, newest first */
  const rangeDays = async (scope: string, fromMs: number, toMs: number): Promise<number[]> =>
    // checked before listing them: "all time" is a hundred million days
    toMs - dayOf(fromMs) <= COMPUTED_DAYS_MAX * DAY_MS ? daysBetween(fromMs, toMs).reverse() : index.days(scope, fromMs, toMs);

  /** one query per day partition of the key; each day answers newest first, so the whole is reversed to oldest first */
  const rangeRead = async <T>(scope: string, table: string, query: string, key: string, fromMs: number, toMs: number, map: (r: cassandra.types.Row) => T): Promise<T[]> => {
    if (!(toMs > fromMs)) return [];
    const buckets = await rangeDays(scope, fromMs, toMs);
    return (await perDay(db, concurrency, table, query, key, buckets, fromMs, toMs, (r) => r)).reverse().map(map);
  };

  const mentionsHours = async (fromMs: number, toMs: number): Promise<MentionsHourRow[]> => {
    if (!(toMs > fromMs)) return [];
    const hours: number[] = [];
    const first = Math.ceil(fromMs / HOUR_MS) * HOUR_MS;
    if ((toMs - first) / HOUR_MS <= COMPUTED_HOURS_MAX) {
      for (let h = first; h < toMs; h += HOUR_MS) hours.push(h);
    } else {
      for (const day of (await index.days('mentions', fromMs, toMs)).reverse()) {
        for (let h = Math.max(day, first); h < day + DAY_MS && h < toMs; h += HOUR_MS) hours.push(h);
      }
    }
    const perHour = await mapBounded(hours, concurrency, (h) => collect(db.rows('mentions_by_hour', q.selectMentionsHour, [h], 5000)));
    return perHour.flat().map(toMentionsHour);
  };

  /** every row of price_board: one partition of a row per symbol ever traded */
  const priceRows = async (): Promise<cassandra.types.Row[]> => {
    const board = await collect(db.rows('price_board', q.selectPriceBoard, [PRICE_BOARD], 5000));
    // A keyspace migrated to 005 before any trade arrived: the board fills with
    // the first trade of each symbol; until then the old table answers.
    return board.length > 0 ? board : collect(db.rows('latest_prices', q.selectLatestPrices, []));
  };

  /**
   * The open of a symbol's first candle of `day` (one row of one partition,
   * read in reverse: candles_1m clusters newest first), reused for
   * DAY_OPEN_MAX_AGE_MS; concurrent askers share one read. Not one IN over
   * every symbol: Cassandra answers an IN with ORDER BY by reading every row
   * of every partition and sorting them (bench/read.ts: seconds under load).
   */
  const opens = new Map<string, { open: number | null; at: number; reading?: Promise<number | null> }>();
  const dayOpen = (symbol: string, day: number): Promise<number | null> | number | null => {
    const key = `${symbol}\u0000${day}`;
    const entry = opens.get(key) ?? { open: null, at: -Infinity };
    opens.set(key, entry);
    if (entry.reading) return entry.reading;
    if (performance.now() - entry.at < DAY_OPEN_MAX_AGE_MS) return entry.open;
    entry.reading = db.execute('candles_1m', q.selectDayOpen, [symbol, cqlDay(day)]).then(
      ([r]) => {
        entry.open = r ? (r.open as number) : null;
        entry.at = performance.now();
        entry.reading = undefined;
        return entry.open;
      },
      (err: unknown) => {
        entry.reading = undefined;
        throw err;
      },
    );
    return entry.reading;
  };

  /**
   * The newest posts of every ticker, from posts_by_hour: hours walked newest
   * first from the hour of the newest post written (horizons), through the days
   * day_index lists, stopping at the limit. Days of the old posts_by_day (rows
   * written before 005) are merged in by day, so an upgrade shows both.
   */
  async function latestPostsOfAll(limit: number): Promise<PostRow[]> {
    const out: PostRow[] = [];
    const hourlyDays = index.walk(POSTS_BY_HOUR_SCOPE);
    const legacyDays = index.walk('posts');
    // One round trip for the newest post's time and the first page of each index.
    const [newestRow, firstHourly, firstLegacy] = await Promise.all([
      db.execute('horizons', q.selectHorizon, [NEWEST_POST_HORIZON]), hourlyDays.next(), legacyDays.next(),
    ]);
    const newest = newestRow[0]?.value === null || newestRow[0]?.value === undefined ? -Infinity : Number(newestRow[0].value);
    /** posts of one day of either table, newest first, at most `want` */
    const dayPosts = async (day: number, hourly: boolean, legacy: boolean, want: number): Promise<PostRow[]> => {
      const got: PostRow[] = [];
      if (hourly) {
        // The newest post's hour, not 23:00: the hours after it are empty.
        const top = Number.isFinite(newest) && dayOf(newest) === day ? hourOf(newest) : day + DAY_MS - HOUR_MS;
        for (let h = top; h >= day && got.length < want; h -= HOUR_MS) {
          for (const r of await db.execute('posts_by_hour', q.selectPostsOfHour, [h, Math.min(want - got.length, LIST_PAGE_MAX)])) got.push(toPost(r));
        }
      }
      if (legacy) {
        for (const r of await db.execute('posts_by_day', q.selectPostsOfDayLimit, [cqlDay(day), Math.min(want, LIST_PAGE_MAX)])) got.push(toPost(r));
        got.sort(newestFirst);
      }
      return got.slice(0, want);
    };
    for await (const { day, a, b } of mergeDesc(firstHourly, hourlyDays, firstLegacy, legacyDays)) {
      for (const p of await dayPosts(day, a, b, limit - out.length)) out.push(p);
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * The newest posts mentioning a ticker, whole from posts_by_ticker. A row
   * written before 005 lacks the post's tickers and score: its post is looked
   * up by key, and, as SQLite's join, a mention whose post was never written
   * is not shown.
   */
  async function latestPostsOfTicker(ticker: string, limit: number): Promise<PostRow[]> {
    const out: PostRow[] = [];
    for await (const day of index.walk(`posts/${ticker}`)) {
      const rows = await db.execute('posts_by_ticker', q.selectPostsOfTicker, [ticker, cqlDay(day), Math.min(limit - out.length, LIST_PAGE_MAX)]);
      const posts = await mapBounded(rows, concurrency, async (r): Promise<PostRow | undefined> => {
        if (r.tickers !== null && r.tickers !== undefined) return toPost(r);
        const created = (r.created as Date).getTime();
        const [post] = await db.execute('posts_by_hour', q.selectPostOfHour, [hourOf(created), created, r.post_id]);
        if (post) return toPost(post);
        const [old] = await db.execute('posts_by_day', q.selectPost, [cqlDay(dayOf(created)), created, r.post_id]);
        return old ? toPost(old) : undefined;
      });
      for (const p of posts) {
        if (p === undefined) continue;
        out.push(p);
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  return {
    async latestPrices(): Promise<LatestPrice[]> {
      const rows = await priceRows();
      const out = await mapBounded(rows, concurrency, async (r): Promise<LatestPrice> => {
        const timestamp = (r.ts as Date).getTime();
        return { symbol: r.symbol as string, price: r.price as number, timestamp, dayOpen: await dayOpen(r.symbol as string, dayOf(timestamp)) };
      });
      // only the days asked now stay remembered: a row per symbol
      const asked = new Set(out.map((p) => `${p.symbol}\u0000${dayOf(p.timestamp)}`));
      for (const key of opens.keys()) if (!asked.has(key)) opens.delete(key);
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
      if (!(limit > 0)) return [];
      return ticker === undefined ? latestPostsOfAll(limit) : latestPostsOfTicker(ticker, limit);
    },

    async deadLetters(limit) {
      const out: DeadLetterRow[] = [];
      if (!(limit > 0)) return out;
      for await (const day of index.walk('dlq')) {
        const rows = await db.execute('dlq_events', q.selectDeadLetters, [cqlDay(day), Math.min(limit - out.length, LIST_PAGE_MAX)]);
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
      for await (const day of index.walk('alerts', { sinceMs: fromMs, untilMs: toMs })) {
        for await (const r of db.rows('alerts', q.selectAlerts, [cqlDay(day), fromMs, toMs, limit - out.length], Math.min(limit - out.length, LIST_PAGE_MAX))) {
          out.push(toAlert(r));
        }
        if (out.length >= limit) break;
      }
      return out;
    },

  };
}

/** binary order, as SQLite's ORDER BY on text */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** posts_by_day's and posts_by_hour's clustering order: created, then fullname, both descending */
const newestFirst = (a: PostRow, b: PostRow): number => b.created - a.created || compare(b.fullname, a.fullname);

/** Two newest-first day walks (each with its first step already taken) merged a day at a time, saying which walk had it. */
async function* mergeDesc(
  firstA: IteratorResult<number>, a: AsyncGenerator<number>, firstB: IteratorResult<number>, b: AsyncGenerator<number>,
): AsyncGenerator<{ day: number; a: boolean; b: boolean }> {
  let na = firstA;
  let nb = firstB;
  while (!na.done || !nb.done) {
    const day = Math.max(na.done ? -Infinity : na.value, nb.done ? -Infinity : nb.value);
    const inA = !na.done && na.value === day;
    const inB = !nb.done && nb.value === day;
    yield { day, a: inA, b: inB };
    [na, nb] = await Promise.all([inA ? a.next() : na, inB ? b.next() : nb]);
  }
}
