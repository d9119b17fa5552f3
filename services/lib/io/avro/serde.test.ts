import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RedditComment, RedditSubmission, TickerMention, Trade } from '../../domain/types.ts';
import { StockstreamerError, isStockstreamerError } from '../../runtime/errors.ts';
import type { ErrorCode } from '../../runtime/errors.ts';
import { createMemoryRegistry } from './registry.ts';
import type { SchemaRegistry } from './registry.ts';
import { fromRoot } from '../../runtime/paths.ts';
import { loadSchema } from './schemas.ts';
import { createSerde } from './serde.ts';
import type { RecordTypeName, Serde } from './serde.ts';

const TOPICS = {
  'stock-trades': 'Trade',
  'reddit-submissions': 'RedditSubmission',
  'reddit-comments': 'RedditComment',
  'ticker-mentions': 'TickerMention',
} as const satisfies Record<string, RecordTypeName>;

const TRADE: Trade = { symbol: 'AAPL', price: 189.25, volume: 100, timestamp: 1_718_000_000_123, conditions: ['1', '12'], seq: 0 };
const SUBMISSION: RedditSubmission = {
  kind: 'submission',
  fullname: 't3_abc123',
  id: 'abc123',
  subreddit: 'stocks',
  author: 'someone',
  title: 'AAPL earnings',
  selftext: '',
  score: 12,
  created: 1_718_000_000_000,
  permalink: 'https://www.reddit.com/r/stocks/comments/abc123/aapl_earnings/',
};
const COMMENT: RedditComment = {
  kind: 'comment',
  fullname: 't1_def456',
  id: 'def456',
  subreddit: 'stocks',
  author: 'other',
  body: 'buy',
  score: -2,
  created: 1_718_000_001_000,
  permalink: 'https://www.reddit.com/r/stocks/comments/abc123/_/def456/',
  linkId: 't3_abc123',
  parentId: 't3_abc123',
  linkTitle: 'AAPL earnings',
};

async function serdeOn(registry: SchemaRegistry = createMemoryRegistry(), schemas?: Partial<Record<RecordTypeName, object>>): Promise<Serde> {
  const serde = createSerde({ registry, topics: TOPICS, ...(schemas ? { schemas } : {}) });
  await serde.init();
  return serde;
}

async function errorOf(p: Promise<unknown>): Promise<StockstreamerError> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof StockstreamerError)) throw new Error(`expected a StockstreamerError, got ${String(err)}`, { cause: err });
    return err;
  }
  throw new Error('expected a rejection');
}

// ─── arbitraries: any value the Avro contract admits ────────────────────────
const text = fc.string({ unit: 'binary', maxLength: 40 });
// the longs avsc encodes exactly: [-2^52, 2^53 - 2] (zigzag of smaller ones passes 2^53)
const epoch = fc.integer({ min: -(2 ** 52), max: 2 ** 53 - 2 });
const int32 = fc.integer();

const tradeArb: fc.Arbitrary<Trade> = fc.record({
  symbol: text,
  price: fc.double(),
  volume: fc.double(),
  timestamp: epoch,
  conditions: fc.array(text, { maxLength: 5 }),
  seq: int32,
}, { noNullPrototype: true });
const postCommon = { fullname: text, id: text, subreddit: text, author: text, score: int32, created: epoch, permalink: text };
const submissionArb: fc.Arbitrary<RedditSubmission> = fc.record({
  kind: fc.constant('submission' as const),
  ...postCommon,
  title: text,
  selftext: text,
}, { noNullPrototype: true });
const commentArb: fc.Arbitrary<RedditComment> = fc.record({
  kind: fc.constant('comment' as const),
  ...postCommon,
  body: text,
  linkId: text,
  parentId: text,
  linkTitle: text,
}, { noNullPrototype: true });
const mentionArb: fc.Arbitrary<TickerMention> = fc.record({
  postId: text,
  ticker: text,
  kind: fc.constantFrom('submission' as const, 'comment' as const),
  subreddit: text,
  author: text,
  text,
  permalink: text,
  sentiment: fc.double(),
  label: fc.constantFrom('pos' as const, 'neg' as const, 'neu' as const),
  created: epoch,
  score: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
}, { noNullPrototype: true });

describe('serde round trip', () => {
  const cases: [keyof typeof TOPICS, fc.Arbitrary<unknown>][] = [
    ['stock-trades', tradeArb],
    ['reddit-submissions', submissionArb],
    ['reddit-comments', commentArb],
    ['ticker-mentions', mentionArb],
  ];
  for (const [topic, arb] of cases) {
    it(`${TOPICS[topic]}: decode(encode(x)) equals x, as a plain object`, async () => {
      const serde = await serdeOn();
      await fc.assert(
        fc.asyncProperty(arb, async (value) => {
          const wire = serde.encode(topic, value);
          expect(wire[0]).toBe(0);
          const back = await serde.decode(topic, wire);
          expect(back).toStrictEqual(value);
          expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
          expect(serde.decodeCached!(topic, wire)).toStrictEqual(value);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('keeps the Reddit kind off the wire and puts it back from the topic', async () => {
    const serde = await serdeOn();
    const { kind: _k, ...withoutKind } = SUBMISSION;
    // the same bytes with or without the discriminator
    expect(serde.encode('reddit-submissions', withoutKind)).toEqual(serde.encode('reddit-submissions', SUBMISSION));
    expect(await serde.decode('reddit-submissions', serde.encode('reddit-submissions', withoutKind))).toStrictEqual(SUBMISSION);
    expect(await serde.decode('reddit-comments', serde.encode('reddit-comments', COMMENT))).toStrictEqual(COMMENT);
  });

  it('fills defaulted fields the producer left out', async () => {
    const serde = await serdeOn();
    const { conditions: _c, seq: _s, ...bare } = TRADE;
    const back = await serde.decode('stock-trades', serde.encode('stock-trades', bare));
    expect(back).toStrictEqual({ ...bare, conditions: [], seq: 0 });
  });

  it('encodes large values (past the scratch buffer)', async () => {
    const serde = await serdeOn();
    const big = { ...SUBMISSION, selftext: 'x'.repeat(200_000) };
    expect(await serde.decode('reddit-submissions', serde.encode('reddit-submissions', big))).toStrictEqual(big);
    // and small ones after it, from the grown buffer
    expect(await serde.decode('stock-trades', serde.encode('stock-trades', TRADE))).toStrictEqual(TRADE);
  });

  it('returns a fresh buffer per encode', async () => {
    const serde = await serdeOn();
    const a = serde.encode('stock-trades', TRADE);
    const copy = Buffer.from(a);
    serde.encode('stock-trades', { ...TRADE, symbol: 'MSFT' });
    expect(a.equals(copy)).toBe(true);
  });
});

describe('serde encode rejects values that do not fit the contract', () => {
  it('names the field with VALIDATION_FAILED', async () => {
    const serde = await serdeOn();
    const cases: [string, unknown, string][] = [
      ['stock-trades', { ...TRADE, price: '1.0' }, 'price'],
      ['stock-trades', { ...TRADE, timestamp: 1.5 }, 'timestamp'],
      ['stock-trades', { ...TRADE, conditions: [1] }, 'conditions.0'],
      ['stock-trades', { ...TRADE, seq: 2 ** 31 }, 'seq'],
      ['ticker-mentions', { postId: 't3_a', ticker: 'A', kind: 'post', subreddit: 's', author: 'a', text: '', permalink: '/', sentiment: 0, label: 'neu', created: 1 }, 'kind'],
      ['reddit-submissions', COMMENT, 'kind'],
      ['reddit-comments', { ...COMMENT, linkId: undefined }, 'linkId'],
    ];
    for (const [topic, value, field] of cases) {
      let caught: unknown;
      try {
        serde.encode(topic, value);
      } catch (err) {
        caught = err;
      }
      expect(isStockstreamerError(caught, 'VALIDATION_FAILED'), `${topic} ${field}`).toBe(true);
      expect((caught as StockstreamerError).details.field, `${topic} ${field}`).toBe(field);
    }
    expect(() => serde.encode('stock-trades', null)).toThrow(StockstreamerError);
  });

  it('treats misuse as a programming error', async () => {
    const serde = createSerde({ registry: createMemoryRegistry(), topics: TOPICS });
    expect(() => serde.encode('stock-trades', TRADE)).toThrow(/before init/);
    await serde.init();
    expect(() => serde.encode('nope', TRADE)).toThrow(TypeError);
    await expect(serde.decode('nope', Buffer.alloc(8))).rejects.toThrow(TypeError);
  });
});

describe('serde decode of poison records', () => {
  const POISON: ReadonlySet<ErrorCode> = new Set(['DECODE_MAGIC_BYTE', 'DECODE_TRUNCATED', 'DECODE_UNKNOWN_SCHEMA']);

  it('wrong magic byte → DECODE_MAGIC_BYTE', async () => {
    const serde = await serdeOn();
    const wire = serde.encode('stock-trades', TRADE);
    wire[0] = 1;
    expect((await errorOf(serde.decode('stock-trades', wire))).code).toBe('DECODE_MAGIC_BYTE');
    expect((await errorOf(serde.decode('stock-trades', Buffer.from(JSON.stringify(TRADE))))).code).toBe('DECODE_MAGIC_BYTE');
    expect(() => serde.decodeCached!('stock-trades', wire)).toThrow(expect.objectContaining({ code: 'DECODE_MAGIC_BYTE' }));
  });

  it('truncated header → DECODE_TRUNCATED', async () => {
    const serde = await serdeOn();
    for (const bytes of [[], [0], [0, 0, 0, 1]]) {
      const err = await errorOf(serde.decode('stock-trades', Buffer.from(bytes)));
      expect(err.code).toBe('DECODE_TRUNCATED');
      expect(err.details).toMatchObject({ length: bytes.length });
    }
  });

  it('every truncation of the body → DECODE_TRUNCATED', async () => {
    const serde = await serdeOn();
    for (const [topic, value] of [
      ['stock-trades', TRADE],
      ['reddit-comments', COMMENT],
    ] as const) {
      const wire = serde.encode(topic, value);
      for (let n = 5; n < wire.length; n++) {
        const err = await errorOf(serde.decode(topic, wire.subarray(0, n)));
        expect(err.code, `${topic} cut at ${n}`).toBe('DECODE_TRUNCATED');
        expect(err.poison).toBe(true);
      }
    }
  });

  it('trailing bytes after the record → DECODE_TRUNCATED', async () => {
    const serde = await serdeOn();
    const wire = Buffer.concat([serde.encode('stock-trades', TRADE), Buffer.from([0])]);
    const err = await errorOf(serde.decode('stock-trades', wire));
    expect(err.code).toBe('DECODE_TRUNCATED');
    expect(err.details).toMatchObject({ offset: wire.length - 1, length: wire.length });
  });

  it('unknown schema id → DECODE_UNKNOWN_SCHEMA', async () => {
    const serde = await serdeOn();
    const wire = serde.encode('stock-trades', TRADE);
    wire.writeInt32BE(999, 1);
    const err = await errorOf(serde.decode('stock-trades', wire));
    expect(err.code).toBe('DECODE_UNKNOWN_SCHEMA');
    expect(err.details).toMatchObject({ schemaId: 999 });
    wire.writeInt32BE(-1, 1);
    expect((await errorOf(serde.decode('stock-trades', wire))).code).toBe('DECODE_UNKNOWN_SCHEMA');
  });

  it('a record of another type on the topic → DECODE_UNKNOWN_SCHEMA, cached', async () => {
    let lookups = 0;
    const registry = createMemoryRegistry();
    const counting: SchemaRegistry = { register: (s, x) => registry.register(s, x), getSchema: (id) => (lookups++, registry.getSchema(id)) };
    const serde = await serdeOn(counting);
    const mentions = serde.encode('reddit-comments', COMMENT);
    for (let i = 0; i < 3; i++) {
      const err = await errorOf(serde.decode('stock-trades', mentions));
      expect(err.code).toBe('DECODE_UNKNOWN_SCHEMA');
      expect(err.cause).toBeInstanceOf(Error);
    }
    expect(() => serde.decodeCached!('stock-trades', mentions)).toThrow(expect.objectContaining({ code: 'DECODE_UNKNOWN_SCHEMA' }));
    expect(lookups).toBe(1); // the verdict is cached per writer id
  });

  it('garbage bodies → a poison code or a value, never another error, never a hang', async () => {
    const serde = await serdeOn();
    const topics = Object.keys(TOPICS);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...topics), fc.uint8Array({ maxLength: 96 }), async (topic, bytes) => {
        const id = serde.encode(topic, topic === 'stock-trades' ? TRADE : topic === 'reddit-submissions' ? SUBMISSION : COMMENT_OR_MENTION(topic)).readInt32BE(1);
        const wire = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), Buffer.from(bytes)]);
        wire.writeInt32BE(id, 1);
        try {
          await serde.decode(topic, wire);
        } catch (err) {
          expect(err).toBeInstanceOf(StockstreamerError);
          expect(POISON.has((err as StockstreamerError).code)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('fully random values → a poison code or a value', async () => {
    const serde = await serdeOn();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), async (bytes) => {
        try {
          await serde.decode('ticker-mentions', Buffer.from(bytes));
        } catch (err) {
          expect(err).toBeInstanceOf(StockstreamerError);
          expect(POISON.has((err as StockstreamerError).code)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('hostile counts and indexes fail fast as DECODE_TRUNCATED', async () => {
    const serde = await serdeOn();
    const trade = serde.encode('stock-trades', { ...TRADE, conditions: [] });
    // conditions is the byte before seq: claim 2^52 items
    const huge = Buffer.concat([trade.subarray(0, trade.length - 2), Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]), Buffer.from([0])]);
    const started = performance.now();
    expect((await errorOf(serde.decode('stock-trades', huge))).code).toBe('DECODE_TRUNCATED');
    // a negative count with a negative block size must not rewind the reader
    const rewind = Buffer.concat([trade.subarray(0, trade.length - 2), Buffer.from([0x01, 0x7f]), Buffer.from([0])]);
    expect((await errorOf(serde.decode('stock-trades', rewind))).code).toBe('DECODE_TRUNCATED');
    expect(performance.now() - started).toBeLessThan(1000);

    // an enum index past the symbols
    const mention = serde.encode('ticker-mentions', MENTION);
    const labelAt = mention.length - 1 - 6 - 1; // label precedes the 6-byte created and the 1-byte score (v2)
    expect(mention[labelAt]).toBe(4); // 'neu' = index 2, zigzag 4
    const badLabel = Buffer.from(mention);
    badLabel[labelAt] = 6;
    expect((await errorOf(serde.decode('ticker-mentions', badLabel))).code).toBe('DECODE_TRUNCATED');

    // a timestamp beyond 2^53 cannot become a number without loss
    const farFuture = Buffer.concat([trade.subarray(0, 5 + 5 + 8 + 8), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]), Buffer.from([0, 0])]);
    expect((await errorOf(serde.decode('stock-trades', farFuture))).code).toBe('DECODE_TRUNCATED');
  });
});

const MENTION: TickerMention = {
  postId: 't1_def456',
  ticker: 'AAPL',
  kind: 'comment',
  subreddit: 'stocks',
  author: 'other',
  text: 'buy',
  permalink: '/r/stocks/comments/abc123/_/def456/',
  sentiment: 0,
  label: 'neu',
  created: 1_718_000_001_000,
  score: 12,
};
function COMMENT_OR_MENTION(topic: string): unknown {
  return topic === 'reddit-comments' ? COMMENT : MENTION;
}

describe('serde writer-schema cache', () => {
  it('decodes a new writer id once per id, then synchronously', async () => {
    const registry = createMemoryRegistry();
    let lookups = 0;
    const counting: SchemaRegistry = { register: (s, x) => registry.register(s, x), getSchema: (id) => (lookups++, registry.getSchema(id)) };
    const writer = await serdeOn(registry, { Trade: withVenue() });
    const reader = await serdeOn(counting);
    const wire = writer.encode('stock-trades', { ...TRADE, venue: 'XNAS' });
    expect(reader.decodeCached!('stock-trades', wire)).toBeUndefined();
    const all = await Promise.all(Array.from({ length: 10 }, () => reader.decode('stock-trades', wire)));
    for (const v of all) expect(v).toStrictEqual(TRADE);
    expect(lookups).toBe(1);
    expect(reader.decodeCached!('stock-trades', wire)).toStrictEqual(TRADE);
  });

  it('does not cache a registry outage', async () => {
    const registry = createMemoryRegistry();
    let down = true;
    const flaky: SchemaRegistry = {
      register: (s, x) => registry.register(s, x),
      getSchema: (id) =>
        down ? Promise.reject(new StockstreamerError('REGISTRY_UNAVAILABLE', 'connect ECONNREFUSED')) : registry.getSchema(id),
    };
    const writer = await serdeOn(registry, { Trade: withVenue() });
    const reader = await serdeOn(flaky);
    const wire = writer.encode('stock-trades', { ...TRADE, venue: 'XNAS' });
    const err = await errorOf(reader.decode('stock-trades', wire));
    expect(err.code).toBe('REGISTRY_UNAVAILABLE');
    expect(err.retriable).toBe(true);
    down = false;
    expect(await reader.decode('stock-trades', wire)).toStrictEqual(TRADE);
  });
});

function withVenue(): object {
  const schema = structuredClone(loadSchema('Trade')) as { fields: object[] };
  schema.fields.push({ name: 'venue', type: 'string', default: '', doc: 'exchange MIC' });
  return schema;
}

describe('serde skipping fields only the writer has', () => {
  it('a hostile block in a skipped array fails fast as DECODE_TRUNCATED', async () => {
    const registry = createMemoryRegistry();
    const reader = await serdeOn(registry);
    const withTags = structuredClone(loadSchema('Trade')) as { fields: object[] };
    withTags.fields.push({ name: 'tags', type: { type: 'array', items: 'string' }, default: [] });
    const writer = await serdeOn(registry, { Trade: withTags });
    const good = writer.encode('stock-trades', { ...TRADE, tags: ['a', 'b'] });
    expect(await reader.decode('stock-trades', good)).toStrictEqual(TRADE);
    // tags is last: count (1 byte), "a" (2), "b" (2), end of blocks (1)
    const prefix = good.subarray(0, good.length - 6);
    expect(good.subarray(prefix.length).toString('hex')).toBe('0402610262' + '00');
    const started = performance.now();
    for (const tags of [
      [0x01, 0x7f], // one item in a block of -64 bytes: must not rewind
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40], // 2^52 items
      [0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40], // a block of 2^52 bytes
    ]) {
      const wire = Buffer.concat([prefix, Buffer.from(tags)]);
      expect((await errorOf(reader.decode('stock-trades', wire))).code).toBe('DECODE_TRUNCATED');
    }
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('schema evolution', () => {
  it('an old reader decodes a newer writer that added a defaulted field', async () => {
    const registry = createMemoryRegistry();
    const oldSerde = await serdeOn(registry);
    const newSerde = await serdeOn(registry, { Trade: withVenue() });
    const wire = newSerde.encode('stock-trades', { ...TRADE, venue: 'XNAS' });
    expect(wire.readInt32BE(1)).not.toBe(oldSerde.encode('stock-trades', TRADE).readInt32BE(1));
    expect(await oldSerde.decode('stock-trades', wire)).toStrictEqual(TRADE);
  });

  it('a new reader with an added defaulted field decodes an old writer, filling the default', async () => {
    const registry = createMemoryRegistry();
    const oldSerde = await serdeOn(registry);
    const newSerde = await serdeOn(registry, { Trade: withVenue() });
    expect(await newSerde.decode('stock-trades', oldSerde.encode('stock-trades', TRADE))).toStrictEqual({ ...TRADE, venue: '' });
  });

  it('a new reader reads a Reddit comment written before linkTitle existed', async () => {
    const registry = createMemoryRegistry();
    const v0 = structuredClone(loadSchema('RedditComment')) as { fields: { name: string }[] };
    v0.fields = v0.fields.filter((f) => f.name !== 'linkTitle');
    const oldWriter = await serdeOn(registry, { RedditComment: v0 });
    const reader = await serdeOn(registry);
    const { linkTitle: _t, ...old } = COMMENT;
    expect(await reader.decode('reddit-comments', oldWriter.encode('reddit-comments', old))).toStrictEqual({ ...COMMENT, linkTitle: '' });
  });

  it('init fails with SCHEMA_INCOMPATIBLE when our schema breaks BACKWARD compatibility', async () => {
    const registry = createMemoryRegistry();
    await serdeOn(registry);
    const broken = structuredClone(loadSchema('Trade')) as { fields: object[] };
    broken.fields.push({ name: 'venue', type: 'string' });
    const err = await errorOf(serdeOn(registry, { Trade: broken }));
    expect(err.code).toBe('SCHEMA_INCOMPATIBLE');
    expect(err.details).toMatchObject({ subject: 'stock-trades-value' });
  });
});

describe('RedditComment v2: derivable fields travel compact', () => {
  const v1 = JSON.parse(readFileSync(fromRoot('schemas/fixtures/RedditComment.v1.avsc'), 'utf8')) as object;

  it('a comment as the Reddit mapping makes it costs fewer bytes than in v1 and reads back identical', async () => {
    const registry = createMemoryRegistry();
    const oldWriter = await serdeOn(registry, { RedditComment: v1 });
    const serde = await serdeOn(registry);
    const compact = serde.encode('reddit-comments', COMMENT);
    const plain = oldWriter.encode('reddit-comments', COMMENT);
    // fullname (t1_ + id), the permalink but its slug, parentId (= linkId)
    expect(plain.length - compact.length).toBeGreaterThanOrEqual('t1_def456'.length + 'https://www.reddit.com/r/stocks/comments/abc123//def456/'.length + 't3_abc123'.length - 3);
    expect(serde.decodeCached!('reddit-comments', compact)).toStrictEqual(COMMENT);
    // and v1 bytes, through the resolver
    expect(await serde.decode('reddit-comments', plain)).toStrictEqual(COMMENT);
  });

  it('values that do not follow the pattern are carried as they are', async () => {
    const serde = await serdeOn();
    for (const odd of [
      { fullname: 't1_other' },
      { fullname: 'def456' },
      { permalink: '/r/stocks/comments/abc123/_/def456/' },
      { permalink: 'https://old.reddit.com/r/stocks/comments/abc123/_/def456/' },
      { permalink: 'https://www.reddit.com/r/stocks/comments/abc123/def456/' },
      { permalink: 'https://www.reddit.com/r/stocks/comments/abc123/a/b/def456/' },
      { permalink: '' },
      { linkId: 'abc123' },
      { linkId: 't1_abc123', parentId: 't1_abc123' },
      { parentId: 't1_zzz' },
      { parentId: '' },
      { id: '', fullname: 't1_' },
    ]) {
      const value = { ...COMMENT, ...odd };
      expect(await serde.decode('reddit-comments', serde.encode('reddit-comments', value)), JSON.stringify(odd)).toStrictEqual(value);
    }
  });

  it('round-trips comments shaped like Reddit ones, compact or not', async () => {
    const serde = await serdeOn();
    const base36 = fc.stringMatching(/^[0-9a-z]{1,9}$/);
    const arb = fc
      .record({ id: base36, link: base36, parent: base36, subreddit: text, slug: text, body: text, author: text, linkTitle: text, score: int32, created: epoch, canonical: fc.boolean(), top: fc.boolean() })
      .map(({ id, link, parent, subreddit, slug, canonical, top, ...rest }): RedditComment => ({
        kind: 'comment',
        fullname: `t1_${id}`,
        id,
        subreddit,
        author: rest.author,
        body: rest.body,
        score: rest.score,
        created: rest.created,
        permalink: canonical ? `https://www.reddit.com/r/${subreddit}/comments/${link}/${slug}/${id}/` : slug,
        linkId: `t3_${link}`,
        parentId: top ? `t3_${link}` : `t1_${parent}`,
        linkTitle: rest.linkTitle,
      }));
    fc.assert(
      fc.property(arb, (value) => {
        const wire = serde.encode('reddit-comments', value);
        expect(serde.decodeCached!('reddit-comments', wire)).toStrictEqual(value);
      }),
      { numRuns: 500 },
    );
  });

  it('the registry takes v2 after v1 (BACKWARD), and v1 after v2 is refused', async () => {
    const registry = createMemoryRegistry();
    await registry.register('reddit-comments-value', v1);
    await expect(serdeOn(registry)).resolves.toBeDefined();
    const other = createMemoryRegistry();
    await serdeOn(other);
    await expect(other.register('reddit-comments-value', v1)).rejects.toMatchObject({ code: 'SCHEMA_INCOMPATIBLE' });
  });
});
