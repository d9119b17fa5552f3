/**
 * The differential oracle of the exact-aggregates contract: what every
 * aggregate table must hold, computed straight from the raw rows the store
 * holds (trades_by_symbol, posts_by_ticker) with plain code — sorting,
 * grouping and sums. It takes each mention's stored sentiment and label as
 * given and shares nothing with the processor's aggregation or enrichment
 * code (services/lib/domain/windows, services/processor): a bug there cannot
 * hide in here.
 *
 * Readers for both stores are beside it (sqlite.ts, cassandra.ts): each reads
 * the raw rows and the aggregate rows with its own plain queries, not
 * through the store's read path.
 */

export const MIN = 60_000;
export const HOUR = 3_600_000;

export interface RawTrade {
  symbol: string;
  ts: number;
  seq: number;
  price: number;
  volume: number;
}

export interface RawMention {
  ticker: string;
  created: number;
  postId: string;
  sentiment: number;
  label: string;
  subreddit: string;
  author: string;
  /** the post's score as stored (0 where the row has none) */
  score: number;
  permalink: string;
  text: string;
}

export interface CandleRow { open: number; high: number; low: number; close: number; volume: number; trades: number }
export interface SentimentRow { count: number; sum: number; sumSquares: number; pos: number; neg: number; neu: number }
export interface HourRow { count: number; sum: number; pos: number; neg: number; neu: number }
/**
 * A crowd tally (issue 11): authors as the sorted distinct names joined by
 * newlines, authorCount as the stored number of them (schema 7), top as `score created postId permalink text` of the post with the
 * highest score (then the earliest, then the smallest id), '' for none.
 */
export interface TallyRow {
  count: number; sum: number; pos: number; neg: number; neu: number; upvotes: number; weighted: number; authors: string; authorCount: number | null; top: string;
}

export interface Aggregates {
  /** `${symbol}|${minute}` */
  candles: Map<string, CandleRow>;
  /** `${grain}|${symbol}|${start}`: grain hour (candles_1h) or day (candles_1d, UTC days) */
  candleRollups: Map<string, CandleRow>;
  /** `${ticker}|${minute}` */
  sentiment: Map<string, SentimentRow>;
  /** `${hour}|${ticker}` */
  hours: Map<string, HourRow>;
  /** symbol → `${price}@${ts}` */
  latest: Map<string, string>;
  /** `${grain}|${start}|${ticker}|${scope}`: grain minute/hour/day, scope '*' or the subreddit in lower case */
  tallies: Map<string, TallyRow>;
}

export interface Snapshot {
  trades: RawTrade[];
  mentions: RawMention[];
  actual: Aggregates;
}

const floorTo = (t: number, size: number): number => Math.floor(t / size) * size;

/** OHLCV of the trades grouped by symbol and `size`-long buckets, keyed `${symbol}|${start}` */
function candlesOf(trades: readonly RawTrade[], size: number): Map<string, CandleRow> {
  const groups = new Map<string, RawTrade[]>();
  for (const t of trades) {
    const k = `${t.symbol}|${floorTo(t.ts, size)}`;
    const list = groups.get(k);
    if (list) list.push(t);
    else groups.set(k, [t]);
  }
  const out = new Map<string, CandleRow>();
  for (const [k, list] of groups) {
    const sorted = [...list].sort((a, b) => a.ts - b.ts || a.seq - b.seq);
    let high = -Infinity;
    let low = Infinity;
    let volume = 0;
    for (const t of sorted) {
      if (t.price > high) high = t.price;
      if (t.price < low) low = t.price;
      volume += t.volume;
    }
    out.set(k, { open: sorted[0]!.price, high, low, close: sorted[sorted.length - 1]!.price, volume, trades: sorted.length });
  }
  return out;
}

export function expectedAggregates(trades: readonly RawTrade[], mentions: readonly RawMention[]): Aggregates {
  const out: Aggregates = { candles: candlesOf(trades, MIN), candleRollups: new Map(), sentiment: new Map(), hours: new Map(), latest: new Map(), tallies: new Map() };
  // hours and days straight from the trades, not from the minutes: the roll-up's chain is what is checked
  for (const [grain, size] of [['hour', HOUR], ['day', 24 * HOUR]] as const) {
    for (const [k, row] of candlesOf(trades, size)) out.candleRollups.set(`${grain}|${k}`, row);
  }
  const newest = new Map<string, RawTrade>();
  for (const t of trades) {
    const n = newest.get(t.symbol);
    if (!n || t.ts > n.ts || (t.ts === n.ts && t.seq > n.seq)) newest.set(t.symbol, t);
  }
  for (const [symbol, t] of newest) out.latest.set(symbol, `${t.price}@${t.ts}`);

  for (const m of mentions) {
    const sk = `${m.ticker}|${floorTo(m.created, MIN)}`;
    const s = out.sentiment.get(sk) ?? { count: 0, sum: 0, sumSquares: 0, pos: 0, neg: 0, neu: 0 };
    s.count++;
    s.sum += m.sentiment;
    s.sumSquares += m.sentiment * m.sentiment;
    s[m.label as 'pos' | 'neg' | 'neu']++;
    out.sentiment.set(sk, s);
    const hk = `${floorTo(m.created, HOUR)}|${m.ticker}`;
    const h = out.hours.get(hk) ?? { count: 0, sum: 0, pos: 0, neg: 0, neu: 0 };
    h.count++;
    h.sum += m.sentiment;
    h[m.label as 'pos' | 'neg' | 'neu']++;
    out.hours.set(hk, h);
  }
  out.tallies = expectedTallies(mentions);
  return out;
}

/** what a tally keeps of its top post's text, as the contract states it (README, Live dashboard) */
const TOP_TEXT = 280;
const GRAIN_SIZES: [string, number][] = [['minute', MIN], ['hour', HOUR], ['day', 24 * HOUR]];

/** Crowd tallies: group the mentions by (grain, start, ticker, scope), then count, add, collect and pick. */
export function expectedTallies(mentions: readonly RawMention[]): Map<string, TallyRow> {
  const groups = new Map<string, RawMention[]>();
  for (const m of mentions) {
    for (const [grain, size] of GRAIN_SIZES) {
      for (const scope of ['*', m.subreddit.toLowerCase()]) {
        const k = `${grain}|${floorTo(m.created, size)}|${m.ticker}|${scope}`;
        const list = groups.get(k);
        if (list) list.push(m);
        else groups.set(k, [m]);
      }
    }
  }
  const out = new Map<string, TallyRow>();
  for (const [k, list] of groups) {
    const row: TallyRow = { count: list.length, sum: 0, pos: 0, neg: 0, neu: 0, upvotes: 0, weighted: 0, authors: '', authorCount: 0, top: '' };
    for (const m of list) {
      row.sum += m.sentiment;
      row[m.label as 'pos' | 'neg' | 'neu']++;
      row.upvotes += m.score;
      row.weighted += m.score > 1 ? m.score : 1;
    }
    const authors = new Set(list.map((m) => m.author));
    row.authors = [...authors].sort().join('\n');
    row.authorCount = authors.size;
    const best = [...list].sort((a, b) => b.score - a.score || a.created - b.created || (a.postId < b.postId ? -1 : a.postId > b.postId ? 1 : 0))[0]!;
    row.top = `${best.score} ${best.created} ${best.postId} ${best.permalink} ${best.text.slice(0, TOP_TEXT)}`;
    out.set(k, row);
  }
  return out;
}

/** sums of doubles depend on the order of their terms: compared to this absolute tolerance, everything else exactly */
const SUM_TOLERANCE = 1e-6;
const SUMS = new Set(['volume', 'sum', 'sumSquares']);

/**
 * The differences between the expected and the stored aggregates, as lines a
 * person can read (at most a few examples per table); empty when they agree.
 */
export function diffAggregates(expected: Aggregates, actual: Aggregates): string[] {
  const out: string[] = [];
  for (const part of ['candles', 'candleRollups', 'sentiment', 'hours', 'latest', 'tallies'] as const) {
    const e = expected[part] as Map<string, unknown>;
    const a = actual[part] as Map<string, unknown>;
    let missing = 0;
    let extra = 0;
    let wrong = 0;
    const examples: string[] = [];
    const same = (x: unknown, y: unknown): boolean => {
      if (typeof x !== 'object' || x === null || typeof y !== 'object' || y === null) return x === y;
      const xr = x as Record<string, number>;
      const yr = y as Record<string, number>;
      const keys = Object.keys(xr);
      return keys.length === Object.keys(yr).length
        && keys.every((k) => (SUMS.has(k) ? Math.abs(xr[k]! - yr[k]!) <= SUM_TOLERANCE : xr[k] === yr[k]));
    };
    for (const [k, v] of e) {
      if (!a.has(k)) {
        missing++;
        if (examples.length < 3) examples.push(`missing ${k} ${JSON.stringify(v)}`);
      } else if (!same(v, a.get(k))) {
        wrong++;
        if (examples.length < 3) examples.push(`${k}: expected ${JSON.stringify(v)}, stored ${JSON.stringify(a.get(k))}`);
      }
    }
    for (const [k, v] of a) {
      if (!e.has(k)) {
        extra++;
        if (examples.length < 3) examples.push(`unexpected ${k} ${JSON.stringify(v)}`);
      }
    }
    if (missing + extra + wrong > 0) {
      out.push(`${part} (${e.size} expected, ${a.size} stored): ${missing} missing, ${extra} unexpected, ${wrong} different; e.g. ${examples.join(' | ')}`);
    }
  }
  return out;
}

/** The oracle's verdict on one snapshot of a store. */
export function checkSnapshot(s: Snapshot): string[] {
  return diffAggregates(expectedAggregates(s.trades, s.mentions), s.actual);
}
