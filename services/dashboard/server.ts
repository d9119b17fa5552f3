import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DashboardStore } from '../lib/io/store/repository.ts';
import type { Clock } from '../lib/runtime/clock.ts';
import { StockstreamerError } from '../lib/runtime/errors.ts';
import type { Logger } from '../lib/runtime/logger.ts';
import { createDashboardApi, type DashboardApi } from './api.ts';
import { loadAssets, type Asset } from './assets.ts';
import { createLiveHub } from './live.ts';
import { createSharedViews, viewKey } from './shared-views.ts';
import { createInsightApi, insightRoutes } from './insight-api.ts';
import { createTimeline, type TimeMode } from './timeline.ts';

/**
 * The built-in dashboard: one page, its JSON API and a live stream, on
 * node:http. It reads through StoreReader only, so `stockstreamer run`
 * (SQLite) and `stockstreamer dashboard` against Cassandra serve the same page.
 *
 *   GET /                       the page (static/index.html, app.js, charts.js, format.js, app.css)
 *   GET /vendor/uPlot.*         the charting library, from node_modules
 *   GET /api/symbols            configured symbols with company names
 *   GET /api/prices             latest price per symbol with change versus the day open
 *   GET /api/candles            ?symbol=&from=&to=&grain=   OHLCV: 1m up to a day, 1h up to 60 days, 1d beyond
 *   GET /api/sentiment          ?ticker=&from=&to=&span=    per-minute mean, moving average, volatility band
 *   GET /api/mentions/top       ?hours=&limit=              top tickers, mean sentiment, change vs previous window
 *   GET /api/posts              ?ticker=&limit=             newest posts with sentiment, tickers, link
 *   GET /api/alerts             ?hours=&limit=              alerts fired, newest first (default: the last 24 hours)
 *   GET /api/rankings           ?window=1h|24h|7d&subreddit=&sort=&limit=&offset=   rolling top tickers (insight-api.ts)
 *   GET /api/crowd              ?ticker=&window=            crowd signals of one ticker
 *   GET /api/history            ?ticker=&days=              daily mentions, sentiment and close
 *   GET /api/leadlag            ?ticker=&from=&to=          sentiment and mentions against price, lags −30..+30 min
 *   GET /api/status             live or replay, the views' now, the data's time
 *   GET /api/openapi.json       the OpenAPI document of all of the above (openapi.ts)
 *   GET /api/stream             ?symbol=&minutes=&span=&posts=   Server-Sent Events, see live.ts
 * from/to are epoch milliseconds (default: the last hour); a bad parameter is
 * a 400 { error: { code: 'INPUT_INVALID', message } }.
 */
export interface DashboardServerOptions {
  store: DashboardStore;
  clock: Clock;
  logger: Logger;
  /** the configured symbols (STOCKSTREAMER_SYMBOLS) */
  symbols: readonly string[];
  /** 0 = any free port (STOCKSTREAMER_DASHBOARD_PORT) */
  port: number;
  /** interface to listen on; loopback unless asked, as the page has no login */
  host?: string;
  /** how often the live stream asks the store for changes, milliseconds */
  pollMs?: number;
  /** default moving-average span of the sentiment chart, minutes (STOCKSTREAMER_SENTIMENT_SPAN_MIN) */
  sentimentSpanMinutes?: number;
  /** replay: the views' now follows the data's time, not the clock (timeline.ts); default live */
  timeMode?: TimeMode;
}

export interface DashboardServer {
  /** e.g. http://127.0.0.1:8080/ */
  url: string;
  close(): Promise<void>;
}

type Route = (api: DashboardApi, params: URLSearchParams) => Promise<unknown>;

const ROUTES: Record<string, Route> = {
  '/api/symbols': (api, q) => api.symbols(q),
  '/api/prices': (api, q) => api.prices(q),
  '/api/candles': (api, q) => api.candles(q),
  '/api/sentiment': (api, q) => api.sentiment(q),
  '/api/mentions/top': (api, q) => api.topMentions(q),
  '/api/posts': (api, q) => api.posts(q),
  '/api/alerts': (api, q) => api.alerts(q),
};

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // uPlot sizes its elements through element.style; nothing else is inline.
  'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
};

export async function createDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { store } = options;
  // the views' now: the clock, or the data's own time when replaying a recording
  const timeline = createTimeline({ mode: options.timeMode ?? 'live', store, clock: options.clock });
  const clock = timeline;
  const logger = options.logger.child({ component: 'dashboard' });
  const host = options.host ?? '127.0.0.1';
  const pollMs = options.pollMs ?? 1000; // milliseconds
  const assets = loadAssets();
  const api = createDashboardApi({ store, clock, symbols: options.symbols, sentimentSpanMinutes: options.sentimentSpanMinutes });
  const hub = createLiveHub({ api, clock, logger, pollMs, defaultSpanMinutes: options.sentimentSpanMinutes });
  const more = insightRoutes(createInsightApi({ store, clock, requireTicker: api.requireTicker, requireSymbol: api.requireSymbol }), timeline);

  // One store query per view and poll period, whoever asks (shared-views.ts), as the live stream does.
  const views = createSharedViews({ maxAgeMs: pollMs, maxStaleMs: 5 * pollMs, maxViews: 1000 });
  const shared = (path: string, params: URLSearchParams, answer: () => Promise<unknown>): Promise<string> =>
    views.get(viewKey(path, params), async () => JSON.stringify(await answer()));
  const jsonText = (res: ServerResponse, status: number, text: string): void => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  };
  const json = (res: ServerResponse, status: number, body: unknown): void => jsonText(res, status, JSON.stringify(body));
  const fail = (res: ServerResponse, err: unknown, route: string): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (err instanceof StockstreamerError) {
      const status = err.code === 'INPUT_INVALID' ? 400 : err.retriable ? 503 : 500;
      if (status !== 400) logger.warn({ err, route }, 'dashboard: a query failed');
      json(res, status, { error: { code: err.code, message: err.message } });
      return;
    }
    logger.error({ err, route }, 'dashboard: unexpected error');
    json(res, 500, { error: { code: 'INTERNAL', message: 'internal error; see the dashboard log' } });
  };

  const serveAsset = (req: IncomingMessage, res: ServerResponse, asset: Asset): void => {
    const headers: Record<string, string | number> = { ...SECURITY_HEADERS, 'Content-Type': asset.type, 'Cache-Control': asset.cache, ETag: asset.etag, Vary: 'Accept-Encoding' };
    if (req.headers['if-none-match'] === asset.etag) {
      res.writeHead(304, headers).end();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? asset.gzip : asset.body;
    if (gzip) headers['Content-Encoding'] = 'gzip';
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://dashboard.invalid');
    const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      json(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not supported; the dashboard is read-only` } });
      return;
    }
    try {
      const asset = assets.get(path);
      if (asset) return serveAsset(req, res, asset);
      if (path === '/api/stream') return await hub.subscribe(res, url.searchParams);
      const route = ROUTES[path];
      if (route) return jsonText(res, 200, await shared(path, url.searchParams, () => route(api, url.searchParams)));
      const insight = more[path];
      if (insight) return jsonText(res, 200, await shared(path, url.searchParams, () => insight(url.searchParams)));
      json(res, 404, { error: { code: 'NOT_FOUND', message: `no such page or API route: ${path}` } });
    } catch (err) {
      fail(res, err, path);
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  // SSE responses stay open: do not let the default timeouts cut them.
  server.requestTimeout = 0;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      hub.close();
      timeline.close();
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES' || err.code === 'EADDRNOTAVAIL') {
        reject(new StockstreamerError('CONFIG_INVALID',
          `the dashboard cannot listen on ${host}:${options.port} (${err.code}): set STOCKSTREAMER_DASHBOARD_PORT to a free port, or 0 for any`,
          { cause: err, details: { key: 'STOCKSTREAMER_DASHBOARD_PORT' } }));
      } else reject(err);
    });
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  logger.info({ url }, `dashboard: ${url}`);

  return {
    url,
    async close() {
      hub.close();
      timeline.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
