import type { BucketCache, RollupCache } from '../lib/domain/windows/index.ts';
import { DAY_CANDLE_MS, HOUR_CANDLE_MS, candleRollupSpec, candleSpec, createBucketCache, createRollupCache } from '../lib/domain/windows/index.ts';
import type { Candle, Trade } from '../lib/domain/types.ts';
import { foldBatch, foldRollup } from './buckets.ts';
import { createPartitionStates } from './partition-state.ts';
import { timedWrite, type PipelineDeps, type TopicHandler } from './pipeline.ts';

interface TradeState {
  minutes: BucketCache<Trade, Candle>;
  hours: RollupCache<Candle>;
  days: RollupCache<Candle>;
}

/**
 * stock-trades → trades_by_symbol, latest_prices, candles_1m, candles_1h,
 * candles_1d. Trades are keyed by symbol, so this partition's consumer is the
 * only writer of its symbols' candles (invariant 4). Every candle written
 * equals the recomputation from the symbol-minute's raw trades: the raw rows
 * go first, then every candle the batch touched, rebuilt from the store when
 * it is not held in memory; then the hours those minutes fall in, rolled up
 * from the hour's minute candles, and the days from their hours — each read
 * back from the store when not held, all written with the batch's version.
 */
export function createTradeHandler(deps: PipelineDeps, options: { retainMs: number }): TopicHandler {
  const states = createPartitionStates<TradeState>();
  return {
    assign: (tp) => states.forget(tp),
    revoke: (tp) => states.forget(tp),
    async handle(batch, good, ctx) {
      if (good.length === 0) return;
      // Before this batch's raw rows: the horizon then covers exactly what earlier owners wrote.
      const state = await states.get(batch, async (): Promise<TradeState> => {
        const s: TradeState = {
          minutes: createBucketCache(candleSpec(), { retainMs: options.retainMs }),
          hours: createRollupCache(candleRollupSpec(HOUR_CANDLE_MS), { retainMs: options.retainMs }),
          days: createRollupCache(candleRollupSpec(DAY_CANDLE_MS), { retainMs: options.retainMs }),
        };
        const horizon = await ctx.durable('read raw horizon', () => deps.store.rawHorizon('trades'));
        for (const c of [s.minutes, s.hours, s.days]) c.raiseFloor(horizon);
        deps.versions.observe(await ctx.durable('read version horizon', () => deps.store.versionHorizon()));
        return s;
      });
      const trades = good.map((g) => g.value as Trade);
      await ctx.durable('write trades', () => timedWrite(deps, 'trades_by_symbol', trades.length, () => deps.store.writeTrades(trades)));
      const candles = await foldBatch(deps, ctx, state.minutes, trades, (ref) => deps.store.loadTrades(ref.key, ref.start, ref.end), 'candles_1m');
      const hours = await foldRollup(deps, ctx, state.hours, candles, (ref) => deps.store.candles(ref.key, ref.start, ref.end), 'candles_1h');
      const days = await foldRollup(deps, ctx, state.days, hours.rows, (ref) => deps.store.candleRollups('hour', ref.key, ref.start, ref.end), 'candles_1d');
      const version = await ctx.claim();
      // One step: on a retry or a restart every row is recomputed from the store, so the three may land in any order.
      await ctx.durable('write candles', () => Promise.all([
        timedWrite(deps, 'candles_1m', candles.length, () => deps.store.writeCandles(candles, version)),
        timedWrite(deps, 'candles_1h', hours.rows.length, () => deps.store.writeCandleRollups('hour', hours.rows, version)),
        timedWrite(deps, 'candles_1d', days.rows.length, () => deps.store.writeCandleRollups('day', days.rows, version)),
      ]));
      state.minutes.evict();
      state.hours.evict();
      state.days.evict();
    },
  };
}
