import type { TopicPartition } from '../lib/io/bus/bus.ts';
import { candleSpec, createWindowAggregator, type WindowAggregator } from '../lib/domain/windows/index.ts';
import type { Candle, Trade } from '../lib/domain/types.ts';
import { createPartitionStates } from './partition-state.ts';
import { timedWrite, type PipelineDeps, type TopicHandler } from './pipeline.ts';

/**
 * stock-trades → trades_by_symbol, latest_prices, candles_1m. Trades are keyed
 * by symbol, so this partition's consumer is the only writer of its symbols'
 * candles (invariant 3).
 */
export function createTradeHandler(deps: PipelineDeps, options: { latenessMs: number }): TopicHandler {
  const states = createPartitionStates(async (tp: TopicPartition): Promise<WindowAggregator<Trade, Candle>> => {
    const agg = createWindowAggregator(candleSpec({ latenessMs: options.latenessMs }));
    const cp = await deps.store.loadCheckpoint(deps.group, tp.topic, tp.partition);
    if (cp) agg.restore(cp.watermark);
    return agg;
  });

  return {
    assign: (tp) => states.assign(tp),
    revoke: (tp) => states.revoke(tp),
    async handle(batch, good, ctx) {
      const agg = await states.get(batch);
      const trades: Trade[] = [];
      for (const { record, value } of good) {
        const trade = value as Trade;
        trades.push(trade);
        if (agg.add(trade, record.offset) === 'late') deps.metrics.lateRecords.inc({ topic: batch.topic });
      }
      const candles = agg.drainChanged();
      await Promise.all([
        ctx.durable('write trades', () => timedWrite(deps, 'trades_by_symbol', trades.length, () => deps.store.writeTrades(trades))),
        ctx.durable('write candles', () => timedWrite(deps, 'candles_1m', candles.length, () => deps.store.writeCandles(candles))),
      ]);
      agg.closeExpired();
      const last = batch.records[batch.records.length - 1]!.offset;
      await ctx.durable('save checkpoint', () => deps.store.saveCheckpoint({ group: deps.group, topic: batch.topic, partition: batch.partition, watermark: agg.watermark() }));
      return agg.safePosition(last);
    },
  };
}
