import type cassandra from 'cassandra-driver';
import type { OutgoingMessage } from '../../../services/lib/io/bus/bus.ts';
import { TOPICS } from '../../../services/lib/io/bus/topics.ts';
import type { Serde } from '../../../services/lib/io/avro/serde.ts';
import { createSentimentScorer } from '../../../services/lib/domain/sentiment/index.ts';
import { createTickerExtractor } from '../../../services/lib/domain/tickers/index.ts';
import { createSeededRandom } from '../../../services/lib/domain/sources/prng.ts';
import { loadUniverse } from '../../../services/lib/io/universe.ts';
import { enrichPost } from '../../../services/processor/posts.ts';
import type { RedditComment, RedditPost, RedditSubmission, Trade } from '../../../services/lib/domain/types.ts';
import { checkSnapshot } from '../../oracle/aggregates.ts';
import { readCassandraSnapshot } from '../../oracle/cassandra.ts';

/**
 * What a pipeline test produces and what the tables must then hold.
 *
 * The expected tables are recomputed here from the produced records with
 * nothing of the aggregation path: plain grouping and sums. Only the pure
 * scoring and ticker extraction (enrichPost) is shared, as in
 * test/e2e/embedded-pipeline.test.ts: what is under test is that every record
 * lands exactly once, not the sentiment lexicon. The actual tables are read
 * with raw CQL full scans of the test's keyspace, not through the store's
 * read path, so a bug there cannot mask one in the writes.
 */

export const MIN = 60_000;
export const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface Input {
  trades: Trade[];
  posts: RedditPost[];
}

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GOOGL', 'META', 'AMD', 'GME', 'PLTR', 'INTC', 'NFLX'];
const TICKERS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'META', 'AMD', 'GME', 'PLTR', 'NFLX'];
const GOOD = ['to the moon', 'great earnings, very bullish', 'love this, buying more', 'strong beat, happy holder', 'calls printing, amazing'];
const BAD = ['terrible guidance, selling', 'this is crashing hard', 'awful quarter, bearish', 'puts are the play, disaster', 'lost everything, horrible'];
const FLAT = ['what do you think about', 'anyone holding', 'earnings date for', 'thoughts on', 'chart for'];
const SUBS = ['wallstreetbets', 'stocks', 'investing', 'stockmarket', 'options'];

/**
 * Deterministic trades and posts, event time spread evenly over [t0, t0 + spanMs)
 * and never going backwards in the order returned: produced in that order,
 * every partition sees event time increase, so no record is ever late and the
 * recomputation can count every one of them.
 */
export function generate(options: {
  seed: number; trades: number; submissions: number; comments: number; t0: number; spanMs: number; symbols?: number;
  /**
   * Messier input: a fraction of the records keep their place in the send order but
   * carry an event time up to maxLateMs earlier (late, long after their window was
   * written), and a fraction is sent twice (a producer retry). Off by default.
   */
  disorder?: { lateFraction: number; maxLateMs: number; duplicateFraction: number };
}): Input {
  const random = createSeededRandom(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const symbols = SYMBOLS.slice(0, options.symbols ?? 10);
  const price = new Map(symbols.map((s, i) => [s, 50 + 25 * i]));
  const trades: Trade[] = [];
  const step = options.spanMs / options.trades;
  for (let i = 0; i < options.trades; i++) {
    const symbol = pick(symbols);
    const p = Math.max(1, Math.round((price.get(symbol)! * (1 + (random() - 0.5) * 0.004)) * 100) / 100);
    price.set(symbol, p);
    // volumes in hundredths: exact in the processor's 1e-8 units
    trades.push({ symbol, price: p, volume: Math.floor(random() * 50_000) / 100, timestamp: options.t0 + Math.floor(i * step), conditions: random() < 0.1 ? ['1', '12'] : [], seq: i });
  }
  const posts: RedditPost[] = [];
  const total = options.submissions + options.comments;
  const postStep = options.spanMs / Math.max(1, total);
  const submissions: RedditSubmission[] = [];
  for (let i = 0; i < total; i++) {
    const created = options.t0 + Math.floor(i * postStep);
    const mood = random();
    const phrase = mood < 0.35 ? pick(GOOD) : mood < 0.7 ? pick(BAD) : pick(FLAT);
    const named = random() < 0.15 ? [] : [...new Set([pick(TICKERS), ...(random() < 0.3 ? [pick(TICKERS)] : [])])];
    const text = `${phrase} ${named.map((t) => `$${t}`).join(' ')}`.trim();
    const subreddit = pick(SUBS);
    const isComment = submissions.length > 0 && random() < options.comments / total;
    if (!isComment) {
      const id = `s${i.toString(36)}`;
      const s: RedditSubmission = {
        kind: 'submission', fullname: `t3_${id}`, id, subreddit, author: `author${Math.floor(random() * 500)}`, title: text,
        selftext: random() < 0.3 ? 'long post body, no more tickers here' : '', score: Math.floor(random() * 1000) - 10, created,
        permalink: `/r/${subreddit}/comments/${id}/post/`,
      };
      submissions.push(s);
      posts.push(s);
    } else {
      const parent = pick(submissions);
      const id = `c${i.toString(36)}`;
      const c: RedditComment = {
        kind: 'comment', fullname: `t1_${id}`, id, subreddit: parent.subreddit, author: `author${Math.floor(random() * 500)}`, body: text,
        score: Math.floor(random() * 200) - 5, created, permalink: `/r/${parent.subreddit}/comments/${parent.id}/post/${id}/`,
        linkId: parent.fullname, parentId: parent.fullname, linkTitle: parent.title,
      };
      posts.push(c);
    }
  }
  if (options.disorder) return disorder({ trades, posts }, options.disorder, random);
  return { trades, posts };
}

function disorder(input: Input, d: { lateFraction: number; maxLateMs: number; duplicateFraction: number }, random: () => number): Input {
  const late = (at: number) => (random() < d.lateFraction ? at - 1 - Math.floor(random() * d.maxLateMs) : at);
  const trades = input.trades.map((t) => ({ ...t, timestamp: late(t.timestamp) }));
  const posts = input.posts.map((p) => ({ ...p, created: late(p.created) }));
  const again = <T>(xs: T[], reread: (x: T) => T = (x) => x): T[] => {
    const out: T[] = [];
    for (const x of xs) {
      out.push(x);
      // sent once more a little later
      if (random() < d.duplicateFraction) out.splice(Math.max(0, out.length - 1 - Math.floor(random() * 50)), 0, random() < 0.5 ? reread(x) : x);
    }
    return out;
  };
  // a post read again with more upvotes (a re-poll): the raw rows keep one score, the crowd tallies must follow it
  return { trades: again(trades), posts: again(posts, (p) => ({ ...p, score: p.score + 1 + Math.floor(random() * 40) })) };
}

/**
 * The records as the producers would send them: keyed as in price-producer and
 * reddit-producer, no timestamp (the bus stamps the send time). `order` is each
 * message's position in the input, for sendPaced to interleave the topics.
 */
export function encode(serde: Serde, input: Input): { topic: string; messages: OutgoingMessage[]; order: number[] }[] {
  const position = new Map<RedditPost, number>();
  input.posts.forEach((p, i) => { if (!position.has(p)) position.set(p, i); });
  const at = (p: RedditPost) => position.get(p)! / Math.max(1, input.posts.length);
  const subs = input.posts.filter((p) => p.kind === 'submission');
  const comments = input.posts.filter((p) => p.kind === 'comment');
  return [
    { topic: TOPICS.trades, messages: input.trades.map((t) => ({ key: t.symbol, value: serde.encode(TOPICS.trades, t) })), order: input.trades.map((_, i) => i / input.trades.length) },
    { topic: TOPICS.submissions, messages: subs.map((p) => ({ key: p.fullname, value: serde.encode(TOPICS.submissions, p) })), order: subs.map(at) },
    { topic: TOPICS.comments, messages: comments.map((p) => ({ key: p.fullname, value: serde.encode(TOPICS.comments, p) })), order: comments.map(at) },
  ];
}

interface Agg { count: number; sum: number; pos: number; neg: number; neu: number }

export interface Tables {
  /** symbol|ts|seq → price volume conditions */
  trades: Map<string, string>;
  /** symbol → price@ts */
  latest: Map<string, string>;
  /** symbol|minute → o h l c trades volume */
  candles: Map<string, { open: number; high: number; low: number; close: number; trades: number; volume: number }>;
  /** fullname → kind created sentiment label tickers */
  posts: Map<string, string>;
  /** ticker|post → created label */
  postsByTicker: Map<string, string>;
  /** ticker|minute */
  sentiment: Map<string, Agg>;
  /** hour|ticker */
  hours: Map<string, Agg>;
  /** topic|partition|offset → code */
  deadLetters: Map<string, string>;
}

let enrichment: Promise<(p: RedditPost) => ReturnType<typeof enrichPost>> | undefined;
function enricher() {
  enrichment ??= loadUniverse().then((securities) => {
    const scorer = createSentimentScorer();
    const extractor = createTickerExtractor({ securities });
    return (p: RedditPost) => enrichPost(p, scorer, extractor);
  });
  return enrichment;
}

const tradeKey = (symbol: string, ts: number, seq: number) => `${symbol}|${ts}|${seq}`;
const tradeVal = (price: number, volume: number, conditions: readonly string[]) => `${price} ${volume} [${conditions.join(',')}]`;
const postVal = (kind: string, created: number, sentiment: number, label: string, tickers: readonly string[]) =>
  `${kind} ${created} ${sentiment.toFixed(9)} ${label} [${[...tickers].join(',')}]`;

/** Every table as the input says it must be. `deadLetters` are given by the caller (coordinates are Kafka's). */
export async function recompute(input: Input, deadLetters: Map<string, string> = new Map()): Promise<Tables> {
  const t: Tables = { trades: new Map(), latest: new Map(), candles: new Map(), posts: new Map(), postsByTicker: new Map(), sentiment: new Map(), hours: new Map(), deadLetters };
  const newest = new Map<string, Trade>();
  const byCandle = new Map<string, Trade[]>();
  // a record sent twice is one trade (its id is symbol, timestamp, seq)
  const unique = [...new Map(input.trades.map((tr) => [tradeKey(tr.symbol, tr.timestamp, tr.seq), tr])).values()];
  for (const tr of unique) {
    t.trades.set(tradeKey(tr.symbol, tr.timestamp, tr.seq), tradeVal(tr.price, tr.volume, tr.conditions));
    const n = newest.get(tr.symbol);
    if (!n || tr.timestamp > n.timestamp || (tr.timestamp === n.timestamp && tr.seq > n.seq)) newest.set(tr.symbol, tr);
    const k = `${tr.symbol}|${Math.floor(tr.timestamp / MIN) * MIN}`;
    byCandle.set(k, [...(byCandle.get(k) ?? []), tr]);
  }
  for (const [s, tr] of newest) t.latest.set(s, `${tr.price}@${tr.timestamp}`);
  for (const [k, trs] of byCandle) {
    const sorted = [...trs].sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
    t.candles.set(k, {
      open: sorted[0]!.price, close: sorted.at(-1)!.price,
      high: Math.max(...sorted.map((x) => x.price)), low: Math.min(...sorted.map((x) => x.price)),
      trades: sorted.length, volume: Math.round(sorted.reduce((a, x) => a + Math.round(x.volume * 100), 0)) / 100,
    });
  }
  const enrich = await enricher();
  const add = (m: Map<string, Agg>, k: string, sentiment: number, label: 'pos' | 'neg' | 'neu') => {
    const a = m.get(k) ?? { count: 0, sum: 0, pos: 0, neg: 0, neu: 0 };
    a.count++;
    a.sum += sentiment;
    a[label]++;
    m.set(k, a);
  };
  for (const p of new Map(input.posts.map((x) => [x.fullname, x])).values()) {
    const { post, mentions } = enrich(p);
    t.posts.set(post.fullname, postVal(post.kind, post.created, post.sentiment, post.label, post.tickers));
    for (const m of mentions) {
      t.postsByTicker.set(`${m.ticker}|${m.postId}`, `${m.created} ${m.label}`);
      add(t.sentiment, `${m.ticker}|${Math.floor(m.created / MIN) * MIN}`, m.sentiment, m.label);
      add(t.hours, `${Math.floor(m.created / HOUR) * HOUR}|${m.ticker}`, m.sentiment, m.label);
    }
  }
  return t;
}

async function scan(cql: cassandra.Client, query: string, each: (row: cassandra.types.Row) => void): Promise<void> {
  let pageState: string | undefined;
  do {
    const rs = await cql.execute(query, [], { prepare: true, fetchSize: 5000, ...(pageState ? { pageState } : {}) });
    for (const row of rs.rows) each(row);
    pageState = rs.pageState ?? undefined;
  } while (pageState);
}

const ms = (d: unknown): number => (d as Date).getTime();

/** Every table of the keyspace, read by full scans. */
export async function readTables(cql: cassandra.Client, parts: (keyof Tables)[] = ['trades', 'latest', 'candles', 'posts', 'postsByTicker', 'sentiment', 'hours', 'deadLetters']): Promise<Tables> {
  const t: Tables = { trades: new Map(), latest: new Map(), candles: new Map(), posts: new Map(), postsByTicker: new Map(), sentiment: new Map(), hours: new Map(), deadLetters: new Map() };
  const want = new Set(parts);
  const jobs: Promise<void>[] = [];
  if (want.has('trades')) jobs.push(scan(cql, 'SELECT symbol, day, ts, seq, price, volume, conditions, condition_codes FROM trades_by_symbol', (r) => {
    checkDay(r.day, ms(r.ts), 'trades_by_symbol');
    // condition_codes since 005_read_path.cql; conditions in rows written before
    t.trades.set(tradeKey(r.symbol, ms(r.ts), r.seq), tradeVal(r.price, r.volume, r.condition_codes ?? r.conditions ?? []));
  }));
  if (want.has('latest')) jobs.push(scan(cql, 'SELECT symbol, price, ts FROM latest_prices', (r) => void t.latest.set(r.symbol, `${r.price}@${ms(r.ts)}`)));
  if (want.has('candles')) jobs.push(scan(cql, 'SELECT symbol, day, minute, open, high, low, close, volume, trades FROM candles_1m', (r) => {
    checkDay(r.day, ms(r.minute), 'candles_1m');
    t.candles.set(`${r.symbol}|${ms(r.minute)}`, { open: r.open, high: r.high, low: r.low, close: r.close, trades: r.trades, volume: Math.round(r.volume * 100) / 100 });
  }));
  if (want.has('posts')) jobs.push(scan(cql, 'SELECT hour, fullname, kind, created, sentiment, label, tickers FROM posts_by_hour', (r) => {
    // the hour bucket is the UTC hour of the post (005_read_path.cql)
    if (ms(r.hour) !== Math.floor(ms(r.created) / 3_600_000) * 3_600_000) throw new Error(`posts_by_hour: post at ${new Date(ms(r.created)).toISOString()} sits in hour ${new Date(ms(r.hour)).toISOString()}`);
    t.posts.set(r.fullname, postVal(r.kind, ms(r.created), r.sentiment, r.label, r.tickers ?? []));
  }));
  if (want.has('postsByTicker')) jobs.push(scan(cql, 'SELECT ticker, day, post_id, created, label FROM posts_by_ticker', (r) => {
    checkDay(r.day, ms(r.created), 'posts_by_ticker');
    t.postsByTicker.set(`${r.ticker}|${r.post_id}`, `${ms(r.created)} ${r.label}`);
  }));
  if (want.has('sentiment')) jobs.push(scan(cql, 'SELECT ticker, day, minute, count, sum, pos, neg, neu FROM ticker_sentiment_1m', (r) => {
    checkDay(r.day, ms(r.minute), 'ticker_sentiment_1m');
    t.sentiment.set(`${r.ticker}|${ms(r.minute)}`, { count: r.count, sum: r.sum, pos: r.pos, neg: r.neg, neu: r.neu });
  }));
  if (want.has('hours')) jobs.push(scan(cql, 'SELECT hour, ticker, count, sentiment_sum, pos, neg, neu FROM mentions_by_hour', (r) => {
    t.hours.set(`${ms(r.hour)}|${r.ticker}`, { count: r.count, sum: r.sentiment_sum, pos: r.pos, neg: r.neg, neu: r.neu });
  }));
  if (want.has('deadLetters')) jobs.push(scan(cql, 'SELECT topic, partition, offset, code FROM dlq_events', (r) => {
    t.deadLetters.set(`${r.topic}|${r.partition}|${String(r.offset)}`, r.code);
  }));
  await Promise.all(jobs);
  return t;
}

function checkDay(day: unknown, at: number, table: string): void {
  // the day bucket is the UTC day of the row's time (invariant 5)
  const d = Date.parse(String(day));
  if (d !== Math.floor(at / DAY) * DAY) throw new Error(`${table}: row at ${new Date(at).toISOString()} sits in day bucket ${String(day)}`);
}

/**
 * The differences between two sets of tables, as lines a person can read;
 * empty when they agree. Sums of sentiment scores are compared to 1e-9 (a
 * float sum depends on the order of its terms); everything else exactly.
 */
export function diffTables(expected: Tables, actual: Tables, parts: (keyof Tables)[] = ['trades', 'latest', 'candles', 'posts', 'postsByTicker', 'sentiment', 'hours', 'deadLetters'], max = 12): string[] {
  const out: string[] = [];
  const same = (a: unknown, b: unknown): boolean => {
    if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
      const x = a as Record<string, number>;
      const y = b as Record<string, number>;
      return Object.keys(x).length === Object.keys(y).length &&
        Object.keys(x).every((k) => (k === 'sum' ? Math.abs(x[k]! - y[k]!) < 1e-9 : x[k] === y[k]));
    }
    return a === b;
  };
  for (const part of parts) {
    const e = expected[part] as Map<string, unknown>;
    const a = actual[part] as Map<string, unknown>;
    let missing = 0, extra = 0, wrong = 0;
    const examples: string[] = [];
    for (const [k, v] of e) {
      if (!a.has(k)) {
        missing++;
        if (examples.length < 3) examples.push(`missing ${k}`);
      } else if (!same(v, a.get(k))) {
        wrong++;
        if (examples.length < 3) examples.push(`${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(a.get(k))}`);
      }
    }
    for (const k of a.keys()) {
      if (!e.has(k)) {
        extra++;
        if (examples.length < 3) examples.push(`unexpected ${k}`);
      }
    }
    if (missing + extra + wrong > 0) out.push(`${part} (${e.size} expected, ${a.size} stored): ${missing} missing, ${extra} unexpected, ${wrong} different; e.g. ${examples.join(' | ')}`);
    if (out.length >= max) break;
  }
  return out;
}

/** A short account of the table sizes, for the test log. */
export function sizes(t: Tables): string {
  return Object.entries(t).map(([k, v]) => `${k}=${(v as Map<string, unknown>).size}`).join(' ');
}

/**
 * Waits until the stored tables equal the expected ones (cheap tables first:
 * latest prices and hourly mentions change last), then returns the final
 * difference (empty on success). Never a fixed sleep: polls to a deadline.
 */
export async function converge(cql: cassandra.Client, expected: Tables, options: { timeoutMs: number; onPoll?: () => Promise<void> }): Promise<{ diff: string[]; actual: Tables; ms: number }> {
  const keyspace = cql.keyspace;
  if (!keyspace) throw new TypeError('converge needs a client bound to the test keyspace');
  /** the input says what must be stored; the oracle says the aggregates equal a recomputation from what is stored */
  const full = async (actual: Tables): Promise<string[]> => {
    const diff = diffTables(expected, actual);
    if (diff.length > 0) return diff;
    return checkSnapshot(await readCassandraSnapshot(cql, keyspace)).map((d) => `oracle: ${d}`);
  };
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let diff: string[] = ['not read yet'];
  let actual: Tables | undefined;
  while (Date.now() < deadline) {
    await options.onPoll?.();
    try {
      const cheap = await readTables(cql, ['latest', 'hours', 'deadLetters']);
      if (diffTables(expected, cheap, ['latest', 'hours', 'deadLetters']).length === 0) {
        actual = await readTables(cql);
        diff = await full(actual);
        if (diff.length === 0) return { diff, actual, ms: Date.now() - started };
      } else {
        diff = diffTables(expected, cheap, ['latest', 'hours', 'deadLetters']);
      }
    } catch (err) {
      diff = [`reading the tables failed: ${(err as Error).message}`];
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  actual = await readTables(cql);
  return { diff: await full(actual), actual, ms: Date.now() - started };
}
