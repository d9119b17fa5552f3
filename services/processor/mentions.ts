import type { BucketCache, MentionRow } from '../lib/domain/windows/index.ts';
import { createBucketCache, mentionSpec, type MentionFact, type MentionsHour } from '../lib/domain/windows/index.ts';
import type { SentimentWindow, TickerMention } from '../lib/domain/types.ts';
import { foldBatch } from './buckets.ts';
import { createPartitionStates } from './partition-state.ts';
import { timedWrite, type PipelineDeps, type TopicHandler } from './pipeline.ts';

/**
 * ticker-mentions → ticker_sentiment_1m and mentions_by_hour, written by the
 * single owner of the ticker's partition. The raw rows are posts_by_ticker,
 * written by the post handler before it published the mentions, so a bucket
 * read back from the store already holds every mention this batch carries.
 */
export function createMentionHandler(deps: PipelineDeps, options: { retainMs: number }): TopicHandler {
  const states = createPartitionStates<BucketCache<MentionFact, MentionRow>>();
  return {
    assign: (tp) => states.forget(tp),
    revoke: (tp) => states.forget(tp),
    async handle(batch, good, ctx) {
      if (good.length === 0) return;
      const cache = await states.get(batch, async () => {
        const c = createBucketCache(mentionSpec(), { retainMs: options.retainMs });
        c.raiseFloor(await ctx.durable('read raw horizon', () => deps.store.rawHorizon('mentions')));
        deps.versions.observe(await ctx.durable('read version horizon', () => deps.store.versionHorizon()));
        return c;
      });
      const mentions = good.map((g) => g.value as TickerMention);
      const rows = await foldBatch(deps, ctx, cache, mentions, (ref) => deps.store.loadMentions(ref.key, ref.start, ref.end), 'mentions_by_hour');
      const minutes: SentimentWindow[] = [];
      const hours: MentionsHour[] = [];
      for (const r of rows) {
        if (r.table === 'ticker_sentiment_1m') minutes.push(r.row);
        else hours.push(r.row);
      }
      const version = await ctx.claim();
      await Promise.all([
        ctx.durable('write sentiment windows', () => timedWrite(deps, 'ticker_sentiment_1m', minutes.length, () => deps.store.writeSentimentWindows(minutes, version))),
        ctx.durable('write mention hours', () => timedWrite(deps, 'mentions_by_hour', hours.length, () => deps.store.writeMentionsHours(hours, version))),
      ]);
      cache.evict();
    },
  };
}
