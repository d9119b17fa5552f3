/**
 * Event-time buckets that can always be rebuilt from the raw rows.
 *
 * An aggregate row (a candle, a minute of sentiment, an hour of mentions) is a
 * pure function of the raw rows of its bucket: the trades of one symbol in one
 * minute (trades_by_symbol), the mentions of one ticker in one hour
 * (posts_by_ticker). This cache holds the state of some buckets in memory so
 * that the common case — a record for a bucket already held — folds in O(1);
 * any other bucket is rebuilt from the raw rows the store holds. Nothing is
 * ever rejected as late: a bucket that was evicted, or never seen by this
 * process, is read back from the store and the record lands in it. How long a
 * bucket stays in memory (retainMs) therefore bounds memory, never correctness.
 *
 * The protocol the caller follows per batch (order matters):
 *   1. write the batch's raw rows durably (for mentions: the post handler did,
 *      before it published them);
 *   2. toLoad(records) → read every listed bucket's raw rows from the store
 *      and install() them (the read sees step 1's rows);
 *   3. add() each record;
 *   4. drain() → upsert the rows durably;
 *   5. evict(); then the batch may be committed.
 *   Every row written in step 4 equals the recomputation from the raw rows
 *   that the store held after step 1 plus what the bucket folded since it was
 *   loaded — for a bucket that is only ever written by this owner, exactly the
 *   raw rows. Commits need not wait for any window to close, so a restart
 *   re-reads at most the batch in flight.
 *
 * Which buckets must be loaded
 *   A bucket not held may still have raw rows, written by an earlier owner of
 *   the partition (a restart, a rebalance) or by this one before it evicted
 *   the bucket. The floor is the newest event time such rows can have: the
 *   store's raw horizon when the partition was assigned (the newest event
 *   time of any raw row written before; see StoreWriter) raised to the start
 *   of every bucket evicted since. A bucket starting after the floor cannot
 *   hold a raw row this cache has not seen, because every raw row written
 *   after the assignment came from a record this owner folds itself, in
 *   partition order. A bucket starting at or before the floor is loaded.
 *
 * Identity
 *   Each record has an id within its bucket: the raw table's primary key
 *   (trade: timestamp + seq; mention: created + post). A record whose id the
 *   bucket already holds is not folded again, so a duplicate on the bus never
 *   counts twice. A record whose id is held with other values (a digest
 *   differs) means the raw table now holds one of two versions: the bucket is
 *   dropped and reloaded, so it mirrors what the store kept.
 *
 * Pure: no clock, no I/O. Event times are validated upstream (finite, plausible).
 */

export interface BucketSpec<In, State, Out> {
  /** bucket length, milliseconds; buckets are aligned to multiples of it from the epoch (UTC) */
  sizeMs: number;
  /** the aggregate's key: symbol, ticker */
  keyOf(x: In): string;
  /** event time, epoch milliseconds */
  timeOf(x: In): number;
  /** the record's identity within its bucket: the raw table's key */
  idOf(x: In, bucketStart: number): number | string;
  /** a small integer digest of the record's values, to notice one id arriving with other values */
  digestOf(x: In): number;
  /** the empty state of one bucket */
  create(key: string, start: number): State;
  /** folds a record the bucket does not hold yet, in place */
  add(state: State, x: In): void;
  /** the rows to upsert for what changed since the last drain of this bucket; must not share mutable parts with the state */
  drain(state: State): Out[];
}

export interface BucketRef {
  key: string;
  /** epoch milliseconds, inclusive */
  start: number;
  /** epoch milliseconds, exclusive */
  end: number;
}

export interface BucketCache<In, Out> {
  /**
   * The buckets the records fall in that must be rebuilt from the raw rows
   * before add(): not held and starting at or before the floor, or held (or
   * seen earlier in this batch) with one of the record ids carrying other
   * values. Held buckets in the second case are dropped here. Each bucket once.
   */
  toLoad(records: readonly In[]): BucketRef[];
  /** Installs a bucket rebuilt from all of its raw rows; it is written at the next drain. */
  install(ref: BucketRef, rows: readonly In[]): void;
  /**
   * Folds a record into its bucket (created empty when it is fresh). A record
   * whose id the bucket holds is skipped. A record whose id the bucket holds
   * with other values, or that falls in a bucket waiting for its load, puts
   * the bucket on pending(): the caller loads and installs it again (the
   * batch's raw rows are in the store already, so the load includes them).
   * Throws RangeError for a bucket at or below the floor that toLoad() never
   * listed: folding it would write a partial aggregate over a complete one.
   */
  add(x: In): void;
  /** buckets listed for loading and not installed yet (after add() met a conflict) */
  pending(): BucketRef[];
  /** rows of every bucket changed since the last drain: exactly what to upsert now */
  drain(): Out[];
  /**
   * Forgets buckets ending retainMs or more before the newest event time
   * added, and raises the floor to their start. Call after the drained rows
   * are durable. Returns how many were forgotten.
   */
  evict(): number;
  /** raises the floor (never lowers it): buckets starting at or before it may hold raw rows this cache never saw */
  raiseFloor(eventTime: number): void;
  floor(): number;
  /** buckets held in memory */
  held(): number;
  /** every bucket key held, for tests and metrics */
  keys(): string[];
}

interface Entry<State> {
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly state: State;
  /** id → digest of every record folded */
  readonly ids: Map<number | string, number>;
  dirty: boolean;
}

export function createBucketCache<In, State, Out>(spec: BucketSpec<In, State, Out>, options: { retainMs: number }): BucketCache<In, Out> {
  const { sizeMs } = spec;
  if (!Number.isSafeInteger(sizeMs) || sizeMs <= 0) throw new RangeError(`bucket sizeMs must be a positive integer of milliseconds, got ${sizeMs}`);
  const { retainMs } = options;
  if (typeof retainMs !== 'number' || !Number.isFinite(retainMs) || retainMs < 0) {
    throw new RangeError(`bucket retainMs must be a finite number ≥ 0 of milliseconds, got ${String(retainMs)}`);
  }

  // key → bucket start → entry: the hot path builds no composite string per record.
  const held = new Map<string, Map<number, Entry<State>>>();
  const dirty: Entry<State>[] = [];
  /** buckets toLoad() listed and install() has not filled yet: key → starts */
  const pending = new Map<string, Set<number>>();
  let count = 0;
  let floor = -Infinity;
  let newest = -Infinity;

  const startOf = (x: In): number => {
    const t = spec.timeOf(x);
    if (!Number.isFinite(t)) throw new RangeError(`event time must be finite epoch milliseconds, got ${t}`);
    return Math.floor(t / sizeMs) * sizeMs;
  };
  const get = (key: string, start: number): Entry<State> | undefined => held.get(key)?.get(start);
  const drop = (key: string, start: number): void => {
    const byStart = held.get(key);
    if (byStart?.delete(start)) {
      count--;
      if (byStart.size === 0) held.delete(key);
    }
  };
  const put = (key: string, start: number): Entry<State> => {
    const entry: Entry<State> = { key, start, end: start + sizeMs, state: spec.create(key, start), ids: new Map(), dirty: false };
    let byStart = held.get(key);
    if (byStart === undefined) held.set(key, (byStart = new Map()));
    byStart.set(start, entry);
    count++;
    return entry;
  };
  const markDirty = (entry: Entry<State>): void => {
    if (!entry.dirty) {
      entry.dirty = true;
      dirty.push(entry);
    }
  };

  /** drops the bucket and lists it for a load from the raw rows */
  const pend = (key: string, start: number): BucketRef => {
    drop(key, start);
    let starts = pending.get(key);
    if (starts === undefined) pending.set(key, (starts = new Set()));
    starts.add(start);
    return { key, start, end: start + sizeMs };
  };

  return {
    toLoad(records) {
      const out: BucketRef[] = [];
      for (const x of records) {
        const key = spec.keyOf(x);
        const start = startOf(x);
        if (pending.get(key)?.has(start)) continue;
        const entry = get(key, start);
        if (entry === undefined) {
          if (start <= floor) out.push(pend(key, start));
          continue;
        }
        const digest = entry.ids.get(spec.idOf(x, start));
        if (digest !== undefined && digest !== spec.digestOf(x)) out.push(pend(key, start));
      }
      return out;
    },

    install(ref, rows) {
      if (!Number.isSafeInteger(ref.start) || ref.start % sizeMs !== 0 || ref.end !== ref.start + sizeMs) {
        throw new RangeError(`not a bucket of ${sizeMs} ms: [${ref.start}, ${ref.end})`);
      }
      const starts = pending.get(ref.key);
      if (starts?.delete(ref.start) && starts.size === 0) pending.delete(ref.key);
      drop(ref.key, ref.start);
      const entry = put(ref.key, ref.start);
      for (const x of rows) {
        if (spec.keyOf(x) !== ref.key || startOf(x) !== ref.start) {
          throw new RangeError(`a raw row of ${spec.keyOf(x)} at ${spec.timeOf(x)} does not belong to bucket ${ref.key} [${ref.start}, ${ref.end})`);
        }
        const id = spec.idOf(x, ref.start);
        if (entry.ids.has(id)) continue;
        entry.ids.set(id, spec.digestOf(x));
        spec.add(entry.state, x);
      }
      // Always rewritten: the stored aggregate may be partial (a crash between
      // raw rows and aggregate) or stale (an older owner's write).
      markDirty(entry);
    },

    add(x) {
      const key = spec.keyOf(x);
      const start = startOf(x);
      const t = spec.timeOf(x);
      if (t > newest) newest = t;
      if (pending.get(key)?.has(start)) return;
      let entry = get(key, start);
      if (entry === undefined) {
        if (start <= floor) {
          throw new RangeError(`bucket ${key} [${start}, ${start + sizeMs}) must be loaded from the raw rows before a record is added to it`);
        }
        entry = put(key, start);
      }
      const id = spec.idOf(x, start);
      const digest = spec.digestOf(x);
      const known = entry.ids.get(id);
      if (known === digest) return;
      if (known !== undefined) {
        pend(key, start);
        return;
      }
      entry.ids.set(id, digest);
      spec.add(entry.state, x);
      markDirty(entry);
    },

    pending() {
      const out: BucketRef[] = [];
      for (const [key, starts] of pending) for (const start of starts) out.push({ key, start, end: start + sizeMs });
      return out;
    },

    drain() {
      const rows: Out[] = [];
      for (const entry of dirty) {
        entry.dirty = false;
        // A bucket dropped for a reload since it changed: its replacement speaks for it.
        if (get(entry.key, entry.start) !== entry) continue;
        for (const row of spec.drain(entry.state)) rows.push(row);
      }
      dirty.length = 0;
      return rows;
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
    keys() {
      const out: string[] = [];
      for (const [key, byStart] of held) for (const start of byStart.keys()) out.push(`${key}@${start}`);
      return out;
    },
  };
}

/**
 * Forgets the held buckets (key → start → entry) ending at or before
 * `horizon`, but never one not drained yet (dirty: its rows are not written).
 * Returns how many went and the newest start among them (−Infinity for none):
 * the caller's floor rises to it. Shared by the bucket and roll-up caches.
 */
export function evictHeld(held: Map<string, Map<number, { dirty: boolean }>>, horizon: number, sizeMs: number): { evicted: number; newestStart: number } {
  let evicted = 0;
  let newestStart = -Infinity;
  for (const [key, byStart] of held) {
    for (const [start, entry] of byStart) {
      if (start + sizeMs <= horizon && !entry.dirty) {
        byStart.delete(start);
        evicted++;
        if (start > newestStart) newestStart = start;
      }
    }
    if (byStart.size === 0) held.delete(key);
  }
  return { evicted, newestStart };
}

/** a floor raised to an event time (never lowered); NaN and non-numbers are a caller's bug */
export function raisedFloor(floor: number, eventTime: number): number {
  if (typeof eventTime !== 'number' || Number.isNaN(eventTime)) throw new RangeError(`floor must be a number, got ${String(eventTime)}`);
  return eventTime > floor ? eventTime : floor;
}

/**
 * A 31-bit digest of numbers (and a short string), for BucketSpec.digestOf:
 * FNV-1a over their IEEE-754 bytes. Equal inputs give equal digests; a
 * collision only means a conflicting duplicate goes unnoticed, 1 in 2^31.
 */
const scratch = new Float64Array(1);
const bytes = new Uint8Array(scratch.buffer);
export function digestOf(numbers: readonly number[], text = ''): number {
  let h = 0x811c9dc5;
  for (const n of numbers) {
    scratch[0] = n;
    for (let i = 0; i < 8; i++) {
      h ^= bytes[i]!;
      h = Math.imul(h, 0x01000193);
    }
  }
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 1) & 0x3fffffff;
}
