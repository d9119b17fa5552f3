import { randomBytes } from 'node:crypto';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candle, SentimentWindow, TickerMention, Trade } from '../../services/lib/domain/types.ts';
import { createCassandraStore, type CassandraStoreOptions } from '../../services/lib/io/store/cassandra.ts';
import { migrate } from '../../services/lib/io/store/migrate.ts';
import type { AlertRow, DeadLetterRow, MentionsHourRow, PostRow, Store } from '../../services/lib/io/store/repository.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';

/**
 * The read path on the real Cassandra 5 of the local stack (`make up`): what
 * every dashboard read costs in partitions, counted by Cassandra itself
 * (system_views.local_read_latency counts each partition a read touches,
 * coordinator_scan_latency each range scan), on a short and on a long
 * history; text and payload retention; and rows written before
 * 005_read_path.cql. One keyspace per history, dropped at the end.
 */
const contactPoints = (process.env.STOCKSTREAMER_CASSANDRA_CONTACT_POINTS ?? `127.0.0.1:${process.env.CASSANDRA_PORT ?? 9042}`).split(',');
const localDataCenter = process.env.STOCKSTREAMER_CASSANDRA_DC ?? 'datacenter1';
const run = randomBytes(4).toString('hex');
const logger = silentLogger();
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** the newest data: 10:30 UTC, so the current day has hours before and after it */
const NOW = Date.UTC(2026, 10, 24, 10, 30);
const SYMBOLS = Array.from({ length: 20 }, (_, i) => `S${String(i).padStart(2, '0')}`);

let admin: cassandra.Client;
const keyspaces: string[] = [];

async function freshStore(name: string, over: Partial<CassandraStoreOptions> = {}): Promise<{ store: Store; keyspace: string }> {
  const keyspace = `ss_read_${name}_${run}`;
  keyspaces.push(keyspace);
  await migrate({ contactPoints, localDataCenter, keyspace, replicationFactor: 1, logger, seedCompanies: false });
  return { store: createCassandraStore({ contactPoints, localDataCenter, keyspace, logger, tradeTtlSeconds: 0, ...over }), keyspace };
}

beforeAll(async () => {
  admin = new cassandra.Client({ contactPoints, localDataCenter });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`Cassandra is not reachable at ${contactPoints.join(',')} (start it with \`make up\`): ${(err as Error).message}`, { cause: err });
  }
});

afterAll(async () => {
  for (const k of keyspaces) await admin?.execute(`DROP KEYSPACE IF EXISTS ${k}`).catch(() => {});
  await admin?.shutdown();
});

const post = (n: number, created: number, tickers: string[]): PostRow => ({
  fullname: `t1_${n}`, kind: n % 5 === 0 ? 'submission' : 'comment', subreddit: 'stocks', author: `u${n % 17}`, text: `post ${n} on ${tickers.join(' ')}`,
  permalink: `/r/stocks/${n}`, created, score: n % 40, sentiment: (n % 7) / 7 - 0.4, label: n % 3 === 0 ? 'pos' : n % 3 === 1 ? 'neg' : 'neu', tickers,
});
const mentionsOf = (p: PostRow): TickerMention[] => p.tickers.map((ticker) => ({
  postId: p.fullname, ticker, kind: p.kind, subreddit: p.subreddit, author: p.author, text: p.text,
  permalink: p.permalink, sentiment: p.sentiment, label: p.label, created: p.created, score: p.score,
}));

/** `days` of history ending at NOW: hourly posts, per-minute candles and sentiment of every symbol, dead letters and alerts daily */
async function fill(store: Store, days: number): Promise<void> {
  const start = Math.floor((NOW - days * DAY) / DAY) * DAY;
  let n = 0;
  for (let day = start; day <= NOW; day += DAY) {
    const posts: PostRow[] = [];
    for (let h = day; h < day + DAY && h <= NOW; h += HOUR) {
      for (let i = 0; i < 4; i++) posts.push(post(n++, h + i * 7 * MIN, [SYMBOLS[n % SYMBOLS.length]!, ...(n % 4 === 0 ? ['GME'] : [])]));
    }
    await store.writePosts(posts, posts.flatMap(mentionsOf));
    const trades: Trade[] = [];
    const candles: Candle[] = [];
    const windows: SentimentWindow[] = [];
    const hours: MentionsHourRow[] = [];
    for (const symbol of SYMBOLS) {
      for (let m = day; m < day + DAY && m <= NOW; m += 30 * MIN) {
        trades.push({ symbol, price: 100 + (m % 97), volume: 1, timestamp: m, seq: 0, conditions: ['1'] });
        candles.push({ symbol, minute: m, open: 100 + (m % 97), high: 101, low: 99, close: 100, volume: 1, trades: 1 });
        windows.push({ ticker: symbol, minute: m, count: 2, sum: 0.5, sumSquares: 0.25, pos: 1, neg: 0, neu: 1 });
      }
      for (let h = day; h < day + DAY && h <= NOW; h += HOUR) hours.push({ ticker: symbol, hour: h, count: 3, sentimentSum: 0.3, pos: 1, neg: 1, neu: 1 });
    }
    await store.writeTrades(trades);
    await store.writeCandles(candles, 1);
    await store.writeSentimentWindows(windows, 1);
    await store.writeMentionsHours(hours, 1);
    const dead: DeadLetterRow[] = [1, 2, 3].map((i) => ({ topic: 'stock-trades', partition: i, offset: day / 1000 + i, code: 'DECODE_MAGIC_BYTE', reason: 'bad', at: day + i * HOUR, payloadHex: '00ff' }));
    await store.writeDeadLetters(dead);
    const alerts: AlertRow[] = [2, 9].map((h) => ({ ruleId: 'r', ticker: 'GME', firedAt: day + h * HOUR, kind: 'price_cross', message: 'x', value: 1, threshold: 1, delivered: false }));
    await store.writeAlerts(alerts);
  }
}

/** partitions read and range scans Cassandra counted for the keyspace */
async function serverReads(keyspace: string): Promise<{ partitions: number; scans: number }> {
  const sum = async (table: string) => (await admin.execute(`SELECT count FROM system_views.${table} WHERE keyspace_name = ?`, [keyspace], { prepare: true }))
    .rows.reduce((s, r) => s + Number(r.count), 0);
  return { partitions: await sum('local_read_latency'), scans: await sum('coordinator_scan_latency') };
}

/**
 * Every read the dashboards make, as the live page and the API ask them, and
 * the partitions it may touch at most on the fill below. `dense`: the data is
 * as dense on 3 days of history as on 40, so the count must not change;
 * otherwise ("the newest 50 dead letters", 3 a day) a longer history may
 * legitimately read more days to fill the limit, never more than the limit.
 */
const READS: Record<string, { read: (s: Store) => Promise<unknown>; max: number; dense: boolean }> = {
  // the board, and the first candle of each symbol's day (read again every 10 s: not on this second call)
  latestPrices: { read: (s) => s.latestPrices(), max: 1 + SYMBOLS.length, dense: true },
  // the newest post's time, an index page of each table, and 30 posts of 4 an hour: 8 hours
  'latestPosts(30)': { read: (s) => s.latestPosts({ limit: 30 }), max: 1 + 2 + 8, dense: true },
  // an index page and the days that hold 30 GME posts (~24 a day)
  'latestPosts(GME, 30)': { read: (s) => s.latestPosts({ ticker: 'GME', limit: 30 }), max: 1 + 3, dense: true },
  // ~5 a day: up to 7 days, two index pages
  'latestPosts(S03, 30)': { read: (s) => s.latestPosts({ ticker: 'S03', limit: 30 }), max: 2 + 7, dense: false },
  'candles(1 h)': { read: (s) => s.candles('S01', NOW - HOUR, NOW + 1), max: 1, dense: true },
  // a week's range: its 8 day buckets, computed, no index read
  'candles(7 d)': { read: (s) => s.candles('S01', NOW - 7 * DAY, NOW + 1), max: 8, dense: true },
  'sentimentWindows(1 h)': { read: (s) => s.sentimentWindows('S01', NOW - HOUR, NOW + 1), max: 1, dense: true },
  'mentionsHours(2 h)': { read: (s) => s.mentionsHours(NOW - 2 * HOUR, NOW + 1), max: 2, dense: true },
  'topMentions(24 h)': { read: (s) => s.topMentions(NOW - 24 * HOUR, NOW + 1, 15), max: 24, dense: true },
  // 3 a day: 17 days, 5 index pages of 4
  'deadLetters(50)': { read: (s) => s.deadLetters(50), max: 17 + 5, dense: false },
  'alerts(24 h, 50)': { read: (s) => s.alerts(NOW - 24 * HOUR, NOW + 1, 50), max: 1 + 2, dense: true },
};

describe('Cassandra read path: bounded whatever the history', () => {
  it('reads as many partitions on 40 days of history as on 3 (or at most what the limit needs), never scans', async () => {
    const short = await freshStore('short');
    const long = await freshStore('long');
    try {
      await Promise.all([fill(short.store, 3), fill(long.store, 40)]);
      const cost = async (s: { store: Store; keyspace: string }, read: (st: Store) => Promise<unknown>) => {
        await read(s.store); // prepares the statements
        const before = await serverReads(s.keyspace);
        await read(s.store);
        const after = await serverReads(s.keyspace);
        return { partitions: after.partitions - before.partitions, scans: after.scans - before.scans };
      };
      for (const [name, { read, max, dense }] of Object.entries(READS)) {
        const a = await cost(short, read);
        const b = await cost(long, read);
        expect(a.scans + b.scans, `${name} scans a table`).toBe(0);
        expect(b.partitions, `${name} on 40 days`).toBeLessThanOrEqual(max);
        if (dense) expect(b.partitions, `${name}: 40 days of history cost more than 3`).toBe(a.partitions);
        expect(b.partitions, `${name} read nothing: the fill or the count is wrong`).toBeGreaterThan(0);
      }
      // the price list: the board and every symbol's first candle once, then the board alone for 10 s
      const fresh = createCassandraStore({ contactPoints, localDataCenter, keyspace: long.keyspace, logger, tradeTtlSeconds: 0 });
      try {
        const at0 = await serverReads(long.keyspace);
        const prices = await fresh.latestPrices();
        const at1 = await serverReads(long.keyspace);
        expect(await fresh.latestPrices()).toEqual(prices);
        const at2 = await serverReads(long.keyspace);
        expect(prices).toHaveLength(SYMBOLS.length);
        expect(prices.every((p) => p.dayOpen !== null)).toBe(true);
        expect(at1.partitions - at0.partitions).toBe(1 + SYMBOLS.length);
        expect(at2.partitions - at1.partitions).toBe(1);
      } finally {
        await fresh.close();
      }
    } finally {
      await short.store.close();
      await long.store.close();
    }
  }, 240_000);

  it('answers the same rows from the long history as the reference semantics say: newest posts across hours and days, newest first', async () => {
    const { store } = await freshStore('order');
    try {
      await fill(store, 2);
      const all = await store.latestPosts({ limit: 200 });
      expect(all).toHaveLength(200);
      expect(all.map((p) => p.created)).toEqual([...all.map((p) => p.created)].sort((a, b) => b - a));
      expect(all[0]!.created).toBe(Math.max(...all.map((p) => p.created)));
      const gme = await store.latestPosts({ ticker: 'GME', limit: 40 });
      expect(gme).toHaveLength(40);
      for (const p of gme) expect(p.tickers).toContain('GME');
      expect(gme.map((p) => p.created)).toEqual([...gme.map((p) => p.created)].sort((a, b) => b - a));
    } finally {
      await store.close();
    }
  }, 120_000);
});

describe('Cassandra retention of raw text and dead-letter payloads', () => {
  it('expires the text alone: the rows, their facts and what an aggregate is rebuilt from stay', async () => {
    const { store, keyspace } = await freshStore('ttl', { postTextTtlSeconds: 2, deadLetterPayloadTtlSeconds: 2 });
    try {
      const posts = [post(1, NOW - 5 * MIN, ['GME', 'AMC']), post(2, NOW - 2 * MIN, ['GME'])];
      await store.writePosts(posts, posts.flatMap(mentionsOf));
      const dead: DeadLetterRow = { topic: 'reddit-comments', partition: 0, offset: 9, code: 'DECODE_TRUNCATED', reason: 'short', at: NOW, payloadHex: 'c0ffee' };
      await store.writeDeadLetters([dead]);
      const ttlOf = async (table: string, column: string, where: string, params: unknown[]) =>
        (await admin.execute(`SELECT TTL(${column}) AS t FROM ${keyspace}.${table} WHERE ${where}`, params, { prepare: true })).rows.map((r) => r.t as number | null);
      const day = new Date(NOW).toISOString().slice(0, 10);
      expect((await ttlOf('posts_by_ticker', 'text', 'ticker = ? AND day = ?', ['GME', day])).every((t) => t !== null && t <= 2)).toBe(true);
      expect(await ttlOf('posts_by_ticker', 'sentiment', 'ticker = ? AND day = ?', ['GME', day])).toEqual([null, null]);
      const before = { facts: await store.loadMentions('GME', NOW - HOUR, NOW), horizon: await store.rawHorizon('mentions') };

      await new Promise((r) => setTimeout(r, 3_000));
      const after = await store.latestPosts({ limit: 10 });
      expect(after.map((p) => p.text)).toEqual(['', '']);
      expect(after.map(({ text: _text, ...rest }) => rest)).toEqual([posts[1]!, posts[0]!].map(({ text: _text, ...rest }) => rest));
      expect((await store.latestPosts({ ticker: 'AMC', limit: 5 })).map((p) => [p.fullname, p.tickers, p.score, p.text])).toEqual([['t1_1', ['GME', 'AMC'], 1, '']]);
      // what a rebuild reads is unchanged: an aggregate rebuilt now counts exactly what it counted before
      expect(await store.loadMentions('GME', NOW - HOUR, NOW)).toEqual(before.facts);
      expect(await store.rawHorizon('mentions')).toBe(before.horizon);
      expect(await store.deadLetters(5)).toEqual([{ ...dead, payloadHex: '' }]);
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe('Cassandra rows written before 005_read_path.cql', () => {
  it('still reads them: posts of posts_by_day merged by time, ticker rows without tickers looked up, old trade conditions, latest_prices until the board fills', async () => {
    const { store, keyspace } = await freshStore('legacy');
    const x = (q: string, p: unknown[]) => admin.execute(q.replaceAll('KS', keyspace), p, { prepare: true });
    const day = new Date(NOW).toISOString().slice(0, 10);
    try {
      // what the writer of 001–004 left behind
      const old = [post(101, NOW - 3 * HOUR, ['GME']), post(102, NOW - 30 * MIN, ['GME'])];
      for (const p of old) {
        await x('INSERT INTO KS.posts_by_day (day, created, fullname, kind, subreddit, author, text, permalink, score, sentiment, label, tickers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [day, p.created, p.fullname, p.kind, p.subreddit, p.author, p.text, p.permalink, p.score, p.sentiment, p.label, p.tickers]);
        await x('INSERT INTO KS.posts_by_ticker (ticker, day, created, post_id, kind, subreddit, author, text, permalink, sentiment, label, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          ['GME', day, p.created, p.fullname, p.kind, p.subreddit, p.author, p.text, p.permalink, p.sentiment, p.label, p.score]);
      }
      // a mention whose post never reached posts_by_day: not shown, as SQLite's join
      await x('INSERT INTO KS.posts_by_ticker (ticker, day, created, post_id, kind, subreddit, author, text, permalink, sentiment, label) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ['GME', day, NOW - 20 * MIN, 't1_lost', 'comment', 'stocks', 'u', 'lost', '/x', 0, 'neu']);
      for (const scope of ['posts', 'posts/GME']) await x('INSERT INTO KS.day_index (scope, day) VALUES (?, ?)', [scope, day]);
      await x('INSERT INTO KS.trades_by_symbol (symbol, day, ts, seq, price, volume, conditions) VALUES (?, ?, ?, ?, ?, ?, ?)', ['OLD', day, NOW - MIN, 0, 5, 1, ['T', '12']]);
      await x('INSERT INTO KS.latest_prices (symbol, price, ts, seq) VALUES (?, ?, ?, ?)', ['OLD', 5, NOW - MIN, 0]);

      expect(await store.latestPrices()).toEqual([{ symbol: 'OLD', price: 5, timestamp: NOW - MIN, dayOpen: null }]);
      expect((await store.trades('OLD', NOW - HOUR, NOW))[0]?.conditions).toEqual(['T', '12']);

      // and what this version writes, interleaved in time
      const fresh = [post(201, NOW - 2 * HOUR, ['GME']), post(202, NOW - 10 * MIN, ['GME', 'AMC'])];
      await store.writePosts(fresh, fresh.flatMap(mentionsOf));
      await store.writeTrades([{ symbol: 'NEW', price: 7, volume: 1, timestamp: NOW, seq: 0, conditions: ['I'] }]);

      expect((await store.latestPosts({ limit: 10 })).map((p) => p.fullname)).toEqual(['t1_202', 't1_102', 't1_201', 't1_101']);
      expect((await store.latestPosts({ limit: 2 })).map((p) => p.fullname)).toEqual(['t1_202', 't1_102']);
      expect(await store.latestPosts({ ticker: 'GME', limit: 10 })).toEqual([fresh[1], old[1], fresh[0], old[0]]);
      // the board answers once a trade was written through it
      expect((await store.latestPrices()).map((p) => p.symbol)).toEqual(['NEW']);
      expect((await store.trades('NEW', NOW, NOW + 1))[0]?.conditions).toEqual(['I']);
    } finally {
      await store.close();
    }
  }, 60_000);
});
