import type { Candle, Trade } from '../types.ts';
import { digestOf, type BucketSpec } from './buckets.ts';
import type { RollupSpec } from './rollup.ts';

export const MINUTE_MS = 60_000;

/**
 * Running state of one symbol-minute. Every field is a function of the SET of
 * trades folded in, never of their order, so a candle built live equals one
 * rebuilt from the raw rows (a reload, a reprocess, another consumer).
 * Which trades are in the set (the dedupe of a trade the bus delivered twice)
 * is the bucket cache's business: it folds each trade id once.
 */
export interface CandleState {
  symbol: string;
  minute: number;
  open: number;
  openTs: number;
  openSeq: number;
  close: number;
  closeTs: number;
  closeSeq: number;
  high: number;
  low: number;
  /** whole units of volume */
  volumeWhole: number;
  /** the fractional rest in VOLUME_UNITS_PER_ONE steps, always < VOLUME_UNITS_PER_ONE */
  volumeUnits: number;
  trades: number;
}

/**
 * Floating-point addition is not associative, so summing volumes as doubles
 * would make the same trades give a different last digit in a different
 * order. Volume is therefore summed exactly as integers: whole units plus the
 * fraction in steps of 1e-8, the satoshi, the finest lot the crypto venues on
 * the feed quote. Finer fractions are rounded to that step.
 */
const VOLUME_UNITS_PER_ONE = 100_000_000;

/** largest seq whose numeric key stays a safe integer: seq * MINUTE_MS + (MINUTE_MS - 1) ≤ 2^53 - 1 */
const MAX_NUMERIC_SEQ = Math.floor(Number.MAX_SAFE_INTEGER / MINUTE_MS) - 1;

/**
 * A trade's id within its candle's minute: the raw table's key (timestamp,
 * seq). The processor folds every trade of a backlog through here, so the
 * common case allocates nothing: seq * 60,000 + the millisecond within the
 * minute, a one-to-one number for whole-millisecond timestamps inside the
 * minute and a small integer (no heap object) while seq < 17,895. Anything
 * else (fractions, a huge or negative seq) keeps the exact "timestamp:seq"
 * string; a number and a string are never equal as Map keys, so the two
 * encodings cannot collide, and each (timestamp, seq) always gets the same one.
 */
export function tradeKey(timestamp: number, seq: number, minute: number): number | string {
  const ms = timestamp - minute;
  if (Number.isInteger(ms) && ms >= 0 && ms < MINUTE_MS && Number.isInteger(seq) && seq >= 0 && seq <= MAX_NUMERIC_SEQ) return seq * MINUTE_MS + ms;
  return `${timestamp}:${seq}`;
}

/** 1-minute OHLCV per symbol; open/close are chosen by (timestamp, seq), so arrival order does not matter. */
export function candleSpec(): BucketSpec<Trade, CandleState, Candle> {
  return {
    sizeMs: MINUTE_MS,
    keyOf: (trade) => trade.symbol,
    timeOf: (trade) => trade.timestamp,
    idOf: (trade, minute) => tradeKey(trade.timestamp, trade.seq, minute),
    digestOf: (trade) => digestOf([trade.price, trade.volume]),
    create: (symbol, minute) => ({
      symbol,
      minute,
      open: NaN,
      openTs: Infinity,
      openSeq: Infinity,
      close: NaN,
      closeTs: -Infinity,
      closeSeq: -Infinity,
      high: -Infinity,
      low: Infinity,
      volumeWhole: 0,
      volumeUnits: 0,
      trades: 0,
    }),
    add(s, trade) {
      const { price, timestamp: ts, seq } = trade;
      // (timestamp, seq) is the trade's id and the cache folds an id once, so
      // there are no ties here.
      if (ts < s.openTs || (ts === s.openTs && seq < s.openSeq)) {
        s.open = price;
        s.openTs = ts;
        s.openSeq = seq;
      }
      if (ts > s.closeTs || (ts === s.closeTs && seq > s.closeSeq)) {
        s.close = price;
        s.closeTs = ts;
        s.closeSeq = seq;
      }
      if (price > s.high) s.high = price;
      if (price < s.low) s.low = price;
      const whole = Math.floor(trade.volume);
      // volume − floor(volume) is exact in binary floating point; only the
      // scaling to 1e-8 steps rounds, and it rounds each trade the same way
      // whatever its position in the stream.
      s.volumeWhole += whole;
      s.volumeUnits += Math.round((trade.volume - whole) * VOLUME_UNITS_PER_ONE);
      if (s.volumeUnits >= VOLUME_UNITS_PER_ONE) {
        s.volumeUnits -= VOLUME_UNITS_PER_ONE;
        s.volumeWhole += 1;
      }
      s.trades++;
    },
    // A bucket loaded empty (its raw rows not visible yet) has no candle to write.
    drain: (s) => s.trades === 0 ? [] : [{
      symbol: s.symbol,
      minute: s.minute,
      open: s.open,
      high: s.high,
      low: s.low,
      close: s.close,
      volume: s.volumeWhole + s.volumeUnits / VOLUME_UNITS_PER_ONE,
      trades: s.trades,
    }],
  };
}

export const HOUR_CANDLE_MS = 3_600_000;
export const DAY_CANDLE_MS = 86_400_000;

/**
 * Candles of a coarser grain (an hour of minute candles, a day of hour
 * candles): open of the first, close of the last, extremes, and the volume
 * summed the way the minute candle sums trades — whole units plus 1e-8 steps
 * as integers — so the coarse volume equals the sum of the trades'
 * volumes however it was reached (up to 90 million units per fine candle,
 * where a double still holds every 1e-8 step).
 */
export function candleRollupSpec(sizeMs: number): RollupSpec<Candle> {
  return {
    sizeMs,
    keyOf: (c) => c.symbol,
    startOf: (c) => c.minute,
    combine(symbol, start, rows) {
      let high = -Infinity;
      let low = Infinity;
      let whole = 0;
      let units = 0;
      let trades = 0;
      for (const c of rows) {
        if (c.high > high) high = c.high;
        if (c.low < low) low = c.low;
        const w = Math.floor(c.volume);
        whole += w;
        units += Math.round((c.volume - w) * VOLUME_UNITS_PER_ONE);
        trades += c.trades;
      }
      whole += Math.floor(units / VOLUME_UNITS_PER_ONE);
      units %= VOLUME_UNITS_PER_ONE;
      return {
        symbol, minute: start, open: rows[0]!.open, close: rows[rows.length - 1]!.close,
        high, low, volume: whole + units / VOLUME_UNITS_PER_ONE, trades,
      };
    },
  };
}
