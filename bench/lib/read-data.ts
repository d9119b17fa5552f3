/**
 * The read benchmark's history: `days` of synthetic data ending now, at the
 * volume issue 13 asks for (2,000,000 posts, at least 3,000 tickers
 * mentioned, 50 symbols trading), generated hour by hour with a seeded PRNG
 * so every run writes the same rows. Aggregates come from the domain's own
 * bucket specs (candleSpec, mentionSpec) folded over the hour's raw rows, so
 * they are exactly what the processor would have written for them.
 *
 * Shape, chosen to be the worst case a read can meet rather than the mean:
 *  - every symbol trades every minute of every day (crypto-like hours), so
 *    each candle partition holds a full day of 1,440 rows;
 *  - posts follow a day curve (twice the mean during US market hours, a
 *    third of it at night), tickers a Zipf law over the listed universe (a
 *    few tickers in most posts, thousands in a few), 0–3 tickers a post;
 *  - a few dead letters an hour, a few alerts a day.
 */
import type { Candle, Security, SentimentLabel, SentimentWindow, TickerMention, Trade } from '../../services/lib/domain/types.ts';
import { createSeededRandom, poisson } from '../../services/lib/domain/sources/prng.ts';
import { DAY_CANDLE_MS, HOUR_CANDLE_MS, candleRollupSpec, candleSpec, mentionSpec, roundSentiment, MINUTE_MS, HOUR_MS } from '../../services/lib/domain/windows/index.ts';
import { crowdSpec, DAY_MS, type MentionTally } from '../../services/lib/domain/windows/crowd.ts';
import type { MentionFact, MentionRow } from '../../services/lib/domain/windows/index.ts';
import type { AlertRow, DeadLetterRow, MentionsHourRow, PostRow } from '../../services/lib/io/store/repository.ts';

export interface ReadDataOptions {
  /** hours of history ending with the hour of `endMs` */
  days: number;
  /** posts over the whole history */
  posts: number;
  /** the tradable symbols (trades and candles) */
  symbols: readonly string[];
  /** tickers posts may name, most popular first (Zipf over this order) */
  tickers: readonly string[];
  /** epoch ms: the newest minute written is the one before it */
  endMs: number;
  seed?: number;
  /** trades per symbol-minute, mean (≥ 1 always) */
  tradesPerMinute?: number;
}

export interface HourOfData {
  hour: number;
  trades: Trade[];
  candles: Candle[];
  /** the hour's candle per symbol, and the day's so far, as the trade handler's roll-ups write them */
  hourCandles: Candle[];
  dayCandles: Candle[];
  posts: PostRow[];
  mentions: TickerMention[];
  windows: SentimentWindow[];
  mentionHours: MentionsHourRow[];
  /** the crowd tallies (minute, hour, day; every scope) the hour changed, as the mention handler drains them */
  tallies: MentionTally[];
  dead: DeadLetterRow[];
  alerts: AlertRow[];
}

const SUBREDDITS = ['wallstreetbets', 'stocks', 'investing', 'stockmarket', 'options'];
const OPENERS = ['Thoughts on', 'Loading up on', 'Anyone else holding', 'DD:', 'Why I am bearish on', 'Bought more', 'Just sold my', 'Is it time to buy'];
const CLOSERS = ['after earnings', 'before the Fed meeting', 'this week', 'on the dip', 'into the close', 'for the long run', 'with leaps', 'yolo'];

/** Zipf weights 1/(rank+1)^s, as a cumulative table for binary search */
function zipf(n: number, s: number): Float64Array {
  const cum = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) cum[i] = total += 1 / (i + 1) ** s;
  for (let i = 0; i < n; i++) cum[i]! /= total;
  return cum;
}
function pick(cum: Float64Array, u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** posts per hour relative to the mean, by UTC hour: US market hours busy, nights quiet */
const DAY_CURVE = Array.from({ length: 24 }, (_, h) => (h >= 13 && h < 21 ? 2 : h >= 21 || h < 2 ? 1.1 : 0.35));
const CURVE_MEAN = DAY_CURVE.reduce((a, b) => a + b, 0) / 24;

export function hoursOf(o: ReadDataOptions): number[] {
  const last = Math.floor((o.endMs - 1) / HOUR_MS) * HOUR_MS;
  const out: number[] = [];
  for (let h = last - (o.days * 24 - 1) * HOUR_MS; h <= last; h += HOUR_MS) out.push(h);
  return out;
}

/** The history, an hour at a time, oldest first. */
export function* readHistory(o: ReadDataOptions): Generator<HourOfData> {
  const random = createSeededRandom(o.seed ?? 13);
  const hours = hoursOf(o);
  const tickerCum = zipf(o.tickers.length, 1.05);
  const authorCum = zipf(200_000, 0.9);
  const perHourMean = o.posts / hours.length;
  const prices = new Map(o.symbols.map((s, i) => [s, 20 + ((i * 37) % 400)]));
  let postSeq = 0;
  let offset = 0;
  // the crowd tallies' day buckets: one per ticker of the current UTC day, drained every hour
  const cspec = crowdSpec();
  let crowdDay = -1;
  let crowd = new Map<string, ReturnType<typeof cspec.create>>();
  const tradesPerMinute = o.tradesPerMinute ?? 2;
  const hourRollup = candleRollupSpec(HOUR_CANDLE_MS);
  const dayRollup = candleRollupSpec(DAY_CANDLE_MS);
  /** per symbol: the hour candles of its current UTC day, for the day candle */
  const hoursOfDay = new Map<string, { day: number; hours: Candle[] }>();

  for (const hour of hours) {
    const end = Math.min(hour + HOUR_MS, o.endMs);
    // trades: a random walk per symbol, 1 + Poisson trades a minute, the minute's candle from candleSpec
    const trades: Trade[] = [];
    const candles: Candle[] = [];
    const hourCandles: Candle[] = [];
    const dayCandles: Candle[] = [];
    const spec = candleSpec();
    const dayStart = Math.floor(hour / DAY_CANDLE_MS) * DAY_CANDLE_MS;
    for (const symbol of o.symbols) {
      let price = prices.get(symbol)!;
      const minutesBefore = candles.length;
      for (let minute = hour; minute < end; minute += MINUTE_MS) {
        const state = spec.create(symbol, minute);
        const n = 1 + poisson(tradesPerMinute - 1, random);
        const at = Array.from({ length: n }, () => minute + Math.floor(random() * MINUTE_MS)).sort((a, b) => a - b);
        for (let i = 0; i < n; i++) {
          price = Math.max(1, price * (1 + (random() - 0.5) * 0.002));
          const t: Trade = { symbol, price: Math.round(price * 100) / 100, volume: 1 + Math.floor(random() * 300), timestamp: at[i]!, seq: i, conditions: random() < 0.2 ? ['12'] : [] };
          spec.add(state, t);
          trades.push(t);
        }
        candles.push(...spec.drain(state));
      }
      prices.set(symbol, price);
      const ofHour = candles.slice(minutesBefore);
      if (ofHour.length > 0) {
        const h = hourRollup.combine(symbol, hour, ofHour);
        hourCandles.push(h);
        const sofar = [...(hoursOfDay.get(symbol)?.day === dayStart ? hoursOfDay.get(symbol)!.hours : []), h];
        hoursOfDay.set(symbol, { day: dayStart, hours: sofar });
        dayCandles.push(dayRollup.combine(symbol, dayStart, sofar));
      }
    }

    // posts and their mentions
    const posts: PostRow[] = [];
    const mentions: TickerMention[] = [];
    const count = poisson(perHourMean * (DAY_CURVE[new Date(hour).getUTCHours()]! / CURVE_MEAN) * ((end - hour) / HOUR_MS), random);
    for (let i = 0; i < count; i++) {
      const created = hour + Math.floor(random() * (end - hour));
      const k = random();
      const n = k < 0.25 ? 0 : k < 0.8 ? 1 : k < 0.95 ? 2 : 3;
      const tickers: string[] = [];
      while (tickers.length < n) {
        const t = o.tickers[pick(tickerCum, random())]!;
        if (!tickers.includes(t)) tickers.push(t);
      }
      const score = Math.floor(-Math.log(1 - random()) * 12) - 1;
      const sentiment = roundSentiment(Math.tanh((random() - 0.45) * 2.4));
      const label: SentimentLabel = sentiment > 0.05 ? 'pos' : sentiment < -0.05 ? 'neg' : 'neu';
      const submission = random() < 0.2;
      const id = (postSeq++).toString(36);
      const subreddit = SUBREDDITS[Math.floor(random() * SUBREDDITS.length)]!;
      const names = tickers.map((t) => `$${t}`).join(' and ');
      const text = `${OPENERS[Math.floor(random() * OPENERS.length)]} ${names || 'the market'} ${CLOSERS[Math.floor(random() * CLOSERS.length)]}. `
        + 'Numbers look fine to me but I have been wrong before, position size accordingly.'.slice(0, 20 + Math.floor(random() * 60));
      const post: PostRow = {
        fullname: `${submission ? 't3' : 't1'}_${id}`, kind: submission ? 'submission' : 'comment', subreddit,
        author: `user${pick(authorCum, random())}`, text, permalink: `/r/${subreddit}/comments/${id}/`, created, score, sentiment, label, tickers,
      };
      posts.push(post);
      for (const ticker of tickers) {
        mentions.push({ postId: post.fullname, ticker, kind: post.kind, subreddit, author: post.author, text, permalink: post.permalink, sentiment, label, created, score });
      }
    }

    // the hour's sentiment minutes and mention hours, from mentionSpec over the hour's mentions of each ticker
    const windows: SentimentWindow[] = [];
    const mentionHours: MentionsHourRow[] = [];
    const mspec = mentionSpec();
    const byTicker = new Map<string, MentionFact[]>();
    for (const m of mentions) {
      const list = byTicker.get(m.ticker);
      if (list === undefined) byTicker.set(m.ticker, [m]);
      else list.push(m);
    }
    for (const [ticker, facts] of byTicker) {
      const state = mspec.create(ticker, hour);
      for (const f of facts) mspec.add(state, f);
      for (const row of mspec.drain(state) as MentionRow[]) {
        if (row.table === 'ticker_sentiment_1m') windows.push(row.row);
        else mentionHours.push(row.row);
      }
    }

    if (Math.floor(hour / DAY_MS) * DAY_MS !== crowdDay) {
      crowdDay = Math.floor(hour / DAY_MS) * DAY_MS;
      crowd = new Map();
    }
    const tallies: MentionTally[] = [];
    for (const [ticker, facts] of byTicker) {
      let state = crowd.get(ticker);
      if (state === undefined) crowd.set(ticker, (state = cspec.create(ticker, crowdDay)));
      for (const f of facts) cspec.add(state, f as TickerMention);
      tallies.push(...cspec.drain(state));
    }

    const dead: DeadLetterRow[] = Array.from({ length: poisson(2, random) }, () => ({
      topic: 'reddit-comments', partition: Math.floor(random() * 6), offset: offset++, code: 'VALIDATION_FAILED',
      reason: 'event time ahead of the record\'s bus time', at: hour + Math.floor(random() * (end - hour)), payloadHex: '00000000'.repeat(24),
    }));
    const alerts: AlertRow[] = new Date(hour).getUTCHours() % 6 === 0 ? [{
      ruleId: 'chatter-spike', ticker: o.tickers[Math.floor(random() * 20)]!, firedAt: hour + 5 * MINUTE_MS, kind: 'mention_spike',
      message: 'mentions spiked', value: 40, threshold: 20, delivered: false,
    }] : [];
    yield { hour, trades, candles, hourCandles, dayCandles, posts, mentions, windows, mentionHours, tallies, dead, alerts };
  }
}

/** The symbols and the ticker order of the history: the 50 largest listed companies trade; every listed symbol may be named, the largest most often. */
export function universeOrder(securities: readonly Security[], symbols = 50): { symbols: string[]; tickers: string[] } {
  const bySize = [...securities].filter((s) => /^[A-Z]{1,5}$/.test(s.symbol)).sort((a, b) => b.marketCapUsd - a.marketCapUsd || (a.symbol < b.symbol ? -1 : 1));
  return { symbols: bySize.slice(0, symbols).map((s) => s.symbol), tickers: bySize.map((s) => s.symbol) };
}
