/**
 * What a price change is measured against, as a broker does: for US
 * equities the previous close of the regular session (16:00 New York time,
 * weekdays), for symbols that trade around the clock (Finnhub's
 * "EXCHANGE:PAIR" symbols: crypto, forex) the price 24 hours earlier.
 * Pure: the time zone rules come from Intl (the ICU data in Node), not a clock.
 *
 * Holidays are not known here: on one, the "previous close" is the last
 * trade before 16:00 of that day, i.e. the close of the session before, plus
 * whatever traded after hours. After 16:00 the reference is that day's own
 * close, so the change is the after-hours move, as brokers show it.
 */
export type ReferenceKind = 'previous_close' | 'rolling_24h';

export interface PriceReference {
  kind: ReferenceKind;
  /** the instant whose price is the reference: the close (16:00 New York) or 24 h before the last trade */
  atMs: number;
  /** the symbol's market time zone, for the page's labels */
  timeZone: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const NEW_YORK = 'America/New_York';
const CLOSE_HOUR = 16;

/** true for symbols that trade around the clock: Finnhub names them with an exchange prefix ("BINANCE:BTCUSDT") */
export const tradesAroundTheClock = (symbol: string): boolean => symbol.includes(':');

export const marketTimeZone = (symbol: string): string => (tradesAroundTheClock(symbol) ? 'UTC' : NEW_YORK);

const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: NEW_YORK, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short',
});

interface Local { y: number; m: number; d: number; hour: number; minute: number; second: number; weekday: string }

function newYork(ms: number): Local {
  const p: Record<string, string> = {};
  for (const x of parts.formatToParts(ms)) p[x.type] = x.value;
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second), weekday: p.weekday! };
}

/** The UTC instant of a New York wall-clock time (the offset is −4 h or −5 h; checked both ways). */
export function newYorkToUtc(y: number, m: number, d: number, hour: number): number {
  for (const offset of [4, 5]) {
    const guess = Date.UTC(y, m - 1, d, hour + offset);
    const l = newYork(guess);
    if (l.y === y && l.m === m && l.d === d && l.hour === hour && l.minute === 0) return guess;
  }
  throw new RangeError(`no instant is ${y}-${m}-${d} ${hour}:00 in New York`);
}

/** The most recent 16:00 New York close of a weekday at or before `ms`. */
export function previousClose(ms: number): number {
  const l = newYork(ms);
  // walk back over calendar days from the local date (noon UTC keeps clear of date-line edges)
  let day = Date.UTC(l.y, l.m - 1, l.d, 12);
  if (l.hour < CLOSE_HOUR) day -= DAY;
  for (;;) {
    const weekday = new Date(day).getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      const d = new Date(day);
      return newYorkToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), CLOSE_HOUR);
    }
    day -= DAY;
  }
}

/** The reference a change of `symbol` at `lastTradeMs` is measured against. */
export function priceReference(symbol: string, lastTradeMs: number): PriceReference {
  if (tradesAroundTheClock(symbol)) return { kind: 'rolling_24h', atMs: lastTradeMs - DAY, timeZone: 'UTC' };
  return { kind: 'previous_close', atMs: previousClose(lastTradeMs), timeZone: NEW_YORK };
}

/** The session close of a New York calendar day (yyyy-mm-dd of the day's UTC start), for daily history: null on weekends. */
export function sessionCloseOf(dayStartUtc: number): number | null {
  const d = new Date(dayStartUtc);
  const weekday = d.getUTCDay();
  if (weekday === 0 || weekday === 6) return null;
  return newYorkToUtc(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), CLOSE_HOUR);
}
