/**
 * Finnhub WebSocket frames → trades. Pure: text in, values out.
 *
 * Grammar of the frames the feed sends (one JSON object per WebSocket text message):
 *
 *   frame := trade | ping | error | other
 *   trade := {"type":"trade","data":[item, ...]}
 *   item  := {"s": symbol string, "p": price > 0, "t": epoch-ms integer > 0,
 *             "v": volume >= 0, "c"?: [condition, ...] | null}
 *   ping  := {"type":"ping"}                  heartbeat, carries nothing
 *   error := {"type":"error","msg": string}   e.g. too many symbols; the socket stays open
 *   other := {"type": any other string, ...}  e.g. news when subscribed; ignored
 *
 * Conditions arrive as strings ("1", "12") and occasionally as numbers; both
 * become strings so the Avro contract sees one type. One bad item does not
 * poison its frame: the good items are kept and the bad one is reported.
 */
import type { Trade } from '../types.ts';

/** A trade before the producer has given it its arrival sequence. */
export type UnsequencedTrade = Omit<Trade, 'seq'>;

export type FinnhubFrame =
  | { kind: 'trades'; trades: UnsequencedTrade[]; rejected: string[] }
  | { kind: 'ping' }
  | { kind: 'error'; message: string }
  | { kind: 'ignored'; type: string }
  | { kind: 'malformed'; reason: string };

const MAX_SYMBOL_LENGTH = 64;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses one trade item; a string is the reason it was rejected. */
export function parseTradeItem(item: unknown): UnsequencedTrade | string {
  if (!isRecord(item)) return 'trade item is not an object';
  const { s, p, t, v, c } = item;
  if (typeof s !== 'string' || s.length === 0 || s.length > MAX_SYMBOL_LENGTH) return 'trade item has no valid "s" (symbol)';
  if (typeof p !== 'number' || !Number.isFinite(p) || p <= 0) return `trade ${s} has no valid "p" (price > 0)`;
  if (typeof t !== 'number' || !Number.isSafeInteger(t) || t <= 0) return `trade ${s} has no valid "t" (epoch milliseconds)`;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `trade ${s} has no valid "v" (volume >= 0)`;
  let conditions: string[] = [];
  if (c !== undefined && c !== null) {
    if (!Array.isArray(c)) return `trade ${s} has a "c" that is not a list`;
    conditions = [];
    for (const code of c) {
      if (typeof code === 'string') conditions.push(code);
      else if (typeof code === 'number' && Number.isFinite(code)) conditions.push(String(code));
      else return `trade ${s} has a condition that is neither string nor number`;
    }
  }
  return { symbol: s, price: p, volume: v, timestamp: t, conditions };
}

export function parseFinnhubFrame(text: string): FinnhubFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: 'frame is not valid JSON' };
  }
  if (!isRecord(value)) return { kind: 'malformed', reason: 'frame is not a JSON object' };
  const type = value.type;
  if (typeof type !== 'string') return { kind: 'malformed', reason: 'frame has no string "type"' };
  switch (type) {
    case 'ping':
      return { kind: 'ping' };
    case 'error': {
      const msg = value.msg;
      return { kind: 'error', message: typeof msg === 'string' ? msg : 'error frame without a message' };
    }
    case 'trade': {
      const data = value.data;
      if (!Array.isArray(data)) return { kind: 'malformed', reason: 'trade frame has no "data" list' };
      const trades: UnsequencedTrade[] = [];
      const rejected: string[] = [];
      for (const item of data) {
        const parsed = parseTradeItem(item);
        if (typeof parsed === 'string') rejected.push(parsed);
        else trades.push(parsed);
      }
      return { kind: 'trades', trades, rejected };
    }
    default:
      return { kind: 'ignored', type };
  }
}

/**
 * Gives each trade its `seq`: the number of trades of the same symbol and
 * millisecond that arrived before it. Keyed by (symbol, timestamp) rather than
 * "last timestamp seen" because the feed can interleave milliseconds, and a
 * repeated seq would make the store's idempotent upsert swallow a real trade.
 * Memory is bounded: per symbol only the most recent `maxTimestampsPerSymbol`
 * milliseconds are remembered, far more than the feed ever reorders by.
 */
export interface TradeSequencer {
  assign(trade: UnsequencedTrade): Trade;
}

export function createTradeSequencer(options: { maxTimestampsPerSymbol?: number } = {}): TradeSequencer {
  const max = options.maxTimestampsPerSymbol ?? 1024;
  const perSymbol = new Map<string, Map<number, number>>();
  return {
    assign(trade) {
      let seen = perSymbol.get(trade.symbol);
      if (seen === undefined) {
        seen = new Map();
        perSymbol.set(trade.symbol, seen);
      }
      const seq = seen.get(trade.timestamp) ?? 0;
      seen.delete(trade.timestamp);
      seen.set(trade.timestamp, seq + 1);
      if (seen.size > max) {
        const oldest = seen.keys().next();
        if (oldest.done !== true) seen.delete(oldest.value);
      }
      return { ...trade, seq };
    },
  };
}
