/**
 * Event-time windowing: the aggregator with its exactly-once contract, the
 * candle / sentiment / hourly-mention specs, the commit checkpoint codec and
 * the dashboard series helpers.
 */
export { createWindowAggregator } from './aggregator.ts';
export type { AddResult, WindowAggregator, WindowSpec } from './aggregator.ts';
export { MINUTE_MS, candleSpec } from './candles.ts';
export type { CandleState } from './candles.ts';
export { HOUR_MS, mentionsHourSpec, sentimentSpec } from './sentiment.ts';
export type { MentionsHour } from './sentiment.ts';
export { meanOver, mergeSentimentWindows, movingAverage, sentimentSeries, volatility } from './series.ts';
export type { MinutePoint, SentimentPoint } from './series.ts';
export { decodeWatermarks, encodeWatermarks } from './checkpoint.ts';
export type { Watermarks } from './checkpoint.ts';
