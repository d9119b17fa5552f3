import type { SentimentWindow } from '../types.ts';
import { MINUTE_MS } from './candles.ts';

/**
 * Dashboard series over stored sentiment windows. Pure functions of their
 * input: the dashboard reads rows, these shape them.
 */

/** One plotted minute. */
export interface SentimentPoint {
  /** epoch milliseconds of the minute start */
  minute: number;
  /** mean score of that minute: sum / count */
  mean: number;
  /** unweighted mean of the per-minute means over the trailing span */
  movingAverage: number;
  /** population standard deviation of the per-minute means over the trailing span */
  volatility: number;
}

export interface MinutePoint {
  minute: number;
  value: number;
}

/**
 * Adds two windows of one ticker. Sums add exactly where a mean-of-means would
 * not; the result carries the earlier minute, so rolling minutes up into a
 * coarser bucket keeps the bucket's start.
 */
export function mergeSentimentWindows(a: SentimentWindow, b: SentimentWindow): SentimentWindow {
  if (a.ticker !== b.ticker) throw new RangeError(`cannot merge sentiment of different tickers: ${a.ticker} and ${b.ticker}`);
  return {
    ticker: a.ticker,
    minute: Math.min(a.minute, b.minute),
    count: a.count + b.count,
    sum: a.sum + b.sum,
    sumSquares: a.sumSquares + b.sumSquares,
    pos: a.pos + b.pos,
    neg: a.neg + b.neg,
    neu: a.neu + b.neu,
  };
}

/**
 * Count-weighted mean score of the windows whose minute start lies in
 * [fromMs, toMs): Σsum / Σcount, i.e. the mean of every underlying mention,
 * not a mean of minute means (which would let a quiet minute weigh as much as
 * a busy one). null when no mention falls in the range.
 */
export function meanOver(windows: readonly SentimentWindow[], fromMs: number, toMs: number): number | null {
  let sum = 0;
  let count = 0;
  for (const w of windows) {
    if (w.minute >= fromMs && w.minute < toMs) {
      sum += w.sum;
      count += w.count;
    }
  }
  return count === 0 ? null : sum / count;
}

/**
 * Per-minute mean, trailing moving average and volatility, oldest first.
 *
 * The span is by time: the point at minute m looks at minutes in
 * (m − spanMinutes, m]. A minute without mentions has no mean, so it is left
 * out (no point, no zero in the average) rather than stretching the span to
 * the previous spanMinutes minutes that had data. Windows sharing a minute
 * (several tickers, partial windows) are merged exactly first, so passing a
 * whole market gives the market series.
 */
export function sentimentSeries(windows: readonly SentimentWindow[], spanMinutes: number): SentimentPoint[] {
  if (!Number.isSafeInteger(spanMinutes) || spanMinutes < 1) {
    throw new RangeError(`spanMinutes must be a positive integer, got ${spanMinutes}`);
  }
  const byMinute = new Map<number, { sum: number; count: number }>();
  for (const w of windows) {
    if (w.count === 0) continue;
    const acc = byMinute.get(w.minute);
    if (acc === undefined) byMinute.set(w.minute, { sum: w.sum, count: w.count });
    else {
      acc.sum += w.sum;
      acc.count += w.count;
    }
  }
  const minutes = [...byMinute.keys()].sort((x, y) => x - y);
  const means = minutes.map((m) => {
    const acc = byMinute.get(m)!;
    return acc.sum / acc.count;
  });
  const spanMs = spanMinutes * MINUTE_MS;
  const points: SentimentPoint[] = [];
  let first = 0;
  for (let i = 0; i < minutes.length; i++) {
    const minute = minutes[i]!;
    while (minutes[first]! <= minute - spanMs) first++;
    // Spans are a handful of points: two passes over them keep the variance
    // free of the cancellation a running sum-of-squares would suffer.
    const n = i - first + 1;
    let total = 0;
    for (let j = first; j <= i; j++) total += means[j]!;
    const average = total / n;
    let squares = 0;
    for (let j = first; j <= i; j++) {
      const d = means[j]! - average;
      squares += d * d;
    }
    points.push({ minute, mean: means[i]!, movingAverage: average, volatility: Math.sqrt(squares / n) });
  }
  return points;
}

/** The trailing moving average of per-minute means; see sentimentSeries for the span rules. */
export function movingAverage(windows: readonly SentimentWindow[], spanMinutes: number): MinutePoint[] {
  return sentimentSeries(windows, spanMinutes).map((p) => ({ minute: p.minute, value: p.movingAverage }));
}

/** The trailing standard deviation of per-minute means; see sentimentSeries for the span rules. */
export function volatility(windows: readonly SentimentWindow[], spanMinutes: number): MinutePoint[] {
  return sentimentSeries(windows, spanMinutes).map((p) => ({ minute: p.minute, value: p.volatility }));
}
