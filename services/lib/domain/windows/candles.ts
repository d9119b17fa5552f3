import type { Candle, Trade } from '../types.ts';
import type { WindowSpec } from './aggregator.ts';
import { checkLateness } from './options.ts';

export const MINUTE_MS = 60_000;

/**
 * Running state of one symbol-minute. Every field is a function of the SET of
 * trades folded in, never of their order, so a candle built live equals one
 * rebuilt from sorted trades (backfill, replay tool, another consumer).
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
  /**
   * The id (timestamp, seq) of every trade folded in, as tradeKey() encodes
   * it. The same trade can reach the topic twice (a producer retry after a
   * broker restart, a producer re-run over the same feed); a second copy must
   * not count again, or volume and trades double while every upsert still
   * looks idempotent.
   */
  ids: Set<number | string>;
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
 * A trade's id within its candle's minute, for the dedupe set. The processor
 * folds every trade of a backlog through here, so the common case allocates
 * nothing: seq * 60,000 + the millisecond within the minute, a one-to-one
 * number for whole-millisecond timestamps inside the minute and a small
 * integer (no heap object) while seq < 17,895. Anything else (a timestamp
 * outside the minute, fractions, a huge or negative seq) keeps the exact
 * "timestamp:seq" string; a number and a string are never equal in a Set, so
 * the two encodings cannot collide, and each (timestamp, seq) always gets the
 * same one.
 */
export function tradeKey(timestamp: number, seq: number, minute: number): number | string {
  const ms = timestamp - minute;
  if (Number.isInteger(ms) && ms >= 0 && ms < MINUTE_MS && Number.isInteger(seq) && seq >= 0 && seq <= MAX_NUMERIC_SEQ) return seq * MINUTE_MS + ms;
  return `${timestamp}:${seq}`;
}

/** 1-minute OHLCV per symbol; open/close are chosen by (timestamp, seq), so arrival order does not matter. */
export function candleSpec(options: { latenessMs: number }): WindowSpec<Trade, CandleState, Candle> {
  const latenessMs = checkLateness(options, 'candleSpec');
  return {
    sizeMs: MINUTE_MS,
    latenessMs,
    keyOf: (trade) => trade.symbol,
    timeOf: (trade) => trade.timestamp,
    init: (symbol, minute) => ({
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
      ids: new Set<number | string>(),
    }),
    add(s, trade) {
      const { price, timestamp: ts, seq } = trade;
      const id = tradeKey(ts, seq, s.minute);
      if (s.ids.has(id)) return;
      s.ids.add(id);
      // Equal (timestamp, seq) only happens for a duplicated trade id; taking
      // the lower price then keeps the choice independent of arrival order.
      if (ts < s.openTs || (ts === s.openTs && (seq < s.openSeq || (seq === s.openSeq && price < s.open)))) {
        s.open = price;
        s.openTs = ts;
        s.openSeq = seq;
      }
      if (ts > s.closeTs || (ts === s.closeTs && (seq > s.closeSeq || (seq === s.closeSeq && price < s.close)))) {
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
    toRow: (s) => ({
      symbol: s.symbol,
      minute: s.minute,
      open: s.open,
      high: s.high,
      low: s.low,
      close: s.close,
      volume: s.volumeWhole + s.volumeUnits / VOLUME_UNITS_PER_ONE,
      trades: s.trades,
    }),
  };
}
