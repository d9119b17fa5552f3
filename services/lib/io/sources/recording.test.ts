import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import type { RedditPost, Trade } from '../../domain/types.ts';
import { createSeededRandom } from '../../domain/sources/prng.ts';
import { createRecorder, createReplaySource } from './recording.ts';
import { createSyntheticRedditSource, createSyntheticTradeSource } from './synthetic.ts';
import { createFinnhubSource } from './finnhub.ts';
import { createRedditSource } from './reddit.ts';
import { fakeComment, fakeSubmission, startFakeReddit } from './fake-reddit.ts';
import { fakeTime, memoryLogger, waitFor } from './testing.ts';
import type { Source } from './source.ts';

let dir: string;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});
function tempFile(name: string): string {
  dir = mkdtempSync(join(tmpdir(), 'stockstreamer-rec-'));
  return join(dir, name);
}

async function collect<T>(source: Source<T>): Promise<T[]> {
  const out: T[] = [];
  await source.run(async (items) => { out.push(...items); }, new AbortController().signal);
  return out;
}

describe('record and replay', () => {
  it('replays a live Finnhub session into exactly the same trades', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    const frames = [
      '{"type":"ping"}',
      '{"type":"trade","data":[{"s":"AAPL","p":230.1,"t":1700000000000,"v":100,"c":["1"]},{"s":"AAPL","p":230.2,"t":1700000000000,"v":5,"c":["1","37"]}]}',
      'garbage',
      '{"type":"trade","data":[{"s":"AAPL","p":230.3,"t":1700000000000,"v":100},{"s":"TSLA","p":-1,"t":1,"v":1}]}',
      '{"type":"trade","data":[{"s":"TSLA","p":250,"t":1700000000001,"v":300,"c":null}]}',
    ];
    server.on('connection', (socket) => {
      socket.once('message', () => { for (const f of frames) socket.send(f); });
    });
    const path = tempFile('finnhub.jsonl');
    const recorder = createRecorder(path);
    const { port } = server.address() as AddressInfo;
    const live = createFinnhubSource({
      url: `ws://127.0.0.1:${port}`, token: 't', symbols: ['AAPL'], logger: memoryLogger().logger, backoff: { initialMs: 10, maxMs: 20 }, onRaw: recorder.finnhub,
    });
    const liveTrades: Trade[] = [];
    const controller = new AbortController();
    const running = live.run(async (items) => { liveTrades.push(...items); }, controller.signal);
    await waitFor(() => liveTrades.length === 4, 5000, 'live trades');
    controller.abort();
    await running;
    await recorder.close();
    await new Promise((resolve) => server.close(resolve));

    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { source: string; at: number; raw: unknown });
    expect(lines.map((l) => l.raw)).toEqual(frames);
    expect(lines.every((l) => l.source === 'finnhub' && typeof l.at === 'number')).toBe(true);

    const replay = createReplaySource({ path, source: 'finnhub', speed: 0 });
    expect(await collect(replay)).toEqual(liveTrades);
    expect(liveTrades.map((t) => t.seq)).toEqual([0, 1, 2, 0]);
    expect(replay.stats()).toMatchObject({ received: 5, emitted: 4, malformed: live.stats().malformed });
  });

  it('replays a live Reddit session into exactly the same posts, titles included', async () => {
    const creds = { clientId: 'id', clientSecret: 'secret', username: 'u', password: 'p', userAgent: 'test' };
    const server = await startFakeReddit(creds);
    server.submissions.push(fakeSubmission('s1', 'NVDA earnings'));
    server.archive.push(fakeSubmission('old', 'Old AMD thread'));
    server.comments.push(fakeComment('c2', 'old', 'no title here'), fakeComment('c1', 's1', 'beat!', 'NVDA earnings'));
    const path = tempFile('reddit.jsonl');
    const recorder = createRecorder(path);
    const live = createRedditSource({
      credentials: creds, subreddits: ['stocks'], baseUrl: server.baseUrl, pollIntervalMs: 10, logger: memoryLogger().logger, onRaw: recorder.reddit,
    });
    const livePosts: RedditPost[] = [];
    const controller = new AbortController();
    const running = live.run(async (items) => { livePosts.push(...items); }, controller.signal);
    await waitFor(() => livePosts.length === 3, 5000, 'live posts');
    await waitFor(() => server.requests.length > 10, 5000, 'a few more polls');
    controller.abort();
    await running;
    await recorder.close();
    await server.close();

    const replayed = await collect(createReplaySource({ path, source: 'reddit', speed: 0 }));
    expect(replayed).toEqual(livePosts);
    expect(replayed.find((p) => p.fullname === 't1_c2')).toMatchObject({ linkTitle: 'Old AMD thread' });
  });

  it('replays synthetic recordings identically, and paces them at speed > 0', async () => {
    const path = tempFile('both.jsonl');
    const time = fakeTime();
    const recorder = createRecorder(path, { clock: time.clock });
    const trades = await collect(createSyntheticTradeSource({
      symbols: ['AAPL', 'GME'], ratePerSecond: 10, random: createSeededRandom(1), ...time, maxRecords: 300, onRaw: recorder.finnhub,
    }));
    const posts = await collect(createSyntheticRedditSource({
      subreddits: ['stocks'], tickers: { AAPL: 'Apple' }, ratePerSecond: 2, random: createSeededRandom(2), ...time, maxRecords: 60, onRaw: recorder.reddit,
    }));
    await recorder.close();

    expect(await collect(createReplaySource({ path, source: 'finnhub' }))).toEqual(trades);
    expect(await collect(createReplaySource({ path, source: 'reddit', batchSize: 7 }))).toEqual(posts);

    const paced = fakeTime();
    const batches: number[] = [];
    const replay = createReplaySource({ path, source: 'finnhub', speed: 2, sleep: paced.sleep });
    await replay.run(async (items) => { batches.push(items.length); }, new AbortController().signal);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(300);
    expect(batches.length).toBeGreaterThan(10);
    expect(paced.sleeps.every((ms) => ms === 500)).toBe(true); // one recorded second, at double speed
  });

  it('skips broken lines and lines of the other source', async () => {
    const path = tempFile('mixed.jsonl');
    writeFileSync(path, [
      '{"source":"reddit","at":1,"raw":{"kind":"t3","data":{}}}',
      'not json',
      '{"source":"finnhub","at":2,"raw":{"not":"a string"}}',
      '{"source":"finnhub","at":3,"raw":"{\\"type\\":\\"trade\\",\\"data\\":[{\\"s\\":\\"A\\",\\"p\\":1,\\"t\\":5,\\"v\\":1}]}"}',
      '',
    ].join('\n'));
    const replay = createReplaySource({ path, source: 'finnhub' });
    expect(await collect(replay)).toEqual([{ symbol: 'A', price: 1, volume: 1, timestamp: 5, conditions: [], seq: 0 }]);
    expect(replay.stats()).toMatchObject({ malformed: 2, emitted: 1 });
  });

  it('the shipped samples replay cleanly', async () => {
    const root = fileURLToPath(new URL('../../../../data/recorded/', import.meta.url));
    const trades = await collect(createReplaySource({ path: join(root, 'finnhub-sample.jsonl'), source: 'finnhub' }));
    const posts = await collect(createReplaySource({ path: join(root, 'reddit-sample.jsonl'), source: 'reddit' }));
    expect(trades.length).toBeGreaterThan(200);
    expect(posts.length).toBeGreaterThan(200);
    expect(trades.every((t) => t.price > 0)).toBe(true);
    expect(posts.some((p) => p.kind === 'comment') && posts.some((p) => p.kind === 'submission')).toBe(true);
  });
});
