import { coverWindow } from '../../domain/insight/cover.ts';
import type { MentionTally } from '../../domain/windows/crowd.ts';
import type { InsightReader } from './repository.ts';

/**
 * The crowd tallies covering a minute-aligned window [fromMs, toMs): one
 * store read per piece of its exact cover (whole days, whole hours, edge
 * minutes; domain/insight/cover.ts), so the read stays bounded whatever the
 * window's length. Shared by the dashboard's rankings and crowd views and
 * the alerter's unusual-buzz rule.
 */
export async function readCover(store: Pick<InsightReader, 'mentionTallies'>, fromMs: number, toMs: number, filter: { ticker?: string; scope?: string } = {}): Promise<MentionTally[]> {
  const parts = await Promise.all(coverWindow(fromMs, toMs).map((p) => store.mentionTallies({ ...p, ...filter })));
  return parts.flat();
}

/** Exact mentions per ticker in the window, every subreddit together. */
export async function windowCounts(store: Pick<InsightReader, 'mentionTallies'>, fromMs: number, toMs: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const t of await readCover(store, fromMs, toMs)) counts.set(t.ticker, (counts.get(t.ticker) ?? 0) + t.count);
  return counts;
}
