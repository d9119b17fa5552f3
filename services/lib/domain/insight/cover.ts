import { DAY_MS, GRAIN_MS, type Grain } from '../windows/crowd.ts';

/**
 * The exact cover of a sliding window by crowd tallies: whole UTC days in the
 * middle, whole hours beside them, minutes at the edges. Tallies are exact
 * for their bucket, so the sum over the cover is exact for the window, to the
 * minute, for any length: a 24-hour window is 23 hours and up to 120 minutes,
 * a 7-day window 6 days, up to 46 hours and 118 minutes. Each piece lies in
 * at most a couple of storage partitions (minutes are partitioned by hour,
 * hours and days by day), so a read never grows with the data.
 */
export interface CoverPiece {
  grain: Grain;
  /** epoch milliseconds, inclusive; a multiple of the grain */
  fromMs: number;
  /** epoch milliseconds, exclusive; a multiple of the grain */
  toMs: number;
}

const floorTo = (t: number, size: number): number => Math.floor(t / size) * size;
const ceilTo = (t: number, size: number): number => Math.ceil(t / size) * size;

/** [fromMs, toMs) covered by the coarsest buckets that fit; both ends must be whole minutes. */
export function coverWindow(fromMs: number, toMs: number): CoverPiece[] {
  const minute = GRAIN_MS.minute;
  if (fromMs % minute !== 0 || toMs % minute !== 0) throw new RangeError(`a window is covered to the minute: [${fromMs}, ${toMs}) is not minute-aligned`);
  if (!(toMs > fromMs)) return [];
  const out: CoverPiece[] = [];
  const hoursAndMinutes = (a: number, b: number): void => {
    if (!(b > a)) return;
    const h0 = ceilTo(a, GRAIN_MS.hour);
    const h1 = floorTo(b, GRAIN_MS.hour);
    if (h0 < h1) {
      if (a < h0) out.push({ grain: 'minute', fromMs: a, toMs: h0 });
      out.push({ grain: 'hour', fromMs: h0, toMs: h1 });
      if (h1 < b) out.push({ grain: 'minute', fromMs: h1, toMs: b });
    } else {
      out.push({ grain: 'minute', fromMs: a, toMs: b });
    }
  };
  const d0 = ceilTo(fromMs, DAY_MS);
  const d1 = floorTo(toMs, DAY_MS);
  if (d0 < d1) {
    hoursAndMinutes(fromMs, d0);
    out.push({ grain: 'day', fromMs: d0, toMs: d1 });
    hoursAndMinutes(d1, toMs);
  } else {
    hoursAndMinutes(fromMs, toMs);
  }
  return out;
}

/**
 * The sliding window ending with the running minute: [to − length, to) with
 * `to` the end of the minute `nowMs` is in. It moves every minute, never
 * jumps at the top of the hour, and counts what arrived seconds ago; the
 * running minute is partly filled, so a window reads at most one minute's
 * worth low against the whole previous one (1/60 of a 1-hour window).
 */
export function slidingWindow(nowMs: number, lengthMs: number): { fromMs: number; toMs: number } {
  const toMs = floorTo(nowMs, GRAIN_MS.minute) + GRAIN_MS.minute;
  return { fromMs: toMs - lengthMs, toMs };
}
