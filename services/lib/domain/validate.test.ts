import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StockstreamerError } from '../runtime/errors.ts';
import type { RedditComment, RedditSubmission, TickerMention, Trade } from './types.ts';
import { MAX_EPOCH_MS, MIN_EPOCH_MS, validateComment, validateMention, validateSubmission, validateTrade } from './validate.ts';

const TRADE: Trade = { symbol: 'AAPL', price: 189.25, volume: 100, timestamp: 1_718_000_000_123, conditions: ['1', '12'], seq: 0 };
const SUBMISSION: RedditSubmission = {
  kind: 'submission',
  fullname: 't3_abc123',
  id: 'abc123',
  subreddit: 'wallstreetbets',
  author: '[deleted]',
  title: 'AAPL earnings',
  selftext: '',
  score: -3,
  created: 1_718_000_000_000,
  permalink: 'https://www.reddit.com/r/wallstreetbets/comments/abc123/aapl_earnings/',
};
const COMMENT: RedditComment = {
  kind: 'comment',
  fullname: 't1_def456',
  id: 'def456',
  subreddit: 'stocks',
  author: 'other',
  body: '',
  score: 2,
  created: 1_718_000_001_000,
  permalink: '/r/stocks/comments/abc123/_/def456/',
  linkId: 't3_abc123',
  parentId: 't1_zzz999',
  linkTitle: '',
};
const MENTION: TickerMention = {
  postId: 't1_def456',
  ticker: 'BRK.B',
  kind: 'comment',
  subreddit: 'stocks',
  author: 'other',
  text: 'BRK.B is boring',
  permalink: '/r/stocks/comments/abc123/_/def456/',
  sentiment: -1,
  label: 'neg',
  created: 1_718_000_001_000,
  score: -3,
};

function failure(fn: () => unknown): { field: unknown; reason: unknown } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StockstreamerError);
    const e = err as StockstreamerError;
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.poison).toBe(true);
    expect(typeof e.details.reason).toBe('string');
    return { field: e.details.field, reason: e.details.reason };
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('validateTrade', () => {
  it('accepts good trades and returns the same object', () => {
    expect(validateTrade(TRADE)).toBe(TRADE);
    for (const symbol of ['BRK.B', 'BINANCE:BTCUSDT', 'OANDA:EUR_USD', '^GSPC', 'IC MARKETS:1', 'A']) {
      expect(validateTrade({ ...TRADE, symbol }).symbol).toBe(symbol);
    }
    expect(validateTrade({ ...TRADE, volume: 0, conditions: [] })).toBeTruthy();
  });

  it.each([
    ['symbol', { symbol: '' }],
    ['symbol', { symbol: 'AAPL\n' }],
    ['symbol', { symbol: ' AAPL' }],
    ['symbol', { symbol: 'AA PL;DROP' }],
    ['symbol', { symbol: 'X'.repeat(65) }],
    ['symbol', { symbol: 42 }],
    ['price', { price: 0 }],
    ['price', { price: -1 }],
    ['price', { price: Number.NaN }],
    ['price', { price: Number.POSITIVE_INFINITY }],
    ['volume', { volume: -0.5 }],
    ['volume', { volume: Number.NaN }],
    ['timestamp', { timestamp: 1_718_000_000 }], // seconds
    ['timestamp', { timestamp: 1_718_000_000_000_000 }], // microseconds
    ['timestamp', { timestamp: 1_718_000_000_000.5 }],
    ['timestamp', { timestamp: '2024-06-10' }],
    ['conditions', { conditions: null }],
    ['conditions.1', { conditions: ['1', 12] }],
    ['seq', { seq: -1 }],
    ['seq', { seq: 0.5 }],
    ['seq', { seq: 2 ** 31 }],
  ])('rejects a bad %s', (field, patch) => {
    expect(failure(() => validateTrade({ ...TRADE, ...patch })).field).toBe(field);
  });

  it('rejects what is not an object', () => {
    for (const x of [null, undefined, 'AAPL', [TRADE]]) expect(failure(() => validateTrade(x)).field).toBe('');
  });

  it('accepts exactly the timestamps between 2000 and 2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_EPOCH_MS - 10 ** 12, max: MAX_EPOCH_MS + 10 ** 12 }), (timestamp) => {
        const inRange = timestamp >= MIN_EPOCH_MS && timestamp <= MAX_EPOCH_MS;
        let ok = true;
        try {
          validateTrade({ ...TRADE, timestamp });
        } catch {
          ok = false;
        }
        expect(ok).toBe(inRange);
      }),
    );
  });
});

describe('validateSubmission', () => {
  it('accepts a good submission', () => {
    expect(validateSubmission(SUBMISSION)).toBe(SUBMISSION);
  });

  it.each([
    ['kind', { kind: 'comment' }],
    ['kind', { kind: undefined }],
    ['fullname', { fullname: 'abc123' }],
    ['fullname', { fullname: 't1_abc123' }],
    ['fullname', { fullname: 't3_ABC' }],
    ['id', { id: 'abc124' }],
    ['subreddit', { subreddit: 'r/stocks' }],
    ['subreddit', { subreddit: '' }],
    ['author', { author: '' }],
    ['title', { title: '  ' }],
    ['selftext', { selftext: null }],
    ['score', { score: 1.5 }],
    ['created', { created: 1_718_000_000 }],
    ['permalink', { permalink: 'reddit.com/r/x' }],
    ['permalink', { permalink: '' }],
  ])('rejects a bad %s', (field, patch) => {
    expect(failure(() => validateSubmission({ ...SUBMISSION, ...patch })).field).toBe(field);
  });
});

describe('validateComment', () => {
  it('accepts a good comment, top-level or nested', () => {
    expect(validateComment(COMMENT)).toBe(COMMENT);
    expect(validateComment({ ...COMMENT, parentId: 't3_abc123' })).toBeTruthy();
  });

  it.each([
    ['kind', { kind: 'submission' }],
    ['fullname', { fullname: 't3_def456' }],
    ['id', { id: 'def457' }],
    ['body', { body: undefined }],
    ['linkId', { linkId: 't1_abc123' }],
    ['linkId', { linkId: '' }],
    ['parentId', { parentId: 'abc' }],
    ['parentId', { parentId: 't3_other1' }], // a top-level comment's parent is its own submission
    ['parentId', { parentId: 't1_def456' }], // itself
    ['linkTitle', { linkTitle: undefined }],
  ])('rejects a bad %s', (field, patch) => {
    expect(failure(() => validateComment({ ...COMMENT, ...patch })).field).toBe(field);
  });
});

describe('validateMention', () => {
  it('accepts a good mention', () => {
    expect(validateMention(MENTION)).toBe(MENTION);
    expect(validateMention({ ...MENTION, postId: 't3_abc123', kind: 'submission', sentiment: 1, label: 'pos' })).toBeTruthy();
  });

  it.each([
    ['postId', { postId: 'def456' }],
    ['ticker', { ticker: 'aapl' }],
    ['ticker', { ticker: '' }],
    ['ticker', { ticker: '$AAPL' }],
    ['kind', { kind: 'post' }],
    ['kind', { kind: 'submission' }], // the post is a comment (t1_)
    ['subreddit', { subreddit: 'x' }],
    ['text', { text: 5 }],
    ['sentiment', { sentiment: 1.01 }],
    ['sentiment', { sentiment: Number.NaN }],
    ['label', { label: 'positive' }],
    ['created', { created: -1 }],
  ])('rejects a bad %s', (field, patch) => {
    expect(failure(() => validateMention({ ...MENTION, ...patch })).field).toBe(field);
  });
});
