import { candleRollupSpec, candleSpec, createBucketCache, DAY_CANDLE_MS, HOUR_CANDLE_MS, HOUR_MS, mentionSpec, type MentionsHour } from '../lib/domain/windows/index.ts';
import type { Candle, SentimentWindow, Trade } from '../lib/domain/types.ts';
import type { MentionFact } from '../lib/domain/windows/index.ts';
import { DAY_MS, crowdSpec, tallyKey, type CrowdFact, type Grain } from '../lib/domain/windows/crowd.ts';
import type { CandleGrain, RawFamily, Store } from '../lib/io/store/repository.ts';
import type { VersionClock } from './pipeline.ts';

/**
 * Rebuilding the aggregates of a time range from the raw rows: what
 * `stockstreamer reprocess` runs, for instance after a fix to the aggregation
 * or after rows were lost. One key (symbol or ticker) and one hour at a time,
 * so memory stays bounded whatever the range:
 *
 *   read the raw rows → fold them into fresh buckets → write every bucket with
 *   a new version → delete the aggregate rows no raw row backs any more →
 *   read the raw rows again: when a live processor added some meanwhile, do
 *   the hour again (its own write, versioned after its raw rows, then wins or
 *   equals ours).
 *
 * Idempotent: a second rebuild of the same range rewrites the same rows.
 */
export interface RebuildDeps {
  store: Store;
  versions: VersionClock;
}

export interface RebuildResult {
  /** aggregate rows written */
  written: number;
  /** aggregate rows deleted because no raw row backs them */
  deleted: number;
  /** hours read again because the raw rows changed while they were rebuilt */
  retried: number;
}

/** attempts per hour before the rows are left as the last attempt wrote them (a live processor then owns them) */
const MAX_ATTEMPTS = 5;

const fingerprint = (rows: readonly unknown[]): string => JSON.stringify(rows.map((r) => JSON.stringify(r)).sort());

async function settle<T>(read: () => Promise<T[]>, apply: (rows: T[]) => Promise<{ written: number; deleted: number }>, result: RebuildResult): Promise<void> {
  let rows = await read();
  for (let attempt = 1; ; attempt++) {
    const done = await apply(rows);
    const again = await read();
    if (fingerprint(again) === fingerprint(rows) || attempt >= MAX_ATTEMPTS) {
      result.written += done.written;
      result.deleted += done.deleted;
      return;
    }
    result.retried++;
    rows = again;
  }
}

/** The hours [fromMs, toMs) covers, aligned: a rebuild always takes whole buckets. */
export function hoursOf(fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let h = Math.floor(fromMs / HOUR_MS) * HOUR_MS; h < toMs; h += HOUR_MS) out.push(h);
  return out;
}

/** candles_1m of one symbol, hour by hour over [fromMs, toMs), then its hour and day roll-ups */
export async function rebuildCandles(deps: RebuildDeps, symbol: string, fromMs: number, toMs: number): Promise<RebuildResult> {
  const result: RebuildResult = { written: 0, deleted: 0, retried: 0 };
  for (const hour of hoursOf(fromMs, toMs)) {
    const end = hour + HOUR_MS;
    await settle<Trade>(() => deps.store.loadTrades(symbol, hour, end), async (trades) => {
      const cache = createBucketCache(candleSpec(), { retainMs: 0 });
      for (const t of trades) cache.add(t);
      const candles: Candle[] = cache.drain();
      const keep = new Set(candles.map((c) => c.minute));
      const stale = (await deps.store.candles(symbol, hour, end)).map((c) => c.minute).filter((m) => !keep.has(m));
      const version = deps.versions.next();
      await deps.store.writeCandles(candles, version);
      await deps.store.deleteCandles(symbol, stale, version);
      return { written: candles.length, deleted: stale.length };
    }, result);
  }
  const rollups = await rebuildCandleRollups(deps, symbol, fromMs, toMs);
  result.written += rollups.written;
  result.deleted += rollups.deleted;
  result.retried += rollups.retried;
  return result;
}

/**
 * candles_1h from candles_1m, then candles_1d from candles_1h, of one symbol
 * over the hours and UTC days [fromMs, toMs) touches (whole buckets): after
 * the minutes, so each level is rolled up from the one just rebuilt.
 */
export async function rebuildCandleRollups(deps: RebuildDeps, symbol: string, fromMs: number, toMs: number): Promise<RebuildResult> {
  const result: RebuildResult = { written: 0, deleted: 0, retried: 0 };
  const level = async (grain: CandleGrain, sizeMs: number, fine: (from: number, to: number) => Promise<Candle[]>) => {
    const spec = candleRollupSpec(sizeMs);
    for (let start = Math.floor(fromMs / sizeMs) * sizeMs; start < toMs; start += sizeMs) {
      const end = start + sizeMs;
      await settle<Candle>(() => fine(start, end), async (rows) => {
        const version = deps.versions.next();
        if (rows.length > 0) {
          await deps.store.writeCandleRollups(grain, [spec.combine(symbol, start, [...rows].sort((a, b) => a.minute - b.minute))], version);
          return { written: 1, deleted: 0 };
        }
        const stale = (await deps.store.candleRollups(grain, symbol, start, end)).length > 0;
        if (stale) await deps.store.deleteCandleRollups(grain, symbol, [start], version);
        return { written: 0, deleted: stale ? 1 : 0 };
      }, result);
    }
  };
  await level('hour', HOUR_CANDLE_MS, (from, to) => deps.store.candles(symbol, from, to));
  await level('day', DAY_CANDLE_MS, (from, to) => deps.store.candleRollups('hour', symbol, from, to));
  return result;
}

/** ticker_sentiment_1m and mentions_by_hour of one ticker, hour by hour over [fromMs, toMs) */
export async function rebuildMentions(deps: RebuildDeps, ticker: string, fromMs: number, toMs: number): Promise<RebuildResult> {
  const result: RebuildResult = { written: 0, deleted: 0, retried: 0 };
  for (const hour of hoursOf(fromMs, toMs)) {
    const end = hour + HOUR_MS;
    await settle<MentionFact>(() => deps.store.loadMentions(ticker, hour, end), async (facts) => {
      const cache = createBucketCache(mentionSpec(), { retainMs: 0 });
      for (const m of facts) cache.add(m);
      const minutes: SentimentWindow[] = [];
      const hours: MentionsHour[] = [];
      for (const r of cache.drain()) {
        if (r.table === 'ticker_sentiment_1m') minutes.push(r.row);
        else hours.push(r.row);
      }
      const keep = new Set(minutes.map((w) => w.minute));
      const staleMinutes = (await deps.store.sentimentWindows(ticker, hour, end)).map((w) => w.minute).filter((m) => !keep.has(m));
      const staleHour = hours.length === 0 && (await deps.store.mentionsHours(hour, end)).some((r) => r.ticker === ticker);
      const version = deps.versions.next();
      await deps.store.writeSentimentWindows(minutes, version);
      await deps.store.writeMentionsHours(hours, version);
      await deps.store.deleteSentimentWindows(ticker, staleMinutes, version);
      if (staleHour) await deps.store.deleteMentionsHours(ticker, [hour], version);
      return { written: minutes.length + hours.length, deleted: staleMinutes.length + (staleHour ? 1 : 0) };
    }, result);
  }
  const crowd = await rebuildCrowd(deps, ticker, fromMs, toMs);
  result.written += crowd.written;
  result.deleted += crowd.deleted;
  result.retried += crowd.retried;
  return result;
}

const GRAINS: readonly Grain[] = ['minute', 'hour', 'day'];

/**
 * The crowd tallies of one ticker, day by day over the UTC days [fromMs, toMs)
 * touches: a tally's bucket is a whole day, so a day is rebuilt whole even
 * when the range covers part of it.
 */
export async function rebuildCrowd(deps: RebuildDeps, ticker: string, fromMs: number, toMs: number): Promise<RebuildResult> {
  const result: RebuildResult = { written: 0, deleted: 0, retried: 0 };
  for (let day = Math.floor(fromMs / DAY_MS) * DAY_MS; day < toMs; day += DAY_MS) {
    const end = day + DAY_MS;
    await settle<CrowdFact>(() => deps.store.loadCrowd(ticker, day, end), async (facts) => {
      const cache = createBucketCache(crowdSpec(), { retainMs: 0 });
      for (const m of facts) cache.add(m);
      const tallies = cache.drain();
      const keep = new Set(tallies.map(tallyKey));
      const stored = (await Promise.all(GRAINS.map((grain) => deps.store.mentionTallies({ grain, ticker, fromMs: day, toMs: end })))).flat();
      const stale = stored.filter((t) => !keep.has(tallyKey(t))).map((t) => ({ grain: t.grain, start: t.start, scope: t.scope }));
      const version = deps.versions.next();
      await deps.store.writeMentionTallies(tallies, version);
      await deps.store.deleteMentionTallies(ticker, stale, version);
      return { written: tallies.length, deleted: stale.length };
    }, result);
  }
  return result;
}

export const rebuilders: Record<RawFamily, (deps: RebuildDeps, key: string, fromMs: number, toMs: number) => Promise<RebuildResult>> = {
  trades: rebuildCandles,
  mentions: rebuildMentions,
};
