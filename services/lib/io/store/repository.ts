import type { Candle, SentimentLabel, SentimentWindow, Trade, TickerMention, Security } from '../../domain/types.ts';
import type { MentionFact, MentionsHour } from '../../domain/windows/index.ts';
import type { CrowdFact, Grain, MentionTally } from '../../domain/windows/crowd.ts';

/**
 * The repository port. The processor writes through StoreWriter, dashboards
 * read through StoreReader; SQLite (embedded) and Cassandra implement both
 * with the same semantics. Every write is an idempotent upsert keyed by the
 * source event or by the aggregate's window, so replaying any range of input
 * leaves every table unchanged (invariant 1).
 */

/** A post as shown on the dashboard, with what the processor derived from it. */
export interface PostRow {
  fullname: string;
  kind: 'submission' | 'comment';
  subreddit: string;
  author: string;
  /** title (submissions) or body (comments) */
  text: string;
  permalink: string;
  /** epoch milliseconds */
  created: number;
  score: number;
  sentiment: number;
  label: SentimentLabel;
  tickers: string[];
}

/** Mentions of one ticker within one hour: the "top tickers" query (the window's full state). */
export type MentionsHourRow = MentionsHour;

export interface DeadLetterRow {
  topic: string;
  partition: number;
  offset: number;
  /** error code from the closed set */
  code: string;
  reason: string;
  /** epoch milliseconds of the rejected record (its bus timestamp): stable across replays */
  at: number;
  /** the first bytes of the rejected value, hex */
  payloadHex: string;
}

/**
 * The two families of raw rows every aggregate is recomputed from:
 * trades_by_symbol (candles) and posts_by_ticker (sentiment minutes, mention hours).
 */
export type RawFamily = 'trades' | 'mentions';

export interface LatestPrice {
  symbol: string;
  price: number;
  /** epoch milliseconds of the trade */
  timestamp: number;
  /** open of the first candle of the trade's day, for the change figure */
  dayOpen: number | null;
}

export interface MentionSummary {
  ticker: string;
  count: number;
  meanSentiment: number;
}

/**
 * One firing of an alert rule for one ticker. Keyed by (day of firedAt,
 * firedAt, ruleId, ticker): writing the same firing again is an upsert, and
 * `delivered` only ever goes from false to true (the alerter stores the
 * firing before mailing it, then marks it delivered).
 */
export interface AlertRow {
  ruleId: string;
  ticker: string;
  /** epoch milliseconds the rule fired; the day bucket is derived from it */
  firedAt: number;
  /** rule kind: price_cross | price_move | sentiment | mention_spike */
  kind: string;
  /** one human sentence, e.g. "AAPL crossed above 200 at 201.35" */
  message: string;
  /** the observed figure: price, move in %, mean sentiment, mentions in the last hour */
  value: number;
  /** the figure it was compared with, in the same unit */
  threshold: number;
  /** true once every channel in `channels` accepted it */
  delivered: boolean;
  /**
   * the channels the alerter was to deliver it on ("mail", "webhook"), empty
   * when none was configured (stored and shown only); absent in rows stored
   * before channels were recorded
   */
  channels?: string[];
}

/**
 * What the processor writes. Raw rows (trades, posts and their mentions) are
 * upserts keyed by the source event; each call also raises the family's raw
 * horizon to the newest event time it wrote, in the same durable call, so
 * rawHorizon() read afterwards covers every raw row written before.
 *
 * Aggregate rows carry a version (microseconds, from the writer's clock): a
 * write or delete only takes effect over a row with a lower or equal version,
 * and a lower version arriving later is ignored. That is how a delayed write
 * of a processor that lost its partition (a "zombie") is made harmless: the new
 * owner's writes carry later versions (Cassandra: USING TIMESTAMP; SQLite: a
 * version column and a conditional upsert). Each aggregate write also raises
 * the version horizon, so a writer that starts later never goes below it.
 */
export interface StoreWriter {
  writeTrades(trades: Trade[]): Promise<void>;
  writeCandles(candles: Candle[], version: number): Promise<void>;
  writePosts(posts: PostRow[], mentions: TickerMention[]): Promise<void>;
  writeSentimentWindows(windows: SentimentWindow[], version: number): Promise<void>;
  writeMentionsHours(rows: MentionsHourRow[], version: number): Promise<void>;
  /** removes aggregate rows that no raw row backs any more (reprocess) */
  deleteCandles(symbol: string, minutes: number[], version: number): Promise<void>;
  deleteSentimentWindows(ticker: string, minutes: number[], version: number): Promise<void>;
  deleteMentionsHours(ticker: string, hours: number[], version: number): Promise<void>;
  writeDeadLetters(rows: DeadLetterRow[]): Promise<void>;
  seedCompanies(securities: Security[]): Promise<void>;
  /** upsert; a row already delivered stays delivered */
  writeAlerts(rows: AlertRow[]): Promise<void>;
}

/**
 * What the processor reads back to rebuild an aggregate from the raw rows:
 * bounded reads of one key's partitions for a time range.
 */
export interface RawReader {
  /** the newest event time of any raw row of the family written so far; −Infinity when none */
  rawHorizon(family: RawFamily): Promise<number>;
  /** the highest aggregate version written so far; 0 when none */
  versionHorizon(): Promise<number>;
  /** every raw trade of the symbol with timestamp in [fromMs, toMs) */
  loadTrades(symbol: string, fromMs: number, toMs: number): Promise<Trade[]>;
  /** every posts_by_ticker row of the ticker with created in [fromMs, toMs) */
  loadMentions(ticker: string, fromMs: number, toMs: number): Promise<MentionFact[]>;
  /**
   * Keys (symbols, tickers) that may have raw rows or aggregates in [fromMs, toMs):
   * a superset is fine (reprocess reads each and finds nothing), a missing key is not.
   */
  rawKeys(family: RawFamily, fromMs: number, toMs: number): Promise<string[]>;
}

export interface StoreReader {
  latestPrices(): Promise<LatestPrice[]>;
  candles(symbol: string, fromMs: number, toMs: number): Promise<Candle[]>;
  trades(symbol: string, fromMs: number, toMs: number): Promise<Trade[]>;
  sentimentWindows(ticker: string, fromMs: number, toMs: number): Promise<SentimentWindow[]>;
  mentionsHours(fromMs: number, toMs: number): Promise<MentionsHourRow[]>;
  topMentions(fromMs: number, toMs: number, limit: number): Promise<MentionSummary[]>;
  latestPosts(options: { ticker?: string; limit: number }): Promise<PostRow[]>;
  deadLetters(limit: number): Promise<DeadLetterRow[]>;
  company(symbol: string): Promise<Security | undefined>;
  /** alerts fired in [fromMs, toMs), newest first, at most `limit` */
  alerts(fromMs: number, toMs: number, limit: number): Promise<AlertRow[]>;
}

export interface TallyQuery {
  grain: Grain;
  fromMs: number;
  toMs: number;
  ticker?: string;
  scope?: string;
  /** with a ticker: counts only (authors empty, top null), the cheap read of a chart */
  countsOnly?: boolean;
}

/** A crowd tally's key within its ticker. */
export interface TallyKey {
  grain: Grain;
  start: number;
  scope: string;
}

/**
 * The crowd tallies (issue 11): written by the mention handler like every
 * aggregate (versioned), rebuilt from posts_by_ticker rows with what the
 * tallies need.
 */
export interface CrowdWriter {
  /** crowd tallies (minute, hour and day, per scope) of the mention handler's day buckets */
  writeMentionTallies(rows: MentionTally[], version: number): Promise<void>;
  deleteMentionTallies(ticker: string, keys: TallyKey[], version: number): Promise<void>;
  /** every posts_by_ticker row of the ticker with created in [fromMs, toMs), with subreddit, author, score, link and text */
  loadCrowd(ticker: string, fromMs: number, toMs: number): Promise<CrowdFact[]>;
}

/** What the insight views (rankings, crowd, history, price reference, replay time) read beyond StoreReader. */
export interface InsightReader {
  /**
   * Crowd tallies of one grain with start in [fromMs, toMs), unordered. With
   * a ticker: that ticker's rows of every scope (or the one given), with
   * authors and top post. Without: every ticker's rows of the scope (default
   * ALL_SCOPE), counts only (authors empty, top null): the rankings' read.
   */
  mentionTallies(query: TallyQuery): Promise<MentionTally[]>;
  /** the last 1-minute candle of the symbol starting in [notBeforeMs, beforeMs), or null: the price as of an instant */
  lastCandleBefore(symbol: string, beforeMs: number, notBeforeMs: number): Promise<Candle | null>;
  /** the newest event time of any trade and of any mention stored (the raw horizons); null when none */
  dataTime(): Promise<{ trades: number | null; mentions: number | null }>;
}

/** The coarser grains of candles: hours rolled up from minutes, days from hours (domain/windows/rollup.ts). */
export type CandleGrain = 'hour' | 'day';

/**
 * Candle roll-ups: versioned aggregates like candles_1m, written by the trade
 * handler with the minutes they come from, and read by long-range charts.
 * A row's `minute` is its bucket's start (the hour, the UTC day).
 */
export interface CandleRollups {
  writeCandleRollups(grain: CandleGrain, candles: Candle[], version: number): Promise<void>;
  deleteCandleRollups(grain: CandleGrain, symbol: string, starts: number[], version: number): Promise<void>;
  /** the symbol's candles of the grain starting in [fromMs, toMs), oldest first */
  candleRollups(grain: CandleGrain, symbol: string, fromMs: number, toMs: number): Promise<Candle[]>;
}

/** What the dashboards (API, live page, Grafana-free views) read. */
export type DashboardStore = StoreReader & InsightReader & Pick<CandleRollups, 'candleRollups'>;

export interface Store extends StoreWriter, RawReader, StoreReader, CrowdWriter, InsightReader, CandleRollups {
  /** true when the database answers a trivial query */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** Day bucket of an epoch-ms instant: partitions stay bounded (invariant 5). */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;
export const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;
