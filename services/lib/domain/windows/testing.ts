import type { BucketCache, BucketSpec } from './buckets.ts';
import { createBucketCache } from './buckets.ts';

/**
 * For the bucket property tests (buckets.test.ts, crowd.test.ts): one
 * partition's processing reduced to what exactness depends on, against a
 * model store: raw rows keyed like the raw table (last write wins per id),
 * aggregate rows keyed by their window, a raw horizon (the newest event time
 * written). Batches follow the cache protocol; a crash can strike at any step,
 * after which a fresh cache starts from the last commit with the store's
 * horizon as its floor.
 */
export interface World<In, Out> {
  raw: Map<string, In>;
  agg: Map<string, Out>;
  horizon: number;
}

export type Step = 'raw' | 'load' | 'add' | 'write' | 'commit';
export const STEPS: Step[] = ['raw', 'load', 'add', 'write', 'commit'];

export function run<In, S, Out>(options: {
  spec: BucketSpec<In, S, Out>;
  rawKey(x: In): string;
  rowKey(row: Out): string;
  log: readonly In[];
  batch: number;
  retainMs: number;
  /** crash before this step of the n-th batch attempt */
  crashes: { attempt: number; step: Step }[];
}): World<In, Out> & { loads: number } {
  const world: World<In, Out> = { raw: new Map(), agg: new Map(), horizon: -Infinity };
  let committed = 0;
  let attempt = 0;
  let loads = 0;
  const boot = (): BucketCache<In, Out> => {
    const cache = createBucketCache(options.spec, { retainMs: options.retainMs });
    cache.raiseFloor(world.horizon);
    return cache;
  };
  let cache = boot();
  const loadInto = (refs: ReturnType<BucketCache<In, Out>['toLoad']>) => {
    for (const ref of refs) {
      loads++;
      const rows = [...world.raw.values()].filter((x) => {
        const t = options.spec.timeOf(x);
        return options.spec.keyOf(x) === ref.key && t >= ref.start && t < ref.end;
      });
      cache.install(ref, rows);
    }
  };
  while (committed < options.log.length) {
    attempt++;
    const crash = options.crashes.find((c) => c.attempt === attempt)?.step;
    const records = options.log.slice(committed, committed + options.batch);
    const dies = (step: Step) => crash === step;
    if (dies('raw')) { cache = boot(); continue; }
    for (const x of records) {
      world.raw.set(options.rawKey(x), x);
      world.horizon = Math.max(world.horizon, options.spec.timeOf(x));
    }
    if (dies('load')) { cache = boot(); continue; }
    loadInto(cache.toLoad(records));
    if (dies('add')) { cache = boot(); continue; }
    for (const x of records) cache.add(x);
    loadInto(cache.pending());
    const rows = cache.drain();
    if (dies('write')) {
      // half of the rows made it before the crash
      for (const row of rows.slice(0, Math.floor(rows.length / 2))) world.agg.set(options.rowKey(row), row);
      cache = boot();
      continue;
    }
    for (const row of rows) world.agg.set(options.rowKey(row), row);
    cache.evict();
    if (dies('commit')) { cache = boot(); continue; }
    committed += records.length;
  }
  return { ...world, loads };
}

