import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededRandom } from '../lib/domain/sources/prng.ts';
import type { Candle, TickerMention } from '../lib/domain/types.ts';
import { createSqliteStore } from '../lib/io/store/sqlite.ts';
import type { Store } from '../lib/io/store/repository.ts';
import { silentLogger } from '../lib/runtime/logger.ts';
import { createVersionClock } from '../processor/pipeline.ts';
import { rebuildCrowd } from '../processor/rebuild.ts';
import { OPENAPI, RESPONSES } from './openapi.ts';
import { createDashboardServer, type DashboardServer } from './server.ts';

/**
 * The insight routes over a store whose tallies were built from raw rows by
 * the processor's own rebuild, checked against plain counts over the
 * generated mentions (never through the tallies), and every response held to
 * the OpenAPI document's schema.
 */
const M = 60_000;
const H = 60 * M;
const D = 24 * H;
// Monday 2026-11-23 08:00:25 UTC: 25 seconds into an hour, where the old clock-hour view fell apart
const NOW = Date.UTC(2026, 10, 23, 8, 0, 25);
const SUBS = ['wallstreetbets', 'stocks', 'options'];
const TICKERS = ['GME', 'AAPL', 'TSLA', 'AMC'];

function generate(): TickerMention[] {
  const random = createSeededRandom(42);
  const out: TickerMention[] = [];
  for (let i = 0; i < 1500; i++) {
    // nine days back to a minute ahead of NOW, denser recently
    const created = NOW + 60_000 - Math.floor((random() ** 2) * 9 * D);
    const ticker = TICKERS[Math.floor(random() * (random() < 0.5 ? 2 : 4))]!;
    const sentiment = Math.round((random() * 2 - 1) * 1e6) / 1e6;
    out.push({
      postId: `t1_p${i}`, ticker, kind: 'comment', subreddit: SUBS[i % 3]!, author: `u${Math.floor(random() * 40)}`,
      text: `post ${i} about $${ticker} 🚀`, permalink: `/r/${SUBS[i % 3]}/comments/p${i}/`, sentiment,
      label: sentiment > 0.05 ? 'pos' : sentiment < -0.05 ? 'neg' : 'neu', created, score: Math.floor(random() * 300) - 20,
    });
  }
  return out;
}

describe('insight API', () => {
  let store: Store;
  let server: DashboardServer;
  const mentions = generate();
  const get = async (path: string) => {
    const res = await fetch(new URL(path, server.url));
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    store = createSqliteStore({ path: ':memory:' });
    await store.seedCompanies(TICKERS.map((symbol) => ({ symbol, name: `${symbol} Inc.`, exchange: 'NYSE', sector: 'x', industry: 'x', marketCapUsd: 1e10, country: 'US' })));
    await store.writePosts([], mentions);
    const versions = createVersionClock({ now: () => NOW });
    for (const t of TICKERS) await rebuildCrowd({ store, versions }, t, NOW - 10 * D, NOW + D);
    // a week of candles around the New York closes, and a live price
    const candles: Candle[] = [];
    for (let d = 1; d <= 7; d++) {
      const close = Date.UTC(2026, 10, 23 - d, 21); // 16:00 EST
      for (const k of [2, 1]) candles.push({ symbol: 'GME', minute: close - k * M, open: 20 + d, high: 21 + d, low: 19 + d, close: 20 + d + k, volume: 1, trades: 1 });
    }
    for (let i = 0; i < 300; i++) candles.push({ symbol: 'GME', minute: NOW - (300 - i) * M, open: 25, high: 26, low: 24, close: 25 + Math.sin(i / 7), volume: 1, trades: 1 });
    await store.writeCandles(candles, 1);
    await store.writeTrades([{ symbol: 'GME', price: 25.5, volume: 1, timestamp: NOW - 1000, conditions: [], seq: 0 }]);
    server = await createDashboardServer({ store, clock: { now: () => NOW }, logger: silentLogger(), symbols: ['GME', 'AAPL'], port: 0, pollMs: 50 });
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });

  const countIn = (from: number, to: number, filter: (m: TickerMention) => boolean = () => true) => {
    const counts = new Map<string, number>();
    for (const m of mentions) if (m.created >= from && m.created < to && filter(m)) counts.set(m.ticker, (counts.get(m.ticker) ?? 0) + 1);
    return counts;
  };

  it('ranks tickers over sliding windows ending with the running minute, exactly, against the window before', async () => {
    for (const [window, length] of [['1h', H], ['24h', D], ['7d', 7 * D]] as const) {
      const { status, body } = await get(`/api/rankings?window=${window}`);
      expect(status).toBe(200);
      const to = Date.UTC(2026, 10, 23, 8, 1);
      expect(body).toMatchObject({ window, from: to - length, to, previousFrom: to - 2 * length, sort: 'mentions' });
      const now = countIn(to - length, to);
      const before = countIn(to - 2 * length, to - length);
      expect(body.total).toBe(now.size);
      for (const t of body.tickers) {
        expect(t.mentions, `${window} ${t.ticker}`).toBe(now.get(t.ticker));
        expect(t.previous.mentions, `${window} ${t.ticker} before`).toBe(before.get(t.ticker) ?? 0);
      }
      const ranks = body.tickers.map((t: any) => t.mentions);
      expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    }
  });

  it('filters by subreddit, any case, and pages', async () => {
    const { body } = await get('/api/rankings?window=7d&subreddit=r/Stocks&limit=2&offset=1');
    const to = Date.UTC(2026, 10, 23, 8, 1);
    const expected = [...countIn(to - 7 * D, to, (m) => m.subreddit === 'stocks')].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    expect(body.subreddit).toBe('stocks');
    expect(body.total).toBe(expected.length);
    expect(body.tickers.map((t: any) => [t.ticker, t.mentions, t.rank])).toEqual(expected.slice(1, 3).map(([t, n], i) => [t, n, i + 2]));
    expect((await get('/api/rankings?window=2h')).status).toBe(400);
    expect((await get('/api/rankings?subreddit=a%20b')).body.error.code).toBe('INPUT_INVALID');
  });

  it('gives crowd signals: distinct authors over the whole window, upvotes, shares, subreddits and the top post', async () => {
    const { body } = await get('/api/crowd?ticker=gme&window=24h');
    const to = Date.UTC(2026, 10, 23, 8, 1);
    const mine = mentions.filter((m) => m.ticker === 'GME' && m.created >= to - D && m.created < to);
    expect(body.mentions).toBe(mine.length);
    expect(body.authors).toBe(new Set(mine.map((m) => m.author)).size);
    expect(body.upvotes).toBe(mine.reduce((n, m) => n + m.score, 0));
    expect(body.weighted).toBe(mine.reduce((n, m) => n + Math.max(m.score, 1), 0));
    expect(body.bullish).toBeCloseTo(mine.filter((m) => m.label === 'pos').length / mine.length);
    const best = [...mine].sort((a, b) => b.score - a.score || a.created - b.created)[0]!;
    expect(body.topPost).toMatchObject({ postId: best.postId, score: best.score, permalink: best.permalink });
    expect(body.subreddits.reduce((n: number, s: any) => n + s.mentions, 0)).toBe(mine.length);
    expect(body.subreddits.find((s: any) => s.subreddit === 'stocks').authors).toBe(new Set(mine.filter((m) => m.subreddit === 'stocks').map((m) => m.author)).size);
  });

  it('gives daily history with the New York session close', async () => {
    const { body } = await get('/api/history?ticker=GME&days=7');
    expect(body.timeZone).toBe('America/New_York');
    expect(body.days).toHaveLength(7);
    const friday = body.days.find((d: any) => d.day === Date.UTC(2026, 10, 20));
    // the last candle before 16:00 New York (20:59 UTC) closed at 20 + 3 + 1
    expect(friday).toMatchObject({ close: 24, closeMinute: Date.UTC(2026, 10, 20, 20, 59) });
    expect(friday.mentions).toBe(countIn(Date.UTC(2026, 10, 20), Date.UTC(2026, 10, 21)).get('GME') ?? 0);
    expect(body.days.find((d: any) => d.day === Date.UTC(2026, 10, 21)).close).toBeNull(); // a Saturday
  });

  it('correlates sentiment and mentions with price, and says when there is too little data', async () => {
    const { status, body } = await get(`/api/leadlag?ticker=GME&from=${NOW - 5 * H}`);
    expect(status).toBe(200);
    expect(body.mentions.lags).toHaveLength(61);
    // ticker_sentiment_1m was never written here: no mention changes, nothing to claim
    expect(body.mentions.verdict).toBe('too_little_data');
    expect((await get(`/api/leadlag?ticker=GME&from=${NOW - 4 * D}`)).status).toBe(400);
    expect((await get('/api/leadlag?ticker=AMC')).status).toBe(400); // no prices
  });

  it('serves an OpenAPI document, and every response of every documented route matches it', async () => {
    const doc = await get('/api/openapi.json');
    expect(doc.body).toEqual(JSON.parse(JSON.stringify(OPENAPI)));
    const calls: Record<keyof typeof RESPONSES, string> = {
      '/api/symbols': '', '/api/prices': '', '/api/candles': '?symbol=GME', '/api/sentiment': '?ticker=GME', '/api/mentions/top': '',
      '/api/posts': '?ticker=GME', '/api/alerts': '', '/api/rankings': '?window=24h', '/api/crowd': '?ticker=GME', '/api/history': '?ticker=GME',
      '/api/leadlag': '?ticker=GME', '/api/status': '',
    };
    for (const [path, query] of Object.entries(calls)) {
      const { status, body } = await get(path + query);
      expect(status, path).toBe(200);
      const parsed = RESPONSES[path as keyof typeof RESPONSES].safeParse(body);
      expect(parsed.success, `${path}: ${parsed.error?.message}`).toBe(true);
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
  });

  it('says live or replay, and a replay shows the data\'s own time', async () => {
    expect((await get('/api/status')).body).toMatchObject({ mode: 'live', now: NOW, stale: false });
    const replay = await createDashboardServer({ store, clock: { now: () => NOW + 400 * D }, logger: silentLogger(), symbols: ['GME'], port: 0, timeMode: 'replay' });
    try {
      const res = await fetch(new URL('/api/status', replay.url));
      const body = (await res.json()) as any;
      expect(body.mode).toBe('replay');
      expect(body.now).toBe(Math.max(...mentions.map((m) => m.created)));
      // the views follow it: the 1-hour ranking is of the recording's last hour, not of an empty wall-clock one
      const ranking = (await (await fetch(new URL('/api/rankings?window=1h', replay.url))).json()) as any;
      expect(ranking.total).toBeGreaterThan(0);
    } finally {
      await replay.close();
    }
  });
});
