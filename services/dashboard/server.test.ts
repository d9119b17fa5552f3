import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Candle, Security, SentimentWindow, TickerMention } from '../lib/domain/types.ts';
import { createSqliteStore } from '../lib/io/store/sqlite.ts';
import type { AlertRow, DashboardStore, PostRow, Store } from '../lib/io/store/repository.ts';
import { silentLogger } from '../lib/runtime/logger.ts';
import { createDashboardServer, type DashboardServer } from './server.ts';
import { startDashboard } from './index.ts';
import { loadConfig } from '../lib/runtime/config.ts';
import { isStockstreamerError } from '../lib/runtime/errors.ts';

const M = 60_000;
const H = 3_600_000;
// 14:30 UTC: the running hour started 30 minutes ago.
const NOW = Date.UTC(2026, 10, 23, 14, 30);
const SYMBOLS = ['AAPL', 'TSLA'];

const company = (symbol: string, name: string): Security =>
  ({ symbol, name, exchange: 'NASDAQ', sector: 'Technology', industry: 'x', marketCapUsd: 1e12, country: 'US' });
const candle = (symbol: string, minute: number, close: number, volume = 100): Candle =>
  ({ symbol, minute, open: close - 1, high: close + 1, low: close - 2, close, volume, trades: 3 });
const window = (ticker: string, minute: number, count: number, sum: number): SentimentWindow =>
  ({ ticker, minute, count, sum, sumSquares: sum * sum, pos: 0, neg: 0, neu: count });
const post = (n: number, tickers: string[], created: number, sentiment = 0.4): PostRow => ({
  fullname: `t1_${n}`, kind: n % 2 ? 'comment' : 'submission', subreddit: 'stocks', author: `u${n}`, text: `post ${n} about ${tickers.join(' ')}`,
  permalink: `/r/stocks/comments/${n}/`, created, score: 1, sentiment, label: sentiment > 0.05 ? 'pos' : 'neu', tickers,
});
const mentionsOf = (p: PostRow): TickerMention[] => p.tickers.map((ticker) => ({
  postId: p.fullname, ticker, kind: p.kind, subreddit: p.subreddit, author: p.author, text: p.text, permalink: p.permalink,
  sentiment: p.sentiment, label: p.label, created: p.created, score: p.score,
}));

const alert = (ruleId: string, ticker: string, firedAt: number, over: Partial<AlertRow> = {}): AlertRow => ({
  ruleId, ticker, firedAt, kind: 'price_cross', message: `${ticker} crossed above 230 at 231.20`, value: 231.2, threshold: 230, delivered: false, ...over,
});

async function fill(store: Store): Promise<void> {
  await store.seedCompanies([company('AAPL', 'Apple Inc.'), company('TSLA', 'Tesla, Inc.'), company('GME', 'GameStop Corp.')]);
  const candles: Candle[] = [];
  for (let i = 30; i >= 1; i--) candles.push(candle('AAPL', NOW - i * M, 200 + (30 - i)), candle('TSLA', NOW - i * M, 300 - (30 - i)));
  // Friday's last regular minute (15:59 New York, 20:59 UTC): the previous close of Monday's session
  candles.push(candle('AAPL', Date.UTC(2026, 10, 20, 20, 59), 220), candle('AAPL', Date.UTC(2026, 10, 20, 21, 30), 225));
  await store.writeCandles(candles, 1);
  await store.writeTrades([
    { symbol: 'AAPL', price: 230, volume: 5, timestamp: NOW - 1000, conditions: [], seq: 0 },
    { symbol: 'TSLA', price: 270, volume: 5, timestamp: NOW - 2000, conditions: [], seq: 0 },
  ]);
  const windows: SentimentWindow[] = [];
  for (let i = 20; i >= 1; i--) windows.push(window('AAPL', NOW - i * M, 2, i % 2 ? 0.8 : -0.2), window('TSLA', NOW - i * M, 1, -0.3));
  await store.writeSentimentWindows(windows, 1);
  const hour = Math.floor(NOW / H) * H;
  await store.writeMentionsHours([
    { ticker: 'AAPL', hour, count: 20, sentimentSum: 6, pos: 10, neg: 2, neu: 8 },
    { ticker: 'AAPL', hour: hour - H, count: 20, sentimentSum: 2, pos: 5, neg: 5, neu: 10 },
    { ticker: 'GME', hour, count: 30, sentimentSum: -3, pos: 5, neg: 10, neu: 15 },
  ], 1);
  const posts = [post(1, ['AAPL'], NOW - 5 * M), post(2, ['AAPL', 'TSLA'], NOW - 3 * M, -0.5), post(3, ['TSLA'], NOW - M)];
  await store.writePosts(posts, posts.flatMap(mentionsOf));
}

interface Started { server: DashboardServer; store: Store; clock: { t: number; now(): number } }

async function start(storeOverride?: (s: Store) => DashboardStore, pollMs = 50): Promise<Started> {
  const store = createSqliteStore({ path: ':memory:' });
  await fill(store);
  const clock = { t: NOW, now() { return this.t; } };
  const server = await createDashboardServer({
    store: storeOverride ? storeOverride(store) : store, clock, logger: silentLogger(), symbols: SYMBOLS, port: 0, pollMs,
  });
  return { server, store, clock };
}

const get = async (s: Started, path: string) => {
  const res = await fetch(new URL(path, s.server.url));
  const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  return { status: res.status, headers: res.headers, body: body as any };
};

describe('dashboard JSON API', () => {
  let s: Started;
  beforeEach(async () => {
    s = await start();
  });
  afterEach(async () => {
    await s.server.close();
    await s.store.close();
  });

  it('lists the configured symbols with company names', async () => {
    const r = await get(s, '/api/symbols');
    expect(r.status).toBe(200);
    expect(r.body.symbols).toEqual([{ symbol: 'AAPL', name: 'Apple Inc.' }, { symbol: 'TSLA', name: 'Tesla, Inc.' }]);
  });

  it('gives the latest prices with the change against the previous close, as a broker does', async () => {
    const { body } = await get(s, '/api/prices');
    const aapl = body.prices.find((p: any) => p.symbol === 'AAPL');
    // Monday 09:30 New York: Friday's 16:00 close is the 15:59 candle's 220, not the after-hours 225
    expect(aapl).toMatchObject({ price: 230, change: 10, name: 'Apple Inc.', timeZone: 'America/New_York' });
    expect(aapl.reference).toEqual({ kind: 'previous_close', at: Date.UTC(2026, 10, 20, 21), price: 220, minute: Date.UTC(2026, 10, 20, 20, 59), timeZone: 'America/New_York' });
    expect(aapl.changePct).toBeCloseTo(10 / 220);
    // no close stored: no change, rather than a change against something else
    expect(body.prices.find((p: any) => p.symbol === 'TSLA')).toMatchObject({ reference: null, change: null, changePct: null });
  });

  it('gives 1-minute candles of the last hour by default, and of an explicit range', async () => {
    const all = await get(s, '/api/candles?symbol=aapl');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ symbol: 'AAPL', from: NOW - H, to: NOW });
    expect(all.body.candles).toHaveLength(30);
    expect(all.body.candles[0]).toEqual({ symbol: 'AAPL', minute: NOW - 30 * M, open: 199, high: 201, low: 198, close: 200, volume: 100, trades: 3 });
    const some = await get(s, `/api/candles?symbol=AAPL&from=${NOW - 10 * M}&to=${NOW - 5 * M}`);
    expect(some.body.candles.map((c: Candle) => c.minute)).toEqual([10, 9, 8, 7, 6, 5].map((i) => NOW - i * M));
    expect(some.body.grain).toBe('1m');
  });

  it('gives hourly candles for ranges over a day and daily ones over 60 days, from the roll-ups; grain= chooses', async () => {
    const hour = Math.floor(NOW / H) * H;
    const day = Math.floor(NOW / 86_400_000) * 86_400_000;
    await s.store.writeCandleRollups('hour', [candle('AAPL', hour - 50 * H, 150), candle('AAPL', hour - H, 210), candle('AAPL', hour, 230)], 1);
    await s.store.writeCandleRollups('day', [candle('AAPL', day - 100 * 86_400_000, 90), candle('AAPL', day, 230)], 1);
    const week = await get(s, `/api/candles?symbol=AAPL&from=${NOW - 3 * 86_400_000}&to=${NOW}`);
    expect(week.status).toBe(200);
    expect(week.body.grain).toBe('1h');
    expect(week.body.candles.map((c: Candle) => [c.minute, c.close])).toEqual([[hour - 50 * H, 150], [hour - H, 210], [hour, 230]]);
    const year = await get(s, `/api/candles?symbol=AAPL&from=${NOW - 200 * 86_400_000}&to=${NOW}`);
    expect(year.body.grain).toBe('1d');
    expect(year.body.candles.map((c: Candle) => c.close)).toEqual([90, 230]);
    const asked = await get(s, `/api/candles?symbol=AAPL&grain=1h&from=${NOW - 2 * H}&to=${NOW}`);
    expect(asked.body.candles.map((c: Candle) => c.close)).toEqual([210, 230]);
    const tooLong = await get(s, `/api/candles?symbol=AAPL&grain=1m&from=${NOW - 30 * 86_400_000}&to=${NOW}`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/at most 7 days of 1-minute candles \(grain=1h or 1d for longer\)/);
    expect((await get(s, `/api/candles?symbol=AAPL&grain=5m`)).status).toBe(400);
  });

  it('gives hourly sentiment from the crowd tallies for ranges over a day', async () => {
    const hour = Math.floor(NOW / H) * H;
    const tally = (start: number, count: number, sentimentSum: number, scope = '*') => ({
      grain: 'hour' as const, ticker: 'AAPL', scope, start, count, sentimentSum, pos: 0, neg: 0, neu: count, upvotes: 0, weighted: count, authors: ['a'], authorCount: 1, top: null,
    });
    await s.store.writeMentionTallies([tally(hour - 30 * H, 4, 2), tally(hour - H, 2, -1), tally(hour - H, 50, 50, 'wallstreetbets')], 1);
    const { status, body } = await get(s, `/api/sentiment?ticker=AAPL&span=2&from=${NOW - 2 * 86_400_000}&to=${NOW}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ticker: 'AAPL', grain: '1h', span: 2 });
    // every subreddit's row ('*'), not one subreddit's; the span counts hours
    expect(body.points.map((p: any) => [p.minute, p.count, p.mean])).toEqual([[hour - 30 * H, 4, 0.5], [hour - H, 2, -0.5]]);
    expect(body.points[1].movingAverage).toBeCloseTo(-0.5); // 29 hours apart: a 2-hour span holds one point
  });

  it('gives sentiment per minute with moving average and volatility band', async () => {
    const { status, body } = await get(s, `/api/sentiment?ticker=AAPL&span=4&from=${NOW - 10 * M}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ticker: 'AAPL', span: 4 });
    expect(body.points).toHaveLength(10);
    for (const p of body.points) {
      expect(Object.keys(p).sort()).toEqual(['count', 'lower', 'mean', 'minute', 'movingAverage', 'upper', 'volatility']);
      expect(p.upper).toBeGreaterThanOrEqual(p.movingAverage);
      expect(p.lower).toBeLessThanOrEqual(p.movingAverage);
    }
    // Alternating means of 0.4 and −0.1 average to 0.15 over an even span.
    expect(body.points.at(-1).movingAverage).toBeCloseTo(0.15);
    expect(body.points.at(-1).volatility).toBeCloseTo(0.25);
  });

  it('accepts any listed company as a sentiment or posts ticker, not only the tracked symbols', async () => {
    expect((await get(s, '/api/sentiment?ticker=GME')).status).toBe(200);
    expect((await get(s, '/api/posts?ticker=GME')).status).toBe(200);
  });

  it('ranks the most-mentioned tickers with mean sentiment and change versus the previous hour', async () => {
    const { body } = await get(s, '/api/mentions/top?hours=1');
    expect(body.tickers.map((t: any) => t.ticker)).toEqual(['GME', 'AAPL']);
    const aapl = body.tickers[1];
    expect(aapl).toMatchObject({ count: 20, previousCount: 20, previousMeanSentiment: 0.1, changePct: 1 });
    expect(aapl.meanSentiment).toBeCloseTo(0.3);
    expect(aapl.sentimentChange).toBeCloseTo(0.2);
    expect(body.tickers[0]).toMatchObject({ ticker: 'GME', changePct: null });
  });

  it('lists the newest posts, per ticker, with an absolute link', async () => {
    const all = await get(s, '/api/posts?limit=2');
    expect(all.body.posts.map((p: PostRow) => p.fullname)).toEqual(['t1_3', 't1_2']);
    const tsla = await get(s, '/api/posts?ticker=TSLA');
    expect(tsla.body.ticker).toBe('TSLA');
    expect(tsla.body.posts.map((p: PostRow) => p.fullname)).toEqual(['t1_3', 't1_2']);
    expect(tsla.body.posts[1]).toMatchObject({ tickers: ['AAPL', 'TSLA'], sentiment: -0.5, url: 'https://www.reddit.com/r/stocks/comments/2/' });
  });

  it('lists the alerts of the last day, newest first', async () => {
    await s.store.writeAlerts([
      alert('price-aapl-230', 'AAPL', NOW - 2 * M),
      alert('spike-gme', 'GME', NOW - M, { kind: 'mention_spike', delivered: true }),
      alert('old', 'TSLA', NOW - 25 * H),
    ]);
    const { status, body } = await get(s, '/api/alerts');
    expect(status).toBe(200);
    expect(body.alerts.map((a: AlertRow) => a.ruleId)).toEqual(['spike-gme', 'price-aapl-230']);
    expect(body.alerts[1]).toEqual(alert('price-aapl-230', 'AAPL', NOW - 2 * M));
    expect((await get(s, '/api/alerts?limit=1')).body.alerts).toHaveLength(1);
  });

  it.each([
    ['/api/candles?symbol=ZZZZ', /unknown symbol ZZZZ/],
    ['/api/candles', /symbol is required/],
    ['/api/candles?symbol=AAPL&from=yesterday', /from must be epoch milliseconds/],
    [`/api/candles?symbol=AAPL&from=${NOW}&to=${NOW - M}`, /from \(\d+\) is after to/],
    [`/api/candles?symbol=AAPL&grain=1m&from=${NOW - 30 * 86_400_000}&to=${NOW}`, /spans 30 days; at most 7 days/],
    [`/api/sentiment?ticker=AAPL&from=${NOW - 40 * 86_400_000}&to=${NOW}`, /spans 40 days; at most 31 days/],
    ['/api/candles?symbol=AAPL&symbol=TSLA', /given more than once/],
    ['/api/candles?symbol=AAPL&form=1', /unknown parameter form/],
    ['/api/candles?symbol=<script>', /symbol must be a ticker symbol/],
    ['/api/sentiment?ticker=AAPL&span=0', /span must be at least 1 minutes/],
    ['/api/sentiment?ticker=AAPL&span=100000', /span must be at most 1440 minutes/],
    ['/api/sentiment?ticker=QQQQQ', /unknown ticker QQQQQ/],
    ['/api/mentions/top?hours=-1', /hours must be a whole number/],
    ['/api/posts?limit=100000', /limit must be at most 200/],
    ['/api/stream?symbol=NOPE', /unknown symbol NOPE/],
  ])('refuses %s with a 400 that says why', async (path, message) => {
    const r = await get(s, path);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INPUT_INVALID');
    expect(r.body.error.message).toMatch(message);
  });

  it('answers 404 for an unknown route and 405 for a write', async () => {
    const r = await get(s, '/api/nothing');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
    const post = await fetch(new URL('/api/prices', s.server.url), { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('serves the page and uPlot from local files, gzipped, with ETags', async () => {
    const page = await get(s, '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.body).toContain('/vendor/uPlot.iife.min.js');
    expect(page.body).not.toMatch(/https?:\/\/(?!www\.w3)/); // no asset from the internet
    const lib = await fetch(new URL('/vendor/uPlot.iife.min.js', s.server.url), { headers: { 'accept-encoding': 'gzip' } });
    expect(lib.status).toBe(200);
    expect(lib.headers.get('content-encoding')).toBe('gzip');
    expect(await lib.text()).toContain('uPlot');
    const again = await fetch(new URL('/static/app.js', s.server.url), { headers: { 'if-none-match': (await fetch(new URL('/static/app.js', s.server.url))).headers.get('etag')! } });
    expect(again.status).toBe(304);
  });
});

describe('starting the dashboard', () => {
  it('takes symbols, port and span from the config, and names the setting when the port is taken', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await fill(store);
    const config = loadConfig({ STOCKSTREAMER_DASHBOARD_PORT: '0', STOCKSTREAMER_SYMBOLS: 'TSLA', STOCKSTREAMER_SENTIMENT_SPAN_MIN: '3' });
    const a = await startDashboard({ config, store, logger: silentLogger(), clock: { now: () => NOW } });
    try {
      expect(a.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const body = (await (await fetch(new URL('/api/symbols', a.url))).json()) as any;
      expect(body.symbols.map((x: any) => x.symbol)).toEqual(['TSLA', 'AAPL']); // configured first, then any other priced symbol
      expect(((await (await fetch(new URL('/api/sentiment?ticker=TSLA', a.url))).json()) as any).span).toBe(3);
      const port = Number(new URL(a.url).port);
      const err = await startDashboard({ config: { ...config, dashboardPort: port }, store, logger: silentLogger() }).catch((e: unknown) => e);
      expect(isStockstreamerError(err, 'CONFIG_INVALID')).toBe(true);
      expect((err as Error).message).toMatch(/STOCKSTREAMER_DASHBOARD_PORT/);
    } finally {
      await a.close();
      await store.close();
    }
  });
});

/** Reads Server-Sent Events from a fetch body. */
function sse(url: string) {
  const ac = new AbortController();
  const events: { event: string; data: any }[] = [];
  const waiters = new Set<() => void>();
  const done = (async () => {
    const res = await fetch(url, { signal: ac.signal });
    if (!res.ok || !res.body) throw new Error(`stream: ${res.status}`);
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body) {
      buf += decoder.decode(chunk as Uint8Array, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data) {
          events.push({ event, data: JSON.parse(data) });
          for (const w of waiters) w();
        }
      }
    }
  })().catch(() => {});
  return {
    events,
    /** resolves with the first event (from `after` on) matching name and predicate */
    next(event: string, pred: (d: any) => boolean = () => true, after = 0, timeoutMs = 5000): Promise<any> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = events.slice(after).find((e) => e.event === event && pred(e.data));
          if (hit) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(hit.data);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${event} event within ${timeoutMs} ms; got ${events.map((e) => e.event).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      ac.abort();
      await done;
    },
  };
}

describe('dashboard live stream', () => {
  it('sends the current state on connect, then only what changed after new rows are written', async () => {
    const s = await start();
    const stream = sse(new URL('/api/stream?symbol=AAPL&minutes=60', s.server.url).href);
    try {
      const hello = await stream.next('hello');
      expect(hello).toMatchObject({ pollMs: 50 });
      const first = await stream.next('candles');
      expect(first).toMatchObject({ symbol: 'AAPL', replace: true });
      expect(first.candles).toHaveLength(30);
      await stream.next('prices');
      const posts = await stream.next('posts');
      expect(posts.posts.map((p: PostRow) => p.fullname)).toEqual(['t1_2', 't1_1']);
      const mark = stream.events.length;

      // The pipeline writes: the running minute's candle, a trade, a post mentioning AAPL.
      s.clock.t = NOW + 20_000;
      await s.store.writeCandles([candle('AAPL', NOW, 240, 7)], 1);
      await s.store.writeTrades([{ symbol: 'AAPL', price: 240, volume: 7, timestamp: NOW + 19_000, conditions: [], seq: 0 }]);
      const fresh = post(9, ['AAPL'], NOW + 15_000, 0.9);
      await s.store.writePosts([fresh], mentionsOf(fresh));

      const update = await stream.next('candles', (d) => d.replace === false, mark);
      expect(update.candles).toEqual([candle('AAPL', NOW, 240, 7)]);
      const prices = await stream.next('prices', () => true, mark);
      expect(prices.prices.find((p: any) => p.symbol === 'AAPL').price).toBe(240);
      const newPosts = await stream.next('posts', (d) => d.replace === false, mark);
      expect(newPosts.posts.map((p: PostRow) => p.fullname)).toEqual(['t1_9']);
      // An alert fires: it is pushed on its own, not with the whole list.
      await s.store.writeAlerts([alert('price-aapl-235', 'AAPL', NOW + 19_500)]);
      const fired = await stream.next('alerts', (d) => d.replace === false, mark);
      expect(fired.alerts).toEqual([alert('price-aapl-235', 'AAPL', NOW + 19_500)]);
      // A TSLA-only write does not disturb the AAPL subscriber's candles.
      const mark2 = stream.events.length;
      await s.store.writeCandles([candle('TSLA', NOW, 100)], 1);
      await new Promise((r) => setTimeout(r, 300));
      expect(stream.events.slice(mark2).filter((e) => e.event === 'candles')).toEqual([]);
    } finally {
      await stream.close();
      await s.server.close();
      await s.store.close();
    }
  });

  it('tells the browser when the store stops answering and when it is back', async () => {
    let failing = false;
    const s = await start((store) => Object.assign(Object.create(store) as Store, {
      latestPrices: async () => {
        if (failing) throw new Error('connection refused');
        return store.latestPrices();
      },
    }));
    const stream = sse(new URL('/api/stream?symbol=TSLA', s.server.url).href);
    try {
      await stream.next('candles');
      failing = true;
      expect(await stream.next('status', (d) => d.ok === false)).toMatchObject({ message: expect.stringMatching(/not answering/) });
      failing = false;
      await stream.next('status', (d) => d.ok === true);
    } finally {
      await stream.close();
      await s.server.close();
      await s.store.close();
    }
  });

  it('stops polling when the last browser leaves and closes cleanly with browsers attached', async () => {
    const s = await start();
    const a = sse(new URL('/api/stream?symbol=AAPL', s.server.url).href);
    await a.next('candles');
    await s.server.close();
    await a.close();
    await s.store.close();
  });
});
