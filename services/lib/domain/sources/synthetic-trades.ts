/**
 * A fake but plausible trade tape, written as Finnhub frames so it runs
 * through exactly the parser the live feed uses (and can be recorded and
 * replayed like the live feed). Pure: randomness and time come in.
 *
 * Model, per symbol: a geometric random walk of the log price with a very
 * weak pull back to its start price (so a day-long demo does not wander off
 * to absurd levels), ticking once per trade. Volumes are mostly round lots
 * drawn lognormally, a third odd lots, and about one in a hundred a block
 * trade. Some seconds burst to 5–10× the base rate, as real tapes do around
 * news; sweeps print several fills of one symbol in the same millisecond,
 * which exercises the (symbol, timestamp, seq) trade id.
 */
import { gaussian, pick, poisson } from './prng.ts';

/** Rough start prices in USD; unknown symbols start at UNKNOWN_START_PRICE. */
export const START_PRICES: Readonly<Record<string, number>> = Object.freeze({
  AAPL: 230, TSLA: 250, NVDA: 130, MSFT: 420, AMZN: 190, GOOGL: 170, GOOG: 172, META: 560,
  AMD: 150, GME: 25, PLTR: 40, NFLX: 700, INTC: 22, SPY: 570, QQQ: 490, AMC: 5, BB: 2.5,
  COIN: 210, MSTR: 180, SOFI: 10, RIVN: 12, NIO: 5, BABA: 95, DIS: 95, JPM: 215, BAC: 40,
  F: 11, T: 22, UBER: 75, SNAP: 11, HOOD: 24, SMCI: 45, ARM: 140, AVGO: 170,
});
export const UNKNOWN_START_PRICE = 50;

/**
 * Finnhub-style condition codes, as the feed sends them (strings). "1" is a
 * regular sale; the others mark odd lots, intermarket sweeps and
 * extended-hours prints. They are labels here, not a compliance reference.
 */
const REGULAR = ['1'];
const ODD_LOT = ['1', '37'];
const SWEEP = ['1', '14'];
const EXTENDED = ['12'];

/** log-price volatility per trade: a few basis points, like a liquid stock */
const SIGMA_PER_TRADE = 0.0004;
/** pull towards the start price per trade; tiny, it only bounds long runs */
const REVERSION = 0.0002;
const MAX_TRADES_PER_FRAME = 25;

export interface TradeFrame {
  /** when the frame "arrives", epoch milliseconds */
  at: number;
  /** the frame text, exactly what the Finnhub socket would carry */
  text: string;
}

export interface TradeWalk {
  /** Frames for the second starting at `nowMs`, in arrival order. */
  second(nowMs: number, ratePerSecond: number): TradeFrame[];
  /** current price of a symbol (for tests and the demo page) */
  price(symbol: string): number;
}

function roundPrice(price: number): number {
  const rounded = price >= 1 ? Math.round(price * 100) / 100 : Math.round(price * 10_000) / 10_000;
  return Math.max(0.0001, rounded);
}

export function createTradeWalk(options: { symbols: readonly string[]; random: () => number }): TradeWalk {
  const { symbols, random } = options;
  if (symbols.length === 0) throw new RangeError('the synthetic trade feed needs at least one symbol');
  const anchors = new Map<string, number>();
  const logPrices = new Map<string, number>();
  for (const symbol of symbols) {
    // Spread the start a little so two runs with different seeds differ from the first trade.
    const start = (START_PRICES[symbol] ?? UNKNOWN_START_PRICE) * (1 + (random() - 0.5) * 0.02);
    anchors.set(symbol, Math.log(start));
    logPrices.set(symbol, Math.log(start));
  }

  function step(symbol: string): number {
    const anchor = anchors.get(symbol) as number;
    const current = logPrices.get(symbol) as number;
    const next = current - REVERSION * (current - anchor) + SIGMA_PER_TRADE * gaussian(random);
    logPrices.set(symbol, next);
    return roundPrice(Math.exp(next));
  }

  function volumeAndConditions(extendedHours: boolean): { v: number; c: string[] } {
    const u = random();
    if (u < 0.01) return { v: 100 * (100 + Math.floor(random() * 900)), c: extendedHours ? EXTENDED : REGULAR };
    if (u < 0.35) return { v: 1 + Math.floor(random() * 99), c: extendedHours ? EXTENDED : ODD_LOT };
    const lots = Math.max(1, Math.round(Math.exp(0.9 * gaussian(random))));
    return { v: 100 * lots, c: extendedHours ? EXTENDED : REGULAR };
  }

  return {
    second(nowMs, ratePerSecond) {
      const burst = random() < 0.07 ? 5 + Math.floor(random() * 6) : 1;
      const count = poisson(ratePerSecond * burst, random);
      const hourUtc = new Date(nowMs).getUTCHours();
      // US regular session is roughly 13:30–20:00 UTC; outside it prints are extended-hours.
      const extendedHours = hourUtc < 13 || hourUtc >= 20;
      const items: { s: string; p: number; t: number; v: number; c: string[] }[] = [];
      while (items.length < count) {
        const symbol = pick(symbols, random);
        const t = nowMs + Math.floor(random() * 1000);
        const fills = random() < 0.05 ? 2 + Math.floor(random() * 3) : 1;
        for (let i = 0; i < fills && items.length < count; i++) {
          const { v, c } = volumeAndConditions(extendedHours);
          items.push({ s: symbol, p: step(symbol), t, v, c: fills > 1 && !extendedHours ? SWEEP : c });
        }
      }
      items.sort((a, b) => a.t - b.t);
      const frames: TradeFrame[] = [];
      for (let i = 0; i < items.length; i += MAX_TRADES_PER_FRAME) {
        const chunk = items.slice(i, i + MAX_TRADES_PER_FRAME);
        const last = chunk[chunk.length - 1];
        frames.push({ at: last === undefined ? nowMs : last.t, text: JSON.stringify({ data: chunk, type: 'trade' }) });
      }
      // The real feed pings when it has been quiet; keep that visible in recordings.
      if (frames.length === 0 || random() < 0.02) frames.push({ at: nowMs + 999, text: '{"type":"ping"}' });
      return frames;
    },
    price(symbol) {
      const log = logPrices.get(symbol);
      return log === undefined ? Number.NaN : roundPrice(Math.exp(log));
    },
  };
}
