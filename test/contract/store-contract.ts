import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Candle, Security, SentimentWindow, TickerMention, Trade } from '../../services/lib/domain/types.ts';
import type { AlertRow, DeadLetterRow, MentionsHourRow, PostRow, Store } from '../../services/lib/io/store/repository.ts';
import { insightContract } from './insight-contract.ts';

/**
 * The behaviour every Store implementation owes the processor and the
 * dashboards, written once and run against each: SQLite (the reference,
 * services/lib/io/store/sqlite.contract.test.ts) and Cassandra
 * (test/integration/cassandra-store.test.ts).
 *
 * makeStore must hand out an empty store; cleanup runs after each test.
 * The fixtures straddle midnight UTC, so every range read crosses a day bucket.
 */
export function describeStoreContract(name: string, makeStore: () => Promise<Store>, cleanup: (store: Store) => Promise<void>): void {
  const MIN = 60_000;
  const HOUR = 3_600_000;
  /** midnight UTC: the day bucket boundary every fixture straddles */
  const D1 = Date.UTC(2026, 10, 24);

  const trade = (over: Partial<Trade> = {}): Trade => ({ symbol: 'AAPL', price: 230, volume: 100, timestamp: D1 - MIN, conditions: [], seq: 0, ...over });
  const candle = (symbol: string, minute: number, open: number): Candle => ({ symbol, minute, open, high: open + 2, low: open - 1, close: open + 1, volume: 10, trades: 3 });
  const window = (ticker: string, minute: number, count: number): SentimentWindow => ({ ticker, minute, count, sum: count * 0.5, sumSquares: count * 0.25, pos: count, neg: 0, neu: 0 });
  const post = (n: number, created: number, tickers: string[], kind: PostRow['kind'] = 'comment'): PostRow => ({
    fullname: `t1_${n}`, kind, subreddit: 'stocks', author: `u${n}`, text: `post ${n} about ${tickers.join(' ')}`, permalink: `/r/stocks/${n}`,
    created, score: n, sentiment: n % 2 === 0 ? 0.5 : -0.25, label: n % 2 === 0 ? 'pos' : 'neg', tickers,
  });
  const mentionsOf = (p: PostRow): TickerMention[] => p.tickers.map((ticker) => ({
    postId: p.fullname, ticker, kind: p.kind, subreddit: p.subreddit, author: p.author, text: p.text,
    permalink: p.permalink, sentiment: p.sentiment, label: p.label, created: p.created, score: p.score,
  }));
  const writePosts = (store: Store, posts: PostRow[]) => store.writePosts(posts, posts.flatMap(mentionsOf));
  const hourRow = (ticker: string, hour: number, count: number, sentimentSum: number): MentionsHourRow => ({ ticker, hour, count, sentimentSum, pos: count, neg: 0, neu: 0 });
  const deadLetter = (offset: number, at: number): DeadLetterRow => ({
    topic: 'stock-trades', partition: offset % 3, offset, code: 'DECODE_MAGIC_BYTE', reason: `bad magic at ${offset}`, at, payloadHex: '01ff',
  });
  const alert = (ruleId: string, ticker: string, firedAt: number, delivered = false): AlertRow => ({
    ruleId, ticker, firedAt, kind: 'price_cross', message: `${ticker} crossed 200`, value: 201.5, threshold: 200, delivered,
  });
  const company = (symbol: string, name: string): Security => ({
    symbol, name, exchange: 'NASDAQ', sector: 'Technology', industry: 'Computer Manufacturing', marketCapUsd: 3.5e12, country: 'United States',
  });

  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await cleanup(store);
    });

    it('answers a ping', async () => {
      expect(await store.ping()).toBe(true);
    });

    it('writing the same input again leaves every table unchanged (idempotent upserts)', async () => {
      const posts = [post(1, D1 - 5 * MIN, ['AAPL']), post(2, D1 + MIN, ['AAPL', 'TSLA'], 'submission')];
      const writeAll = async () => {
        await store.writeTrades([trade(), trade({ seq: 1, price: 231 }), trade({ timestamp: D1 + 5, price: 229, conditions: ['1', '12'] })]);
        await store.writeCandles([candle('AAPL', D1 - MIN, 230), candle('AAPL', D1, 229)], 1);
        await writePosts(store, posts);
        await store.writeSentimentWindows([window('AAPL', D1 - MIN, 2), window('AAPL', D1, 1)], 1);
        await store.writeMentionsHours([hourRow('AAPL', D1 - HOUR, 2, 1), hourRow('AAPL', D1, 1, 0.5), hourRow('TSLA', D1, 1, 0.5)], 1);
        await store.writeDeadLetters([deadLetter(7, D1 - 1), deadLetter(8, D1 + 1)]);
        await store.seedCompanies([company('AAPL', 'Apple Inc.')]);
        await store.writeAlerts([alert('r1', 'AAPL', D1 - 1), alert('r2', 'TSLA', D1 + 1, true)]);
      };
      const readAll = async () => ({
        prices: await store.latestPrices(),
        trades: await store.trades('AAPL', D1 - HOUR, D1 + HOUR),
        candles: await store.candles('AAPL', D1 - HOUR, D1 + HOUR),
        posts: await store.latestPosts({ limit: 10 }),
        aapl: await store.latestPosts({ ticker: 'AAPL', limit: 10 }),
        sentiment: await store.sentimentWindows('AAPL', D1 - HOUR, D1 + HOUR),
        hours: await store.mentionsHours(D1 - HOUR, D1 + HOUR),
        top: await store.topMentions(D1 - HOUR, D1 + HOUR, 10),
        dead: await store.deadLetters(10),
        horizon: [await store.rawHorizon('trades'), await store.rawHorizon('mentions')],
        company: await store.company('AAPL'),
        alerts: await store.alerts(D1 - HOUR, D1 + HOUR, 10),
      });
      await writeAll();
      const once = await readAll();
      await writeAll();
      expect(await readAll()).toEqual(once);
      expect(once.trades).toHaveLength(3);
      expect(once.posts).toHaveLength(2);
      expect(once.aapl).toHaveLength(2);
      expect(once.dead).toHaveLength(2);
      expect(once.alerts).toHaveLength(2);
    });

    it('a record given twice in one write is stored once, lists included (a producer retry inside one batch)', async () => {
      const t = trade({ conditions: ['1', '12'] });
      await store.writeTrades([t, trade({ seq: 1 }), t]);
      expect(await store.trades('AAPL', D1 - HOUR, D1 + HOUR)).toEqual([t, trade({ seq: 1 })]);
      const p = post(1, D1 + MIN, ['AAPL', 'TSLA']);
      await store.writePosts([p, p], [...mentionsOf(p), ...mentionsOf(p)]);
      expect((await store.latestPosts({ limit: 10 })).map((x) => x.tickers)).toEqual([['AAPL', 'TSLA']]);
      expect(await store.loadMentions('AAPL', D1, D1 + HOUR)).toHaveLength(1);
    });

    it('keeps the latest price by event time, not by arrival; seq breaks ties within a millisecond', async () => {
      await store.writeTrades([trade({ timestamp: D1 + 1000, price: 250 })]);
      await store.writeTrades([trade({ timestamp: D1, price: 200 })]); // older, arrives later
      await store.writeTrades([trade({ symbol: 'MSFT', timestamp: D1, seq: 1, price: 410 }), trade({ symbol: 'MSFT', timestamp: D1, seq: 0, price: 400 })]);
      await store.writeTrades([trade({ symbol: 'AMD', timestamp: D1 - 1, price: 150 })]);
      expect(await store.latestPrices()).toEqual([
        { symbol: 'AAPL', price: 250, timestamp: D1 + 1000, dayOpen: null },
        { symbol: 'AMD', price: 150, timestamp: D1 - 1, dayOpen: null },
        { symbol: 'MSFT', price: 410, timestamp: D1, dayOpen: null },
      ]);
    });

    it('reports the day open from the first candle of the latest trade\'s own day', async () => {
      await store.writeCandles([candle('AAPL', D1 - MIN, 190), candle('AAPL', D1 + MIN, 205), candle('AAPL', D1, 200)], 1);
      await store.writeTrades([trade({ timestamp: D1 + 2 * MIN, price: 207 })]);
      expect((await store.latestPrices())[0]?.dayOpen).toBe(200);
    });

    it('reads candles, trades and sentiment of one key within [from, to), oldest first, across a day boundary', async () => {
      await store.writeCandles([candle('AAPL', D1 + MIN, 3), candle('AAPL', D1 - 2 * MIN, 0), candle('AAPL', D1, 2), candle('AAPL', D1 - MIN, 1), candle('MSFT', D1, 9)], 1);
      expect((await store.candles('AAPL', D1 - 2 * MIN, D1 + MIN)).map((c) => c.open)).toEqual([0, 1, 2]);
      expect(await store.candles('AAPL', D1 - MIN, D1)).toEqual([candle('AAPL', D1 - MIN, 1)]);
      expect(await store.candles('AAPL', D1, D1)).toEqual([]);
      expect(await store.candles('NVDA', D1 - HOUR, D1 + HOUR)).toEqual([]);
      expect(await store.candles('AAPL', 0, Number.MAX_SAFE_INTEGER)).toHaveLength(4); // "all time" 

      await store.writeTrades([
        trade({ timestamp: D1 + 10, seq: 1, price: 4 }), trade({ timestamp: D1 - 10, price: 1 }),
        trade({ timestamp: D1 + 10, seq: 0, price: 3 }), trade({ timestamp: D1, price: 2, conditions: ['T'] }), trade({ symbol: 'MSFT', timestamp: D1 }),
      ]);
      const trades = await store.trades('AAPL', D1 - MIN, D1 + MIN);
      expect(trades.map((t) => t.price)).toEqual([1, 2, 3, 4]);
      expect(trades[1]).toEqual(trade({ timestamp: D1, price: 2, conditions: ['T'] }));
      expect((await store.trades('AAPL', D1, D1 + 10)).map((t) => t.price)).toEqual([2]);

      await store.writeSentimentWindows([window('GME', D1, 4), window('GME', D1 - MIN, 2), window('GME', D1 + 5 * MIN, 1), window('AMC', D1, 7)], 1);
      expect(await store.sentimentWindows('GME', D1 - HOUR, D1 + 5 * MIN)).toEqual([window('GME', D1 - MIN, 2), window('GME', D1, 4)]);
    });

    it('lists the newest posts first, overall and per ticker, across days, up to the limit', async () => {
      const posts = [
        post(1, D1 - 2 * HOUR, ['AAPL']), post(2, D1 - MIN, ['TSLA']), post(3, D1 + MIN, ['AAPL', 'TSLA'], 'submission'),
        post(4, D1 + 2 * MIN, []), post(5, D1 + 2 * MIN, ['AAPL']), // same instant: by fullname, descending
        post(6, D1 - 3 * 86_400_000, ['AAPL']), // three days earlier
      ];
      await writePosts(store, posts);
      expect((await store.latestPosts({ limit: 10 })).map((p) => p.fullname)).toEqual(['t1_5', 't1_4', 't1_3', 't1_2', 't1_1', 't1_6']);
      expect((await store.latestPosts({ limit: 4 })).map((p) => p.fullname)).toEqual(['t1_5', 't1_4', 't1_3', 't1_2']);
      expect((await store.latestPosts({ ticker: 'AAPL', limit: 10 })).map((p) => p.fullname)).toEqual(['t1_5', 't1_3', 't1_1', 't1_6']);
      expect((await store.latestPosts({ ticker: 'AAPL', limit: 3 })).map((p) => p.fullname)).toEqual(['t1_5', 't1_3', 't1_1']);
      expect(await store.latestPosts({ ticker: 'TSLA', limit: 1 })).toEqual([posts[2]]);
      expect(await store.latestPosts({ ticker: 'NVDA', limit: 5 })).toEqual([]);
      expect(await store.latestPosts({ limit: 0 })).toEqual([]);
    });

    it('shows a ticker\'s posts whole (tickers, score) whichever call wrote the post, and not a mention whose post was never written', async () => {
      const p = post(7, D1 + 3 * MIN, ['GME', 'AMC']);
      const q = post(8, D1 + 4 * MIN, ['GME']);
      await store.writePosts([], mentionsOf(q)); // the mention first, its post in a later call
      await store.writePosts([q, p], mentionsOf(p));
      await store.writePosts([], mentionsOf(post(9, D1 + 5 * MIN, ['GME']))); // a post never written
      expect(await store.latestPosts({ ticker: 'GME', limit: 10 })).toEqual([q, p]);
      expect(await store.latestPosts({ ticker: 'AMC', limit: 10 })).toEqual([p]);
      // posts every hour of a day and across days: the newest first, however the store splits them
      const many = Array.from({ length: 60 }, (_, i) => post(100 + i, D1 - 40 * HOUR + i * 47 * MIN, i % 2 === 0 ? ['TSLA'] : []));
      await writePosts(store, many);
      const newest = [...many, p, q].sort((a, b) => b.created - a.created || (a.fullname < b.fullname ? 1 : -1));
      expect((await store.latestPosts({ limit: 25 })).map((x) => x.fullname)).toEqual(newest.slice(0, 25).map((x) => x.fullname));
      expect((await store.latestPosts({ ticker: 'TSLA', limit: 12 })).map((x) => x.fullname))
        .toEqual(newest.filter((x) => x.tickers.includes('TSLA')).slice(0, 12).map((x) => x.fullname));
    });

    it('ranks tickers by mentions over the hours asked for, with the count-weighted mean', async () => {
      const h = D1 - HOUR; // 23:00, the last hour of the first day
      await store.writeMentionsHours([
        hourRow('TSLA', h, 3, 1.5), hourRow('TSLA', D1, 1, -0.5),
        hourRow('GME', D1, 5, 0), hourRow('AMC', h, 4, 1), hourRow('AAPL', h - HOUR, 50, 50),
      ], 1);
      expect(await store.topMentions(h, D1 + HOUR, 10)).toEqual([
        { ticker: 'GME', count: 5, meanSentiment: 0 },
        { ticker: 'AMC', count: 4, meanSentiment: 0.25 }, // equal counts: by ticker
        { ticker: 'TSLA', count: 4, meanSentiment: 0.25 }, // (3 × 0.5 + 1 × −0.5) / 4
      ]);
      expect(await store.topMentions(D1, D1 + HOUR, 1)).toEqual([{ ticker: 'GME', count: 5, meanSentiment: 0 }]);
      expect(await store.topMentions(D1 + HOUR, D1 + 2 * HOUR, 5)).toEqual([]);
      expect(await store.topMentions(0, Number.MAX_SAFE_INTEGER, 1)).toEqual([{ ticker: 'AAPL', count: 50, meanSentiment: 1 }]);
      expect((await store.mentionsHours(h, D1 + HOUR)).map((r) => `${r.hour - h}/${r.ticker}`)).toEqual(
        [`0/AMC`, `0/TSLA`, `${HOUR}/GME`, `${HOUR}/TSLA`]);
      expect(await store.mentionsHours(D1, D1 + HOUR)).toContainEqual(hourRow('TSLA', D1, 1, -0.5));
    });

    it('an aggregate write with a lower version never replaces a higher one, whatever the arrival order', async () => {
      await store.writeCandles([candle('AAPL', D1, 200)], 2_000);
      await store.writeCandles([candle('AAPL', D1, 100), candle('AAPL', D1 + MIN, 101)], 1_000); // a zombie's delayed write
      expect((await store.candles('AAPL', D1, D1 + 2 * MIN)).map((c) => c.open)).toEqual([200, 101]);
      await store.writeCandles([candle('AAPL', D1, 300)], 3_000);
      expect((await store.candles('AAPL', D1, D1 + MIN))[0]?.open).toBe(300);

      await store.writeSentimentWindows([window('GME', D1, 9)], 5_000);
      await store.writeSentimentWindows([window('GME', D1, 1)], 4_000);
      expect((await store.sentimentWindows('GME', D1, D1 + MIN))[0]?.count).toBe(9);
      await store.writeMentionsHours([hourRow('GME', D1, 9, 1)], 5_000);
      await store.writeMentionsHours([hourRow('GME', D1, 1, 1)], 4_000);
      expect((await store.mentionsHours(D1, D1 + HOUR))[0]?.count).toBe(9);

      // deletes obey the same order: an older delete does not remove a newer row
      await store.deleteCandles('AAPL', [D1, D1 + MIN], 2_500);
      expect((await store.candles('AAPL', D1, D1 + 2 * MIN)).map((c) => c.open)).toEqual([300]);
      await store.deleteSentimentWindows('GME', [D1], 6_000);
      await store.deleteMentionsHours('GME', [D1], 6_000);
      expect(await store.sentimentWindows('GME', D1, D1 + MIN)).toEqual([]);
      expect(await store.mentionsHours(D1, D1 + HOUR)).toEqual([]);
      // the highest version any aggregate write carried: a writer starting later goes above it
      expect(await store.versionHorizon()).toBe(6_000);
    });

    it('keeps candle roll-ups per grain: a range oldest first, versioned writes and deletes', async () => {
      const c = (minute: number, close: number) => ({ symbol: 'AAPL', minute, open: 1, high: close + 1, low: 0.5, close, volume: 12.5, trades: 3 });
      await store.writeCandleRollups('hour', [c(D1 + HOUR, 2), c(D1 - HOUR, 1), c(D1 + 30 * HOUR, 3)], 1_000);
      await store.writeCandleRollups('day', [c(D1, 10), c(D1 - 24 * HOUR, 9)], 1_000);
      expect(await store.candleRollups('hour', 'AAPL', D1 - HOUR, D1 + 30 * HOUR)).toEqual([c(D1 - HOUR, 1), c(D1 + HOUR, 2)]);
      expect(await store.candleRollups('day', 'AAPL', D1 - 24 * HOUR, D1 + 24 * HOUR)).toEqual([c(D1 - 24 * HOUR, 9), c(D1, 10)]);
      expect(await store.candleRollups('hour', 'MSFT', 0, D1 * 2)).toEqual([]);
      // grains do not mix; an older version neither replaces nor deletes
      await store.writeCandleRollups('hour', [c(D1 + HOUR, 7)], 500);
      await store.deleteCandleRollups('hour', 'AAPL', [D1 - HOUR], 500);
      expect((await store.candleRollups('hour', 'AAPL', D1 - HOUR, D1 + 2 * HOUR)).map((x) => x.close)).toEqual([1, 2]);
      await store.deleteCandleRollups('hour', 'AAPL', [D1 - HOUR], 2_000);
      expect((await store.candleRollups('hour', 'AAPL', D1 - HOUR, D1 + 2 * HOUR)).map((x) => x.close)).toEqual([2]);
      expect(await store.versionHorizon()).toBe(2_000);
    });

    it('keeps the raw horizon: the newest event time of any raw row written, per family', async () => {
      expect(await store.versionHorizon()).toBe(0);
      expect(await store.rawHorizon('trades')).toBe(-Infinity);
      expect(await store.rawHorizon('mentions')).toBe(-Infinity);
      await store.writeTrades([trade({ timestamp: D1 + 5 * MIN }), trade({ timestamp: D1 - MIN, seq: 3 })]);
      await store.writeTrades([trade({ timestamp: D1 + MIN, seq: 1 })]); // older, later: the horizon stays
      expect(await store.rawHorizon('trades')).toBe(D1 + 5 * MIN);
      await writePosts(store, [post(1, D1 + 2 * MIN, ['AAPL']), post(2, D1 + 9 * MIN, [])]);
      // a post without tickers has no posts_by_ticker row: the mentions horizon follows the mentions
      expect(await store.rawHorizon('mentions')).toBe(D1 + 2 * MIN);
      expect(await store.rawHorizon('trades')).toBe(D1 + 5 * MIN);
    });

    it('reads back the raw rows of a key and range across day buckets, for rebuilding an aggregate', async () => {
      const trades = [trade({ timestamp: D1 - 30_000 }), trade({ timestamp: D1 + 10, seq: 2, price: 231 }), trade({ timestamp: D1 + MIN }), trade({ symbol: 'MSFT', timestamp: D1 })];
      await store.writeTrades(trades);
      const byId = (a: { timestamp: number; seq: number }, b: { timestamp: number; seq: number }) => a.timestamp - b.timestamp || a.seq - b.seq;
      expect((await store.loadTrades('AAPL', D1 - MIN, D1 + MIN)).sort(byId)).toEqual([trades[0], trades[1]]);
      expect(await store.loadTrades('AAPL', D1 + 2 * MIN, D1 + 3 * MIN)).toEqual([]);
      const posts = [post(1, D1 - 1, ['AAPL', 'TSLA']), post(2, D1 + 1, ['AAPL']), post(3, D1 + HOUR, ['AAPL'])];
      await writePosts(store, posts);
      const facts = (await store.loadMentions('AAPL', D1 - HOUR, D1 + HOUR)).sort((a, b) => a.created - b.created);
      expect(facts).toEqual([
        { ticker: 'AAPL', postId: 't1_1', created: D1 - 1, sentiment: -0.25, label: 'neg' },
        { ticker: 'AAPL', postId: 't1_2', created: D1 + 1, sentiment: 0.5, label: 'pos' },
      ]);
      expect(await store.rawKeys('trades', D1 - MIN, D1 + MIN)).toEqual(expect.arrayContaining(['AAPL', 'MSFT']));
      expect(await store.rawKeys('mentions', D1 - MIN, D1 + MIN)).toEqual(expect.arrayContaining(['AAPL', 'TSLA']));
    });

    it('lists dead letters newest first across days, up to the limit', async () => {
      const rows = [deadLetter(1, D1 - 2 * 86_400_000), deadLetter(2, D1 - 1), deadLetter(3, D1 + 1), deadLetter(4, D1 + HOUR)];
      await store.writeDeadLetters(rows);
      expect(await store.deadLetters(10)).toEqual([rows[3], rows[2], rows[1], rows[0]]);
      expect((await store.deadLetters(3)).map((r) => r.offset)).toEqual([4, 3, 2]);
      expect(await store.deadLetters(0)).toEqual([]);
    });

    it('seeds companies and looks one up by symbol; seeding again updates', async () => {
      await store.seedCompanies([company('AAPL', 'Apple Inc.'), company('MSFT', 'Microsoft Corporation')]);
      expect(await store.company('MSFT')).toEqual(company('MSFT', 'Microsoft Corporation'));
      expect(await store.company('ZZZZ')).toBeUndefined();
      await store.seedCompanies([company('AAPL', 'Apple Inc. Common Stock')]);
      expect((await store.company('AAPL'))?.name).toBe('Apple Inc. Common Stock');
    });

    it('lists alerts of a range newest first; a delivered alert stays delivered when its firing is replayed', async () => {
      await store.writeAlerts([alert('r1', 'AAPL', D1 - MIN), alert('r2', 'TSLA', D1 + MIN), alert('r1', 'MSFT', D1 + MIN), alert('r3', 'GME', D1 - 2 * 86_400_000)]);
      await store.writeAlerts([alert('r2', 'TSLA', D1 + MIN, true)]);
      await store.writeAlerts([alert('r2', 'TSLA', D1 + MIN, false)]); // replay of the firing
      expect(await store.alerts(D1 - HOUR, D1 + HOUR, 10)).toEqual([
        alert('r1', 'MSFT', D1 + MIN), alert('r2', 'TSLA', D1 + MIN, true), alert('r1', 'AAPL', D1 - MIN),
      ]);
      expect(await store.alerts(D1 - HOUR, D1 + MIN, 10)).toEqual([alert('r1', 'AAPL', D1 - MIN)]);
      expect(await store.alerts(D1 - HOUR, D1 + HOUR, 1)).toEqual([alert('r1', 'MSFT', D1 + MIN)]);
      expect(await store.alerts(D1 - 3 * 86_400_000, D1 + HOUR, 10)).toHaveLength(4);
    });

    insightContract(() => store, D1);
  });
}
