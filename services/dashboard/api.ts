import type { Candle, SentimentWindow } from '../lib/domain/types.ts';
import { ALL_SCOPE } from '../lib/domain/windows/crowd.ts';
import { HOUR_MS, type DashboardStore } from '../lib/io/store/repository.ts';
import type { Clock } from '../lib/runtime/clock.ts';
import {
  deriveAlerts, deriveCandles, derivePost, derivePrice, deriveSentiment, deriveTopMentions, mentionWindows,
  type AlertView, type PostView, type PriceView, type SentimentPointView, type TopMentionView,
} from './derive.ts';
import { CANDLE_GRAINS, SENTIMENT_GRAINS, QUERY, candleGrainFor, inputInvalid, parseQuery, resolveGrainRange, sentimentGrainFor, type CandleGrainName } from './params.ts';
import { createPriceReferences } from './price-reference.ts';

/**
 * The dashboard's queries, over StoreReader only, so the same code serves the
 * embedded SQLite store and Cassandra. Each method takes the raw query
 * string, validates it (StockstreamerError INPUT_INVALID → 400) and returns
 * the JSON body. The HTTP layer and the live stream both call these.
 */

export interface SymbolView {
  symbol: string;
  name: string | null;
}

/** `grain` says what each candle spans; a candle's `minute` is its start (the minute, hour or UTC day) */
export interface CandlesBody { symbol: string; grain: CandleGrainName; from: number; to: number; candles: Candle[] }
/** `grain`: 1m (points are minutes) or 1h (hours); `span` is the moving average's length in points of the grain */
export interface SentimentBody { ticker: string; grain: '1m' | '1h'; from: number; to: number; span: number; points: SentimentPointView[] }
export interface MentionsBody { hours: number; currentFrom: number; previousFrom: number; to: number; tickers: TopMentionView[] }
export interface PostsBody { ticker: string | null; posts: PostView[] }
export interface AlertsBody { alerts: AlertView[] }

export interface DashboardApiDeps {
  store: DashboardStore;
  clock: Clock;
  /** the configured symbols: the picker's list and the symbols whose charts may be asked for */
  symbols: readonly string[];
  /** default moving-average span of the sentiment chart, minutes */
  sentimentSpanMinutes?: number;
}

export type DashboardApi = ReturnType<typeof createDashboardApi>;

export function createDashboardApi(deps: DashboardApiDeps) {
  const { store, clock } = deps;
  const configured = [...new Set(deps.symbols.map((s) => s.toUpperCase()))];
  const defaultSpan = deps.sentimentSpanMinutes ?? 10; // minutes
  const names = new Map<string, string>();
  const references = createPriceReferences(store);

  /** Names are cached once found; misses are not, so a stream of made-up tickers cannot grow the cache. */
  const nameOf = async (symbol: string): Promise<string | null> => {
    const cached = names.get(symbol);
    if (cached !== undefined) return cached;
    const name = (await store.company(symbol))?.name ?? null;
    if (name !== null) names.set(symbol, name);
    return name;
  };

  /** Symbols with prices: the configured ones plus any the feed brought (a replay of other symbols). */
  const knownSymbols = async (): Promise<string[]> => {
    const priced = (await store.latestPrices()).map((p) => p.symbol);
    return [...new Set([...configured, ...priced])];
  };

  const requireSymbol = async (symbol: string): Promise<void> => {
    if (configured.includes(symbol)) return;
    if ((await store.latestPrices()).some((p) => p.symbol === symbol)) return;
    throw inputInvalid(`unknown symbol ${symbol}; known: ${configured.join(', ')}`, { parameter: 'symbol' });
  };

  /** Tickers of the sentiment and posts views: any tracked symbol or any company of the universe. */
  const requireTicker = async (ticker: string): Promise<void> => {
    if (configured.includes(ticker)) return;
    if ((await nameOf(ticker)) !== null) return;
    throw inputInvalid(`unknown ticker ${ticker}: not a tracked symbol nor a listed company`, { parameter: 'ticker' });
  };

  return {
    async symbols(params = new URLSearchParams()): Promise<{ symbols: SymbolView[] }> {
      parseQuery(QUERY.none, params);
      const symbols = await knownSymbols();
      return { symbols: await Promise.all(symbols.map(async (symbol) => ({ symbol, name: await nameOf(symbol) }))) };
    },

    async prices(params = new URLSearchParams()): Promise<{ prices: PriceView[] }> {
      parseQuery(QUERY.none, params);
      const rows = await store.latestPrices();
      const prices = await Promise.all(rows.map(async (p) => derivePrice(p, await nameOf(p.symbol), await references.of(p))));
      return { prices: prices.sort((a, b) => a.symbol.localeCompare(b.symbol)) };
    },

    async candles(params: URLSearchParams): Promise<CandlesBody> {
      const q = parseQuery(QUERY.candles, params);
      // the grain asked, or the one the range calls for: a month of minutes is 43,200 rows, of hours 720
      const { grain, from, to, start } = resolveGrainRange(q, clock.now(), CANDLE_GRAINS, candleGrainFor,
        { '1m': ' of 1-minute candles (grain=1h or 1d for longer)' });
      await requireSymbol(q.symbol);
      // rows are keyed by their start: `start` and to + 1 take the first and the running bucket in
      const rows = grain === '1m' ? await store.candles(q.symbol, start, to + 1)
        : await store.candleRollups(grain === '1h' ? 'hour' : 'day', q.symbol, start, to + 1);
      return { symbol: q.symbol, grain, from, to, candles: deriveCandles(rows) };
    },

    async sentiment(params: URLSearchParams): Promise<SentimentBody> {
      const q = parseQuery(QUERY.sentiment, params);
      const { grain, from, to, start } = resolveGrainRange(q, clock.now(), SENTIMENT_GRAINS, sentimentGrainFor, { '1m': ' of minutes (grain=1h for longer)' });
      const points = q.span ?? defaultSpan; // buckets of the grain: minutes or hours
      await requireTicker(q.ticker);
      // Read one span earlier so the first plotted buckets average over a full span.
      const readFrom = start - points * SENTIMENT_GRAINS[grain].ms;
      const windows = grain === '1m' ? await store.sentimentWindows(q.ticker, readFrom, to + 1)
        : (await store.mentionTallies({ grain: 'hour', ticker: q.ticker, scope: ALL_SCOPE, countsOnly: true, fromMs: readFrom, toMs: to + 1 }))
          .map((t): SentimentWindow => ({ ticker: t.ticker, minute: t.start, count: t.count, sum: t.sentimentSum, sumSquares: 0, pos: t.pos, neg: t.neg, neu: t.neu }));
      // sentimentSeries spans minutes: an hourly span of n buckets is n × 60 of them
      const series = deriveSentiment(windows, grain === '1m' ? points : points * 60, start, to + 1);
      return { ticker: q.ticker, grain, from, to, span: points, points: series };
    },

    async topMentions(params = new URLSearchParams()): Promise<MentionsBody> {
      const q = parseQuery(QUERY.mentions, params);
      const hours = q.hours ?? 1;
      const now = clock.now();
      const w = mentionWindows(now, hours);
      const rows = await store.mentionsHours(w.previousFrom, w.to);
      return { hours, ...w, tickers: deriveTopMentions(rows, now, hours, q.limit ?? 15) };
    },

    async posts(params = new URLSearchParams()): Promise<PostsBody> {
      const q = parseQuery(QUERY.posts, params);
      if (q.ticker !== undefined) await requireTicker(q.ticker);
      const rows = await store.latestPosts({ ticker: q.ticker, limit: q.limit ?? 30 });
      return { ticker: q.ticker ?? null, posts: rows.map((r) => derivePost(r)) };
    },

    async alerts(params = new URLSearchParams()): Promise<AlertsBody> {
      const q = parseQuery(QUERY.alerts, params);
      const now = clock.now();
      const rows = await store.alerts(now - (q.hours ?? 24) * HOUR_MS, now + 1, q.limit ?? 50);
      return { alerts: deriveAlerts(rows) };
    },

    requireSymbol,
    requireTicker,
  };
}
