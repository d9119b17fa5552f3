import cassandra from 'cassandra-driver';
import type { Candle, SentimentWindow, Trade, TickerMention, Security } from '../../domain/types.ts';
import type {
  AlertRow, Checkpoint, DeadLetterRow, LatestPrice, MentionsHourRow, MentionSummary, PostRow, Store,
} from './repository.ts';
import { DAY_MS, HOUR_MS, dayOf } from './repository.ts';
import { StockstreamerError } from '../../runtime/errors.ts';
import type { Logger } from '../../runtime/logger.ts';
import type { Metrics } from '../../runtime/metrics.ts';
import { createExecutor, groupBy, mapBounded, type Statement } from './cassandra-exec.ts';
import {
  cqlDay, dayMsOf, meanOf, priceWriteTimestamp, statements,
  toAlert, toCandle, toCompany, toDeadLetter, toMentionsHour, toPost, toSentiment, toTrade,
} from './cassandra-rows.ts';

/**
 * The store port on Apache Cassandra (k8s/cassandra/*.cql, applied by
 * migrate.ts), with the semantics of the SQLite reference store:
 *
 * - writes are idempotent upserts on the source event's key; rows of one
 *   partition go in one UNLOGGED batch, partitions in parallel up to
 *   `concurrency`; a call resolves only when every row is written;
 * - latest_prices is written USING TIMESTAMP from the trade's event time, so
 *   the newest trade wins whatever the arrival order, without a read;
 * - reads walk the day buckets listed in day_index, newest first, and stop at
 *   the limit; range reads (candles, trades, sentiment) answer oldest first,
 *   as the SQLite store does;
 * - driver errors become STORE_UNAVAILABLE (retriable) or STORE_WRITE_FAILED.
 *
 * The client connects on first use and reconnects by itself: a store created
 * while Cassandra is down answers STORE_UNAVAILABLE until it is back.
 */
export interface CassandraStoreOptions {
  /** "host" or "host:port" */
  contactPoints: string[];
  localDataCenter: string;
  keyspace: string;
  logger: Logger;
  /** when given, write latency is observed per Cassandra table (batchWriteSeconds) */
  metrics?: Metrics;
  /** statements or batches in flight per call at most */
  concurrency?: number; // default 64
  /** seconds raw trades live (STOCKSTREAMER_TRADE_TTL_S); 0 = forever */
  tradeTtlSeconds: number;
  /** milliseconds the driver waits for one answer before OperationTimedOut */
  readTimeoutMs?: number; // default 12000
  /** milliseconds to open a connection */
  connectTimeoutMs?: number; // default 5000
}

/** rows per single-partition UNLOGGED batch: one mutation on the replica, small enough to stay cheap to retry */
const BATCH_ROWS = 100;
const KEYSPACE_NAME = /^[a-z][a-z0-9_]{0,47}$/;

export function createCassandraClient(options: Pick<CassandraStoreOptions, 'contactPoints' | 'localDataCenter' | 'readTimeoutMs' | 'connectTimeoutMs'>): cassandra.Client {
  return new cassandra.Client({
    contactPoints: options.contactPoints,
    localDataCenter: options.localDataCenter,
    socketOptions: { readTimeout: options.readTimeoutMs ?? 12_000, connectTimeout: options.connectTimeoutMs ?? 5000 },
    policies: {
      // Back within seconds after an outage, not the default 10-minute ceiling.
      reconnection: new cassandra.policies.reconnection.ExponentialReconnectionPolicy(500, 5000, false), // milliseconds
    },
    queryOptions: { consistency: cassandra.types.consistencies.localQuorum },
  });
}

export function createCassandraStore(options: CassandraStoreOptions): Store {
  const { keyspace, logger } = options;
  if (!KEYSPACE_NAME.test(keyspace)) {
    throw new StockstreamerError('CONFIG_INVALID', `Cassandra keyspace "${keyspace}" must match ${KEYSPACE_NAME}`, { details: { key: 'STOCKSTREAMER_CASSANDRA_KEYSPACE' } });
  }
  const concurrency = options.concurrency ?? 64;
  const ttl = options.tradeTtlSeconds;
  const client = createCassandraClient(options);
  // The driver's own account of hosts going down and coming back, for the operator.
  client.on('log', (level: string, className: string, message: string) => {
    if (level === 'warning' || level === 'error') logger.warn({ driver: className }, `cassandra-driver: ${message}`);
  });
  const db = createExecutor(client, { concurrency, ...(options.metrics ? { metrics: options.metrics } : {}) });
  const q = statements(keyspace);
  let closed = false;

  /**
   * (scope, day) pairs already in day_index. Index rows are never deleted, so
   * writing one once per process is enough; TTL'd scopes (trades) are always
   * rewritten to keep their expiry ahead of the rows they point at.
   */
  const knownDays = new Set<string>();
  const dayEntries = (scopes: Iterable<[string, number]>, ttlSeconds?: number): Statement[] => {
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
  };
  const writeDays = async (entries: Statement[], remember: boolean): Promise<void> => {
    await db.writeGroups('day_index', entries.map((e) => [e]));
    if (remember) for (const e of entries) knownDays.add(`${e.params[0] as string}\u0000${dayMsOf(e.params[1])}`);
  };
  const days = async (scope: string, fromMs?: number, toMs?: number): Promise<number[]> => {
    const rows = fromMs === undefined || toMs === undefined
      ? await collect(db.rows('day_index', q.selectAllDays, [scope]))
      : await collect(db.rows('day_index', q.selectDays, [scope, cqlDay(dayOf(clampMs(fromMs))), cqlDay(dayOf(clampMs(toMs)))]));
    return rows.map((r) => dayMsOf(r.day));
  };

  /** one row per partition key, newest-first rows of each day, concatenated and turned oldest first */
  const rangeRead = async <T>(scope: string, table: string, query: string, key: string, fromMs: number, toMs: number, map: (r: cassandra.types.Row) => T): Promise<T[]> => {
    if (!(toMs > fromMs)) return [];
    const buckets = await days(scope, fromMs, toMs);
    const perDay = await mapBounded(buckets, concurrency, (day) => collect(db.rows(table, query, [key, cqlDay(day), fromMs, toMs], 5000)));
    return perDay.flat().reverse().map(map);
  };

  const mentionsHours = async (fromMs: number, toMs: number): Promise<MentionsHourRow[]> => {
    if (!(toMs > fromMs)) return [];
    const buckets = (await days('mentions', fromMs, toMs)).reverse();
    const hours: number[] = [];
    for (const day of buckets) {
      for (let h = Math.max(day, Math.ceil(fromMs / HOUR_MS) * HOUR_MS); h < day + DAY_MS && h < toMs; h += HOUR_MS) hours.push(h);
    }
    const perHour = await mapBounded(hours, concurrency, (h) => db.execute('mentions_by_hour', q.selectMentionsHour, [h]));
    return perHour.flat().map(toMentionsHour);
  };

  return {
    async writeTrades(trades: Trade[]) {
      if (trades.length === 0) return;
      const rows = groupBy(trades, (t) => `${t.symbol}\u0000${dayOf(t.timestamp)}`, BATCH_ROWS).map((g) => g.map((t): Statement => ({
        query: q.insertTrade, params: [t.symbol, cqlDay(dayOf(t.timestamp)), t.timestamp, t.seq, t.price, t.volume, t.conditions, ttl],
      })));
      // Only the newest trade of each symbol in the batch can matter; Cassandra
      // keeps the highest write timestamp across batches.
      const newest = new Map<string, Trade>();
      for (const t of trades) {
        const cur = newest.get(t.symbol);
        if (cur === undefined || priceWriteTimestamp(t) >= priceWriteTimestamp(cur)) newest.set(t.symbol, t);
      }
      const prices = [...newest.values()].map((t): Statement[] => [{
        query: q.insertLatestPrice, params: [t.symbol, t.price, t.timestamp, t.seq, priceWriteTimestamp(t)],
      }]);
      // An index row outlives the trades it points at by a day (0 = both forever).
      const index = dayEntries(trades.map((t) => [`trades/${t.symbol}`, dayOf(t.timestamp)]), ttl === 0 ? 0 : ttl + 86_400);
      await Promise.all([db.writeGroups('trades_by_symbol', rows), db.writeGroups('latest_prices', prices), writeDays(index, false)]);
    },

    async writeCandles(candles: Candle[]) {
      if (candles.length === 0) return;
      const groups = groupBy(candles, (c) => `${c.symbol}\u0000${dayOf(c.minute)}`, BATCH_ROWS).map((g) => g.map((c): Statement => ({
        query: q.insertCandle, params: [c.symbol, cqlDay(dayOf(c.minute)), c.minute, c.open, c.high, c.low, c.close, c.volume, c.trades],
      })));
      const index = dayEntries(candles.map((c) => [`candles/${c.symbol}`, dayOf(c.minute)]));
      await Promise.all([db.writeGroups('candles_1m', groups), writeDays(index, true)]);
    },

    async writePosts(posts: PostRow[], mentions: TickerMention[]) {
      const byDay = groupBy(posts, (p) => String(dayOf(p.created)), BATCH_ROWS).map((g) => g.map((p): Statement => ({
        query: q.insertPost,
        params: [cqlDay(dayOf(p.created)), p.created, p.fullname, p.kind, p.subreddit, p.author, p.text, p.permalink, p.score, p.sentiment, p.label, p.tickers],
      })));
      const byTicker = groupBy(mentions, (m) => `${m.ticker}\u0000${dayOf(m.created)}`, BATCH_ROWS).map((g) => g.map((m): Statement => ({
        query: q.insertPostByTicker,
        params: [m.ticker, cqlDay(dayOf(m.created)), m.created, m.postId, m.kind, m.subreddit, m.author, m.text, m.permalink, m.sentiment, m.label],
      })));
      const index = dayEntries([
        ...posts.map((p): [string, number] => ['posts', dayOf(p.created)]),
        ...mentions.map((m): [string, number] => [`posts/${m.ticker}`, dayOf(m.created)]),
      ]);
      await Promise.all([db.writeGroups('posts_by_day', byDay), db.writeGroups('posts_by_ticker', byTicker), writeDays(index, true)]);
    },

    async writeSentimentWindows(windows: SentimentWindow[]) {
      if (windows.length === 0) return;
      const groups = groupBy(windows, (w) => `${w.ticker}\u0000${dayOf(w.minute)}`, BATCH_ROWS).map((g) => g.map((w): Statement => ({
        query: q.insertSentiment,
        params: [w.ticker, cqlDay(dayOf(w.minute)), w.minute, w.count, w.sum, w.sumSquares, meanOf(w.sum, w.count), w.pos, w.neg, w.neu],
      })));
      const index = dayEntries(windows.map((w) => [`sentiment/${w.ticker}`, dayOf(w.minute)]));
      await Promise.all([db.writeGroups('ticker_sentiment_1m', groups), writeDays(index, true)]);
    },

    async writeMentionsHours(rows: MentionsHourRow[]) {
      if (rows.length === 0) return;
      const groups = groupBy(rows, (r) => String(r.hour), BATCH_ROWS).map((g) => g.map((r): Statement => ({
        query: q.insertMentionsHour, params: [r.hour, r.ticker, r.count, r.sentimentSum, meanOf(r.sentimentSum, r.count), r.pos, r.neg, r.neu],
      })));
      const index = dayEntries(rows.map((r) => ['mentions', dayOf(r.hour)]));
      await Promise.all([db.writeGroups('mentions_by_hour', groups), writeDays(index, true)]);
    },

    async writeDeadLetters(rows: DeadLetterRow[]) {
      if (rows.length === 0) return;
      const groups = groupBy(rows, (r) => String(dayOf(r.at)), BATCH_ROWS).map((g) => g.map((r): Statement => ({
        query: q.insertDeadLetter, params: [cqlDay(dayOf(r.at)), r.at, r.topic, r.partition, r.offset, r.code, r.reason, r.payloadHex],
      })));
      const index = dayEntries(rows.map((r) => ['dlq', dayOf(r.at)]));
      await Promise.all([db.writeGroups('dlq_events', groups), writeDays(index, true)]);
    },

    async saveCheckpoint(cp: Checkpoint) {
      await db.writeGroups('checkpoints', [[{ query: q.insertCheckpoint, params: [cp.group, cp.topic, cp.partition, cp.watermark] }]]);
    },

    async loadCheckpoint(group, topic, partition) {
      const [r] = await db.execute('checkpoints', q.selectCheckpoint, [group, topic, partition]);
      return r ? { group, topic, partition, watermark: r.watermark as number } : undefined;
    },

    async seedCompanies(securities: Security[]) {
      await db.writeGroups('companies', securities.map((s) => [{
        query: q.insertCompany, params: [s.symbol, s.name, s.exchange, s.sector, s.industry, s.marketCapUsd, s.country],
      }]));
    },

    async writeAlerts(rows: AlertRow[]) {
      if (rows.length === 0) return;
      const groups = groupBy(rows, (a) => String(dayOf(a.firedAt)), BATCH_ROWS).map((g) => g.map((a): Statement => ({
        query: a.delivered ? q.insertAlertDelivered : q.insertAlert,
        params: [cqlDay(dayOf(a.firedAt)), a.firedAt, a.ruleId, a.ticker, a.kind, a.message, a.value, a.threshold],
      })));
      const index = dayEntries(rows.map((a) => ['alerts', dayOf(a.firedAt)]));
      await Promise.all([db.writeGroups('alerts', groups), writeDays(index, true)]);
    },

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
        for (const day of await days('posts')) {
          for await (const r of db.rows('posts_by_day', q.selectPostsOfDay, [cqlDay(day)], Math.min(limit - out.length, 5000))) {
            out.push(toPost(r));
            if (out.length >= limit) return out;
          }
        }
        return out;
      }
      // posts_by_ticker points at the post; like the SQLite join, a mention
      // whose post was never written is not shown.
      for (const day of await days(`posts/${ticker}`)) {
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
      for (const day of await days('dlq')) {
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
      for (const day of await days('alerts', fromMs, toMs)) {
        const rows = await db.execute('alerts', q.selectAlerts, [cqlDay(day), fromMs, toMs, limit - out.length]);
        for (const r of rows) out.push(toAlert(r));
        if (out.length >= limit) break;
      }
      return out;
    },

    async ping() {
      if (closed) return false;
      try {
        await client.execute('SELECT release_version FROM system.local', [], { prepare: true, isIdempotent: true });
        return true;
      } catch (err) {
        logger.debug({ err: (err as Error).message }, 'Cassandra ping failed');
        return false;
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      await client.shutdown();
    },
  };
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/** "all time" ranges such as [0, Number.MAX_SAFE_INTEGER] stay within what a Date (and a CQL date) can hold */
const clampMs = (ms: number): number => Math.min(Math.max(ms, -8.64e15), 8.64e15);

/** binary order, as SQLite's ORDER BY on text */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
