/**
 * Event-time aggregation: buckets rebuilt from the raw rows whenever they are
 * not in memory (the exact-aggregates contract, buckets.ts), the candle and
 * mention bucket specs, and the dashboard series helpers.
 */
export { createBucketCache, digestOf } from './buckets.ts';
export type { BucketCache, BucketRef, BucketSpec } from './buckets.ts';
export { MINUTE_MS, candleSpec, tradeKey } from './candles.ts';
export type { CandleState } from './candles.ts';
export { HOUR_MS, mentionSpec, roundSentiment } from './sentiment.ts';
export type { MentionFact, MentionRow, MentionsHour } from './sentiment.ts';
export { meanOver, mergeSentimentWindows, movingAverage, sentimentSeries, volatility } from './series.ts';
export type { MinutePoint, SentimentPoint } from './series.ts';
