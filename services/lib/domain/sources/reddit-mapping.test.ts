import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { absolutePermalink, fillLinkTitle, infoQueryBatches, mapRedditChild } from './reddit-mapping.ts';
import { parseRateLimitHeaders, rateLimitWaitMs } from './rate-limit.ts';
import { createBoundedLru } from './lru.ts';

const submission = {
  kind: 't3',
  data: {
    name: 't3_1abcde', id: '1abcde', subreddit: 'wallstreetbets', author: 'DiamondApe1', title: '$TSLA to the moon',
    selftext: '', score: 42, created_utc: 1_700_000_000.0, permalink: '/r/wallstreetbets/comments/1abcde/tsla_to_the_moon/',
  },
};
const comment = {
  kind: 't1',
  data: {
    name: 't1_k9xyz12', id: 'k9xyz12', subreddit: 'wallstreetbets', author: 'BearGang7', body: 'puts it is',
    score: -3, created_utc: 1_700_000_012.5, permalink: '/r/wallstreetbets/comments/1abcde/tsla_to_the_moon/k9xyz12/',
    link_id: 't3_1abcde', parent_id: 't3_1abcde', link_title: '$TSLA to the moon',
  },
};

describe('mapRedditChild', () => {
  it('maps a submission: seconds to ms, absolute permalink', () => {
    expect(mapRedditChild(submission)).toEqual({
      ok: true,
      post: {
        kind: 'submission', fullname: 't3_1abcde', id: '1abcde', subreddit: 'wallstreetbets', author: 'DiamondApe1',
        title: '$TSLA to the moon', selftext: '', score: 42, created: 1_700_000_000_000,
        permalink: 'https://www.reddit.com/r/wallstreetbets/comments/1abcde/tsla_to_the_moon/',
      },
    });
  });

  it('maps a comment with its link and parent', () => {
    const result = mapRedditChild(comment);
    expect(result.ok && result.post).toMatchObject({
      kind: 'comment', fullname: 't1_k9xyz12', created: 1_700_000_012_500, linkId: 't3_1abcde', parentId: 't3_1abcde', linkTitle: '$TSLA to the moon',
    });
  });

  it('leaves linkTitle empty when absent, and fills it later', () => {
    const { link_title: _drop, permalink: _p, ...data } = comment.data;
    const result = mapRedditChild({ kind: 't1', data });
    expect(result.ok).toBe(true);
    if (!result.ok || result.post.kind !== 'comment') return;
    expect(result.post.linkTitle).toBe('');
    expect(result.post.permalink).toBe('https://www.reddit.com/r/wallstreetbets/comments/1abcde/_/k9xyz12/');
    expect(fillLinkTitle(result.post, 'Title').linkTitle).toBe('Title');
    expect(fillLinkTitle({ ...result.post, linkTitle: 'kept' }, 'Title').linkTitle).toBe('kept');
  });

  it('rejects broken children with a reason', () => {
    const broken = [
      null, {}, { kind: 't5', data: {} }, { kind: 't3', data: { ...submission.data, name: 't1_1abcde' } },
      { kind: 't3', data: { ...submission.data, created_utc: 'yesterday' } }, { kind: 't3', data: { ...submission.data, title: 5 } },
      { kind: 't1', data: { ...comment.data, link_id: 'nope' } }, { kind: 't1', data: { ...comment.data, body: undefined } },
    ];
    for (const child of broken) {
      const result = mapRedditChild(child);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
    }
  });

  it('never throws, whatever the input', () => {
    fc.assert(fc.property(fc.anything(), (value) => { mapRedditChild(value); }));
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.anything()), (data) => { mapRedditChild({ kind: 't1', data }); }));
  });

  it('keeps absolute permalinks', () => {
    expect(absolutePermalink('https://old.reddit.com/x')).toBe('https://old.reddit.com/x');
    expect(absolutePermalink('r/x')).toBe('https://www.reddit.com/r/x');
  });

  it('batches /api/info ids by 100 without duplicates', () => {
    const ids = Array.from({ length: 150 }, (_, i) => `t3_${i.toString(36)}`);
    expect(infoQueryBatches([...ids, ...ids]).map((b) => b.split(',').length)).toEqual([100, 50]);
  });
});

describe('rate-limit headers', () => {
  it('prefers Retry-After, in seconds or as a date', () => {
    expect(rateLimitWaitMs(parseRateLimitHeaders({ 'Retry-After': '3', 'x-ratelimit-remaining': '0' }, 0))).toBe(3000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(rateLimitWaitMs(parseRateLimitHeaders({ 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' }, now))).toBe(5000);
  });

  it('waits for the reset only when the window is spent', () => {
    expect(rateLimitWaitMs(parseRateLimitHeaders({ 'x-ratelimit-remaining': '598.0', 'x-ratelimit-reset': '30' }, 0))).toBe(0);
    expect(rateLimitWaitMs(parseRateLimitHeaders({ 'x-ratelimit-remaining': '0.0', 'x-ratelimit-reset': '30' }, 0))).toBe(30_000);
    expect(rateLimitWaitMs(parseRateLimitHeaders({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '7' }, 0), 2)).toBe(7000);
    expect(rateLimitWaitMs(parseRateLimitHeaders({ 'x-ratelimit-remaining': 'lots' }, 0))).toBe(0);
  });
});

describe('createBoundedLru', () => {
  it('forgets the least recently used key', () => {
    const lru = createBoundedLru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([lru.has('a'), lru.has('b'), lru.has('c'), lru.size]).toEqual([true, false, true, 2]);
  });
});
