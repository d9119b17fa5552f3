/**
 * Finnhub's trade WebSocket as a Source<Trade>.
 *
 * Life of a connection: connect to `${url}?token=…`, subscribe every symbol
 * (again after each reconnect: Finnhub forgets subscriptions with the
 * socket), then turn frames into trades with the pure parser. Any close,
 * error or silence longer than `idleTimeoutMs` ends the connection and a new
 * one follows after capped, jittered exponential backoff. Only a 401/403 on
 * the upgrade stops the source, because retrying a rejected token cannot
 * help and would only hammer Finnhub.
 *
 * Back-pressure: frames keep arriving while `emit` is busy, so trades queue
 * in memory and go out as one batch when `emit` resolves. Past
 * `highWaterMark` queued trades the socket is paused, which stops reading
 * from TCP and lets the kernel window push back on Finnhub.
 *
 * The token is part of the URL, so the URL is never logged as given: every
 * message passes through `redact` first.
 */
import WebSocket from 'ws';
import type { IncomingMessage } from 'node:http';
import type { ClientRequest } from 'node:http';
import type { Trade } from '../../domain/types.ts';
import type { Logger } from '../../runtime/logger.ts';
import { StockstreamerError } from '../../runtime/errors.ts';
import { backoffDelayMs, type BackoffOptions } from '../../domain/sources/backoff.ts';
import { createTradeSequencer, parseFinnhubFrame, type TradeSequencer } from '../../domain/sources/finnhub-frames.ts';
import { errorMessage, newStats, realSleep, redact, type ObservableSource, type Sleep, type SourceStats } from './source.ts';

export interface FinnhubSourceOptions {
  /** WebSocket endpoint without the token */
  url?: string;
  token: string;
  symbols: readonly string[];
  logger: Logger;
  /** jitter source for the backoff; Math.random in production */
  random?: () => number;
  backoff: BackoffOptions;
  /** every raw frame text, before parsing (the recorder hooks in here) */
  onRaw?: (raw: string) => void;
  /** no frame for this long means a dead connection, milliseconds */
  idleTimeoutMs?: number;
  /** queued trades above which the socket is paused */
  highWaterMark?: number;
  /** the upgrade must complete within this, milliseconds */
  handshakeTimeoutMs?: number;
  sleep?: Sleep;
}

type ConnectionEnd =
  | { kind: 'closed'; healthy: boolean; reason: string }
  | { kind: 'auth'; status: number };

/** How many malformed frames are logged at warn before dropping to debug. */
const MALFORMED_WARN_LIMIT = 20;

export function createFinnhubSource(options: FinnhubSourceOptions): ObservableSource<Trade> {
  const url = options.url ?? 'wss://ws.finnhub.io';
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? realSleep;
  const idleTimeoutMs = options.idleTimeoutMs ?? 90_000; // milliseconds; Finnhub pings well within this
  const highWaterMark = options.highWaterMark ?? 50_000; // trades
  const handshakeTimeoutMs = options.handshakeTimeoutMs ?? 15_000; // milliseconds
  const logger = options.logger.child({ source: 'finnhub' });
  const symbols = [...new Set(options.symbols)];
  if (symbols.length === 0) throw new RangeError('the Finnhub source needs at least one symbol');
  if (options.token.length === 0) throw new RangeError('the Finnhub source needs a token');
  const safe = (text: string): string => redact(text, [options.token]);
  // Checked here, without the token: ws would otherwise throw a SyntaxError quoting the full URL.
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new RangeError(`the Finnhub url is not a URL: ${JSON.stringify(url)}`);
  }
  if (protocol !== 'ws:' && protocol !== 'wss:') throw new RangeError(`the Finnhub url must be ws:// or wss://, got ${JSON.stringify(url)}`);
  const displayUrl = `${url}?token=[redacted]`;
  const stats = newStats();

  return {
    name: 'finnhub',
    stats: (): SourceStats => ({ ...stats }),

    async run(emit, outerSignal) {
      // Our own controller too: a failing `emit` must stop the socket loop.
      const stop = new AbortController();
      const onOuterAbort = (): void => stop.abort();
      outerSignal.addEventListener('abort', onOuterAbort, { once: true });
      if (outerSignal.aborted) stop.abort();
      const signal = stop.signal;

      const sequencer: TradeSequencer = createTradeSequencer();
      let pending: Trade[] = [];
      let inFlight: Promise<void> | undefined;
      let emitFailure: { error: unknown } | undefined;
      let current: WebSocket | undefined;
      let malformedLogged = 0;

      const pump = (): void => {
        if (inFlight !== undefined || pending.length === 0 || emitFailure !== undefined) return;
        const batch = pending;
        pending = [];
        inFlight = emit(batch).then(
          () => {
            stats.emitted += batch.length;
            inFlight = undefined;
            if (current?.isPaused === true && pending.length < highWaterMark / 2) current.resume();
            pump();
          },
          (error: unknown) => {
            inFlight = undefined;
            emitFailure = { error };
            stop.abort();
          },
        );
      };

      const malformed = (reason: string, raw: string): void => {
        stats.malformed += 1;
        const line = { code: 'MALFORMED_FRAME', reason, frame: safe(raw.slice(0, 200)), malformed: stats.malformed };
        if (malformedLogged < MALFORMED_WARN_LIMIT) {
          malformedLogged += 1;
          logger.warn(line, 'skipped a malformed Finnhub frame');
        } else logger.debug(line, 'skipped a malformed Finnhub frame');
      };

      /** Handles one frame; true when it proves the connection is alive and useful. */
      const handle = (raw: string): boolean => {
        stats.received += 1;
        const frame = parseFinnhubFrame(raw);
        switch (frame.kind) {
          case 'trades':
            for (const reason of frame.rejected) malformed(reason, raw);
            for (const trade of frame.trades) pending.push(sequencer.assign(trade));
            if (pending.length >= highWaterMark && current?.isPaused === false) current.pause();
            pump();
            return true;
          case 'ping':
            return true;
          case 'error':
            stats.lastError = safe(`Finnhub error frame: ${frame.message}`);
            logger.warn({ message: safe(frame.message) }, 'Finnhub sent an error frame');
            return false;
          case 'ignored':
            logger.debug({ type: frame.type }, 'ignored a Finnhub frame of an unhandled type');
            return false;
          case 'malformed':
            malformed(frame.reason, raw);
            return false;
        }
      };

      const connectOnce = (): Promise<ConnectionEnd> =>
        new Promise((resolve) => {
          let healthy = false;
          let settled = false;
          let idleTimer: NodeJS.Timeout | undefined;
          let ws: WebSocket;
          try {
            ws = new WebSocket(`${url}?token=${encodeURIComponent(options.token)}`, { handshakeTimeout: handshakeTimeoutMs });
          } catch (err) {
            resolve({ kind: 'closed', healthy: false, reason: safe(errorMessage(err)) });
            return;
          }
          current = ws;

          const finish = (end: ConnectionEnd): void => {
            if (settled) return;
            settled = true;
            clearTimeout(idleTimer);
            signal.removeEventListener('abort', onAbort);
            if (current === ws) current = undefined;
            if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
            resolve(end);
          };
          const armIdle = (): void => {
            clearTimeout(idleTimer);
            idleTimer = setTimeout(() => {
              logger.warn({ idleTimeoutMs }, 'no Finnhub frame for too long; reconnecting');
              finish({ kind: 'closed', healthy, reason: `no frame for ${idleTimeoutMs} ms` });
            }, idleTimeoutMs);
          };
          const onAbort = (): void => {
            // A polite close first; `finish` on 'close' (or the terminate in finish) ends it.
            try {
              ws.close(1000, 'shutting down');
            } catch {
              /* not yet open: terminate below */
            }
            setTimeout(() => finish({ kind: 'closed', healthy, reason: 'shutdown' }), 1000).unref();
          };
          signal.addEventListener('abort', onAbort, { once: true });

          ws.on('unexpected-response', (request: ClientRequest, response: IncomingMessage) => {
            const status = response.statusCode ?? 0;
            response.resume();
            request.destroy();
            if (status === 401 || status === 403) finish({ kind: 'auth', status });
            else finish({ kind: 'closed', healthy: false, reason: `HTTP ${status} on the WebSocket upgrade` });
          });
          ws.on('open', () => {
            logger.info({ url: displayUrl, symbols: symbols.length }, 'connected to Finnhub; subscribing');
            for (const symbol of symbols) ws.send(JSON.stringify({ type: 'subscribe', symbol }));
            armIdle();
          });
          ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
            armIdle();
            const raw = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
            options.onRaw?.(raw);
            if (handle(raw)) healthy = true;
          });
          ws.on('error', (err: Error) => {
            finish({ kind: 'closed', healthy, reason: safe(errorMessage(err)) });
          });
          ws.on('close', (code: number, reason: Buffer) => {
            const text = reason.toString();
            finish({ kind: 'closed', healthy, reason: safe(`socket closed (${code}${text === '' ? '' : `: ${text}`})`) });
          });
        });

      try {
        let attempt = 0;
        while (!signal.aborted) {
          const end = await connectOnce();
          if (signal.aborted) break;
          if (end.kind === 'auth') {
            const message = `Finnhub rejected the API token (HTTP ${end.status} on the upgrade to ${displayUrl}); check FINNHUB_TOKEN in secrets/credentials.ini`;
            stats.lastError = message;
            throw new StockstreamerError('SOURCE_AUTH_FAILED', message, { details: { status: end.status, key: 'FINNHUB.FINNHUB_TOKEN' } });
          }
          // A connection that delivered data was good; start the backoff over.
          if (end.healthy) attempt = 0;
          const delay = backoffDelayMs(attempt, options.backoff, random);
          attempt += 1;
          stats.reconnects += 1;
          stats.lastError = end.reason;
          logger.warn({ code: 'SOURCE_UNAVAILABLE', reason: end.reason, delayMs: delay, reconnects: stats.reconnects }, 'Finnhub connection ended; reconnecting');
          await sleep(delay, signal);
        }
        // Hand over what already arrived, so a graceful stop loses nothing received.
        while (inFlight !== undefined) await inFlight;
        if (emitFailure === undefined && pending.length > 0) {
          const batch = pending;
          pending = [];
          await emit(batch);
          stats.emitted += batch.length;
        }
        if (emitFailure !== undefined) throw emitFailure.error;
      } finally {
        outerSignal.removeEventListener('abort', onOuterAbort);
        current?.terminate();
      }
    },
  };
}
