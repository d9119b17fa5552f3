/**
 * Event-time tumbling windows for one Kafka partition, shaped so that
 * full-state upserts plus "commit no further than safePosition()" give
 * exactly-once aggregates across kill -9 and replay (ARCHITECTURE invariants 1-3).
 *
 * Time model
 *   A record at event time t belongs to the window [start, start + sizeMs) with
 *   start = floor(t / sizeMs) * sizeMs (UTC-aligned for minutes and hours).
 *   watermark = max(restored watermark, max event time accepted so far − latenessMs).
 *   A record whose window end ≤ watermark (checked BEFORE the record itself
 *   moves the watermark) is late: rejected and counted, never applied.
 *   Nothing reads a clock, so the accept/reject decision is a pure function of
 *   the record order — the property replay relies on.
 *
 * The invariant that makes replay exact
 *   (I) every window whose end > watermark holds, in memory, the fold of ALL
 *       of its records seen so far, and all of them sit at positions ≥ its
 *       firstPosition ≥ safePosition().
 *   (D) every window whose end ≤ watermark receives no more records, ever; if
 *       the caller persisted drainChanged() before committing, its durable row
 *       is final.
 *   On restart, restore(W) with the watermark saved beside the commit makes
 *   the replay from the committed position reject every record of a (D)
 *   window (already final in the store) and rebuild every (I) window from all
 *   of its records, so the last upsert of each window equals an uninterrupted
 *   run. The restore is not optional: a closed window can have records on
 *   both sides of the commit position (it accepted a slightly-late record
 *   after the open window that pins the commit began), and without W the
 *   replay would re-open it with only the later records and upsert that
 *   partial row over the final one. Replaying from any position ≤ the committed one is just as exact,
 *   which lets several aggregators on one partition commit at the minimum.
 *
 * The protocol the caller follows per batch (order matters):
 *   add(...) for each record → persist drainChanged() durably → closeExpired()
 *   → commit { position: safePosition(lastSeen), metadata: watermark() }.
 *   Committing before the drained rows are durable breaks (D): nothing here
 *   can detect that.
 */

export interface WindowSpec<In, State, Out> {
  /** window length, milliseconds; windows are aligned to multiples of it from the epoch */
  sizeMs: number;
  /** how far behind the newest event time a record may be and still count, milliseconds */
  latenessMs: number;
  /** the aggregate's key inside the window (symbol, ticker) */
  keyOf(x: In): string;
  /** event time, epoch milliseconds; must be finite (validation rejects the rest upstream) */
  timeOf(x: In): number;
  /** the empty state of one window */
  init(key: string, windowStart: number): State;
  /** fold one record into the state in place */
  add(state: State, x: In): void;
  /** the full row to upsert; must not share mutable parts with the state */
  toRow(state: State): Out;
}

export type AddResult = 'accepted' | 'late';

export interface WindowAggregator<In, Out> {
  /**
   * Folds the record into its window, or rejects it as late when its window
   * ended at or before the watermark. `position` is the record's partition offset.
   * Throws RangeError for a non-finite event time (a validation bug upstream).
   */
  add(x: In, position: number): AddResult;
  /**
   * Full-state rows of every window changed since the last call, open or
   * already closed: exactly what to upsert now. Persist them before committing.
   */
  drainChanged(): Out[];
  /**
   * Forgets the windows the watermark has passed and returns their final rows
   * (for alerts and metrics; any unpersisted change to them still comes out of
   * the next drainChanged()). Call it every batch, or safePosition() stalls.
   */
  closeExpired(): Out[];
  /** −Infinity before any record and without restore() */
  watermark(): number;
  /**
   * Raises the watermark floor to the one saved with the last commit. Call on
   * a fresh aggregator before replaying; throws once records were added,
   * because a later floor could not un-apply them.
   */
  restore(watermark: number): void;
  /**
   * The offset to commit (exclusive): the smallest first position of any window
   * still held in memory, or lastSeen + 1 when none is.
   */
  safePosition(lastSeen: number): number;
  /** windows held in memory (open, or passed by the watermark but not yet closed) */
  openWindows(): number;
  /** records rejected as late since creation */
  lateCount(): number;
}

interface Entry<State> {
  readonly start: number;
  readonly end: number;
  /** the smallest position folded into this window */
  firstPosition: number;
  readonly state: State;
  /** already queued for the next drainChanged() */
  dirty: boolean;
}

export function createWindowAggregator<In, State, Out>(spec: WindowSpec<In, State, Out>): WindowAggregator<In, Out> {
  const { sizeMs, latenessMs } = spec;
  if (!Number.isSafeInteger(sizeMs) || sizeMs <= 0) throw new RangeError(`window sizeMs must be a positive integer of milliseconds, got ${sizeMs}`);
  if (!Number.isFinite(latenessMs) || latenessMs < 0) throw new RangeError(`window latenessMs must be a finite number ≥ 0 of milliseconds, got ${latenessMs}`);

  // Two-level map (key → window start → entry) so the hot path builds no
  // composite string key per record.
  const open = new Map<string, Map<number, Entry<State>>>();
  const dirty: Entry<State>[] = [];
  let held = 0;
  let late = 0;
  let added = false;
  let maxTime = -Infinity;
  let wm = -Infinity;
  // Earliest end among held windows: lets closeExpired() skip the scan when
  // the watermark has not reached any of them, the common case per batch.
  let minEnd = Infinity;

  return {
    add(x, position) {
      const t = spec.timeOf(x);
      if (!Number.isFinite(t)) throw new RangeError(`event time must be finite epoch milliseconds, got ${t}`);
      const start = Math.floor(t / sizeMs) * sizeMs;
      const end = start + sizeMs;
      if (end <= wm) {
        late++;
        return 'late';
      }
      added = true;
      if (t > maxTime) {
        maxTime = t;
        const candidate = t - latenessMs;
        if (candidate > wm) wm = candidate;
      }
      const key = spec.keyOf(x);
      let byStart = open.get(key);
      if (byStart === undefined) {
        byStart = new Map();
        open.set(key, byStart);
      }
      let entry = byStart.get(start);
      if (entry === undefined) {
        entry = { start, end, firstPosition: position, state: spec.init(key, start), dirty: false };
        byStart.set(start, entry);
        held++;
        if (end < minEnd) minEnd = end;
      } else if (position < entry.firstPosition) {
        // Positions only grow within a partition; keeping the minimum makes the
        // commit bound safe even if a caller ever feeds them out of order.
        entry.firstPosition = position;
      }
      spec.add(entry.state, x);
      if (!entry.dirty) {
        entry.dirty = true;
        dirty.push(entry);
      }
      return 'accepted';
    },

    drainChanged() {
      const rows: Out[] = new Array(dirty.length);
      for (let i = 0; i < dirty.length; i++) {
        const entry = dirty[i]!;
        entry.dirty = false;
        rows[i] = spec.toRow(entry.state);
      }
      dirty.length = 0;
      return rows;
    },

    closeExpired() {
      const rows: Out[] = [];
      if (wm < minEnd) return rows;
      let nextMinEnd = Infinity;
      for (const [key, byStart] of open) {
        for (const [start, entry] of byStart) {
          if (entry.end <= wm) {
            rows.push(spec.toRow(entry.state));
            byStart.delete(start);
            held--;
          } else if (entry.end < nextMinEnd) {
            nextMinEnd = entry.end;
          }
        }
        // Drop empty per-key maps so a stream of one-off tickers cannot grow memory.
        if (byStart.size === 0) open.delete(key);
      }
      minEnd = nextMinEnd;
      return rows;
    },

    watermark() {
      return wm;
    },

    restore(watermark) {
      if (typeof watermark !== 'number' || Number.isNaN(watermark) || watermark === Infinity) {
        throw new RangeError(`restored watermark must be a number or -Infinity, got ${String(watermark)}`);
      }
      if (added) throw new Error('restore() must come before the first accepted add(): replay starts from a fresh aggregator');
      if (watermark > wm) wm = watermark;
    },

    safePosition(lastSeen) {
      let safe = lastSeen + 1;
      for (const byStart of open.values()) {
        for (const entry of byStart.values()) {
          if (entry.firstPosition < safe) safe = entry.firstPosition;
        }
      }
      return safe;
    },

    openWindows() {
      return held;
    },

    lateCount() {
      return late;
    },
  };
}
