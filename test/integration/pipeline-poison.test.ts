/**
 * Poison records interleaved with good ones on the real stack (ARCHITECTURE
 * invariant 4): wrong magic byte, unknown schema id, truncated Avro and
 * records that decode but fail validation, on every input topic. Each one
 * must be in `<topic>.dlq` with its original bytes, its error code and reason
 * and its source coordinates in headers, and in dlq_events; every good record
 * must be processed as if the poison were not there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../services/lib/io/bus/bus.ts';
import { TOPICS, dlqOf } from '../../services/lib/io/bus/topics.ts';
import { createSeededRandom } from '../../services/lib/domain/sources/prng.ts';
import type { TickerMention } from '../../services/lib/domain/types.ts';
import { acquirePipelineLock, createWorld, recentT0, sendAll, waitFor, type World } from './helpers/pipeline-stack.ts';
import { HOUR, MIN, converge, encode, generate, recompute, sizes } from './helpers/pipeline-data.ts';

const PROCESSOR = { STOCKSTREAMER_CANDLE_LATENESS_MS: '5000', STOCKSTREAMER_SENTIMENT_LATENESS_MS: String(3 * HOUR) };

interface Poison { topic: string; value: Buffer; code: string; reason: RegExp }

/** Every record of some topics (full names), read from the beginning by a throw-away group of the test's own. */
async function readAll(world: World, topics: string[], count: number, timeoutMs = 30_000) {
  const consumer = world.kafka.consumer({ groupId: `${world.prefix}reader-${Math.random().toString(36).slice(2)}` });
  const out: { topic: string; partition: number; offset: number; value: Buffer; headers: Record<string, string> }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = (Array.isArray(v) ? v[0]! : v).toString();
        out.push({ topic, partition, offset: Number(message.offset), value: message.value ?? Buffer.alloc(0), headers });
      },
    });
    await waitFor(`${count} records of ${topics.join(', ')}`, async () => (out.length >= count ? true : undefined), { timeoutMs, lastReason: () => `${out.length} read` });
  } finally {
    await consumer.disconnect();
  }
  return out;
}

describe('pipeline on the real stack: poison records', () => {
  let release: () => void = () => {};
  let world: World;
  beforeAll(async () => {
    release = await acquirePipelineLock();
    world = await createWorld('poison');
  }, 660_000);
  afterAll(async () => {
    await world?.close();
    release();
  }, 60_000);

  it('every poison record is dead-lettered with its reason (topic headers and dlq_events); every good one is processed', async () => {
    const input = generate({ seed: 5, trades: 3000, submissions: 300, comments: 400, t0: recentT0(), spanMs: 20 * MIN });
    const batches = encode(world.serde, input);
    const { serde } = world;
    const goodTrade = input.trades[0]!;
    const goodTradeBytes = serde.encode(TOPICS.trades, goodTrade);
    const comment = input.posts.find((p) => p.kind === 'comment')!;
    const submission = input.posts.find((p) => p.kind === 'submission')!;
    const withSchemaId = (bytes: Buffer, id: number) => {
      const b = Buffer.from(bytes);
      b.writeInt32BE(id, 1);
      return b;
    };
    const mention: TickerMention = {
      postId: submission.fullname, ticker: 'AAPL', kind: 'submission', subreddit: submission.subreddit, author: submission.author,
      text: 'x', permalink: submission.permalink, sentiment: 0.5, label: 'pos', created: submission.created, score: submission.score,
    };
    const poisons: Poison[] = [];
    for (let i = 0; i < 3; i++) {
      poisons.push(
        { topic: TOPICS.trades, value: Buffer.from([1 + i, 0, 0, 0, 1, 2, 3, 4]), code: 'DECODE_MAGIC_BYTE', reason: /magic/i },
        { topic: TOPICS.trades, value: withSchemaId(goodTradeBytes, 1_999_999_000 + i), code: 'DECODE_UNKNOWN_SCHEMA', reason: /schema/i },
        { topic: TOPICS.trades, value: goodTradeBytes.subarray(0, 7 + i), code: 'DECODE_TRUNCATED', reason: /.+/ },
        { topic: TOPICS.trades, value: serde.encode(TOPICS.trades, { ...goodTrade, price: -1 - i, seq: 900_000 + i }), code: 'VALIDATION_FAILED', reason: /price/ },
        { topic: TOPICS.comments, value: Buffer.from(`{"json":"not avro ${i}"}`), code: 'DECODE_MAGIC_BYTE', reason: /magic/i },
        { topic: TOPICS.comments, value: serde.encode(TOPICS.comments, comment).subarray(0, 12 + i), code: 'DECODE_TRUNCATED', reason: /.+/ },
        { topic: TOPICS.comments, value: serde.encode(TOPICS.comments, { ...comment, fullname: `t3_wrongkind${i}` }), code: 'VALIDATION_FAILED', reason: /fullname/ },
        { topic: TOPICS.submissions, value: withSchemaId(serde.encode(TOPICS.submissions, submission), 1_999_998_000 + i), code: 'DECODE_UNKNOWN_SCHEMA', reason: /schema/i },
        { topic: TOPICS.submissions, value: serde.encode(TOPICS.submissions, { ...submission, created: 12_345 + i }), code: 'VALIDATION_FAILED', reason: /created/ },
        { topic: TOPICS.mentions, value: serde.encode(TOPICS.mentions, { ...mention, ticker: '', postId: `t3_poison${i}` }), code: 'VALIDATION_FAILED', reason: /ticker/ },
        // clocks gone wrong upstream: a trade ten years ahead (at the highest price, to show it never becomes the latest price), posts before the floor or a day ahead
        { topic: TOPICS.trades, value: serde.encode(TOPICS.trades, { ...goodTrade, timestamp: Date.now() + 3652 * 86_400_000, price: 99_999 + i, seq: 800_000 + i }), code: 'VALIDATION_FAILED', reason: /ahead of the record's bus time/ },
        { topic: TOPICS.comments, value: serde.encode(TOPICS.comments, { ...comment, fullname: `t1_skew${i}`, id: `skew${i}`, created: Date.now() + 86_400_000 }), code: 'VALIDATION_FAILED', reason: /ahead of the record's bus time/ },
        { topic: TOPICS.submissions, value: serde.encode(TOPICS.submissions, { ...submission, fullname: `t3_old${i}`, id: `old${i}`, created: Date.UTC(1999, 11, 31) - i }), code: 'VALIDATION_FAILED', reason: /before|created/ },
      );
    }
    // Interleave: each poison goes between good records of its topic, with a neighbour's key and time.
    const random = createSeededRandom(99);
    const sends = batches.map((b) => ({ topic: b.topic, messages: [...b.messages] as OutgoingMessage[] }));
    sends.push({ topic: TOPICS.mentions, messages: [] });
    for (const p of poisons) {
      const list = sends.find((b) => b.topic === p.topic)!.messages;
      const at = Math.floor(random() * (list.length + 1));
      const near = list[Math.min(at, list.length - 1)] ?? { key: 'AAPL', timestamp: submission.created };
      list.splice(at, 0, { key: near.key, value: p.value });
    }
    await sendAll(world.bus, sends);

    // Where Kafka put each poison record, found by its bytes: the independent truth for the coordinates.
    // (ticker-mentions holds only the test's poison so far: the processor has not published any mention yet.)
    const sourceTopics = [TOPICS.trades, TOPICS.comments, TOPICS.submissions, TOPICS.mentions].map((t) => `${world.prefix}${t}`);
    const all = await readAll(world, sourceTopics, batches.reduce((a, b) => a + b.messages.length, 0) + poisons.length);
    const expectedDead = new Map<string, string>();
    for (const p of poisons) {
      const hits = all.filter((r) => r.topic === `${world.prefix}${p.topic}` && r.value.equals(p.value));
      expect(hits, `poison ${p.code} on ${p.topic} in the topic once`).toHaveLength(1);
      expectedDead.set(`${p.topic}|${hits[0]!.partition}|${hits[0]!.offset}`, p.code);
    }

    const expected = await recompute(input, expectedDead);
    const processor = await world.startProcessor(PROCESSOR);

    // Every good record processed as if the poison were not there; dlq_events one row per poison record,
    // with the coordinates Kafka gave it and its code.
    const result = await converge(world.cql, expected, { timeoutMs: 60_000 });
    console.log(`poison: converged in ${result.ms} ms: ${sizes(result.actual)}`);
    expect(result.diff).toEqual([]);

    // The dead-letter topics: every poison record, its original bytes, its code, reason and source coordinates.
    const dlqTopics = [TOPICS.trades, TOPICS.comments, TOPICS.submissions, TOPICS.mentions].map((t) => `${world.prefix}${dlqOf(t)}`);
    const dead = await readAll(world, dlqTopics, poisons.length);
    expect(dead).toHaveLength(poisons.length);
    const fromHeaders = new Map<string, string>();
    for (const p of poisons) {
      const hits = dead.filter((d) => d.topic === `${world.prefix}${dlqOf(p.topic)}` && d.value.equals(p.value));
      expect(hits, `poison ${p.code} on ${p.topic} in ${dlqOf(p.topic)} once`).toHaveLength(1);
      const h = hits[0]!.headers;
      expect(h['dlq.error.code']).toBe(p.code);
      expect(h['dlq.error.message']).toMatch(p.reason);
      expect(h['dlq.source.topic']).toBe(p.topic);
      expect(Number(h['dlq.at'])).toBeGreaterThan(0);
      fromHeaders.set(`${p.topic}|${h['dlq.source.partition']}|${h['dlq.source.offset']}`, p.code);
    }
    for (const [k, code] of expectedDead) expect(fromHeaders.get(k), `DLQ headers name the source coordinates of ${k}`).toBe(code);
    expect(fromHeaders.size).toBe(poisons.length);
    expect(processor.running).toBe(true);
    await processor.stop();
  }, 180_000);
});
