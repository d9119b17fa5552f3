import type { BucketCache, BucketRef, RollupCache } from '../lib/domain/windows/index.ts';
import { mapBounded } from '../lib/io/store/cassandra-exec.ts';
import type { BatchContext, PipelineDeps } from './pipeline.ts';

/** bucket reads in flight per batch at most: a burst of late records must not flood the store */
const LOAD_CONCURRENCY = 8;

/**
 * Reads back the listed buckets from the store, a few at a time, and hands
 * each to `install` (counted per table in stockstreamer_bucket_loads_total).
 */
async function readBack<Row>(
  deps: Pick<PipelineDeps, 'metrics'>, ctx: BatchContext, refs: readonly BucketRef[], table: string,
  load: (ref: BucketRef) => Promise<Row[]>, install: (ref: BucketRef, rows: Row[]) => void,
): Promise<void> {
  if (refs.length === 0) return;
  deps.metrics.bucketLoads.inc({ table }, refs.length);
  await mapBounded(refs, LOAD_CONCURRENCY, async (ref) => {
    install(ref, await ctx.durable(`read back ${table} bucket`, () => load(ref)));
  });
}

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
  const install = (ref: BucketRef, rows: In[]) => cache.install(ref, rows);
  await readBack(deps, ctx, cache.toLoad(records), table, load, install);
  for (const x of records) cache.add(x);
  // A record that met another version of itself in this batch: the store decides which one it kept.
  await readBack(deps, ctx, cache.pending(), table, load, install);
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
  await readBack(deps, ctx, cache.toLoad(fine), table, load, (ref, rows) => cache.install(ref, rows));
  for (const row of fine) cache.put(row);
  return cache.drain();
}
