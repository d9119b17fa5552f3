import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Candle, SentimentWindow, Trade, TickerMention, Security, SentimentLabel } from '../../domain/types.ts';
import type {
  AlertRow, DeadLetterRow, LatestPrice, MentionsHourRow, MentionSummary, PostRow, RawFamily, Store,
} from './repository.ts';
import type { MentionFact } from '../../domain/windows/index.ts';
import { createSqliteCrowd } from './sqlite-crowd.ts';
import { dayOf } from './repository.ts';
import { StockstreamerError } from '../../runtime/errors.ts';

/**
 * The embedded store: one SQLite file through node:sqlite, the same tables and
 * keys as the Cassandra schema (k8s/cassandra/), so both implement one
 * repository contract. Each write call is one transaction: a Ctrl-C never
 * leaves half a batch behind, and every write is an upsert on the event's key.
 */
const SCHEMA = `
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS trades_by_symbol (
  symbol TEXT NOT NULL, day INTEGER NOT NULL, ts INTEGER NOT NULL, seq INTEGER NOT NULL,
  price REAL NOT NULL, volume REAL NOT NULL, conditions TEXT NOT NULL,
  PRIMARY KEY (symbol, ts, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS latest_prices (
  symbol TEXT PRIMARY KEY, price REAL NOT NULL, ts INTEGER NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS candles_1m (
  symbol TEXT NOT NULL, day INTEGER NOT NULL, minute INTEGER NOT NULL,
  open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL,
  volume REAL NOT NULL, trades INTEGER NOT NULL,
  PRIMARY KEY (symbol, minute)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS posts (
  fullname TEXT PRIMARY KEY, kind TEXT NOT NULL, subreddit TEXT NOT NULL, author TEXT NOT NULL,
  text TEXT NOT NULL, permalink TEXT NOT NULL, created INTEGER NOT NULL, score INTEGER NOT NULL,
  sentiment REAL NOT NULL, label TEXT NOT NULL, tickers TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS posts_created ON posts (created DESC);
CREATE TABLE IF NOT EXISTS posts_by_ticker (
  ticker TEXT NOT NULL, day INTEGER NOT NULL, created INTEGER NOT NULL, post_id TEXT NOT NULL,
  kind TEXT NOT NULL, subreddit TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL,
  permalink TEXT NOT NULL, sentiment REAL NOT NULL, label TEXT NOT NULL,
  PRIMARY KEY (ticker, created, post_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ticker_sentiment_1m (
  ticker TEXT NOT NULL, day INTEGER NOT NULL, minute INTEGER NOT NULL, count INTEGER NOT NULL,
  sum REAL NOT NULL, sum_squares REAL NOT NULL, pos INTEGER NOT NULL, neg INTEGER NOT NULL, neu INTEGER NOT NULL,
  PRIMARY KEY (ticker, minute)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mentions_by_hour (
  hour INTEGER NOT NULL, ticker TEXT NOT NULL, count INTEGER NOT NULL, sentiment_sum REAL NOT NULL,
  pos INTEGER NOT NULL, neg INTEGER NOT NULL, neu INTEGER NOT NULL,
  PRIMARY KEY (hour, ticker)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dlq_events (
  topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL, code TEXT NOT NULL,
  reason TEXT NOT NULL, at INTEGER NOT NULL, payload_hex TEXT NOT NULL,
  PRIMARY KEY (topic, partition, offset)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS companies (
  symbol TEXT PRIMARY KEY, name TEXT NOT NULL, exchange TEXT NOT NULL, sector TEXT NOT NULL,
  industry TEXT NOT NULL, market_cap REAL NOT NULL, country TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS alerts (
  day INTEGER NOT NULL, fired_at INTEGER NOT NULL, rule_id TEXT NOT NULL, ticker TEXT NOT NULL,
  kind TEXT NOT NULL, message TEXT NOT NULL, value REAL NOT NULL, threshold REAL NOT NULL, delivered INTEGER NOT NULL,
  PRIMARY KEY (day, fired_at, rule_id, ticker)) WITHOUT ROWID;
`;

/**
 * Changes to a database file made by an earlier version, in order; the
 * file's PRAGMA user_version says how many were applied. Never edit one that
 * shipped: add the next.
 *  1. Aggregates carry the version of their write (see StoreWriter), raw
 *     horizons are kept, and the per-partition watermark checkpoints of the
 *     old window aggregator are gone.
 *  2. (issue 13, the read path) "The newest dead letters" reads an index on
 *     `at` instead of sorting the whole table on every request.
 *  3. (issue 11) Crowd tallies: posts_by_ticker keeps the post's score, the
 *     mention_tallies table (sqlite-crowd.ts), and the channels an alert was
 *     to be delivered on.
 *  4. (issue 13) Candle roll-ups: hours and days of candles (candle_rollups).
 *  5. (issue 13) The number of distinct authors beside each tally's author set,
 *     so a view of single tallies (a ticker's history) reads no names; filled
 *     in from the sets already stored.
 */
const MIGRATIONS: readonly string[] = [
  `ALTER TABLE candles_1m ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE ticker_sentiment_1m ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE mentions_by_hour ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE IF NOT EXISTS horizons (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
   DROP TABLE IF EXISTS checkpoints;`,
  `CREATE INDEX IF NOT EXISTS dlq_events_at ON dlq_events (at DESC);`,
  `ALTER TABLE posts_by_ticker ADD COLUMN score INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE IF NOT EXISTS mention_tallies (
     grain TEXT NOT NULL, start INTEGER NOT NULL, ticker TEXT NOT NULL, scope TEXT NOT NULL,
     count INTEGER NOT NULL, sentiment_sum REAL NOT NULL, pos INTEGER NOT NULL, neg INTEGER NOT NULL, neu INTEGER NOT NULL,
     upvotes INTEGER NOT NULL, weighted INTEGER NOT NULL, authors TEXT NOT NULL,
     top_post_id TEXT, top_created INTEGER, top_score INTEGER, top_permalink TEXT, top_text TEXT,
     version INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (grain, start, ticker, scope)) WITHOUT ROWID;
   CREATE INDEX IF NOT EXISTS mention_tallies_by_ticker ON mention_tallies (ticker, grain, start);
   ALTER TABLE alerts ADD COLUMN channels TEXT;`,
  `CREATE TABLE IF NOT EXISTS candle_rollups (
     symbol TEXT NOT NULL, grain TEXT NOT NULL, start INTEGER NOT NULL,
     open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL, volume REAL NOT NULL, trades INTEGER NOT NULL,
     version INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (symbol, grain, start)) WITHOUT ROWID;`,
  `ALTER TABLE mention_tallies ADD COLUMN authors_count INTEGER;
   UPDATE mention_tallies SET authors_count = json_array_length(authors);`,
];

type Row = Record<string, unknown>;

export interface SqliteStoreOptions {
  /** file path, or ':memory:' */
  path: string;
}

export function createSqliteStore(options: SqliteStoreOptions): Store {
  let db: DatabaseSync;
  try {
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    db = new DatabaseSync(options.path);
    db.exec(SCHEMA);
    migrateSchema(db);
  } catch (cause) {
    throw new StockstreamerError('STORE_UNAVAILABLE', `cannot open the SQLite store at ${options.path}`, { cause, details: { path: options.path } });
  }

  const prepared = new Map<string, StatementSync>();
  const stmt = (sql: string): StatementSync => {
    let s = prepared.get(sql);
    if (!s) {
      s = db.prepare(sql);
      prepared.set(sql, s);
    }
    return s;
  };

  const writeFailed = (cause: unknown) => new StockstreamerError('STORE_WRITE_FAILED', `SQLite rejected a write: ${(cause as Error).message}`, { cause });

  /** one transaction per call: all of a batch or nothing */
  const transaction = (fn: () => void) => {
    db.exec('BEGIN');
    try {
      fn();
      db.exec('COMMIT');
    } catch (cause) {
      db.exec('ROLLBACK');
      throw writeFailed(cause);
    }
  };
  const tx = <T>(items: readonly T[], sql: string, bind: (item: T) => (string | number | null)[]) => {
    if (items.length === 0) return;
    const s = stmt(sql);
    transaction(() => { for (const item of items) s.run(...bind(item)); });
  };

  /** inside the caller's transaction: a horizon only ever moves forward */
  const raise = (name: string, value: number) => {
    if (!Number.isFinite(value)) return;
    stmt(`INSERT INTO horizons (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)`).run(name, value);
  };
  const raiseHorizon = (family: RawFamily, at: number) => raise(`raw/${family}`, at);
  const horizonOf = (name: string): number | undefined => (stmt(`SELECT value FROM horizons WHERE name = ?`).get(name) as Row | undefined)?.value as number | undefined;

  /** an aggregate write: the rows and the version horizon in one transaction */
  const versioned = <T>(version: number, items: readonly T[], sql: string, bind: (item: T) => (string | number | null)[]) => {
    if (items.length === 0) return;
    if (!Number.isSafeInteger(version) || version < 0) throw new RangeError(`aggregate version must be a non-negative integer of microseconds, got ${version}`);
    const s = stmt(sql);
    transaction(() => {
      for (const item of items) s.run(...bind(item));
      raise('version', version);
    });
  };

  const toCandle = (r: Row): Candle => ({
    symbol: r.symbol as string, minute: r.minute as number, open: r.open as number, high: r.high as number,
    low: r.low as number, close: r.close as number, volume: r.volume as number, trades: r.trades as number,
  });
  const toTrade = (r: Row): Trade => ({
    symbol: r.symbol as string, price: r.price as number, volume: r.volume as number, timestamp: r.ts as number,
    seq: r.seq as number, conditions: JSON.parse(r.conditions as string) as string[],
  });
  const toPost = (r: Row): PostRow => ({
    fullname: r.fullname as string, kind: r.kind as PostRow['kind'], subreddit: r.subreddit as string,
    author: r.author as string, text: r.text as string, permalink: r.permalink as string,
    created: r.created as number, score: r.score as number, sentiment: r.sentiment as number,
    label: r.label as SentimentLabel, tickers: JSON.parse(r.tickers as string) as string[],
  });

  return {
    async writeTrades(trades: Trade[]) {
      if (trades.length === 0) return;
      transaction(() => {
        const raw = stmt(`INSERT INTO trades_by_symbol (symbol, day, ts, seq, price, volume, conditions) VALUES (?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT DO UPDATE SET price = excluded.price, volume = excluded.volume, conditions = excluded.conditions`);
        // Latest wins by event time, not arrival: a replayed old trade never overwrites a newer price.
        const latest = stmt(`INSERT INTO latest_prices (symbol, price, ts, seq) VALUES (?, ?, ?, ?)
          ON CONFLICT (symbol) DO UPDATE SET price = excluded.price, ts = excluded.ts, seq = excluded.seq
          WHERE excluded.ts > latest_prices.ts OR (excluded.ts = latest_prices.ts AND excluded.seq >= latest_prices.seq)`);
        let newest = -Infinity;
        for (const t of trades) {
          raw.run(t.symbol, dayOf(t.timestamp), t.timestamp, t.seq, t.price, t.volume, JSON.stringify(t.conditions));
          latest.run(t.symbol, t.price, t.timestamp, t.seq);
          if (t.timestamp > newest) newest = t.timestamp;
        }
        raiseHorizon('trades', newest);
      });
    },
    async writeCandles(candles: Candle[], version: number) {
      versioned(version, candles,
        `INSERT INTO candles_1m (symbol, day, minute, open, high, low, close, volume, trades, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (symbol, minute) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
           volume = excluded.volume, trades = excluded.trades, version = excluded.version
         WHERE excluded.version >= candles_1m.version`,
        (c) => [c.symbol, dayOf(c.minute), c.minute, c.open, c.high, c.low, c.close, c.volume, c.trades, version]);
    },
    async writePosts(posts: PostRow[], mentions: TickerMention[]) {
      if (posts.length === 0 && mentions.length === 0) return;
      transaction(() => {
        const post = stmt(`INSERT OR REPLACE INTO posts (fullname, kind, subreddit, author, text, permalink, created, score, sentiment, label, tickers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
        for (const p of posts) post.run(p.fullname, p.kind, p.subreddit, p.author, p.text, p.permalink, p.created, p.score, p.sentiment, p.label, JSON.stringify(p.tickers));
        const byTicker = stmt(`INSERT OR REPLACE INTO posts_by_ticker (ticker, day, created, post_id, kind, subreddit, author, text, permalink, sentiment, label, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
        let newest = -Infinity;
        for (const m of mentions) {
          byTicker.run(m.ticker, dayOf(m.created), m.created, m.postId, m.kind, m.subreddit, m.author, m.text, m.permalink, m.sentiment, m.label, m.score);
          if (m.created > newest) newest = m.created;
        }
        raiseHorizon('mentions', newest);
      });
    },
    async writeSentimentWindows(windows: SentimentWindow[], version: number) {
      versioned(version, windows,
        `INSERT INTO ticker_sentiment_1m (ticker, day, minute, count, sum, sum_squares, pos, neg, neu, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (ticker, minute) DO UPDATE SET count = excluded.count, sum = excluded.sum, sum_squares = excluded.sum_squares,
           pos = excluded.pos, neg = excluded.neg, neu = excluded.neu, version = excluded.version
         WHERE excluded.version >= ticker_sentiment_1m.version`,
        (w) => [w.ticker, dayOf(w.minute), w.minute, w.count, w.sum, w.sumSquares, w.pos, w.neg, w.neu, version]);
    },
    async writeMentionsHours(rows: MentionsHourRow[], version: number) {
      versioned(version, rows,
        `INSERT INTO mentions_by_hour (hour, ticker, count, sentiment_sum, pos, neg, neu, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (hour, ticker) DO UPDATE SET count = excluded.count, sentiment_sum = excluded.sentiment_sum,
           pos = excluded.pos, neg = excluded.neg, neu = excluded.neu, version = excluded.version
         WHERE excluded.version >= mentions_by_hour.version`,
        (r) => [r.hour, r.ticker, r.count, r.sentimentSum, r.pos, r.neg, r.neu, version]);
    },
    async deleteCandles(symbol, minutes, version) {
      versioned(version, minutes, `DELETE FROM candles_1m WHERE symbol = ? AND minute = ? AND version <= ?`, (m) => [symbol, m, version]);
    },
    async deleteSentimentWindows(ticker, minutes, version) {
      versioned(version, minutes, `DELETE FROM ticker_sentiment_1m WHERE ticker = ? AND minute = ? AND version <= ?`, (m) => [ticker, m, version]);
    },
    async deleteMentionsHours(ticker, hours, version) {
      versioned(version, hours, `DELETE FROM mentions_by_hour WHERE hour = ? AND ticker = ? AND version <= ?`, (h) => [h, ticker, version]);
    },
    async writeDeadLetters(rows: DeadLetterRow[]) {
      tx(rows,
        `INSERT OR REPLACE INTO dlq_events (topic, partition, offset, code, reason, at, payload_hex) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        (r) => [r.topic, r.partition, r.offset, r.code, r.reason, r.at, r.payloadHex]);
    },
    async rawHorizon(family: RawFamily) {
      return horizonOf(`raw/${family}`) ?? -Infinity;
    },
    async versionHorizon() {
      return horizonOf('version') ?? 0;
    },
    async loadTrades(symbol, fromMs, toMs) {
      return (stmt(`SELECT symbol, ts, seq, price, volume, conditions FROM trades_by_symbol WHERE symbol = ? AND ts >= ? AND ts < ?`).all(symbol, fromMs, toMs) as Row[]).map(toTrade);
    },
    async loadMentions(ticker, fromMs, toMs): Promise<MentionFact[]> {
      return (stmt(`SELECT ticker, post_id, created, sentiment, label FROM posts_by_ticker WHERE ticker = ? AND created >= ? AND created < ?`).all(ticker, fromMs, toMs) as Row[]).map((r) => ({
        ticker: r.ticker as string, postId: r.post_id as string, created: r.created as number, sentiment: r.sentiment as number, label: r.label as SentimentLabel,
      }));
    },
    async rawKeys(family, fromMs, toMs) {
      const sql = family === 'trades'
        ? `SELECT symbol AS k FROM trades_by_symbol WHERE ts >= ?1 AND ts < ?2 UNION SELECT symbol FROM candles_1m WHERE minute >= ?1 AND minute < ?2`
        : `SELECT ticker AS k FROM posts_by_ticker WHERE created >= ?1 AND created < ?2 UNION SELECT ticker FROM ticker_sentiment_1m WHERE minute >= ?1 AND minute < ?2
           UNION SELECT ticker FROM mentions_by_hour WHERE hour >= ?1 AND hour < ?2
           UNION SELECT ticker FROM mention_tallies WHERE start >= (?1 / 86400000) * 86400000 AND start < ?2`;
      return (stmt(sql).all(fromMs, toMs) as Row[]).map((r) => r.k as string).sort();
    },
    async seedCompanies(securities: Security[]) {
      tx(securities,
        `INSERT OR REPLACE INTO companies (symbol, name, exchange, sector, industry, market_cap, country) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        (s) => [s.symbol, s.name, s.exchange, s.sector, s.industry, s.marketCapUsd, s.country]);
    },
    async writeAlerts(rows: AlertRow[]) {
      // delivered is monotonic: replaying the "fired" write after the "delivered" one must not undo it.
      tx(rows,
        `INSERT INTO alerts (day, fired_at, rule_id, ticker, kind, message, value, threshold, delivered, channels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET kind = excluded.kind, message = excluded.message, value = excluded.value,
           threshold = excluded.threshold, delivered = MAX(alerts.delivered, excluded.delivered),
           channels = COALESCE(excluded.channels, alerts.channels)`,
        (a) => [dayOf(a.firedAt), a.firedAt, a.ruleId, a.ticker, a.kind, a.message, a.value, a.threshold, a.delivered ? 1 : 0,
          a.channels === undefined ? null : a.channels.join(',')]);
    },

    async latestPrices(): Promise<LatestPrice[]> {
      const rows = stmt(`
        SELECT l.symbol, l.price, l.ts,
          -- a range on the key's minute, not the day column: the seek lands on the day's first
          -- candle instead of walking the symbol's whole history
          (SELECT c.open FROM candles_1m c WHERE c.symbol = l.symbol AND c.minute >= (l.ts / 86400000) * 86400000
             AND c.minute < (l.ts / 86400000) * 86400000 + 86400000 ORDER BY c.minute ASC LIMIT 1) AS day_open
        FROM latest_prices l ORDER BY l.symbol`).all() as Row[];
      return rows.map((r) => ({ symbol: r.symbol as string, price: r.price as number, timestamp: r.ts as number, dayOpen: (r.day_open as number | null) ?? null }));
    },
    async candles(symbol, fromMs, toMs) {
      return (stmt(`SELECT * FROM candles_1m WHERE symbol = ? AND minute >= ? AND minute < ? ORDER BY minute`).all(symbol, fromMs, toMs) as Row[]).map(toCandle);
    },
    async trades(symbol, fromMs, toMs) {
      return (stmt(`SELECT * FROM trades_by_symbol WHERE symbol = ? AND ts >= ? AND ts < ? ORDER BY ts, seq`).all(symbol, fromMs, toMs) as Row[]).map(toTrade);
    },
    async sentimentWindows(ticker, fromMs, toMs) {
      return (stmt(`SELECT * FROM ticker_sentiment_1m WHERE ticker = ? AND minute >= ? AND minute < ? ORDER BY minute`).all(ticker, fromMs, toMs) as Row[]).map((r) => ({
        ticker: r.ticker as string, minute: r.minute as number, count: r.count as number, sum: r.sum as number,
        sumSquares: r.sum_squares as number, pos: r.pos as number, neg: r.neg as number, neu: r.neu as number,
      }));
    },
    async mentionsHours(fromMs, toMs) {
      return (stmt(`SELECT * FROM mentions_by_hour WHERE hour >= ? AND hour < ? ORDER BY hour, ticker`).all(fromMs, toMs) as Row[]).map((r) => ({
        ticker: r.ticker as string, hour: r.hour as number, count: r.count as number, sentimentSum: r.sentiment_sum as number,
        pos: r.pos as number, neg: r.neg as number, neu: r.neu as number,
      }));
    },
    async topMentions(fromMs, toMs, limit): Promise<MentionSummary[]> {
      const rows = stmt(`SELECT ticker, SUM(count) AS n, SUM(sentiment_sum) AS s FROM mentions_by_hour
        WHERE hour >= ? AND hour < ? GROUP BY ticker ORDER BY n DESC, ticker LIMIT ?`).all(fromMs, toMs, limit) as Row[];
      return rows.map((r) => ({ ticker: r.ticker as string, count: r.n as number, meanSentiment: (r.s as number) / (r.n as number) }));
    },
    async latestPosts({ ticker, limit }) {
      if (ticker === undefined) {
        return (stmt(`SELECT * FROM posts ORDER BY created DESC, fullname DESC LIMIT ?`).all(limit) as Row[]).map(toPost);
      }
      return (stmt(`SELECT p.* FROM posts_by_ticker t JOIN posts p ON p.fullname = t.post_id
        WHERE t.ticker = ? ORDER BY t.created DESC, t.post_id DESC LIMIT ?`).all(ticker, limit) as Row[]).map(toPost);
    },
    async deadLetters(limit) {
      return (stmt(`SELECT * FROM dlq_events ORDER BY at DESC LIMIT ?`).all(limit) as Row[]).map((r) => ({
        topic: r.topic as string, partition: r.partition as number, offset: r.offset as number, code: r.code as string,
        reason: r.reason as string, at: r.at as number, payloadHex: r.payload_hex as string,
      }));
    },
    async company(symbol) {
      const r = stmt(`SELECT * FROM companies WHERE symbol = ?`).get(symbol) as Row | undefined;
      return r ? {
        symbol: r.symbol as string, name: r.name as string, exchange: r.exchange as string, sector: r.sector as string,
        industry: r.industry as string, marketCapUsd: r.market_cap as number, country: r.country as string,
      } : undefined;
    },
    async alerts(fromMs, toMs, limit): Promise<AlertRow[]> {
      // The day range keeps the query on the partition key, as Cassandra must.
      const rows = stmt(`SELECT * FROM alerts WHERE day >= ? AND day <= ? AND fired_at >= ? AND fired_at < ?
        ORDER BY fired_at DESC, rule_id, ticker LIMIT ?`).all(dayOf(fromMs), dayOf(toMs), fromMs, toMs, limit) as Row[];
      return rows.map((r) => ({
        ruleId: r.rule_id as string, ticker: r.ticker as string, firedAt: r.fired_at as number, kind: r.kind as string,
        message: r.message as string, value: r.value as number, threshold: r.threshold as number, delivered: r.delivered === 1,
        ...(typeof r.channels === 'string' ? { channels: r.channels === '' ? [] : r.channels.split(',') } : {}),
      }));
    },
    ...createSqliteCrowd({ stmt, versioned, horizonOf }),
    async writeCandleRollups(grain, candles, version) {
      versioned(version, candles,
        `INSERT INTO candle_rollups (symbol, grain, start, open, high, low, close, volume, trades, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (symbol, grain, start) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low, close = excluded.close,
           volume = excluded.volume, trades = excluded.trades, version = excluded.version
         WHERE excluded.version >= candle_rollups.version`,
        (c) => [c.symbol, grain, c.minute, c.open, c.high, c.low, c.close, c.volume, c.trades, version]);
    },
    async deleteCandleRollups(grain, symbol, starts, version) {
      versioned(version, starts, `DELETE FROM candle_rollups WHERE symbol = ? AND grain = ? AND start = ? AND version <= ?`, (s) => [symbol, grain, s, version]);
    },
    async candleRollups(grain, symbol, fromMs, toMs) {
      return (stmt(`SELECT symbol, start AS minute, open, high, low, close, volume, trades FROM candle_rollups
        WHERE symbol = ? AND grain = ? AND start >= ? AND start < ? ORDER BY start`).all(symbol, grain, fromMs, toMs) as Row[]).map(toCandle);
    },
    async ping() {
      try {
        stmt('SELECT 1').get();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      db.close();
    },
  };
}

/** Applies the MIGRATIONS the file has not seen, each in its own transaction. */
function migrateSchema(db: DatabaseSync): void {
  const applied = (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
  for (let i = applied; i < MIGRATIONS.length; i++) {
    db.exec('BEGIN');
    try {
      db.exec(MIGRATIONS[i]!);
      db.exec(`PRAGMA user_version = ${i + 1}`);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }
}
