import { slidingWindow } from '../lib/domain/insight/cover.ts';
import { readCover } from '../lib/io/store/tally-reads.ts';
import { leadLag, type LeadLag } from '../lib/domain/insight/lead-lag.ts';
import { rankTickers, type RankBy, type RankedTicker } from '../lib/domain/insight/rankings.ts';
import { marketTimeZone, sessionCloseOf, tradesAroundTheClock } from '../lib/domain/insight/session.ts';
import { crowdSignals, type CrowdSignals } from '../lib/domain/insight/signals.ts';
import { ALL_SCOPE, DAY_MS, type MentionTally } from '../lib/domain/windows/crowd.ts';
import { mapBounded } from '../lib/io/store/cassandra-exec.ts';
import type { DashboardStore } from '../lib/io/store/repository.ts';
import type { Clock } from '../lib/runtime/clock.ts';
import { INSIGHT_QUERY, MAX_LEADLAG_RANGE_MS, WINDOWS, type WindowName } from './insight-params.ts';
import { MINUTE_MS, inputInvalid, parseQuery, resolveRange } from './params.ts';
import type { Timeline } from './timeline.ts';
import { OPENAPI } from './openapi.ts';
import { QUERY } from './params.ts';

/**
 * The insight routes (issue 11): rolling rankings, crowd signals, daily
 * history and sentiment against price. Every figure is summed from the
 * crowd tallies (exact for any sliding window, cover.ts) or read from the
 * 1-minute tables, never by scanning posts; each read touches a bounded
 * number of partitions whatever the data holds. Results that many pages ask
 * for within the same second (the rankings) are computed once.
 */
export interface RankingsBody {
  window: WindowName;
  subreddit: string | null;
  sort: RankBy;
  /** the window [from, to) and the one before it [previousFrom, from), epoch ms */
  from: number;
  to: number;
  previousFrom: number;
  /** tickers ranked in the window, before paging */
  total: number;
  offset: number;
  limit: number;
  tickers: RankedTicker[];
}

export interface CrowdBody extends CrowdSignals {
  window: WindowName;
  from: number;
  to: number;
  previous: { mentions: number; weighted: number; authors: number };
  /** mentions against the previous window of the same length; null when it had none */
  change: number | null;
}

export interface HistoryDay {
  /** epoch ms of the UTC day */
  day: number;
  mentions: number;
  weighted: number;
  upvotes: number;
  /** distinct authors of the day */
  authors: number;
  meanSentiment: number | null;
  /** the session close (16:00 New York; the UTC day's last price for round-the-clock symbols), null without trades */
  close: number | null;
  /** the minute the close was taken from */
  closeMinute: number | null;
}

export interface HistoryBody { ticker: string; timeZone: string; from: number; to: number; days: HistoryDay[] }
export interface LeadLagBody { ticker: string; from: number; to: number; mentions: LeadLag; sentiment: LeadLag }

export interface InsightApiDeps {
  store: DashboardStore;
  clock: Clock | Timeline;
  requireTicker(ticker: string): Promise<void>;
  requireSymbol(symbol: string): Promise<void>;
}

/** concurrent store reads of one request at most */
const READS = 16;

export function createInsightApi(deps: InsightApiDeps) {
  const { store, clock } = deps;
  /** one computation per key while it is fresh: a page per viewer must not mean a query per viewer */
  const memo = new Map<string, { at: number; value: Promise<unknown> }>();
  const shared = <T>(key: string, ttlMs: number, fn: () => Promise<T>): Promise<T> => {
    const wall = Date.now();
    const hit = memo.get(key);
    if (hit && wall - hit.at < ttlMs) return hit.value as Promise<T>;
    const value = fn();
    memo.set(key, { at: wall, value });
    value.catch(() => memo.delete(key));
    if (memo.size > 500) for (const [k, v] of memo) if (wall - v.at >= ttlMs) memo.delete(k);
    return value;
  };

  /** the tallies covering [fromMs, toMs), one store read per piece */
  const tallies = (fromMs: number, toMs: number, filter: { ticker?: string; scope?: string }): Promise<MentionTally[]> => readCover(store, fromMs, toMs, filter);

  return {
    async rankings(params: URLSearchParams): Promise<RankingsBody> {
      const q = parseQuery(INSIGHT_QUERY.rankings, params);
      const window = q.window ?? '24h';
      const sort = q.sort ?? 'mentions';
      const scope = q.subreddit ?? ALL_SCOPE;
      const { fromMs, toMs } = slidingWindow(clock.now(), WINDOWS[window]);
      const previousFrom = fromMs - WINDOWS[window];
      const ranked = await shared(`rankings|${window}|${scope}|${sort}|${toMs}`, 2000, async () => {
        const [current, previous] = await Promise.all([tallies(fromMs, toMs, { scope }), tallies(previousFrom, fromMs, { scope })]);
        return rankTickers(current, previous, sort);
      });
      const offset = q.offset ?? 0;
      const limit = q.limit ?? 25;
      return {
        window, subreddit: q.subreddit ?? null, sort, from: fromMs, to: toMs, previousFrom,
        total: ranked.length, offset, limit, tickers: ranked.slice(offset, offset + limit),
      };
    },

    async crowd(params: URLSearchParams): Promise<CrowdBody> {
      const q = parseQuery(INSIGHT_QUERY.crowd, params);
      await deps.requireTicker(q.ticker);
      const window = q.window ?? '24h';
      const { fromMs, toMs } = slidingWindow(clock.now(), WINDOWS[window]);
      const [current, previous] = await Promise.all([
        tallies(fromMs, toMs, { ticker: q.ticker }),
        tallies(fromMs - WINDOWS[window], fromMs, { ticker: q.ticker, scope: ALL_SCOPE }),
      ]);
      const signals = crowdSignals(q.ticker, current);
      const before = crowdSignals(q.ticker, previous);
      return {
        ...signals, window, from: fromMs, to: toMs,
        previous: { mentions: before.mentions, weighted: before.weighted, authors: before.authors },
        change: before.mentions > 0 ? (signals.mentions - before.mentions) / before.mentions : null,
      };
    },

    async history(params: URLSearchParams): Promise<HistoryBody> {
      const q = parseQuery(INSIGHT_QUERY.history, params);
      await deps.requireTicker(q.ticker);
      const days = q.days ?? 30;
      const toMs = Math.floor(clock.now() / DAY_MS) * DAY_MS + DAY_MS;
      const fromMs = toMs - days * DAY_MS;
      // counts only: a day's author count is stored beside its set (schema 7), and a busy
      // ticker's 30 sets are ~100,000 names; rows written before that have no count and
      // are read again with their sets
      let rows = await store.mentionTallies({ grain: 'day', ticker: q.ticker, scope: ALL_SCOPE, fromMs, toMs, countsOnly: true });
      if (rows.some((r) => r.authorCount === null)) rows = await store.mentionTallies({ grain: 'day', ticker: q.ticker, scope: ALL_SCOPE, fromMs, toMs });
      const byDay = new Map(rows.map((r) => [r.start, r]));
      const priced = await deps.requireSymbol(q.ticker).then(() => true, () => false);
      const starts = Array.from({ length: days }, (_, i) => fromMs + i * DAY_MS);
      const around = tradesAroundTheClock(q.ticker);
      const now = clock.now();
      const closes = !priced ? [] : await mapBounded(starts, READS, async (day) => {
        const closeAt = around ? day + DAY_MS : sessionCloseOf(day);
        // a session that has not closed yet has no close: the running price is not one
        return closeAt === null || closeAt > now ? null : store.lastCandleBefore(q.ticker, closeAt, day);
      });
      return {
        ticker: q.ticker, timeZone: marketTimeZone(q.ticker), from: fromMs, to: toMs,
        days: starts.map((day, i): HistoryDay => {
          const r = byDay.get(day);
          const c = closes[i] ?? null;
          return {
            day, mentions: r?.count ?? 0, weighted: r?.weighted ?? 0, upvotes: r?.upvotes ?? 0, authors: r?.authorCount ?? 0,
            meanSentiment: r && r.count > 0 ? r.sentimentSum / r.count : null, close: c?.close ?? null, closeMinute: c?.minute ?? null,
          };
        }),
      };
    },

    async leadLag(params: URLSearchParams): Promise<LeadLagBody> {
      const q = parseQuery(INSIGHT_QUERY.leadlag, params);
      await deps.requireSymbol(q.ticker);
      const range = resolveRange(q, clock.now(), 86_400_000);
      if (range.to - range.from > MAX_LEADLAG_RANGE_MS) throw inputInvalid(`the lead-lag range spans more than ${MAX_LEADLAG_RANGE_MS / 86_400_000} days`, { parameter: 'to' });
      const from = Math.floor(range.from / MINUTE_MS) * MINUTE_MS;
      const to = Math.floor(range.to / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
      return shared(`leadlag|${q.ticker}|${from}|${to}`, 30_000, async () => {
        const [windows, candles] = await Promise.all([store.sentimentWindows(q.ticker, from, to), store.candles(q.ticker, from, to)]);
        const [mentions, sentiment] = leadLag({
          fromMs: from, toMs: to,
          mentions: new Map(windows.map((w) => [w.minute, { count: w.count, sum: w.sum }])),
          closes: new Map(candles.map((c) => [c.minute, c.close])),
        });
        return { ticker: q.ticker, from, to, mentions: mentions!, sentiment: sentiment! };
      });
    },
  };
}

export type InsightApi = ReturnType<typeof createInsightApi>;

/** The insight routes by path, beside the dashboard's own (server.ts). */
export function insightRoutes(api: InsightApi, timeline: Timeline): Record<string, (params: URLSearchParams) => Promise<unknown>> {
  return {
    '/api/rankings': (q) => api.rankings(q),
    '/api/crowd': (q) => api.crowd(q),
    '/api/history': (q) => api.history(q),
    '/api/leadlag': (q) => api.leadLag(q),
    '/api/status': async (q) => {
      parseQuery(QUERY.none, q);
      return timeline.status();
    },
    '/api/openapi.json': async (q) => {
      parseQuery(QUERY.none, q);
      return OPENAPI;
    },
  };
}
