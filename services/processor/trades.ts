import type { BucketCache } from '../lib/domain/windows/index.ts';
import { candleSpec, createBucketCache } from '../lib/domain/windows/index.ts';
import type { Candle, Trade } from '../lib/domain/types.ts';
import { foldBatch } from './buckets.ts';
import { createPartitionStates } from './partition-state.ts';
import { timedWrite, type PipelineDeps, type TopicHandler } from './pipeline.ts';

/**
 * stock-trades → trades_by_symbol, latest_prices, candles_1m. Trades are keyed
 * by symbol, so this partition's consumer is the only writer of its symbols'
 * candles (invariant 4). Every candle written equals the recomputation from
 * the symbol-minute's raw trades: the raw rows go first, then every candle the
 * batch touched, rebuilt from the store when it is not held in memory.
 */
export function createTradeHandler(deps: PipelineDeps, options: { retainMs: number }): TopicHandler {
  const states = createPartitionStates<BucketCache<Trade, Candle>>();
  return {
    assign: (tp) => states.forget(tp),
    revoke: (tp) => states.forget(tp),
    async handle(batch, good, ctx) {
      if (good.length === 0) return;
      // Before this batch's raw rows: the horizon then covers exactly what earlier owners wrote.
      const cache = await states.get(batch, async () => {
        const c = createBucketCache(candleSpec(), { retainMs: options.retainMs });
        c.raiseFloor(await ctx.durable('read raw horizon', () => deps.store.rawHorizon('trades')));
        deps.versions.observe(await ctx.durable('read version horizon', () => deps.store.versionHorizon()));
        return c;
      });
      const trades = good.map((g) => g.value as Trade);
      await ctx.durable('write trades', () => timedWrite(deps, 'trades_by_symbol', trades.length, () => deps.store.writeTrades(trades)));
      const candles = await foldBatch(deps, ctx, cache, trades, (ref) => deps.store.loadTrades(ref.key, ref.start, ref.end), 'candles_1m');
      const version = await ctx.claim();
      await ctx.durable('write candles', () => timedWrite(deps, 'candles_1m', candles.length, () => deps.store.writeCandles(candles, version)));
      cache.evict();
    },
  };
}
