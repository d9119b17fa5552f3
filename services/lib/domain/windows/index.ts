/**
 * Event-time aggregation: buckets rebuilt from the raw rows whenever they are
 * not in memory (the exact-aggregates contract, buckets.ts), the candle and
 * mention bucket specs, the roll-ups of finer rows into coarser grains (rollup.ts), and the dashboard series helpers.
 */
export { createBucketCache, digestOf } from './buckets.ts';
export type { BucketCache, BucketRef, BucketSpec } from './buckets.ts';
export { DAY_CANDLE_MS, HOUR_CANDLE_MS, MINUTE_MS, candleRollupSpec, candleSpec, tradeKey } from './candles.ts';
export { createRollupCache } from './rollup.ts';
export type { RollupCache, RollupSpec } from './rollup.ts';
export type { CandleState } from './candles.ts';
export { HOUR_MS, mentionSpec, roundSentiment } from './sentiment.ts';
export type { MentionFact, MentionRow, MentionsHour } from './sentiment.ts';
export { meanOver, mergeSentimentWindows, movingAverage, sentimentSeries, volatility } from './series.ts';
export type { MinutePoint, SentimentPoint } from './series.ts';
