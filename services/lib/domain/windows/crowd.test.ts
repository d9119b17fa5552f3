import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedTallies, type RawMention, type TallyRow } from '../../../../test/oracle/aggregates.ts';
import { createBucketCache } from './buckets.ts';
import { ALL_SCOPE, TOP_TEXT_CHARS, crowdSpec, tallyKey, type CrowdFact, type MentionTally } from './crowd.ts';
import { run } from './testing.ts';

/**
 * The crowd tallies (day buckets of minutes, hours and days per scope) keep
 * the exact-aggregates contract: whatever the order, lateness (days), duplicates,
 * posts read again with another score, crashes at any step and retention,
 * every tally written equals the recomputation from the raw rows by the
 * independent oracle (test/oracle/aggregates.ts).
 */
const BASE = Date.UTC(2026, 2, 2, 22, 30); // 90 minutes before midnight: streams cross day boundaries
const MIN = 60_000;

const crashes = fc.array(fc.record({ attempt: fc.integer({ min: 1, max: 40 }), step: fc.constantFrom('raw' as const, 'load' as const, 'add' as const, 'write' as const, 'commit' as const) }), { maxLength: 6 });

const crowdLog = fc.array(fc.record({
  ticker: fc.constantFrom('GME', 'TSLA'),
  post: fc.integer({ min: 0, max: 120 }),
  sentiment: fc.integer({ min: -1000, max: 1000 }).map((n) => n / 1000),
  score: fc.integer({ min: -20, max: 500 }),
  /** read again later with another score (a re-poll), or a duplicate as it was */
  again: fc.constantFrom('no', 'no', 'no', 'same', 'rescored'),
}), { minLength: 1, maxLength: 150 }).map((items) => {
  const log: CrowdFact[] = [];
  for (const m of items) {
    // one creation time per post, spread over three days: the random order of posts is lateness of up to days
    const created = BASE + (((m.post * 7919) % 4000) - 2000) * MIN + m.post * 17;
    const fact: CrowdFact = {
      ticker: m.ticker, postId: `t1_${m.post}`, created, sentiment: m.sentiment,
      label: m.sentiment > 0.1 ? 'pos' : m.sentiment < -0.1 ? 'neg' : 'neu',
      subreddit: ['wallstreetbets', 'stocks', 'Stocks', 'options'][m.post % 4]!, author: `u${(m.post * 31) % 9}`,
      score: m.score, permalink: `/r/x/comments/${m.post}/`, text: `post ${m.post} ${'x'.repeat(m.post * 3)}`,
    };
    log.push(fact);
    if (m.again === 'same') log.push(fact);
    if (m.again === 'rescored') log.push({ ...fact, score: fact.score + 7 });
  }
  return log;
});

const asOracleRow = (t: MentionTally): TallyRow => ({
  count: t.count, sum: t.sentimentSum, pos: t.pos, neg: t.neg, neu: t.neu, upvotes: t.upvotes, weighted: t.weighted,
  authors: t.authors.join('\n'), authorCount: t.authorCount, top: t.top === null ? '' : `${t.top.score} ${t.top.created} ${t.top.postId} ${t.top.permalink} ${t.top.text}`,
});
const asRaw = (f: CrowdFact): RawMention => ({ ...f });

describe('crowd tallies', () => {
  it('equal the recomputation from the raw rows, for any order, lateness, duplicates, rescoring, crash and retention', () => {
    fc.assert(fc.property(crowdLog, fc.integer({ min: 1, max: 30 }), fc.constantFrom(0, 60_000, 3_600_000, 86_400_000), crashes, (log, batch, retainMs, crashPlan) => {
      const w = run({
        spec: crowdSpec(), log, batch, retainMs, crashes: crashPlan,
        rawKey: (m) => `${m.ticker}|${m.created}|${m.postId}`,
        rowKey: (t) => `${t.grain}|${t.start}|${t.ticker}|${t.scope}`,
      });
      const expected = expectedTallies([...w.raw.values()].map(asRaw));
      expect([...w.agg.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [k, e] of expected) {
        const a = asOracleRow(w.agg.get(k)!);
        expect({ ...a, sum: 0 }, k).toEqual({ ...e, sum: 0 });
        expect(Math.abs(a.sum - e.sum), k).toBeLessThan(1e-9);
      }
    }), { numRuns: 300 });
  });

  it('counts one account once however often it posts, and keeps the best post with its link', () => {
    const cache = createBucketCache(crowdSpec(), { retainMs: 0 });
    const post = (n: number, author: string, score: number, subreddit = 'wallstreetbets'): CrowdFact => ({
      ticker: 'GME', postId: `t1_${n}`, created: BASE + n * MIN, sentiment: 0.5, label: 'pos', subreddit, author, score,
      permalink: `/r/${subreddit}/comments/${n}/`, text: n === 3 ? 'y'.repeat(1000) : `post ${n}`,
    });
    for (let n = 0; n < 50; n++) cache.add(post(n, 'spammer', 1));
    cache.add(post(50, 'someone', -5, 'Stocks'));
    cache.add(post(51, 'other', 120));
    const rows = cache.drain();
    const day = rows.find((r) => r.grain === 'day' && r.scope === ALL_SCOPE)!;
    expect(day.count).toBe(52);
    expect(day.authors).toEqual(['other', 'someone', 'spammer']);
    expect(day.upvotes).toBe(50 - 5 + 120);
    expect(day.weighted).toBe(50 + 1 + 120); // a downvoted post still counts once
    expect(day.top).toEqual({ postId: 't1_51', created: BASE + 51 * MIN, score: 120, permalink: '/r/wallstreetbets/comments/51/', text: 'post 51' });
    // the subreddit breakdown: case-folded scopes that add up to the whole
    const scopes = rows.filter((r) => r.grain === 'day' && r.scope !== ALL_SCOPE);
    expect(scopes.map((r) => [r.scope, r.count]).sort()).toEqual([['stocks', 1], ['wallstreetbets', 51]]);
    // a second drain says nothing new; two posts after midnight change exactly their minutes, hour and day, twice (all and their scope)
    expect(cache.drain()).toEqual([]);
    cache.add(post(200, 'late', 2));
    cache.add(post(201, 'late', 2));
    const next = Date.UTC(2026, 2, 3);
    expect(cache.drain().map(tallyKey).sort()).toEqual([
      `day|${next}|*`, `day|${next}|wallstreetbets`, `hour|${next + 3_600_000}|*`, `hour|${next + 3_600_000}|wallstreetbets`,
      `minute|${BASE + 200 * MIN}|*`, `minute|${BASE + 200 * MIN}|wallstreetbets`, `minute|${BASE + 201 * MIN}|*`, `minute|${BASE + 201 * MIN}|wallstreetbets`,
    ].sort());
    // the same post read again with another score: the day must come back from the raw rows
    cache.add(post(51, 'other', 121));
    expect(cache.pending().map((r) => r.start)).toEqual([Date.UTC(2026, 2, 2)]);
    expect(TOP_TEXT_CHARS).toBeLessThan(1000);
  });
});
