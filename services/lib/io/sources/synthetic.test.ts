import { describe, expect, it } from 'vitest';
import type { RedditPost, Trade } from '../../domain/types.ts';
import { createSeededRandom } from '../../domain/sources/prng.ts';
import { createSyntheticRedditSource, createSyntheticTradeSource } from './synthetic.ts';
import { fakeTime } from './testing.ts';

const SYMBOLS = ['AAPL', 'TSLA', 'NVDA', 'GME', 'XYZW'];
const TICKERS = { AAPL: 'Apple', TSLA: 'Tesla', NVDA: 'Nvidia', GME: 'GameStop' };

async function collectTrades(seed: number, maxRecords: number): Promise<Trade[]> {
  const time = fakeTime();
  const source = createSyntheticTradeSource({ symbols: SYMBOLS, ratePerSecond: 20, random: createSeededRandom(seed), ...time, maxRecords });
  const out: Trade[] = [];
  await source.run(async (items) => { out.push(...items); }, new AbortController().signal);
  return out;
}

describe('synthetic trade source', () => {
  it('is deterministic for a seed, ends at maxRecords, and every trade is well formed', async () => {
    const a = await collectTrades(42, 3000);
    // maxRecords stops at a frame boundary (frames carry up to 25 trades), so recordings stay whole.
    expect(a.length).toBeGreaterThanOrEqual(3000);
    expect(a.length).toBeLessThan(3025);
    expect(await collectTrades(42, 3000)).toEqual(a);
    expect(await collectTrades(43, 3000)).not.toEqual(a);
    const ids = new Set<string>();
    for (const t of a) {
      expect(SYMBOLS).toContain(t.symbol);
      expect(Number.isFinite(t.price) && t.price > 0).toBe(true);
      expect(Number.isInteger(t.volume) && t.volume > 0).toBe(true);
      expect(Number.isInteger(t.timestamp)).toBe(true);
      expect(Array.isArray(t.conditions)).toBe(true);
      expect(Number.isInteger(t.seq) && t.seq >= 0).toBe(true);
      ids.add(`${t.symbol}|${t.timestamp}|${t.seq}`);
    }
    expect(ids.size).toBe(a.length); // the trade id is unique
    expect(a.some((t) => t.seq > 0)).toBe(true);
  });

  it('runs until aborted and stays positive over a long simulated session', async () => {
    const time = fakeTime();
    const source = createSyntheticTradeSource({ symbols: ['GME'], ratePerSecond: 50, random: createSeededRandom(9), ...time });
    const controller = new AbortController();
    let min = Number.POSITIVE_INFINITY;
    let count = 0;
    await source.run(async (items) => {
      for (const t of items) min = Math.min(min, t.price);
      count += items.length;
      if (count > 100_000) controller.abort();
    }, controller.signal);
    expect(min).toBeGreaterThan(0);
    expect(source.stats().emitted).toBe(count);
    expect(time.sleeps.every((ms) => ms === 1000)).toBe(true);
  });
});

describe('synthetic Reddit source', () => {
  it('is deterministic and emits well-formed posts', async () => {
    const run = async (seed: number) => {
      const time = fakeTime();
      const source = createSyntheticRedditSource({ subreddits: ['wallstreetbets', 'stocks'], tickers: TICKERS, ratePerSecond: 3, random: createSeededRandom(seed), ...time, maxRecords: 500 });
      const out: RedditPost[] = [];
      await source.run(async (items) => { out.push(...items); }, new AbortController().signal);
      return out;
    };
    const posts = await run(1);
    expect(posts).toHaveLength(500);
    expect(await run(1)).toEqual(posts);
    for (const p of posts) {
      expect(p.fullname).toMatch(p.kind === 'submission' ? /^t3_[0-9a-z]+$/ : /^t1_[0-9a-z]+$/);
      expect(['wallstreetbets', 'stocks']).toContain(p.subreddit);
      expect(p.author.length).toBeGreaterThan(0);
      expect(p.created).toBeGreaterThan(1_700_000_000_000);
      expect(p.permalink.startsWith('https://www.reddit.com/r/')).toBe(true);
      if (p.kind === 'comment') expect(p.linkTitle.length).toBeGreaterThan(0);
    }
    expect(posts.some((p) => /[\u{1F300}-\u{1FAFF}]/u.test(p.kind === 'submission' ? p.title : p.body))).toBe(true);
  });
});
