import type { InsightReader } from '../lib/io/store/repository.ts';
import type { Clock } from '../lib/runtime/clock.ts';

/**
 * The time the dashboard's views are "now" at. Live, it is the clock. When
 * the source is a recording (STOCKSTREAMER_SOURCE=replay) it is the data's
 * own time: the newest event time stored (the raw horizons), so a replay of
 * an old recording shows its own minutes, "5 min ago" means five minutes of
 * the recording, and the page says "replay", not "live". A Clock, so the
 * API and the live stream take it as they take the system clock; the data
 * time is read in the background once a second (two point reads).
 */
export type TimeMode = 'live' | 'replay';

export interface Timeline extends Clock {
  readonly mode: TimeMode;
  /** reads the data's time now (the background refresh does it every refreshMs) */
  refresh(): Promise<void>;
  status(): Promise<TimelineStatus>;
  close(): void;
}

export interface TimelineStatus {
  mode: TimeMode;
  /** the views' now, epoch ms */
  now: number;
  /** the machine's clock, epoch ms */
  wallClock: number;
  /** the newest trade and mention stored, epoch ms; null before the first */
  dataTime: { trades: number | null; mentions: number | null };
  /** live only: nothing newer than staleAfterMs arrived (a source down, a closed market and a quiet Reddit) */
  stale: boolean;
}

/** live data older than this makes the page say so instead of "live" */
export const STALE_AFTER_MS = 5 * 60_000;

export function createTimeline(deps: { mode: TimeMode; store: Pick<InsightReader, 'dataTime'>; clock: Clock; refreshMs?: number }): Timeline {
  const { mode, store, clock } = deps;
  let dataTime: { trades: number | null; mentions: number | null } = { trades: null, mentions: null };
  const newest = () => Math.max(dataTime.trades ?? -Infinity, dataTime.mentions ?? -Infinity);
  const refresh = async (): Promise<void> => {
    try {
      dataTime = await store.dataTime();
    } catch {
      // the store not answering is the live stream's to report; the last known time stays
    }
  };
  let timer: NodeJS.Timeout | undefined;
  if (mode === 'replay') {
    void refresh();
    timer = setInterval(() => void refresh(), deps.refreshMs ?? 1000);
    timer.unref();
  }
  const now = (): number => {
    if (mode === 'live') return clock.now();
    const n = newest();
    return Number.isFinite(n) ? n : clock.now();
  };
  return {
    mode,
    now,
    refresh,
    async status() {
      await refresh();
      const wallClock = clock.now();
      const n = newest();
      return { mode, now: now(), wallClock, dataTime: { ...dataTime }, stale: mode === 'live' && (!Number.isFinite(n) || wallClock - n > STALE_AFTER_MS) };
    },
    close() {
      clearInterval(timer);
    },
  };
}
