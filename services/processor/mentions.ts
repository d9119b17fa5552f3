import type { BucketCache, MentionRow } from '../lib/domain/windows/index.ts';
import { createBucketCache, mentionSpec, type MentionFact, type MentionsHour } from '../lib/domain/windows/index.ts';
import { crowdSpec, type CrowdFact, type MentionTally } from '../lib/domain/windows/crowd.ts';
import type { SentimentWindow, TickerMention } from '../lib/domain/types.ts';
import { foldBatch } from './buckets.ts';
import { createPartitionStates } from './partition-state.ts';
import { timedWrite, type PipelineDeps, type TopicHandler } from './pipeline.ts';

/**
 * ticker-mentions → ticker_sentiment_1m and mentions_by_hour (hour buckets),
 * and the crowd tallies (day buckets: minutes, hours and days per scope,
 * domain/windows/crowd.ts), written by the single owner of the ticker's
 * partition. The raw rows are posts_by_ticker, written by the post handler
 * before it published the mentions, so a bucket read back from the store
 * already holds every mention this batch carries.
 */
interface Caches {
  hours: BucketCache<MentionFact, MentionRow>;
  days: BucketCache<CrowdFact, MentionTally>;
}

export function createMentionHandler(deps: PipelineDeps, options: { retainMs: number }): TopicHandler {
  const states = createPartitionStates<Caches>();
  return {
    assign: (tp) => states.forget(tp),
    revoke: (tp) => states.forget(tp),
    async handle(batch, good, ctx) {
      if (good.length === 0) return;
      const caches = await states.get(batch, async () => {
        const c: Caches = {
          hours: createBucketCache(mentionSpec(), { retainMs: options.retainMs }),
          days: createBucketCache(crowdSpec(), { retainMs: options.retainMs }),
        };
        const floor = await ctx.durable('read raw horizon', () => deps.store.rawHorizon('mentions'));
        c.hours.raiseFloor(floor);
        c.days.raiseFloor(floor);
        deps.versions.observe(await ctx.durable('read version horizon', () => deps.store.versionHorizon()));
        return c;
      });
      const mentions = good.map((g) => g.value as TickerMention);
      const [rows, tallies] = await Promise.all([
        foldBatch(deps, ctx, caches.hours, mentions, (ref) => deps.store.loadMentions(ref.key, ref.start, ref.end), 'mentions_by_hour'),
        foldBatch(deps, ctx, caches.days, mentions, (ref) => deps.store.loadCrowd(ref.key, ref.start, ref.end), 'mention_tallies'),
      ]);
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
        ctx.durable('write crowd tallies', () => timedWrite(deps, 'mention_tallies', tallies.length, () => deps.store.writeMentionTallies(tallies, version))),
      ]);
      caches.hours.evict();
      caches.days.evict();
    },
  };
}
