import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStore } from './sqlite.ts';
import type { Trade, TickerMention } from '../../domain/types.ts';
import type { PostRow } from './repository.ts';

const T0 = Date.UTC(2026, 10, 23, 14, 30);
const trade = (over: Partial<Trade> = {}): Trade => ({ symbol: 'AAPL', price: 230, volume: 100, timestamp: T0, conditions: [], seq: 0, ...over });

describe('SQLite store', () => {
  it('writing the same trades twice leaves the tables unchanged (idempotent upserts)', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const trades = [trade(), trade({ seq: 1, price: 231 }), trade({ timestamp: T0 + 5, price: 229 })];
    await store.writeTrades(trades);
    const once = await store.trades('AAPL', T0, T0 + 60_000);
    await store.writeTrades(trades);
    expect(await store.trades('AAPL', T0, T0 + 60_000)).toEqual(once);
    expect(once).toHaveLength(3);
  });

  it('the latest price follows event time, not arrival: a replayed old trade never wins', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await store.writeTrades([trade({ timestamp: T0 + 1000, price: 250 })]);
    await store.writeTrades([trade({ timestamp: T0, price: 200 })]);
    const [p] = await store.latestPrices();
    expect(p).toMatchObject({ symbol: 'AAPL', price: 250, timestamp: T0 + 1000 });
  });

  it('reports the change against the first candle of the day', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await store.writeCandles([
      { symbol: 'AAPL', minute: T0, open: 200, high: 210, low: 199, close: 205, volume: 10, trades: 2 },
      { symbol: 'AAPL', minute: T0 + 60_000, open: 205, high: 220, low: 204, close: 220, volume: 10, trades: 2 },
    ], 1);
    await store.writeTrades([trade({ timestamp: T0 + 61_000, price: 220 })]);
    const [p] = await store.latestPrices();
    expect(p?.dayOpen).toBe(200);
  });

  it('ranks tickers by mentions over the hours asked for, with the count-weighted mean', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const h = Math.floor(T0 / 3_600_000) * 3_600_000;
    await store.writeMentionsHours([
      { ticker: 'TSLA', hour: h, count: 3, sentimentSum: 1.5, pos: 2, neg: 0, neu: 1 },
      { ticker: 'TSLA', hour: h - 3_600_000, count: 1, sentimentSum: -0.5, pos: 0, neg: 1, neu: 0 },
      { ticker: 'GME', hour: h, count: 5, sentimentSum: 0, pos: 1, neg: 1, neu: 3 },
    ], 1);
    expect(await store.topMentions(h - 3_600_000, h + 3_600_000, 10)).toEqual([
      { ticker: 'GME', count: 5, meanSentiment: 0 },
      { ticker: 'TSLA', count: 4, meanSentiment: 0.25 },
    ]);
    expect(await store.topMentions(h, h + 3_600_000, 1)).toEqual([{ ticker: 'GME', count: 5, meanSentiment: 0 }]);
  });

  it('lists the newest posts first, overall and per ticker', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    const post = (n: number, tickers: string[]): PostRow => ({
      fullname: `t1_${n}`, kind: 'comment', subreddit: 'stocks', author: 'u', text: `post ${n}`, permalink: `/r/stocks/${n}`,
      created: T0 + n, score: 1, sentiment: 0.1, label: 'pos', tickers,
    });
    const mention = (p: PostRow, ticker: string): TickerMention => ({
      postId: p.fullname, ticker, kind: p.kind, subreddit: p.subreddit, author: p.author, text: p.text,
      permalink: p.permalink, sentiment: p.sentiment, label: p.label, created: p.created, score: p.score,
    });
    const posts = [post(1, ['AAPL']), post(2, []), post(3, ['AAPL', 'TSLA'])];
    await store.writePosts(posts, [mention(posts[0]!, 'AAPL'), mention(posts[2]!, 'AAPL'), mention(posts[2]!, 'TSLA')]);
    expect((await store.latestPosts({ limit: 10 })).map((p) => p.fullname)).toEqual(['t1_3', 't1_2', 't1_1']);
    expect((await store.latestPosts({ ticker: 'AAPL', limit: 10 })).map((p) => p.fullname)).toEqual(['t1_3', 't1_1']);
    expect((await store.latestPosts({ ticker: 'TSLA', limit: 10 }))[0]?.tickers).toEqual(['AAPL', 'TSLA']);
  });

  it('upgrades a database file of the previous schema in place, keeping its rows', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ss-')), 'db.sqlite');
    // the shape an earlier release wrote: no versions, a checkpoints table, user_version 0
    const old = new DatabaseSync(path);
    old.exec(`CREATE TABLE candles_1m (symbol TEXT NOT NULL, day INTEGER NOT NULL, minute INTEGER NOT NULL,
      open REAL NOT NULL, high REAL NOT NULL, low REAL NOT NULL, close REAL NOT NULL, volume REAL NOT NULL, trades INTEGER NOT NULL,
      PRIMARY KEY (symbol, minute)) WITHOUT ROWID;
      CREATE TABLE checkpoints (grp TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, watermark REAL NOT NULL, PRIMARY KEY (grp, topic, partition)) WITHOUT ROWID;
      INSERT INTO candles_1m VALUES ('AAPL', 0, ${T0}, 1, 2, 0.5, 1.5, 10, 3);`);
    old.close();
    let store = createSqliteStore({ path });
    expect(await store.candles('AAPL', T0, T0 + 60_000)).toEqual([{ symbol: 'AAPL', minute: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10, trades: 3 }]);
    await store.writeCandles([{ symbol: 'AAPL', minute: T0, open: 9, high: 9, low: 9, close: 9, volume: 1, trades: 1 }], 1);
    expect((await store.candles('AAPL', T0, T0 + 60_000))[0]?.open).toBe(9);
    await store.close();
    store = createSqliteStore({ path }); // opening again applies nothing twice
    expect((await store.candles('AAPL', T0, T0 + 60_000))[0]?.open).toBe(9);
    const db = new DatabaseSync(path);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'checkpoints'`).all()).toEqual([]);
    db.close();
    await store.close();
  });

  it('a path it cannot create gives STORE_UNAVAILABLE naming the path', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ss-')), 'plain-file');
    writeFileSync(file, 'not a folder');
    expect(() => createSqliteStore({ path: join(file, 'db.sqlite') })).toThrow(/cannot open the SQLite store at .*plain-file/);
  });
});
