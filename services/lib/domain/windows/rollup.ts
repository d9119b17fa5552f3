/**
 * Coarser grains of an aggregate, rolled up from its finer rows: an hour
 * candle is a function of the hour's 1-minute candles, a day candle of the
 * day's hour candles. Reading 30 days of minutes for one chart is 43,200 rows;
 * the same range in hours is 720 and in days 30.
 *
 * A coarse bucket holds its fine rows by their start (at most 60 minutes, 24
 * hours): a fine row written again replaces its earlier version, so the
 * coarse row always equals the combination of the fine rows the store holds —
 * no identities, no dedupe: the fine rows are exact already (buckets.ts) and
 * this layer only combines them. It follows the bucket cache's protocol and
 * its floor argument, one level up:
 *
 *   1. the fine rows are drained (and written in the same durable call);
 *   2. toLoad(fine) → read the listed coarse buckets' fine rows from the
 *      store and install() them (they include step 1's rows when those are
 *      already written; put() below replaces them either way);
 *   3. put() each fine row;
 *   4. drain() → the coarse rows to upsert; evict() once they are durable.
 *
 * A coarse bucket not held may have fine rows in the store only if an earlier
 * owner or this one before an eviction wrote them: its start is then at or
 * below the floor (the raw horizon at assignment, raised to every evicted
 * bucket's start), and it is loaded. Pure: no clock, no I/O.
 */
import { evictHeld, raisedFloor, type BucketRef } from './buckets.ts';

export interface RollupSpec<Row> {
  /** coarse bucket length, milliseconds, aligned to multiples of it from the epoch (UTC) */
  sizeMs: number;
  keyOf(row: Row): string;
  /** the fine row's start, epoch milliseconds */
  startOf(row: Row): number;
  /** the coarse row of a bucket from its fine rows (sorted by start, at least one) */
  combine(key: string, start: number, rows: readonly Row[]): Row;
}

export interface RollupCache<Row> {
  /** the coarse buckets the fine rows fall in that must be read from the store first: not held, at or below the floor; each once */
  toLoad(rows: readonly Row[]): BucketRef[];
  /** installs a coarse bucket's fine rows as the store holds them; the bucket is written at the next drain */
  install(ref: BucketRef, rows: readonly Row[]): void;
  /** puts a fine row into its coarse bucket, replacing the row of the same start. Throws RangeError for a bucket toLoad() should have listed. */
  put(row: Row): void;
  /** removes the fine row of a start (a fine aggregate deleted: nothing backs it any more) */
  remove(key: string, fineStart: number): void;
  /** the coarse rows of every bucket changed since the last drain, and the coarse buckets left with no fine row (to delete) */
  drain(): { rows: Row[]; emptied: BucketRef[] };
  /** forgets buckets ending retainMs or more before the newest fine start put, raising the floor to their start */
  evict(): number;
  raiseFloor(eventTime: number): void;
  floor(): number;
  held(): number;
}

interface Entry<Row> {
  readonly key: string;
  readonly start: number;
  readonly fine: Map<number, Row>;
  dirty: boolean;
}

export function createRollupCache<Row>(spec: RollupSpec<Row>, options: { retainMs: number }): RollupCache<Row> {
  const { sizeMs } = spec;
  if (!Number.isSafeInteger(sizeMs) || sizeMs <= 0) throw new RangeError(`roll-up sizeMs must be a positive integer of milliseconds, got ${sizeMs}`);
  const { retainMs } = options;
  if (typeof retainMs !== 'number' || !Number.isFinite(retainMs) || retainMs < 0) {
    throw new RangeError(`roll-up retainMs must be a finite number ≥ 0 of milliseconds, got ${String(retainMs)}`);
  }
  const held = new Map<string, Map<number, Entry<Row>>>();
  const dirty: Entry<Row>[] = [];
  let count = 0;
  let floor = -Infinity;
  let newest = -Infinity;

  const coarseOf = (fineStart: number): number => {
    if (!Number.isFinite(fineStart)) throw new RangeError(`a fine row's start must be finite epoch milliseconds, got ${fineStart}`);
    return Math.floor(fineStart / sizeMs) * sizeMs;
  };
  const get = (key: string, start: number) => held.get(key)?.get(start);
  const create = (key: string, start: number): Entry<Row> => {
    const entry: Entry<Row> = { key, start, fine: new Map(), dirty: false };
    let byStart = held.get(key);
    if (byStart === undefined) held.set(key, (byStart = new Map()));
    const before = byStart.get(start);
    if (before !== undefined) before.dirty = false;
    else count++;
    byStart.set(start, entry);
    return entry;
  };
  const touch = (entry: Entry<Row>) => {
    if (!entry.dirty) {
      entry.dirty = true;
      dirty.push(entry);
    }
  };

  return {
    toLoad(rows) {
      const out: BucketRef[] = [];
      const listed = new Set<string>();
      for (const row of rows) {
        const key = spec.keyOf(row);
        const start = coarseOf(spec.startOf(row));
        if (start > floor || get(key, start) !== undefined) continue;
        const id = `${key}\u0000${start}`;
        if (listed.has(id)) continue;
        listed.add(id);
        out.push({ key, start, end: start + sizeMs });
      }
      return out;
    },

    install(ref, rows) {
      if (!Number.isSafeInteger(ref.start) || ref.start % sizeMs !== 0 || ref.end !== ref.start + sizeMs) {
        throw new RangeError(`not a roll-up bucket of ${sizeMs} ms: [${ref.start}, ${ref.end})`);
      }
      const entry = create(ref.key, ref.start);
      for (const row of rows) {
        if (spec.keyOf(row) !== ref.key || coarseOf(spec.startOf(row)) !== ref.start) {
          throw new RangeError(`a row of ${spec.keyOf(row)} at ${spec.startOf(row)} does not belong to roll-up bucket ${ref.key} [${ref.start}, ${ref.end})`);
        }
        entry.fine.set(spec.startOf(row), row);
      }
      // always rewritten: the stored coarse row may be missing or stale (a crash between the two writes)
      touch(entry);
    },

    put(row) {
      const key = spec.keyOf(row);
      const fineStart = spec.startOf(row);
      const start = coarseOf(fineStart);
      if (fineStart > newest) newest = fineStart;
      let entry = get(key, start);
      if (entry === undefined) {
        if (start <= floor) throw new RangeError(`roll-up bucket ${key} [${start}, ${start + sizeMs}) must be loaded from the store before a row is put in it`);
        entry = create(key, start);
      }
      entry.fine.set(fineStart, row);
      touch(entry);
    },

    remove(key, fineStart) {
      const entry = get(key, coarseOf(fineStart));
      if (entry?.fine.delete(fineStart)) touch(entry);
    },

    drain() {
      const rows: Row[] = [];
      const emptied: BucketRef[] = [];
      for (const entry of dirty) {
        entry.dirty = false;
        if (get(entry.key, entry.start) !== entry) continue;
        if (entry.fine.size === 0) {
          emptied.push({ key: entry.key, start: entry.start, end: entry.start + sizeMs });
          continue;
        }
        const fine = [...entry.fine.values()].sort((a, b) => spec.startOf(a) - spec.startOf(b));
        rows.push(spec.combine(entry.key, entry.start, fine));
      }
      dirty.length = 0;
      return { rows, emptied };
    },

    evict() {
      const out = evictHeld(held, newest - retainMs, sizeMs);
      count -= out.evicted;
      if (out.newestStart > floor) floor = out.newestStart;
      return out.evicted;
    },

    raiseFloor(eventTime) {
      floor = raisedFloor(floor, eventTime);
    },
    floor: () => floor,
    held: () => count,
  };
}
