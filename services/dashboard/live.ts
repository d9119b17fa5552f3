import type { ServerResponse } from 'node:http';
import type { Clock } from '../lib/runtime/clock.ts';
import type { Logger } from '../lib/runtime/logger.ts';
import type { DashboardApi } from './api.ts';
import { alertKey, diffByKey, type AlertView } from './derive.ts';
import { DEFAULT_RANGE_MS, MINUTE_MS, QUERY, parseQuery } from './params.ts';

/**
 * Live updates over Server-Sent Events (GET /api/stream?symbol=…).
 *
 * One poll loop per server, not per browser: every pollMs it asks the API for
 * the global views once (prices, top mentions, alerts) and for each distinct
 * subscription (symbol, minutes, span, posts scope) once, then pushes to each
 * browser only what changed since the previous poll. The loop runs only while
 * someone is subscribed.
 *
 * Events (data is JSON):
 *   hello      { now, pollMs }                                  once, on connect
 *   prices     { prices }                                       whole list when any price moved
 *   mentions   { hours, currentFrom, previousFrom, to, tickers } whole table when it changed
 *   alerts     { replace, alerts }                              alerts as they fire (all of the last day on connect)
 *   candles    { symbol, from, to, replace, candles }           new or changed minutes
 *   sentiment  { ticker, from, to, span, replace, points }      new or changed minutes
 *   posts      { ticker, replace, posts }                       new or changed posts
 *   status     { ok, message? }                                 when the store stops or starts answering
 * With replace=false a browser upserts by key (minute, fullname) and drops
 * what fell before `from`; replace=true carries the whole current list.
 */

interface Client {
  res: ServerResponse;
  key: string;
}

interface Subscription {
  symbol: string;
  minutes: number;
  span: number;
  postsScope: 'symbol' | 'all';
  clients: Set<Client>;
  candles: Map<string, string>;
  sentiment: Map<string, string>;
  posts: Map<string, string>;
  /** the last full payloads, for a browser that joins an existing subscription */
  last: { candles?: object; sentiment?: object; posts?: object };
}

export interface LiveHub {
  /** validates the query (throws INPUT_INVALID before any byte is written), then streams until the browser leaves */
  subscribe(res: ServerResponse, params: URLSearchParams): Promise<void>;
  /** one poll now; the timer calls it, tests may too */
  poll(): Promise<void>;
  readonly clients: number;
  close(): void;
}

/** A browser that stops reading is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export function createLiveHub(deps: {
  api: DashboardApi; clock: Clock; logger: Logger; pollMs: number; heartbeatMs?: number; defaultSpanMinutes?: number;
}): LiveHub {
  const { api, clock, logger, pollMs } = deps;
  const heartbeatMs = deps.heartbeatMs ?? 15_000; // milliseconds
  const subscriptions = new Map<string, Subscription>();
  const clients = new Set<Client>();
  const global = {
    prices: undefined as string | undefined,
    mentions: undefined as string | undefined,
    alerts: new Map<string, string>(),
    alertsAll: undefined as { alerts: AlertView[] } | undefined,
    storeOk: true,
  };
  let timer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let closed = false;

  const send = (client: Client, event: string, data: unknown): void => {
    if (client.res.writableEnded || client.res.destroyed) return;
    if (client.res.writableLength > MAX_BUFFERED_BYTES) {
      logger.warn({ buffered: client.res.writableLength }, 'dashboard: a browser stopped reading the live stream; dropping it');
      client.res.destroy();
      return;
    }
    client.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const broadcast = (event: string, data: unknown, to: Iterable<Client> = clients): void => {
    for (const c of to) send(c, event, data);
  };

  const schedule = (delayMs: number): void => {
    if (closed || clients.size === 0 || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void poll().finally(() => schedule(pollMs));
    }, delayMs);
  };

  const pollOnce = async (): Promise<void> => {
    const now = clock.now();
    try {
      const [prices, mentions, alerts] = await Promise.all([api.prices(), api.topMentions(), api.alerts()]);
      const pricesJson = JSON.stringify(prices);
      if (pricesJson !== global.prices) {
        global.prices = pricesJson;
        broadcast('prices', prices);
      }
      const mentionsJson = JSON.stringify(mentions);
      if (mentionsJson !== global.mentions) {
        global.mentions = mentionsJson;
        broadcast('mentions', mentions);
      }
      const a = diffByKey(global.alerts, alerts.alerts, alertKey);
      const firstAlerts = global.alertsAll === undefined;
      global.alerts = a.state;
      global.alertsAll = alerts;
      if (firstAlerts || a.changed.length > 0) broadcast('alerts', { replace: firstAlerts, alerts: firstAlerts ? alerts.alerts : a.changed });

      for (const sub of subscriptions.values()) await pollSubscription(sub, now);
      if (!global.storeOk) {
        global.storeOk = true;
        broadcast('status', { ok: true });
        logger.info('dashboard: the store answers again');
      }
    } catch (err) {
      if (global.storeOk) {
        global.storeOk = false;
        logger.warn({ err }, 'dashboard: the store did not answer a live poll; retrying every poll');
        broadcast('status', { ok: false, message: 'the store is not answering; showing the last data received' });
      }
    }
  };

  const pollSubscription = async (sub: Subscription, now: number): Promise<void> => {
    const from = now - sub.minutes * MINUTE_MS;
    const range = new URLSearchParams({ from: String(from), to: String(now) });
    const [candles, sentiment, posts] = await Promise.all([
      api.candles(new URLSearchParams([...range, ['symbol', sub.symbol]])),
      api.sentiment(new URLSearchParams([...range, ['ticker', sub.symbol], ['span', String(sub.span)]])),
      api.posts(new URLSearchParams(sub.postsScope === 'symbol' ? { ticker: sub.symbol } : {})),
    ]);
    const first = sub.last.candles === undefined;
    const c = diffByKey(sub.candles, candles.candles, (x) => String(x.minute));
    const s = diffByKey(sub.sentiment, sentiment.points, (x) => String(x.minute));
    const p = diffByKey(sub.posts, posts.posts, (x) => x.fullname);
    sub.candles = c.state;
    sub.sentiment = s.state;
    sub.posts = p.state;
    sub.last = {
      candles: { ...candles, replace: true },
      sentiment: { ...sentiment, replace: true },
      posts: { ...posts, replace: true },
    };
    // The window slides every poll even when nothing new arrived, so candles
    // and sentiment carry from/to each time something changed or on the first poll.
    if (first || c.changed.length > 0) broadcast('candles', { ...candles, replace: first, candles: first ? candles.candles : c.changed }, sub.clients);
    if (first || s.changed.length > 0) broadcast('sentiment', { ...sentiment, replace: first, points: first ? sentiment.points : s.changed }, sub.clients);
    if (first || p.changed.length > 0) broadcast('posts', { ...posts, replace: first, posts: first ? posts.posts : p.changed }, sub.clients);
  };

  /** Concurrent callers share the poll in flight: the store is asked once per tick, whoever asks. */
  const poll = (): Promise<void> => {
    inFlight ??= pollOnce().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  const remove = (client: Client): void => {
    if (!clients.delete(client)) return;
    const sub = subscriptions.get(client.key);
    sub?.clients.delete(client);
    if (sub && sub.clients.size === 0) subscriptions.delete(client.key);
    if (clients.size === 0) {
      clearTimeout(timer);
      timer = undefined;
      clearInterval(heartbeat);
      heartbeat = undefined;
      // Nobody is watching: the next browser gets fresh full lists.
      global.prices = undefined;
      global.mentions = undefined;
      global.alerts = new Map();
      global.alertsAll = undefined;
    }
  };

  return {
    get clients() {
      return clients.size;
    },
    poll,
    async subscribe(res, params) {
      const q = parseQuery(QUERY.stream, params);
      await api.requireSymbol(q.symbol);
      if (closed) {
        res.writeHead(503).end();
        return;
      }
      const minutes = q.minutes ?? DEFAULT_RANGE_MS / MINUTE_MS;
      const span = q.span ?? deps.defaultSpanMinutes ?? 10;
      const postsScope = q.posts ?? 'symbol';
      const key = `${q.symbol}|${minutes}|${span}|${postsScope}`;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write(`retry: ${Math.max(1000, pollMs)}\n\n`);
      const client: Client = { res, key };
      clients.add(client);
      let sub = subscriptions.get(key);
      if (!sub) {
        sub = { symbol: q.symbol, minutes, span, postsScope, clients: new Set(), candles: new Map(), sentiment: new Map(), posts: new Map(), last: {} };
        subscriptions.set(key, sub);
      }
      sub.clients.add(client);
      res.on('close', () => remove(client));

      send(client, 'hello', { now: clock.now(), pollMs });
      // Whatever the last poll saw, at once; the next poll sends only changes.
      if (global.prices !== undefined) send(client, 'prices', JSON.parse(global.prices));
      if (global.mentions !== undefined) send(client, 'mentions', JSON.parse(global.mentions));
      if (global.alertsAll !== undefined) send(client, 'alerts', { ...global.alertsAll, replace: true });
      if (sub.last.candles) send(client, 'candles', sub.last.candles);
      if (sub.last.sentiment) send(client, 'sentiment', sub.last.sentiment);
      if (sub.last.posts) send(client, 'posts', sub.last.posts);

      heartbeat ??= setInterval(() => {
        for (const c of clients) if (!c.res.writableEnded) c.res.write(': keep-alive\n\n');
      }, heartbeatMs);
      heartbeat.unref();
      // A new subscription is filled at once rather than after a whole poll period.
      if (!sub.last.candles) void poll();
      schedule(pollMs);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      for (const c of [...clients]) {
        c.res.end();
        remove(c);
      }
    },
  };
}
