/**
 * Backlogs for the pipeline benchmarks: the synthetic feeds (the same
 * generators and parsers `produce` runs without credentials) on a simulated
 * clock, Avro-encoded with the serde and sent with the project's Kafka
 * producer in large batches.
 */
import type { RedditPost, Trade } from '../../services/lib/domain/types.ts';
import { createSeededRandom } from '../../services/lib/domain/sources/prng.ts';
import type { Serde } from '../../services/lib/io/avro/serde.ts';
import type { KafkaBus } from '../../services/lib/io/bus/kafka.ts';
import type { OutgoingMessage } from '../../services/lib/io/bus/bus.ts';
import { TOPICS } from '../../services/lib/io/bus/topics.ts';
import { createSyntheticRedditSource, createSyntheticTradeSource } from '../../services/lib/io/sources/index.ts';

export const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GOOGL', 'META', 'AMD', 'GME', 'PLTR'];
const SUBREDDITS = ['wallstreetbets', 'stocks', 'investing', 'stockmarket', 'options'];
const TICKERS: Record<string, string> = {
  AAPL: 'Apple', MSFT: 'Microsoft', NVDA: 'Nvidia', TSLA: 'Tesla', AMZN: 'Amazon', GOOGL: 'Alphabet', META: 'Meta',
  AMD: 'AMD', GME: 'GameStop', PLTR: 'Palantir', AMC: 'AMC', SPY: 'SPY', SOFI: 'SoFi', RIVN: 'Rivian',
};

/** The hour start two hours ago: recent event times, fixed within a run. */
export const recentT0 = (): number => Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;

function simulated(t0: number) {
  let now = t0;
  return { clock: { now: () => now }, sleep: async (ms: number) => { now += ms; } };
}

/** `count` trades of the synthetic tape, `perSecond` of them per simulated second from `t0`. */
export async function makeTrades(count: number, options: { t0: number; perSecond?: number; seed?: number }): Promise<Trade[]> {
  const out: Trade[] = [];
  const { clock, sleep } = simulated(options.t0);
  const source = createSyntheticTradeSource({
    symbols: SYMBOLS, ratePerSecond: options.perSecond ?? 2000, random: createSeededRandom(options.seed ?? 1), clock, sleep, maxRecords: count,
  });
  await source.run(async (items) => { for (const t of items) out.push(t); }, new AbortController().signal);
  return out;
}

export async function makePosts(count: number, options: { t0: number; perSecond?: number; seed?: number }): Promise<RedditPost[]> {
  const out: RedditPost[] = [];
  const { clock, sleep } = simulated(options.t0);
  const source = createSyntheticRedditSource({
    subreddits: SUBREDDITS, tickers: TICKERS, ratePerSecond: options.perSecond ?? 200, random: createSeededRandom(options.seed ?? 2), clock, sleep, maxRecords: count,
  });
  await source.run(async (items) => { for (const p of items) out.push(p); }, new AbortController().signal);
  return out;
}

export const tradeMessages = (serde: Serde, trades: readonly Trade[]): OutgoingMessage[] =>
  trades.map((t) => ({ key: t.symbol, value: serde.encode(TOPICS.trades, t) }));

export function postMessages(serde: Serde, posts: readonly RedditPost[]): { topic: string; messages: OutgoingMessage[] }[] {
  const subs: OutgoingMessage[] = [];
  const comments: OutgoingMessage[] = [];
  for (const p of posts) {
    const topic = p.kind === 'submission' ? TOPICS.submissions : TOPICS.comments;
    (p.kind === 'submission' ? subs : comments).push({ key: p.fullname, value: serde.encode(topic, p) });
  }
  return [{ topic: TOPICS.submissions, messages: subs }, { topic: TOPICS.comments, messages: comments }];
}

/**
 * Sends everything with the project's producer: per topic, chunks in order
 * (so each partition keeps event-time order), several chunks queued at once
 * so requests stay full. Resolves with messages per second.
 */
export async function produceAll(bus: KafkaBus, batches: { topic: string; messages: OutgoingMessage[] }[], chunk = 20_000): Promise<number> {
  const producer = bus.producer();
  const t0 = performance.now();
  let n = 0;
  try {
    const pending: Promise<void>[] = [];
    for (const { topic, messages } of batches) {
      for (let i = 0; i < messages.length; i += chunk) {
        const part = messages.slice(i, i + chunk);
        n += part.length;
        pending.push(producer.send(topic, part));
      }
    }
    await Promise.all(pending);
  } finally {
    await producer.close();
  }
  return n / ((performance.now() - t0) / 1000);
}
