import type { TopicPartition } from '../lib/io/bus/bus.ts';
import {
  createWindowAggregator, mentionsHourSpec, sentimentSpec, HOUR_MS, type MentionsHour, type WindowAggregator,
} from '../lib/domain/windows/index.ts';
import type { SentimentWindow, TickerMention } from '../lib/domain/types.ts';
import { createPartitionStates } from './partition-state.ts';
import { timedWrite, type PipelineDeps, type TopicHandler } from './pipeline.ts';

interface MentionState {
  minute: WindowAggregator<TickerMention, SentimentWindow>;
  hour: WindowAggregator<TickerMention, MentionsHour>;
  /**
   * (post, ticker) pairs already folded into a window still in memory. A replay
   * of the posts topic re-publishes mentions; without this they would be
   * counted twice. Pairs whose hour has closed are forgotten: a duplicate of
   * those is late for both aggregators anyway.
   */
  seen: Map<string, number>;
  /** hour start below which `seen` was last pruned: prune once per hour, not per batch */
  prunedBefore: number;
}

/**
 * ticker-mentions → ticker_sentiment_1m and mentions_by_hour, written as full
 * window states by the single owner of the ticker's partition.
 */
export function createMentionHandler(deps: PipelineDeps, options: { latenessMs: number }): TopicHandler {
  const states = createPartitionStates(async (tp: TopicPartition): Promise<MentionState> => {
    const minute = createWindowAggregator(sentimentSpec({ latenessMs: options.latenessMs }));
    const hour = createWindowAggregator(mentionsHourSpec({ latenessMs: options.latenessMs }));
    const cp = await deps.store.loadCheckpoint(deps.group, tp.topic, tp.partition);
    if (cp) {
      minute.restore(cp.watermark);
      hour.restore(cp.watermark);
    }
    return { minute, hour, seen: new Map(), prunedBefore: -Infinity };
  });

  return {
    assign: (tp) => states.assign(tp),
    revoke: (tp) => states.revoke(tp),
    async handle(batch, good, ctx) {
      const s = await states.get(batch);
      for (const { record, value } of good) {
        const m = value as TickerMention;
        const id = `${m.postId}\0${m.ticker}`;
        if (s.seen.has(id)) continue;
        s.seen.set(id, m.created);
        const a = s.minute.add(m, record.offset);
        const b = s.hour.add(m, record.offset);
        if (a === 'late' || b === 'late') deps.metrics.lateRecords.inc({ topic: batch.topic });
      }
      const windows = s.minute.drainChanged();
      const hours = s.hour.drainChanged();
      await Promise.all([
        ctx.durable('write sentiment windows', () => timedWrite(deps, 'ticker_sentiment_1m', windows.length, () => deps.store.writeSentimentWindows(windows))),
        ctx.durable('write mention hours', () => timedWrite(deps, 'mentions_by_hour', hours.length, () => deps.store.writeMentionsHours(hours))),
      ]);
      s.minute.closeExpired();
      s.hour.closeExpired();
      // Both aggregators see the same event times, so their watermarks are equal.
      const watermark = s.minute.watermark();
      const forgetBefore = Math.floor(watermark / HOUR_MS) * HOUR_MS;
      if (forgetBefore > s.prunedBefore) {
        for (const [id, created] of s.seen) if (created < forgetBefore) s.seen.delete(id);
        s.prunedBefore = forgetBefore;
      }
      await ctx.durable('save checkpoint', () => deps.store.saveCheckpoint({ group: deps.group, topic: batch.topic, partition: batch.partition, watermark }));
      const last = batch.records[batch.records.length - 1]!.offset;
      return Math.min(s.minute.safePosition(last), s.hour.safePosition(last));
    },
  };
}
