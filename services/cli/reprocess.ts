import cliProgress from 'cli-progress';
import type { RawFamily, Store } from '../lib/io/store/repository.ts';
import { mapBounded } from '../lib/io/store/cassandra-exec.ts';
import type { Clock } from '../lib/runtime/clock.ts';
import type { Logger } from '../lib/runtime/logger.ts';
import { createVersionClock } from '../processor/pipeline.ts';
import { hoursOf, rebuilders, type RebuildResult } from '../processor/rebuild.ts';

/**
 * `stockstreamer reprocess --from <time> [--to <time>]`: rebuilds every
 * aggregate of the range from the raw rows (services/processor/rebuild.ts),
 * key by key, with a progress bar. Safe next to a running processor on the
 * real stack (see rebuild.ts); the embedded mode takes the home lock instead.
 */
export interface ReprocessOptions {
  fromMs: number;
  toMs: number;
  families: RawFamily[];
  /**
   * Raw trades older than this may have expired (their TTL): candles before it
   * are left as they are rather than rebuilt from what is left. −Infinity when
   * raw trades are kept forever.
   */
  keptSinceMs?: number;
}

export interface ReprocessSummary extends RebuildResult {
  keys: Record<RawFamily, number>;
  hours: number;
  ms: number;
}

const LABEL: Record<RawFamily, string> = { trades: 'candles (per symbol)', mentions: 'sentiment + mentions (per ticker)' };
/** keys rebuilt side by side: enough to keep Cassandra busy, few enough to stay out of the live processor's way */
const CONCURRENCY = 4;

export async function reprocess(deps: { store: Store; logger: Logger; clock: Clock; out: NodeJS.WritableStream & { isTTY?: boolean } }, options: ReprocessOptions): Promise<ReprocessSummary> {
  const started = deps.clock.now();
  const versions = createVersionClock(deps.clock);
  // never below what is stored: a rebuild must win over every row it replaces
  versions.observe(await deps.store.versionHorizon());
  const summary: ReprocessSummary = { written: 0, deleted: 0, retried: 0, keys: { trades: 0, mentions: 0 }, hours: hoursOf(options.fromMs, options.toMs).length, ms: 0 };
  const bars = new cliProgress.MultiBar({
    format: '{family} |{bar}| {value}/{total} keys, {rows} rows written',
    stream: deps.out as NodeJS.WritableStream & { isTTY: boolean },
    // without a terminal (CI, a pod's log): a plain line every 5 s instead of redraws
    noTTYOutput: true,
    notTTYSchedule: 5000,
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  try {
    for (const family of options.families) {
      let fromMs = options.fromMs;
      if (family === 'trades' && options.keptSinceMs !== undefined && fromMs < options.keptSinceMs) {
        fromMs = Math.ceil(options.keptSinceMs / 3_600_000) * 3_600_000;
        deps.logger.warn(`reprocess: raw trades before ${new Date(options.keptSinceMs).toISOString()} may have expired (STOCKSTREAMER_TRADE_TTL_S); candles are rebuilt from ${new Date(fromMs).toISOString()} on, older ones kept`);
        if (fromMs >= options.toMs) continue;
      }
      const keys = await deps.store.rawKeys(family, fromMs, options.toMs);
      summary.keys[family] = keys.length;
      const bar = bars.create(keys.length, 0, { family: LABEL[family], rows: 0 });
      let rows = 0;
      await mapBounded(keys, CONCURRENCY, async (key) => {
        const r = await rebuilders[family]({ store: deps.store, versions }, key, fromMs, options.toMs);
        summary.written += r.written;
        summary.deleted += r.deleted;
        summary.retried += r.retried;
        rows += r.written;
        bar.increment(1, { rows });
      });
      bar.stop();
    }
  } finally {
    bars.stop();
  }
  summary.ms = deps.clock.now() - started;
  return summary;
}

/**
 * A time on the command line: ISO 8601 ("2026-12-01", "2026-12-01T14:00Z")
 * or a duration ago ("90m", "2h", "3d").
 */
export function parseTime(text: string, now: number, durationMs: (s: string) => number | undefined): number {
  const ago = durationMs(text);
  if (ago !== undefined && Number.isFinite(ago) && ago >= 0) return now - ago;
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const t = Date.parse(text);
    if (Number.isFinite(t)) return t;
  }
  throw new RangeError(`"${text}" is neither an ISO 8601 time (2026-12-01T14:00Z) nor a duration ago (90m, 2h, 3d)`);
}
