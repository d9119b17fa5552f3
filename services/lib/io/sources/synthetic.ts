/**
 * Feeds that need no credentials: the default when secrets/credentials.ini
 * has no Finnhub token or Reddit app, and the load generator for benchmarks.
 *
 * They produce raw messages in the real formats (Finnhub frames, Reddit
 * listing children) and run them through the same pure parser and mapper as
 * the live sources, so what a demo shows is what production code paths do,
 * and a recording of a synthetic run replays like a live one.
 *
 * Deterministic given `random`, `clock` and `sleep`: each tick sleeps one
 * second, then generates the second that just elapsed (timestamps are never
 * in the future), so a test with a fake clock whose sleep advances it runs a
 * simulated hour in milliseconds.
 */
import type { RedditPost, Trade } from '../../domain/types.ts';
import { createTradeSequencer, parseFinnhubFrame } from '../../domain/sources/finnhub-frames.ts';
import { createTradeWalk } from '../../domain/sources/synthetic-trades.ts';
import { createRedditChatter } from '../../domain/sources/synthetic-reddit.ts';
import { mapRedditChild, type RedditListingChild } from '../../domain/sources/reddit-mapping.ts';
import { poisson } from '../../domain/sources/prng.ts';
import { newStats, type Clock, type ObservableSource, type Sleep, type SourceStats } from './source.ts';

const TICK_MS = 1000;

interface SyntheticCommon {
  /** items per second on average (bursts go above it) */
  ratePerSecond: number;
  random: () => number;
  clock: Clock;
  sleep: Sleep;
  /**
   * stop once this many records were emitted (a finite run, e.g. to record a
   * sample); trades stop at the next frame boundary, so a recording of the run
   * replays to exactly the emitted trades
   */
  maxRecords?: number;
}

export interface SyntheticTradeSourceOptions extends SyntheticCommon {
  symbols: readonly string[];
  /** each generated Finnhub frame text (the recorder hooks in here) */
  onRaw?: (raw: string) => void;
}

export interface SyntheticRedditSourceOptions extends SyntheticCommon {
  subreddits: readonly string[];
  /** symbol → company name */
  tickers: Readonly<Record<string, string>>;
  /** each generated listing child (the recorder hooks in here) */
  onRaw?: (child: RedditListingChild) => void;
}

function checkRate(rate: number): void {
  if (!Number.isFinite(rate) || rate <= 0) throw new RangeError(`ratePerSecond must be a positive number, got ${rate}`);
}

export function createSyntheticTradeSource(options: SyntheticTradeSourceOptions): ObservableSource<Trade> {
  checkRate(options.ratePerSecond);
  const stats = newStats();
  return {
    name: 'synthetic-trades',
    stats: (): SourceStats => ({ ...stats }),
    async run(emit, signal) {
      const walk = createTradeWalk({ symbols: options.symbols, random: options.random });
      const sequencer = createTradeSequencer();
      const max = options.maxRecords ?? Number.POSITIVE_INFINITY;
      while (!signal.aborted && stats.emitted < max) {
        const from = options.clock.now();
        await options.sleep(TICK_MS, signal);
        if (signal.aborted) break;
        const batch: Trade[] = [];
        for (const frame of walk.second(from, options.ratePerSecond)) {
          if (batch.length >= max - stats.emitted) break;
          stats.received += 1;
          options.onRaw?.(frame.text);
          const parsed = parseFinnhubFrame(frame.text);
          if (parsed.kind === 'malformed') stats.malformed += 1;
          if (parsed.kind !== 'trades') continue;
          stats.malformed += parsed.rejected.length;
          for (const trade of parsed.trades) batch.push(sequencer.assign(trade));
        }
        if (batch.length === 0) continue;
        await emit(batch);
        stats.emitted += batch.length;
      }
    },
  };
}

export function createSyntheticRedditSource(options: SyntheticRedditSourceOptions): ObservableSource<RedditPost> {
  checkRate(options.ratePerSecond);
  const stats = newStats();
  return {
    name: 'synthetic-reddit',
    stats: (): SourceStats => ({ ...stats }),
    async run(emit, signal) {
      const chatter = createRedditChatter({ subreddits: options.subreddits, tickers: options.tickers, random: options.random });
      const max = options.maxRecords ?? Number.POSITIVE_INFINITY;
      while (!signal.aborted && stats.emitted < max) {
        const from = options.clock.now();
        await options.sleep(TICK_MS, signal);
        if (signal.aborted) break;
        const count = Math.min(poisson(options.ratePerSecond, options.random), max - stats.emitted);
        const batch: RedditPost[] = [];
        for (let i = 0; i < count; i++) {
          const child = chatter.next(from + Math.floor((i * TICK_MS) / Math.max(1, count)));
          stats.received += 1;
          options.onRaw?.(child);
          const mapped = mapRedditChild(child);
          if (mapped.ok) batch.push(mapped.post);
          else stats.malformed += 1;
        }
        if (batch.length === 0) continue;
        await emit(batch);
        stats.emitted += batch.length;
      }
    },
  };
}
