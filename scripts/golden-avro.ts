/**
 * Golden Avro fixtures (schemas/fixtures/<Record>.v<N>.{avsc,json,hex}).
 *
 *   node scripts/golden-avro.ts           check: exit 1 when a fixture is stale or missing
 *   node scripts/golden-avro.ts --write   regenerate, deliberately
 *
 * --write rewrites the latest version of a record while its schema keeps the
 * same wire shape (a doc edit, a new sample value) and adds version N+1 when the
 * shape changed. Older versions are never touched: they are what producers
 * already wrote. Review the diff before committing it.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { GOLDEN_SCHEMA_ID, GOLDEN_TOPIC, fixturesDir, goldenPaths, goldenSerde, goldenVersions, wireShape } from '../services/lib/io/avro/golden.ts';
import { RECORD_TYPE_NAMES, loadSchema } from '../services/lib/io/avro/schemas.ts';
import type { RecordTypeName } from '../services/lib/io/avro/schemas.ts';
import type { RedditComment, RedditSubmission, TickerMention, Trade } from '../services/lib/domain/types.ts';

/** One representative value per record: non-ASCII text, fractions, negative scores, several conditions. */
const SAMPLES: { [K in RecordTypeName]: unknown } = {
  Trade: {
    symbol: 'BINANCE:BTCUSDT',
    price: 64_123.45,
    volume: 0.0125,
    timestamp: 1_718_000_123_456,
    conditions: ['1', '12'],
    seq: 3,
  } satisfies Trade,
  RedditSubmission: {
    kind: 'submission',
    fullname: 't3_1dabc9z',
    id: '1dabc9z',
    subreddit: 'wallstreetbets',
    author: 'diamond_hands_42',
    title: '$TSLA to the moon 🚀 — earnings play',
    selftext: 'Not financial advice.\nPositions: 10x TSLA 250c',
    score: 1337,
    created: 1_718_000_000_000,
    permalink: 'https://www.reddit.com/r/wallstreetbets/comments/1dabc9z/tsla_to_the_moon/',
  } satisfies RedditSubmission,
  RedditComment: {
    kind: 'comment',
    fullname: 't1_l7xyz01',
    id: 'l7xyz01',
    subreddit: 'stocks',
    author: '[deleted]',
    body: 'NVDA is overvalued, change my mind. Ünïcödé ok',
    score: -4,
    created: 1_718_000_060_500,
    permalink: 'https://www.reddit.com/r/stocks/comments/1dabc9z/_/l7xyz01/',
    linkId: 't3_1dabc9z',
    parentId: 't1_l7xyz00',
    linkTitle: 'Daily discussion',
  } satisfies RedditComment,
  TickerMention: {
    postId: 't1_l7xyz01',
    ticker: 'NVDA',
    kind: 'comment',
    subreddit: 'stocks',
    author: 'bear_in_mind',
    text: 'NVDA is overvalued, change my mind.',
    permalink: 'https://www.reddit.com/r/stocks/comments/1dabc9z/_/l7xyz01/',
    sentiment: -0.4215,
    label: 'neg',
    created: 1_718_000_060_500,
    score: -4,
  } satisfies TickerMention,
};

interface Planned {
  record: RecordTypeName;
  version: number;
  files: { path: string; content: string }[];
}

async function plan(record: RecordTypeName): Promise<Planned> {
  const schema = loadSchema(record);
  const versions = goldenVersions(record);
  const latest = versions.at(-1);
  let version = (latest ?? 0) + 1;
  if (latest !== undefined) {
    const snapshot = JSON.parse(readFileSync(goldenPaths(record, latest).schema, 'utf8')) as object;
    if (wireShape(snapshot) === wireShape(schema)) version = latest;
  }
  const { serde, readerId } = await goldenSerde(record);
  if (readerId !== GOLDEN_SCHEMA_ID) throw new Error(`${record}: expected schema id ${GOLDEN_SCHEMA_ID}, got ${readerId}`);
  const bytes = serde.encode(GOLDEN_TOPIC, SAMPLES[record]);
  // the sample must survive its own round trip, or the fixture would lie
  const back = await serde.decode(GOLDEN_TOPIC, bytes);
  if (JSON.stringify(back) !== JSON.stringify(SAMPLES[record])) {
    throw new Error(`${record}: sample does not round-trip; update SAMPLES to the new schema`);
  }
  const paths = goldenPaths(record, version);
  return {
    record,
    version,
    files: [
      { path: paths.schema, content: `${JSON.stringify(schema, null, 2)}\n` },
      { path: paths.value, content: `${JSON.stringify(SAMPLES[record], null, 2)}\n` },
      { path: paths.hex, content: `${bytes.toString('hex')}\n` },
    ],
  };
}

async function main(argv: string[]): Promise<number> {
  const write = argv.includes('--write');
  const unknown = argv.filter((a) => a !== '--write');
  if (unknown.length > 0) {
    console.error(`usage: node scripts/golden-avro.ts [--write]   (unknown argument ${unknown[0]})`);
    return 2;
  }
  let stale = 0;
  for (const record of RECORD_TYPE_NAMES) {
    const planned = await plan(record);
    for (const file of planned.files) {
      const current = existsSync(file.path) ? readFileSync(file.path, 'utf8') : undefined;
      if (current === file.content) continue;
      const name = relative(process.cwd(), file.path);
      if (write) {
        mkdirSync(fixturesDir(), { recursive: true });
        writeFileSync(file.path, file.content);
        console.log(`${current === undefined ? 'created' : 'updated'} ${name}`);
      } else {
        stale++;
        console.error(`${current === undefined ? 'missing' : 'stale'}: ${name}`);
      }
    }
  }
  if (stale > 0) {
    console.error('golden Avro fixtures are out of date: run `node scripts/golden-avro.ts --write` and review the diff');
    return 1;
  }
  if (!write) console.log('golden Avro fixtures are up to date');
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
