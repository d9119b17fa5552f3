import type { BucketCache, BucketRef, RollupCache } from '../lib/domain/windows/index.ts';
import { mapBounded } from '../lib/io/store/cassandra-exec.ts';
import type { BatchContext, PipelineDeps } from './pipeline.ts';

/** bucket reads in flight per batch at most: a burst of late records must not flood the store */
const LOAD_CONCURRENCY = 8;

/**
 * Steps 2-4 of the bucket protocol (domain/windows/buckets.ts) for one batch
 * whose raw rows are already durable: read back every bucket the cache cannot
 * vouch for, fold the records, and return the rows to upsert.
 */
export async function foldBatch<In, Out>(
  deps: Pick<PipelineDeps, 'metrics'>,
  ctx: BatchContext,
  cache: BucketCache<In, Out>,
  records: readonly In[],
  load: (ref: BucketRef) => Promise<In[]>,
  table: string,
): Promise<Out[]> {
  const installAll = async (refs: BucketRef[]) => {
    if (refs.length === 0) return;
    deps.metrics.bucketLoads.inc({ table }, refs.length);
    await mapBounded(refs, LOAD_CONCURRENCY, async (ref) => {
      cache.install(ref, await ctx.durable(`read back ${table} bucket`, () => load(ref)));
    });
  };
  await installAll(cache.toLoad(records));
  for (const x of records) cache.add(x);
  // A record that met another version of itself in this batch: the store decides which one it kept.
  await installAll(cache.pending());
  return cache.drain();
}

/**
 * The roll-up protocol (domain/windows/rollup.ts) for one batch: read back
 * every coarse bucket the cache cannot vouch for, put the fine rows just
 * drained, and return the coarse rows to upsert and the coarse buckets left
 * empty (to delete).
 */
export async function foldRollup<Row>(
  deps: Pick<PipelineDeps, 'metrics'>,
  ctx: BatchContext,
  cache: RollupCache<Row>,
  fine: readonly Row[],
  load: (ref: BucketRef) => Promise<Row[]>,
  table: string,
): Promise<{ rows: Row[]; emptied: BucketRef[] }> {
  const refs = cache.toLoad(fine);
  if (refs.length > 0) {
    deps.metrics.bucketLoads.inc({ table }, refs.length);
    await mapBounded(refs, LOAD_CONCURRENCY, async (ref) => {
      cache.install(ref, await ctx.durable(`read back ${table} bucket`, () => load(ref)));
    });
  }
  for (const row of fine) cache.put(row);
  return cache.drain();
}
