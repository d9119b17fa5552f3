import type { Candle, SentimentLabel, SentimentWindow, Trade, TickerMention, Security } from '../../domain/types.ts';
import type { MentionFact } from '../../domain/windows/index.ts';
import type { AlertRow, DeadLetterRow, MentionsHourRow, PostRow, RawFamily, RawReader, StoreWriter } from './repository.ts';
import { HOUR_MS, dayOf, hourOf } from './repository.ts';
import { BATCH_ROWS, groupBy, type CassandraExecutor, type Statement } from './cassandra-exec.ts';
import { daysBetween, perDay, type DayIndex } from './cassandra-days.ts';
import { NEWEST_POST_HORIZON, POSTS_BY_HOUR_SCOPE, checkVersion, cqlDay, meanOf, priceWriteTimestamp, statements, toTrade, versionHorizon } from './cassandra-rows.ts';

/**
 * The processor's half of the Cassandra store: raw rows and aggregates
 * written, raw rows read back to rebuild an aggregate.
 *
 * - Writes are idempotent upserts on the source event's key; rows of one
 *   partition go in one UNLOGGED batch, partitions in parallel up to the
 *   executor's bound; a call resolves only when every row is written.
 * - latest_prices is written USING TIMESTAMP from the trade's event time, so
 *   the newest trade wins whatever the arrival order, without a read;
 *   the raw horizons the same way, after the raw rows they cover, and
 *   the version horizon with every aggregate write.
 * - Aggregates are written USING TIMESTAMP <version> (003_exact_aggregates.cql).
 * - Raw Reddit text and dead-letter payloads are written apart from the rest
 *   of their row, with their own TTL: the facts every aggregate is rebuilt
 *   from stay as long as the row (005_read_path.cql, README "Design").
 * - Raw reads compute their day partitions from the range (no index read):
 *   a bucket is a minute or an hour, one or two partitions.
 */
export interface WriteContext {
  db: CassandraExecutor;
  q: ReturnType<typeof statements>;
  index: DayIndex;
  concurrency: number;
  /** seconds raw trades live; 0 = forever */
  tradeTtlSeconds: number;
  /** seconds the text of a post lives in posts_by_hour and posts_by_ticker (the rest of the row stays); 0 = forever */
  postTextTtlSeconds?: number; // default 0
  /** seconds the payload of a dead letter lives (its code, reason and coordinates stay); 0 = forever */
  deadLetterPayloadTtlSeconds?: number; // default 0
}


/**
 * One row per primary key in a write call, the last one given. Two inserts of
 * one key in one UNLOGGED batch share a write timestamp, and a non-frozen list
 * column (trades.conditions, posts_by_day.tickers) then keeps the elements of
 * both: a trade delivered twice in one batch would read back with its
 * conditions doubled.
 */
function lastByKey<T>(rows: readonly T[], key: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const r of rows) byKey.set(key(r), r);
  return byKey.size === rows.length ? [...rows] : [...byKey.values()];
}

/**
 * A frozen list as a bound value: an empty list is left unset, because
 * Cassandra stores an empty frozen collection as a null cell, a tombstone
 * every read of the partition then steps over (bench/read.ts, collections:
 * 124 tombstones per read of an hour of one symbol's trades). Unset writes
 * nothing, and reads back as null: [].
 */
const frozenList = (xs: readonly string[]): readonly string[] | undefined => (xs.length === 0 ? undefined : xs);

export function createCassandraWriter(ctx: WriteContext): StoreWriter & RawReader {
  const { db, q, index, concurrency } = ctx;
  const ttl = ctx.tradeTtlSeconds;
  const textTtl = ctx.postTextTtlSeconds ?? 0;
  const payloadTtl = ctx.deadLetterPayloadTtlSeconds ?? 0;

  /** the highest value wins by write timestamp (003_exact_aggregates.cql) */
  const horizon = (name: string, value: number, micros: number): Statement[][] => [[{ query: q.insertHorizon, params: [name, value, micros] }]];
  const raiseHorizon = async (family: RawFamily, rows: readonly { timestamp: number }[]): Promise<void> => {
    let newest = -Infinity;
    for (const r of rows) if (r.timestamp > newest) newest = r.timestamp;
    if (!Number.isFinite(newest)) return;
    await db.writeGroups('horizons', horizon(`raw/${family}`, newest, Math.round(newest * 1000)));
  };
  const raiseVersion = (version: number) => db.writeGroups('horizons', versionHorizon(q.keyspace, version));

  return {
    async writeTrades(batch: Trade[]) {
      if (batch.length === 0) return;
      const trades = lastByKey(batch, (t) => `${t.symbol}\u0000${t.timestamp}\u0000${t.seq}`);
      const rows = groupBy(trades, (t) => `${t.symbol}\u0000${dayOf(t.timestamp)}`, BATCH_ROWS).map((g) => g.map((t): Statement => ({
        query: q.insertTrade, params: [t.symbol, cqlDay(dayOf(t.timestamp)), t.timestamp, t.seq, t.price, t.volume, frozenList(t.conditions), ttl],
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
      // The same rows in price_board's one partition, which the dashboards read (one batch: one partition).
      const board = groupBy([...newest.values()], () => 'board', BATCH_ROWS).map((g) => g.map((t): Statement => ({
        query: q.insertPriceBoard, params: [t.symbol, t.price, t.timestamp, t.seq, priceWriteTimestamp(t)],
      })));
      // An index row outlives the trades it points at by a day (0 = both forever).
      const dayRows = index.entries(trades.map((t) => [`trades/${t.symbol}`, dayOf(t.timestamp)]), ttl === 0 ? 0 : ttl + 86_400);
      await Promise.all([
        db.writeGroups('trades_by_symbol', rows), db.writeGroups('latest_prices', prices), db.writeGroups('price_board', board), index.write(dayRows, false),
      ]);
      // After the rows: the horizon must never claim a raw row that is not durable yet.
      await raiseHorizon('trades', trades);
    },

    async writeCandles(candles: Candle[], version: number) {
      if (candles.length === 0) return;
      const groups = groupBy(candles, (c) => `${c.symbol}\u0000${dayOf(c.minute)}`, BATCH_ROWS).map((g) => g.map((c): Statement => ({
        query: q.insertCandle, params: [c.symbol, cqlDay(dayOf(c.minute)), c.minute, c.open, c.high, c.low, c.close, c.volume, c.trades, checkVersion(version)],
      })));
      const dayRows = index.entries(candles.map((c) => [`candles/${c.symbol}`, dayOf(c.minute)]));
      await Promise.all([db.writeGroups('candles_1m', groups), index.write(dayRows, true), raiseVersion(version)]);
    },

    async writePosts(postBatch: PostRow[], mentionBatch: TickerMention[]) {
      const posts = lastByKey(postBatch, (p) => p.fullname);
      const mentions = lastByKey(mentionBatch, (m) => `${m.ticker}\u0000${m.created}\u0000${m.postId}`);
      // A post's tickers go with each of its mentions, so a ticker's posts read posts_by_ticker alone.
      const tickersOf = new Map(posts.map((p) => [p.fullname, p.tickers]));
      const byHour = groupBy(posts, (p) => String(hourOf(p.created)), BATCH_ROWS).map((g) => g.flatMap((p): Statement[] => [
        { query: q.insertPostHour, params: [hourOf(p.created), p.created, p.fullname, p.kind, p.subreddit, p.author, p.permalink, p.score, p.sentiment, p.label, frozenList(p.tickers)] },
        { query: q.setPostHourText, params: [textTtl, p.text, hourOf(p.created), p.created, p.fullname] },
      ]));
      const byTicker = groupBy(mentions, (m) => `${m.ticker}\u0000${dayOf(m.created)}`, BATCH_ROWS).map((g) => g.flatMap((m): Statement[] => [
        {
          query: q.insertPostByTicker,
          // tickers unknown (the post is not in this call): left unset; the reader then looks the post up
          params: [m.ticker, cqlDay(dayOf(m.created)), m.created, m.postId, m.kind, m.subreddit, m.author, m.permalink, m.sentiment, m.label, m.score, tickersOf.get(m.postId)],
        },
        { query: q.setPostByTickerText, params: [textTtl, m.text, m.ticker, cqlDay(dayOf(m.created)), m.created, m.postId] },
      ]));
      const dayRows = index.entries([
        ...posts.map((p): [string, number] => [POSTS_BY_HOUR_SCOPE, dayOf(p.created)]),
        ...mentions.map((m): [string, number] => [`posts/${m.ticker}`, dayOf(m.created)]),
      ]);
      await Promise.all([db.writeGroups('posts_by_hour', byHour), db.writeGroups('posts_by_ticker', byTicker), index.write(dayRows, true)]);
      const newestPost = posts.reduce((n, p) => Math.max(n, p.created), -Infinity);
      await Promise.all([
        raiseHorizon('mentions', mentions.map((m) => ({ timestamp: m.created }))),
        // where "the newest posts" start reading; after the rows, like the raw horizons
        Number.isFinite(newestPost) ? db.writeGroups('horizons', horizon(NEWEST_POST_HORIZON, newestPost, Math.round(newestPost * 1000))) : undefined,
      ]);
    },

    async writeSentimentWindows(windows: SentimentWindow[], version: number) {
      if (windows.length === 0) return;
      const groups = groupBy(windows, (w) => `${w.ticker}\u0000${dayOf(w.minute)}`, BATCH_ROWS).map((g) => g.map((w): Statement => ({
        query: q.insertSentiment,
        params: [w.ticker, cqlDay(dayOf(w.minute)), w.minute, w.count, w.sum, w.sumSquares, meanOf(w.sum, w.count), w.pos, w.neg, w.neu, checkVersion(version)],
      })));
      const dayRows = index.entries(windows.map((w) => [`sentiment/${w.ticker}`, dayOf(w.minute)]));
      await Promise.all([db.writeGroups('ticker_sentiment_1m', groups), index.write(dayRows, true), raiseVersion(version)]);
    },

    async writeMentionsHours(rows: MentionsHourRow[], version: number) {
      if (rows.length === 0) return;
      const groups = groupBy(rows, (r) => String(r.hour), BATCH_ROWS).map((g) => g.map((r): Statement => ({
        query: q.insertMentionsHour, params: [r.hour, r.ticker, r.count, r.sentimentSum, meanOf(r.sentimentSum, r.count), r.pos, r.neg, r.neu, checkVersion(version)],
      })));
      const dayRows = index.entries(rows.map((r) => ['mentions', dayOf(r.hour)]));
      await Promise.all([db.writeGroups('mentions_by_hour', groups), index.write(dayRows, true), raiseVersion(version)]);
    },

    async deleteCandles(symbol, minutes, version) {
      if (minutes.length === 0) return;
      await Promise.all([
        db.writeGroups('candles_1m', minutes.map((m) => [{ query: q.deleteCandle, params: [checkVersion(version), symbol, cqlDay(dayOf(m)), m] }])),
        raiseVersion(version),
      ]);
    },

    async deleteSentimentWindows(ticker, minutes, version) {
      if (minutes.length === 0) return;
      await Promise.all([
        db.writeGroups('ticker_sentiment_1m', minutes.map((m) => [{ query: q.deleteSentiment, params: [checkVersion(version), ticker, cqlDay(dayOf(m)), m] }])),
        raiseVersion(version),
      ]);
    },

    async deleteMentionsHours(ticker, hours, version) {
      if (hours.length === 0) return;
      await Promise.all([
        db.writeGroups('mentions_by_hour', hours.map((h) => [{ query: q.deleteMentionsHour, params: [checkVersion(version), h, ticker] }])),
        raiseVersion(version),
      ]);
    },

    async writeDeadLetters(rows: DeadLetterRow[]) {
      if (rows.length === 0) return;
      const groups = groupBy(rows, (r) => String(dayOf(r.at)), BATCH_ROWS).map((g) => g.flatMap((r): Statement[] => [
        { query: q.insertDeadLetter, params: [cqlDay(dayOf(r.at)), r.at, r.topic, r.partition, r.offset, r.code, r.reason] },
        { query: q.setDeadLetterPayload, params: [payloadTtl, r.payloadHex, cqlDay(dayOf(r.at)), r.at, r.topic, r.partition, r.offset] },
      ]));
      const dayRows = index.entries(rows.map((r) => ['dlq', dayOf(r.at)]));
      await Promise.all([db.writeGroups('dlq_events', groups), index.write(dayRows, true)]);
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
        params: [cqlDay(dayOf(a.firedAt)), a.firedAt, a.ruleId, a.ticker, a.kind, a.message, a.value, a.threshold, a.channels?.join(',')],
      })));
      const dayRows = index.entries(rows.map((a) => ['alerts', dayOf(a.firedAt)]));
      await Promise.all([db.writeGroups('alerts', groups), index.write(dayRows, true)]);
    },

    async rawHorizon(family) {
      const [r] = await db.execute('horizons', q.selectHorizon, [`raw/${family}`]);
      return r?.value === null || r?.value === undefined ? -Infinity : Number(r.value);
    },

    async versionHorizon() {
      const [r] = await db.execute('horizons', q.selectHorizon, ['version']);
      return r?.value === null || r?.value === undefined ? 0 : Number(r.value);
    },

    loadTrades: (symbol, fromMs, toMs) =>
      perDay(db, concurrency, 'trades_by_symbol', q.selectTrades, symbol, daysBetween(fromMs, toMs), fromMs, toMs, toTrade),

    loadMentions: (ticker, fromMs, toMs) =>
      perDay(db, concurrency, 'posts_by_ticker', q.selectMentionFacts, ticker, daysBetween(fromMs, toMs), fromMs, toMs, (r): MentionFact => ({
        ticker: r.ticker as string, postId: r.post_id as string, created: (r.created as Date).getTime(),
        sentiment: r.sentiment as number, label: r.label as SentimentLabel,
      })),

    async rawKeys(family, fromMs, toMs) {
      const keys = new Set<string>();
      if (family === 'trades') {
        // Every symbol that ever traded has a latest price: a superset, a few hundred rows.
        for await (const r of db.rows('latest_prices', q.selectSymbols, [])) keys.add(r.symbol as string);
      } else {
        // Tickers of the posts of the range, and of the hours already aggregated (rows to delete).
        for (let h = hourOf(fromMs); h < toMs; h += HOUR_MS) {
          for await (const r of db.rows('posts_by_hour', q.selectPostHourTickers, [h, fromMs, toMs], 5000)) {
            for (const t of (r.tickers as string[] | null) ?? []) keys.add(t);
          }
        }
        // posts written before 005_read_path.cql
        for (const day of daysBetween(fromMs, toMs)) {
          for await (const r of db.rows('posts_by_day', q.selectPostTickers, [cqlDay(day), fromMs, toMs], 5000)) {
            for (const t of (r.tickers as string[] | null) ?? []) keys.add(t);
          }
        }
        for (let h = Math.floor(fromMs / HOUR_MS) * HOUR_MS; h < toMs; h += HOUR_MS) {
          for (const r of await db.execute('mentions_by_hour', q.selectMentionsHour, [h])) keys.add(r.ticker as string);
        }
        // and of the crowd tallies of those days (004_crowd_tallies.cql), which cover whole days
        for (const day of daysBetween(fromMs, toMs)) {
          for await (const r of db.rows('mention_days', `SELECT ticker FROM ${q.keyspace}.mention_days WHERE day = ?`, [cqlDay(day)], 5000)) keys.add(r.ticker as string);
        }
      }
      return [...keys].sort();
    },
  };
}
