import type { Candle, SentimentLabel, SentimentWindow, Trade, TickerMention, Security } from '../../domain/types.ts';
import type { MentionsHour } from '../../domain/windows/index.ts';

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

/** Where a partition's event-time watermark stood at its last commit. */
export interface Checkpoint {
  group: string;
  topic: string;
  partition: number;
  watermark: number;
}

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
  /** true once the SMTP server accepted the mail */
  delivered: boolean;
}

export interface StoreWriter {
  writeTrades(trades: Trade[]): Promise<void>;
  writeCandles(candles: Candle[]): Promise<void>;
  writePosts(posts: PostRow[], mentions: TickerMention[]): Promise<void>;
  writeSentimentWindows(windows: SentimentWindow[]): Promise<void>;
  writeMentionsHours(rows: MentionsHourRow[]): Promise<void>;
  writeDeadLetters(rows: DeadLetterRow[]): Promise<void>;
  saveCheckpoint(cp: Checkpoint): Promise<void>;
  loadCheckpoint(group: string, topic: string, partition: number): Promise<Checkpoint | undefined>;
  seedCompanies(securities: Security[]): Promise<void>;
  /** upsert; a row already delivered stays delivered */
  writeAlerts(rows: AlertRow[]): Promise<void>;
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

export interface Store extends StoreWriter, StoreReader {
  /** true when the database answers a trivial query */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
/** Day bucket of an epoch-ms instant: partitions stay bounded (invariant 5). */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;
export const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;
