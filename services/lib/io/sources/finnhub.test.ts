import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import type { Trade } from '../../domain/types.ts';
import { isStockstreamerError } from '../../runtime/errors.ts';
import { createFinnhubSource } from './finnhub.ts';
import { memoryLogger, waitFor } from './testing.ts';

const TOKEN = 'sekrit-finnhub-token-42';

interface FakeFinnhub {
  url: string;
  connections: { socket: WebSocket; subscribed: string[]; token: string | null }[];
  close(): Promise<void>;
}

/** A WebSocket server speaking Finnhub's protocol; `reject` answers the upgrade with that status. */
async function startFakeFinnhub(options: { reject?: number } = {}): Promise<FakeFinnhub> {
  const connections: FakeFinnhub['connections'] = [];
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (_info, callback) => (options.reject === undefined ? callback(true) : callback(false, options.reject, 'Unauthorized')),
  });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket, request) => {
    const entry = { socket, subscribed: [] as string[], token: new URL(request.url ?? '/', 'http://x').searchParams.get('token') };
    connections.push(entry);
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; symbol: string };
      if (message.type === 'subscribe') entry.subscribed.push(message.symbol);
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

const trade = (s: string, p: number, t: number, v = 100, c: unknown = ['1']) => ({ s, p, t, v, c });
const frame = (...data: unknown[]) => JSON.stringify({ type: 'trade', data });

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('Finnhub source', () => {
  it('subscribes every symbol, parses trades, ignores pings, skips malformed frames and keeps going', async () => {
    const server = await startFakeFinnhub();
    cleanup.push(server.close);
    const { logger, lines } = memoryLogger();
    const raws: string[] = [];
    const source = createFinnhubSource({
      url: server.url, token: TOKEN, symbols: ['AAPL', 'TSLA', 'AAPL'], logger, backoff: { initialMs: 10, maxMs: 50 },
      onRaw: (raw) => raws.push(raw),
    });
    const got: Trade[] = [];
    let emitting = false;
    let overlapped = false;
    const controller = new AbortController();
    const running = source.run(async (items) => {
      if (emitting) overlapped = true;
      emitting = true;
      await new Promise((resolve) => setTimeout(resolve, 5)); // a slow consumer
      got.push(...items);
      emitting = false;
    }, controller.signal);

    await waitFor(() => server.connections[0]?.subscribed.length === 2, 5000, 'subscriptions');
    const conn = server.connections[0]!;
    expect(conn.subscribed).toEqual(['AAPL', 'TSLA']);
    expect(conn.token).toBe(TOKEN);
    conn.socket.send('{"type":"ping"}');
    conn.socket.send(frame(trade('AAPL', 230.1, 1_700_000_000_000), trade('AAPL', 230.2, 1_700_000_000_000, 50, null)));
    conn.socket.send('this is not json');
    conn.socket.send('{"type":"trade","data":[{"s":"TSLA","p":"250","t":1700000000001,"v":1}]}');
    conn.socket.send('{"type":"error","msg":"Subscribing to too many symbols"}');
    for (let i = 0; i < 50; i++) conn.socket.send(frame(trade('TSLA', 250 + i / 100, 1_700_000_000_002 + i)));

    await waitFor(() => got.length === 52, 5000, 'trades');
    controller.abort();
    await running;

    expect(got[0]).toEqual({ symbol: 'AAPL', price: 230.1, volume: 100, timestamp: 1_700_000_000_000, conditions: ['1'], seq: 0 });
    expect(got[1]).toEqual({ symbol: 'AAPL', price: 230.2, volume: 50, timestamp: 1_700_000_000_000, conditions: [], seq: 1 });
    expect(got.slice(2).every((t) => t.symbol === 'TSLA')).toBe(true);
    expect(overlapped).toBe(false);
    const stats = source.stats();
    expect(stats).toMatchObject({ malformed: 2, emitted: 52, reconnects: 0 });
    expect(stats.lastError).toContain('too many symbols');
    expect(raws).toHaveLength(55);
    const malformedLines = lines.filter((l) => l.includes('MALFORMED_FRAME'));
    expect(malformedLines).toHaveLength(2);
    expect(malformedLines.join('\n')).toContain('not valid JSON');
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(lines.join('\n')).toContain('token=[redacted]');
  });

  it('reconnects with backoff after the server drops it, and subscribes again', async () => {
    const server = await startFakeFinnhub();
    cleanup.push(server.close);
    const { logger, lines } = memoryLogger();
    const source = createFinnhubSource({
      url: server.url, token: TOKEN, symbols: ['NVDA', 'AMD'], logger, random: () => 0.5, backoff: { initialMs: 20, maxMs: 100 },
    });
    const got: Trade[] = [];
    const controller = new AbortController();
    const running = source.run(async (items) => { got.push(...items); }, controller.signal);

    await waitFor(() => server.connections[0]?.subscribed.length === 2, 5000, 'first subscriptions');
    server.connections[0]!.socket.send(frame(trade('NVDA', 130, 1_700_000_000_000)));
    await waitFor(() => got.length === 1, 5000, 'first trade');
    server.connections[0]!.socket.terminate(); // abrupt drop, no close frame

    await waitFor(() => server.connections[1]?.subscribed.length === 2, 5000, 'second subscriptions');
    expect(server.connections[1]!.subscribed).toEqual(['NVDA', 'AMD']);
    server.connections[1]!.socket.send(frame(trade('AMD', 150, 1_700_000_000_005)));
    server.connections[1]!.socket.close(1011, 'server restart'); // polite close
    await waitFor(() => server.connections[2]?.subscribed.length === 2, 5000, 'third subscriptions');
    await waitFor(() => got.length === 2, 5000, 'second trade');
    controller.abort();
    await running;

    expect(got.map((t) => t.symbol)).toEqual(['NVDA', 'AMD']);
    expect(source.stats().reconnects).toBe(2);
    const reconnectLines = lines.filter((l) => l.includes('reconnecting'));
    expect(reconnectLines.length).toBe(2);
    expect(reconnectLines.join('\n')).toContain('SOURCE_UNAVAILABLE');
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('keeps retrying while the server is down, then connects', async () => {
    const first = await startFakeFinnhub();
    const url = first.url;
    await first.close();
    const { logger } = memoryLogger();
    const source = createFinnhubSource({ url, token: TOKEN, symbols: ['GME'], logger, backoff: { initialMs: 10, maxMs: 40 } });
    const controller = new AbortController();
    const running = source.run(async () => {}, controller.signal);
    await waitFor(() => source.stats().reconnects >= 3, 5000, 'retries');
    expect(source.stats().lastError).not.toContain(TOKEN);
    controller.abort();
    await running;
  });

  it('stops with SOURCE_AUTH_FAILED on a 401 upgrade, without leaking the token', async () => {
    const server = await startFakeFinnhub({ reject: 401 });
    cleanup.push(server.close);
    const { logger, lines } = memoryLogger();
    const source = createFinnhubSource({ url: server.url, token: TOKEN, symbols: ['AAPL'], logger, backoff: { initialMs: 10, maxMs: 50 } });
    const error = await source.run(async () => {}, new AbortController().signal).then(() => undefined, (err: unknown) => err);
    expect(isStockstreamerError(error, 'SOURCE_AUTH_FAILED')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('401');
    expect(message).toContain('secrets/credentials.ini');
    expect(message).not.toContain(TOKEN);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(source.stats().reconnects).toBe(0);
    expect(lines.join('\n')).not.toContain(TOKEN);
  });

  it('rejects a bad url at creation, without the token in the message', () => {
    const logger = memoryLogger().logger;
    for (const url of ['not a url', 'https://ws.finnhub.io']) {
      expect(() => createFinnhubSource({ url, token: TOKEN, symbols: ['AAPL'], logger, backoff: { initialMs: 1, maxMs: 2 } })).toThrow(RangeError);
      try {
        createFinnhubSource({ url, token: TOKEN, symbols: ['AAPL'], logger, backoff: { initialMs: 1, maxMs: 2 } });
      } catch (err) {
        expect((err as Error).message).not.toContain(TOKEN);
      }
    }
  });

  it('surfaces a failing emit instead of swallowing it', async () => {
    const server = await startFakeFinnhub();
    cleanup.push(server.close);
    const source = createFinnhubSource({ url: server.url, token: TOKEN, symbols: ['AAPL'], logger: memoryLogger().logger, backoff: { initialMs: 10, maxMs: 50 } });
    const running = source.run(async () => { throw new Error('bus is gone'); }, new AbortController().signal);
    await waitFor(() => server.connections[0]?.subscribed.length === 1, 5000, 'subscription');
    server.connections[0]!.socket.send(frame(trade('AAPL', 1, 1)));
    await expect(running).rejects.toThrow('bus is gone');
  });
});
