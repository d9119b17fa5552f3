/**
 * The records that flow through stockstreamer. Every timestamp is epoch
 * milliseconds (UTC); the Avro contracts in schemas/ carry them as
 * timestamp-millis and the codec turns them back into numbers.
 */

/** One trade as Finnhub reports it, plus the sequence that makes it unique. */
export interface Trade {
  symbol: string;
  price: number;
  volume: number;
  /** epoch milliseconds of the trade */
  timestamp: number;
  /** Finnhub trade condition codes; empty when the feed sends none */
  conditions: string[];
  /**
   * Tie-breaker for trades of one symbol within the same millisecond, assigned
   * by the producer in arrival order, so (symbol, timestamp, seq) is the trade's id.
   */
  seq: number;
}

export interface RedditSubmission {
  kind: 'submission';
  /** Reddit fullname, e.g. "t3_abc123": the idempotency key */
  fullname: string;
  id: string;
  subreddit: string;
  author: string;
  title: string;
  selftext: string;
  score: number;
  /** epoch milliseconds */
  created: number;
  permalink: string;
}

export interface RedditComment {
  kind: 'comment';
  /** Reddit fullname, e.g. "t1_def456" */
  fullname: string;
  id: string;
  subreddit: string;
  author: string;
  body: string;
  score: number;
  /** epoch milliseconds */
  created: number;
  permalink: string;
  /** fullname of the submission the comment belongs to ("t3_…") */
  linkId: string;
  /** fullname of the direct parent (a comment "t1_…" or the submission "t3_…") */
  parentId: string;
  /** title of the parent submission; empty when unknown */
  linkTitle: string;
}

export type RedditPost = RedditSubmission | RedditComment;

export type SentimentLabel = 'pos' | 'neg' | 'neu';

export interface SentimentResult {
  /** in [-1, 1] */
  score: number;
  label: SentimentLabel;
}

/** One (post, ticker) pair, re-keyed by ticker for the aggregating consumer. */
export interface TickerMention {
  /** Reddit fullname of the post */
  postId: string;
  ticker: string;
  kind: 'submission' | 'comment';
  subreddit: string;
  author: string;
  /** the text shown on the dashboard: title for submissions, body for comments */
  text: string;
  permalink: string;
  sentiment: number;
  label: SentimentLabel;
  /** epoch milliseconds of the post */
  created: number;
  /** the post's score (net upvotes) when it was read; 0 in records written before v2 of the schema */
  score: number;
}

/** A listed security from the ticker universe. */
export interface Security {
  symbol: string;
  name: string;
  exchange: string;
  sector: string;
  industry: string;
  marketCapUsd: number;
  country: string;
}

/** 1-minute OHLCV candle. */
export interface Candle {
  symbol: string;
  /** epoch milliseconds of the minute start */
  minute: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades: number;
}

/** Sentiment of one ticker over one minute. */
export interface SentimentWindow {
  ticker: string;
  /** epoch milliseconds of the minute start */
  minute: number;
  count: number;
  /** sum of scores; mean = sum / count, kept so windows merge exactly */
  sum: number;
  /** sum of squared scores, for volatility across merged windows */
  sumSquares: number;
  pos: number;
  neg: number;
  neu: number;
}
