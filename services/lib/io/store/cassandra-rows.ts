import cassandra from 'cassandra-driver';
import type { Candle, SentimentLabel, SentimentWindow, Trade, Security } from '../../domain/types.ts';
import type { AlertRow, DeadLetterRow, MentionsHourRow, PostRow } from './repository.ts';
import { DAY_MS } from './repository.ts';
import type { Statement } from './cassandra-exec.ts';

/**
 * The CQL of the Cassandra store and the mapping between its rows and the
 * port's records. Table and column names are those of k8s/cassandra/*.cql;
 * every statement names its keyspace, so one client serves any keyspace
 * without a USE.
 */

const { types } = cassandra;
type Row = cassandra.types.Row;

/** A day bucket (epoch ms of 00:00 UTC) as a CQL `date`. */
export const cqlDay = (dayMs: number): cassandra.types.LocalDate => {
  const d = new Date(Math.floor(dayMs / DAY_MS) * DAY_MS);
  return new types.LocalDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
};
export const dayMsOf = (v: unknown): number => {
  const d = v as cassandra.types.LocalDate;
  return Date.UTC(d.year, d.month - 1, d.day);
};
const ms = (v: unknown): number => (v as Date).getTime();
const num = (v: unknown): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : (v as cassandra.types.Long).toNumber());

/** price_board's one partition: every symbol's latest price, read at once (005_read_path.cql) */
export const PRICE_BOARD = 0;
/** day_index scope of the days that hold posts_by_hour partitions; 'posts' lists those of the old posts_by_day */
export const POSTS_BY_HOUR_SCOPE = 'posts-by-hour';
/** horizons row: the newest `created` of any post written; "the newest posts" start at its hour */
export const NEWEST_POST_HORIZON = 'posts/newest';

/** the highest value wins by write timestamp (003_exact_aggregates.cql) */
const insertHorizon = (keyspace: string): string => `INSERT INTO ${keyspace}.horizons (name, value) VALUES (?, ?) USING TIMESTAMP ?`;

/** Aggregate versions are microseconds; anything else is a caller's bug, not a row to write. */
export function checkVersion(version: number): number {
  if (!Number.isSafeInteger(version) || version < 0) throw new RangeError(`aggregate version must be a non-negative integer of microseconds, got ${version}`);
  return version;
}

/** The version horizon raised to an aggregate write's version: every aggregate table's writer sends it with its rows. */
export const versionHorizon = (keyspace: string, version: number): Statement[][] => [[{ query: insertHorizon(keyspace), params: ['version', version, version] }]];

export function statements(keyspace: string) {
  const t = (table: string): string => `${keyspace}.${table}`;
  return {
    keyspace,
    // condition_codes is frozen (005_read_path.cql): an upsert of the old non-frozen list wrote a tombstone with every trade.
    insertTrade: `INSERT INTO ${t('trades_by_symbol')} (symbol, day, ts, seq, price, volume, condition_codes) VALUES (?, ?, ?, ?, ?, ?, ?) USING TTL ?`,
    insertLatestPrice: `INSERT INTO ${t('latest_prices')} (symbol, price, ts, seq) VALUES (?, ?, ?, ?) USING TIMESTAMP ?`,
    insertPriceBoard: `INSERT INTO ${t('price_board')} (board, symbol, price, ts, seq) VALUES (${PRICE_BOARD}, ?, ?, ?, ?) USING TIMESTAMP ?`,
    // Aggregates carry their writer's version as the write timestamp (003_exact_aggregates.cql).
    insertCandle: `INSERT INTO ${t('candles_1m')} (symbol, day, minute, open, high, low, close, volume, trades) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`,
    // Raw Reddit text lives STOCKSTREAMER_POST_TEXT_TTL_S: with a TTL it is written apart from
    // the row's other columns, which stay (005_read_path.cql, README "Design").
    insertPostHour: `INSERT INTO ${t('posts_by_hour')} (hour, created, fullname, kind, subreddit, author, permalink, score, sentiment, label, tickers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    setPostHourText: `UPDATE ${t('posts_by_hour')} USING TTL ? SET text = ? WHERE hour = ? AND created = ? AND fullname = ?`,
    setPostByTickerText: `UPDATE ${t('posts_by_ticker')} USING TTL ? SET text = ? WHERE ticker = ? AND day = ? AND created = ? AND post_id = ?`,
    // tickers: the post's, so "the newest posts of a ticker" reads this table alone (005_read_path.cql)
    insertPostByTicker: `INSERT INTO ${t('posts_by_ticker')} (ticker, day, created, post_id, kind, subreddit, author, permalink, sentiment, label, score, tickers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    insertSentiment: `INSERT INTO ${t('ticker_sentiment_1m')} (ticker, day, minute, count, sum, sum_squares, mean, pos, neg, neu) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`,
    insertMentionsHour: `INSERT INTO ${t('mentions_by_hour')} (hour, ticker, count, sentiment_sum, mean, pos, neg, neu) VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`,
    deleteCandle: `DELETE FROM ${t('candles_1m')} USING TIMESTAMP ? WHERE symbol = ? AND day = ? AND minute = ?`,
    deleteSentiment: `DELETE FROM ${t('ticker_sentiment_1m')} USING TIMESTAMP ? WHERE ticker = ? AND day = ? AND minute = ?`,
    deleteMentionsHour: `DELETE FROM ${t('mentions_by_hour')} USING TIMESTAMP ? WHERE hour = ? AND ticker = ?`,
    // the highest event time wins by write timestamp, whatever the order of the writes
    insertHorizon: insertHorizon(keyspace),
    insertDeadLetter: `INSERT INTO ${t('dlq_events')} (day, at, topic, partition, offset, code, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    // the rejected bytes live STOCKSTREAMER_DLQ_PAYLOAD_TTL_S; the reason and the coordinates stay
    setDeadLetterPayload: `UPDATE ${t('dlq_events')} USING TTL ? SET payload_hex = ? WHERE day = ? AND at = ? AND topic = ? AND partition = ? AND offset = ?`,
    insertDay: `INSERT INTO ${t('day_index')} (scope, day) VALUES (?, ?)`,
    insertDayTtl: `INSERT INTO ${t('day_index')} (scope, day) VALUES (?, ?) USING TTL ?`,
    insertCompany: `INSERT INTO ${t('companies')} (symbol, name, exchange, sector, industry, market_cap, country) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    // Two statements so that `delivered = false` is never written (see 002_alerts.cql).
    // channels is bound unset (undefined) when the row does not say, so a replayed write never erases it (004_crowd_tallies.cql).
    insertAlert: `INSERT INTO ${t('alerts')} (day, fired_at, rule_id, ticker, kind, message, value, threshold, channels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    insertAlertDelivered: `INSERT INTO ${t('alerts')} (day, fired_at, rule_id, ticker, kind, message, value, threshold, channels, delivered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, true)`,

    selectDays: `SELECT day FROM ${t('day_index')} WHERE scope = ? AND day >= ? AND day <= ?`,
    selectAllDays: `SELECT day FROM ${t('day_index')} WHERE scope = ?`,
    selectLatestPrices: `SELECT symbol, price, ts FROM ${t('latest_prices')}`,
    selectPriceBoard: `SELECT symbol, price, ts FROM ${t('price_board')} WHERE board = ?`,
    // the first candle of the symbol's day: candles cluster newest first, so this reads the partition's last row
    selectDayOpen: `SELECT open FROM ${t('candles_1m')} WHERE symbol = ? AND day = ? ORDER BY minute ASC LIMIT 1`,
    selectCandles: `SELECT symbol, minute, open, high, low, close, volume, trades FROM ${t('candles_1m')} WHERE symbol = ? AND day = ? AND minute >= ? AND minute < ?`,
    selectTrades: `SELECT symbol, ts, seq, price, volume, conditions, condition_codes FROM ${t('trades_by_symbol')} WHERE symbol = ? AND day = ? AND ts >= ? AND ts < ?`,
    selectSentiment: `SELECT ticker, minute, count, sum, sum_squares, pos, neg, neu FROM ${t('ticker_sentiment_1m')} WHERE ticker = ? AND day = ? AND minute >= ? AND minute < ?`,
    selectMentionsHour: `SELECT hour, ticker, count, sentiment_sum, pos, neg, neu FROM ${t('mentions_by_hour')} WHERE hour = ?`,
    selectPostsOfHour: `SELECT * FROM ${t('posts_by_hour')} WHERE hour = ? LIMIT ?`,
    selectPostOfHour: `SELECT * FROM ${t('posts_by_hour')} WHERE hour = ? AND created = ? AND fullname = ?`,
    selectPostsOfTicker: `SELECT * FROM ${t('posts_by_ticker')} WHERE ticker = ? AND day = ? LIMIT ?`,
    // posts_by_day holds the posts written before 005_read_path.cql
    selectPostsOfDayLimit: `SELECT * FROM ${t('posts_by_day')} WHERE day = ? LIMIT ?`,
    selectPost: `SELECT * FROM ${t('posts_by_day')} WHERE day = ? AND created = ? AND fullname = ?`,
    selectDeadLetters: `SELECT topic, partition, offset, code, reason, at, payload_hex FROM ${t('dlq_events')} WHERE day = ? LIMIT ?`,
    selectHorizon: `SELECT value FROM ${t('horizons')} WHERE name = ?`,
    selectMentionFacts: `SELECT ticker, post_id, created, sentiment, label FROM ${t('posts_by_ticker')} WHERE ticker = ? AND day = ? AND created >= ? AND created < ?`,
    selectSymbols: `SELECT symbol FROM ${t('latest_prices')}`,
    selectPostTickers: `SELECT tickers FROM ${t('posts_by_day')} WHERE day = ? AND created >= ? AND created < ?`,
    selectPostHourTickers: `SELECT tickers FROM ${t('posts_by_hour')} WHERE hour = ? AND created >= ? AND created < ?`,
    selectCompany: `SELECT * FROM ${t('companies')} WHERE symbol = ?`,
    selectAlerts: `SELECT * FROM ${t('alerts')} WHERE day = ? AND fired_at >= ? AND fired_at < ? LIMIT ?`,
  } as const;
}

/**
 * Write timestamp of a latest_prices row: the trade's event time in
 * microseconds, plus its seq as the tie-breaker within the millisecond. seq is
 * capped at 999 so it never reaches into the next millisecond (the producer
 * numbers trades per symbol and millisecond from 0; a thousand trades of one
 * symbol in one millisecond would only tie, never reorder milliseconds).
 */
export const priceWriteTimestamp = (t: Pick<Trade, 'timestamp' | 'seq'>): number => t.timestamp * 1000 + Math.min(Math.max(t.seq, 0), 999);

export const toTrade = (r: Row): Trade => ({
  symbol: r.symbol as string, price: r.price as number, volume: r.volume as number, timestamp: ms(r.ts),
  // rows written before 005 carry the old non-frozen column
  seq: r.seq as number, conditions: (r.condition_codes as string[] | null) ?? (r.conditions as string[] | null) ?? [],
});

export const toCandle = (r: Row): Candle => ({
  symbol: r.symbol as string, minute: ms(r.minute), open: r.open as number, high: r.high as number,
  low: r.low as number, close: r.close as number, volume: r.volume as number, trades: r.trades as number,
});

export const toSentiment = (r: Row): SentimentWindow => ({
  ticker: r.ticker as string, minute: ms(r.minute), count: r.count as number, sum: r.sum as number,
  sumSquares: r.sum_squares as number, pos: r.pos as number, neg: r.neg as number, neu: r.neu as number,
});

export const toMentionsHour = (r: Row): MentionsHourRow => ({
  ticker: r.ticker as string, hour: ms(r.hour), count: r.count as number, sentimentSum: r.sentiment_sum as number,
  pos: r.pos as number, neg: r.neg as number, neu: r.neu as number,
});

/**
 * A row of posts_by_hour, posts_by_day, or posts_by_ticker (which names the
 * post post_id). Text past its TTL reads as null: shown empty. A score is
 * null in posts_by_ticker rows written before 004.
 */
export const toPost = (r: Row): PostRow => ({
  fullname: (r.fullname ?? r.post_id) as string, kind: r.kind as PostRow['kind'], subreddit: r.subreddit as string,
  author: r.author as string, text: (r.text as string | null) ?? '', permalink: r.permalink as string,
  created: ms(r.created), score: (r.score as number | null) ?? 0, sentiment: r.sentiment as number,
  label: r.label as SentimentLabel, tickers: (r.tickers as string[] | null) ?? [],
});

export const toDeadLetter = (r: Row): DeadLetterRow => ({
  topic: r.topic as string, partition: r.partition as number, offset: num(r.offset), code: r.code as string,
  reason: r.reason as string, at: ms(r.at), payloadHex: (r.payload_hex as string | null) ?? '',
});

export const toCompany = (r: Row): Security => ({
  symbol: r.symbol as string, name: r.name as string, exchange: r.exchange as string, sector: r.sector as string,
  industry: r.industry as string, marketCapUsd: r.market_cap as number, country: r.country as string,
});

export const toAlert = (r: Row): AlertRow => ({
  ruleId: r.rule_id as string, ticker: r.ticker as string, firedAt: ms(r.fired_at), kind: r.kind as string,
  message: r.message as string, value: r.value as number, threshold: r.threshold as number, delivered: r.delivered === true,
  ...(typeof r.channels === 'string' ? { channels: r.channels === '' ? [] : r.channels.split(',') } : {}),
});

/** mean of a window, for Grafana panels that read the column directly */
export const meanOf = (sum: number, count: number): number | null => (count > 0 ? sum / count : null);
