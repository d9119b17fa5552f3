import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTickerExtractor, parseUniverseCsv } from '../tickers/index.ts';
import { createSeededRandom } from './prng.ts';
import { createTradeWalk, START_PRICES } from './synthetic-trades.ts';
import { createRedditChatter, SYNTHETIC_REDDIT_TEMPLATE_COUNT } from './synthetic-reddit.ts';
import { parseFinnhubFrame } from './finnhub-frames.ts';
import { mapRedditChild } from './reddit-mapping.ts';
import type { RedditComment } from '../types.ts';

const T0 = Date.parse('2025-03-03T15:00:00Z');

describe('synthetic trade walk', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const run = (seed: number) => {
      const walk = createTradeWalk({ symbols: ['AAPL', 'TSLA'], random: createSeededRandom(seed) });
      return Array.from({ length: 20 }, (_, i) => walk.second(T0 + i * 1000, 5)).flat();
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  it('writes valid Finnhub frames with positive prices near the start table', () => {
    const walk = createTradeWalk({ symbols: ['AAPL', 'GME', 'ZZZZ'], random: createSeededRandom(1) });
    let trades = 0;
    for (let i = 0; i < 2000; i++) {
      for (const frame of walk.second(T0 + i * 1000, 10)) {
        const parsed = parseFinnhubFrame(frame.text);
        expect(['trades', 'ping']).toContain(parsed.kind);
        if (parsed.kind !== 'trades') continue;
        expect(parsed.rejected).toEqual([]);
        for (const trade of parsed.trades) {
          trades += 1;
          expect(trade.price).toBeGreaterThan(0);
          expect(trade.volume).toBeGreaterThan(0);
          expect(trade.timestamp).toBeGreaterThanOrEqual(T0 + i * 1000);
          expect(trade.timestamp).toBeLessThan(T0 + (i + 1) * 1000);
        }
      }
    }
    expect(trades).toBeGreaterThan(15_000);
    expect(walk.price('AAPL') / (START_PRICES.AAPL as number)).toBeGreaterThan(0.7);
    expect(walk.price('AAPL') / (START_PRICES.AAPL as number)).toBeLessThan(1.4);
    expect(walk.price('ZZZZ')).toBeGreaterThan(30);
  });

  it('has bursty seconds', () => {
    const walk = createTradeWalk({ symbols: ['NVDA'], random: createSeededRandom(3) });
    const counts = Array.from({ length: 500 }, (_, i) =>
      walk.second(T0 + i * 1000, 10).reduce((n, f) => { const p = parseFinnhubFrame(f.text); return n + (p.kind === 'trades' ? p.trades.length : 0); }, 0));
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(40);
  });
});

describe('synthetic Reddit chatter', () => {
  const tickers = { TSLA: 'Tesla', AAPL: 'Apple', GME: 'GameStop' };

  it('has at least 40 templates', () => {
    expect(SYNTHETIC_REDDIT_TEMPLATE_COUNT).toBeGreaterThanOrEqual(40);
  });

  it('produces mappable posts with valid fullnames, threads and ticker mentions', () => {
    const chatter = createRedditChatter({ subreddits: ['wallstreetbets', 'stocks'], tickers, random: createSeededRandom(11) });
    const posts = Array.from({ length: 1000 }, (_, i) => {
      const result = mapRedditChild(chatter.next(T0 + i * 500));
      if (!result.ok) throw new Error(result.reason);
      return result.post;
    });
    const submissions = new Map(posts.filter((p) => p.kind === 'submission').map((p) => [p.fullname, p]));
    const comments = posts.filter((p): p is RedditComment => p.kind === 'comment');
    expect(submissions.size).toBeGreaterThan(100);
    expect(comments.length).toBeGreaterThan(500);
    expect(new Set(posts.map((p) => p.fullname)).size).toBe(posts.length);
    for (const p of posts) {
      expect(p.fullname).toMatch(/^t[13]_[0-9a-z]{7}$/);
      expect(p.fullname.slice(3)).toBe(p.id);
      expect(p.permalink).toMatch(/^https:\/\/www\.reddit\.com\/r\/\w+\/comments\//);
    }
    for (const c of comments) {
      expect(submissions.get(c.linkId)?.title).toBe(c.linkTitle);
      expect(c.parentId).toMatch(/^t[13]_/);
    }
    const texts = posts.map((p) => (p.kind === 'submission' ? p.title : p.body));
    expect(texts.some((t) => /\$(TSLA|AAPL|GME)\b/.test(t))).toBe(true);
    expect(texts.some((t) => /(^|\s)(TSLA|AAPL|GME)\b/.test(t))).toBe(true);
    expect(texts.some((t) => /Tesla|Apple|GameStop/.test(t))).toBe(true);
    expect(comments.some((c) => !/TSLA|AAPL|GME|Tesla|Apple|GameStop/.test(c.body))).toBe(true);
    expect(comments.some((c) => c.parentId.startsWith('t1_'))).toBe(true);
  });

  it('talks like Reddit, not like a filing: short names and nicknames, lower-case symbols, slang', () => {
    // the names as the listing gives them, which is what the CLI hands in
    const listed = { AMZN: 'Amazon.com Inc.', BAC: 'Bank of America Corporation', NVDA: 'NVIDIA Corporation', DUOL: 'Duolingo Inc.' };
    const chatter = createRedditChatter({ subreddits: ['wallstreetbets'], tickers: listed, random: createSeededRandom(3) });
    const texts = Array.from({ length: 1500 }, (_, i) => {
      const r = mapRedditChild(chatter.next(T0 + i * 100));
      if (!r.ok) throw new Error(r.reason);
      return r.post.kind === 'submission' ? `${r.post.title} ${r.post.selftext}` : r.post.body;
    });
    const all = texts.join('\n');
    expect(all).not.toMatch(/\b(Inc|Corporation|Corp)\b|\.com\b/);
    expect(all).toMatch(/\bAmazon\b/);
    expect(all).toMatch(/\b(bofa|BOFA)\b/);
    expect(all).toMatch(/\bDuolingo\b/);
    expect(all).toMatch(/(^|\s)(amzn|bac|nvda|duol)\b/);
    expect(all).toMatch(/\b(fds|bagholding|printing|lmao|ngl|idk)\b/);
  });

  it('names a stock in every title in a way the ticker extractor finds', () => {
    const securities = parseUniverseCsv(readFileSync(resolve(import.meta.dirname, '../../../../data/us-listed-securities.csv'), 'utf8'));
    const extractor = createTickerExtractor({ securities });
    const listed: Record<string, string> = {};
    for (const s of ['TSLA', 'AMZN', 'BAC', 'NVDA', 'GME', 'PLTR', 'KO', 'F']) listed[s] = extractor.companyName(s) ?? s;
    const chatter = createRedditChatter({ subreddits: ['stocks'], tickers: listed, random: createSeededRandom(9) });
    const titles: string[] = [];
    for (let i = 0; titles.length < 300; i++) {
      const r = mapRedditChild(chatter.next(T0 + i * 100));
      if (r.ok && r.post.kind === 'submission') titles.push(r.post.title);
    }
    const found = titles.filter((t) => extractor.extract({ text: t }).some((s) => s in listed));
    expect(found.length / titles.length).toBeGreaterThanOrEqual(0.9);
  });

  it('is deterministic for a seed', () => {
    const run = () => {
      const chatter = createRedditChatter({ subreddits: ['stocks'], tickers, random: createSeededRandom(5) });
      return Array.from({ length: 50 }, (_, i) => chatter.next(T0 + i));
    };
    expect(run()).toEqual(run());
  });
});
