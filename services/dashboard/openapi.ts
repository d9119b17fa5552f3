import { z } from 'zod';
import { INSIGHT_QUERY } from './insight-params.ts';
import { QUERY } from './params.ts';

/**
 * The public JSON API as an OpenAPI 3.1 document, served at
 * /api/openapi.json. Parameters come from the very schemas that validate the
 * requests (params.ts, insight-params.ts) and responses from the schemas
 * below, which openapi.test.ts holds every real response to (strict objects:
 * an undocumented field fails the test), so the document cannot drift from
 * what the server does.
 */
const n = z.number();
const nullableNumber = n.nullable();
const label = z.enum(['pos', 'neg', 'neu']);
const ms = n.int().describe('epoch milliseconds (UTC)');

const candle = z.strictObject({ symbol: z.string(), minute: ms, open: n, high: n, low: n, close: n, volume: n, trades: n.int() });
const topPost = z.strictObject({ postId: z.string(), created: ms, score: n.int(), permalink: z.string(), text: z.string() });
const scopeSignals = {
  mentions: n.int(), weighted: n.int().describe('upvote-weighted mentions: each counts max(score, 1) times'), upvotes: n.int(),
  authors: n.int().describe('distinct accounts'), mentionsPerAuthor: nullableNumber, meanSentiment: nullableNumber, bullish: n, bearish: n, neutral: n,
};
const leadLag = z.strictObject({
  series: z.enum(['mentions', 'sentiment']),
  lags: z.array(z.strictObject({ lag: n.int(), r: nullableNumber, n: n.int() })),
  best: z.strictObject({ lag: n.int(), r: nullableNumber, n: n.int() }).nullable(),
  threshold: nullableNumber.describe('|r| the best lag must exceed: what chance gives on this data'),
  verdict: z.enum(['too_little_data', 'no_clear_lead', 'chatter_leads', 'price_leads', 'together']),
  summary: z.string(),
});

export const RESPONSES = {
  '/api/symbols': z.strictObject({ symbols: z.array(z.strictObject({ symbol: z.string(), name: z.string().nullable() })) }),
  '/api/prices': z.strictObject({
    prices: z.array(z.strictObject({
      symbol: z.string(), name: z.string().nullable(), price: n, timestamp: ms, dayOpen: nullableNumber, timeZone: z.string(),
      reference: z.strictObject({ kind: z.enum(['previous_close', 'rolling_24h']), at: ms, price: n, minute: ms, timeZone: z.string() }).nullable()
        .describe('the previous 16:00 New York close, or the price 24 h earlier for round-the-clock symbols'),
      change: nullableNumber, changePct: nullableNumber,
    })),
  }),
  '/api/candles': z.strictObject({ symbol: z.string(), grain: z.enum(['1m', '1h', '1d']), from: ms, to: ms, candles: z.array(candle) }),
  '/api/sentiment': z.strictObject({
    ticker: z.string(), grain: z.enum(['1m', '1h']), from: ms, to: ms, span: n.int(),
    points: z.array(z.strictObject({ minute: ms, count: n.int(), mean: n, movingAverage: n, volatility: n, upper: n, lower: n })),
  }),
  '/api/mentions/top': z.strictObject({
    hours: n.int(), currentFrom: ms, previousFrom: ms, to: ms,
    tickers: z.array(z.strictObject({
      ticker: z.string(), count: n.int(), meanSentiment: n, previousCount: n.int(), previousMeanSentiment: nullableNumber, changePct: nullableNumber, sentimentChange: nullableNumber,
    })),
  }).describe('clock hours; /api/rankings slides with the minute'),
  '/api/posts': z.strictObject({
    ticker: z.string().nullable(),
    posts: z.array(z.strictObject({
      fullname: z.string(), kind: z.enum(['submission', 'comment']), subreddit: z.string(), author: z.string(), text: z.string(), permalink: z.string(),
      created: ms, score: n.int().describe('net upvotes when read'), sentiment: n, label, tickers: z.array(z.string()), url: z.string().nullable(),
    })),
  }),
  '/api/alerts': z.strictObject({
    alerts: z.array(z.strictObject({
      ruleId: z.string(), ticker: z.string(), firedAt: ms, kind: z.string(), message: z.string(), value: n, threshold: n, delivered: z.boolean(),
      channels: z.array(z.string()).optional().describe('where it is delivered; empty: stored and shown only'),
    })),
  }),
  '/api/rankings': z.strictObject({
    window: z.enum(['1h', '24h', '7d']), subreddit: z.string().nullable(), sort: z.enum(['mentions', 'weighted']),
    from: ms, to: ms, previousFrom: ms, total: n.int(), offset: n.int(), limit: n.int(),
    tickers: z.array(z.strictObject({
      ticker: z.string(), rank: n.int(), mentions: n.int(), weighted: n.int(), upvotes: n.int(), sentimentSum: n, pos: n.int(), neg: n.int(), neu: n.int(),
      meanSentiment: n, bullish: n, bearish: n, neutral: n,
      previous: z.strictObject({ mentions: n.int(), weighted: n.int(), rank: n.int().nullable() }),
      change: nullableNumber, rankChange: n.int().nullable(),
    })),
  }),
  '/api/crowd': z.strictObject({
    ticker: z.string(), window: z.enum(['1h', '24h', '7d']), from: ms, to: ms, ...scopeSignals,
    subreddits: z.array(z.strictObject({ subreddit: z.string(), share: n, ...scopeSignals })),
    topPost: topPost.nullable(),
    previous: z.strictObject({ mentions: n.int(), weighted: n.int(), authors: n.int() }),
    change: nullableNumber,
  }),
  '/api/history': z.strictObject({
    ticker: z.string(), timeZone: z.string(), from: ms, to: ms,
    days: z.array(z.strictObject({
      day: ms, mentions: n.int(), weighted: n.int(), upvotes: n.int(), authors: n.int(), meanSentiment: nullableNumber, close: nullableNumber, closeMinute: ms.nullable(),
    })),
  }),
  '/api/leadlag': z.strictObject({ ticker: z.string(), from: ms, to: ms, mentions: leadLag, sentiment: leadLag }),
  '/api/status': z.strictObject({
    mode: z.enum(['live', 'replay']), now: ms, wallClock: ms,
    dataTime: z.strictObject({ trades: ms.nullable(), mentions: ms.nullable() }), stale: z.boolean(),
  }),
} as const;

export const ERROR = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string() }) });

const PARAMS: Record<keyof typeof RESPONSES, z.ZodObject | null> = {
  '/api/symbols': null, '/api/prices': null, '/api/candles': QUERY.candles, '/api/sentiment': QUERY.sentiment,
  '/api/mentions/top': QUERY.mentions, '/api/posts': QUERY.posts, '/api/alerts': QUERY.alerts,
  '/api/rankings': INSIGHT_QUERY.rankings, '/api/crowd': INSIGHT_QUERY.crowd, '/api/history': INSIGHT_QUERY.history,
  '/api/leadlag': INSIGHT_QUERY.leadlag, '/api/status': null,
};

const SUMMARY: Record<keyof typeof RESPONSES, string> = {
  '/api/symbols': 'Tracked symbols with company names',
  '/api/prices': 'Latest price per symbol, change against the previous close (US equities) or 24 h (round-the-clock symbols)',
  '/api/candles': 'OHLCV candles of a symbol over [from, to] (default: the last hour): 1-minute up to a day, hourly up to 60 days, daily beyond, or as grain= says; each candle\'s minute is its start',
  '/api/sentiment': 'Sentiment of a ticker with moving average and volatility band: per minute up to a day, per hour (grain=1h, up to 31 days) beyond; span counts points of the grain',
  '/api/mentions/top': 'Most-mentioned tickers of the clock hours (the older view; see /api/rankings)',
  '/api/posts': 'Newest posts, all or of one ticker, with sentiment, score and link',
  '/api/alerts': 'Alerts fired, newest first',
  '/api/rankings': 'Rolling top tickers over the last 1 h, 24 h or 7 d (sliding to the minute), with change, rank and climb against the previous window; paged by offset and limit',
  '/api/crowd': 'Crowd signals of one ticker over a sliding window: mentions, upvote-weighted mentions, distinct authors, bullish/bearish/neutral, subreddits, top post',
  '/api/history': 'Daily mentions, mean sentiment and session close of one ticker',
  '/api/leadlag': 'Cross-correlation of per-minute mention and sentiment changes with price returns at lags -30..+30 min, with a verdict that says when the data is too thin',
  '/api/status': 'Live or replay, the time the views are at, and the newest data stored',
};

/** query parameters of a route, from its request schema: each is a string on the wire */
function parametersOf(schema: z.ZodObject | null): object[] {
  if (schema === null) return [];
  return Object.entries(schema.shape).map(([name, field]) => ({
    name, in: 'query', required: !(field as z.ZodType).safeParse(undefined).success, schema: { type: 'string' },
    ...((field as z.ZodType).description ? { description: (field as z.ZodType).description } : {}),
  }));
}

const jsonOf = (schema: z.ZodType): object => z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) as object;

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'stockstreamer',
    version: '1',
    description: 'Live stock trades and Reddit chatter. Read-only, no login (the server listens on loopback unless told otherwise). '
      + 'Times are epoch milliseconds UTC. A bad parameter answers 400 with { error: { code: "INPUT_INVALID", message } }. '
      + 'Live updates of the page: GET /api/stream (Server-Sent Events).',
  },
  paths: Object.fromEntries((Object.keys(RESPONSES) as (keyof typeof RESPONSES)[]).map((path) => [path, {
    get: {
      summary: SUMMARY[path],
      parameters: parametersOf(PARAMS[path]),
      responses: {
        200: { description: 'OK', content: { 'application/json': { schema: jsonOf(RESPONSES[path]) } } },
        400: { description: 'a parameter is invalid', content: { 'application/json': { schema: jsonOf(ERROR) } } },
      },
    },
  }])),
} as const;
