import { afterEach, describe, expect, it } from 'vitest';
import type { RedditComment, RedditPost } from '../../domain/types.ts';
import { isStockstreamerError } from '../../runtime/errors.ts';
import { createRedditSource, type RedditSourceOptions } from './reddit.ts';
import { fakeComment, fakeSubmission, startFakeReddit, type FakeReddit } from './fake-reddit.ts';
import { memoryLogger, waitFor } from './testing.ts';
import type { Sleep } from './source.ts';

const credentials = {
  clientId: 'client-id-abc', clientSecret: 'client-SECRET-value-xyz', username: 'bot_user',
  password: 'hunter2-PASSWORD-value', userAgent: 'stockstreamer-test/1.0',
};
const SECRETS = [credentials.clientSecret, credentials.password];

let servers: FakeReddit[] = [];
afterEach(async () => {
  for (const server of servers) await server.close();
  servers = [];
});

async function fake(extra: { invalidGrant?: boolean; clientSecret?: string } = {}): Promise<FakeReddit> {
  const server = await startFakeReddit({ ...credentials, ...extra });
  servers.push(server);
  return server;
}

/** Records every requested wait, and actually waits at most a few ms of it. */
function recordingSleep(): { sleep: Sleep; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms, signal) => {
      waits.push(ms);
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, Math.min(ms, 5));
        signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
      });
    },
  };
}

function start(server: FakeReddit, overrides: Partial<RedditSourceOptions> = {}) {
  const { logger, lines } = memoryLogger();
  const { sleep, waits } = recordingSleep();
  const source = createRedditSource({
    credentials, subreddits: ['wallstreetbets', 'stocks'], baseUrl: server.baseUrl, pollIntervalMs: 20, logger,
    sleep, random: () => 0, backoff: { initialMs: 100, maxMs: 1000 }, ...overrides,
  });
  const got: RedditPost[] = [];
  const controller = new AbortController();
  const running = source.run(async (items) => { got.push(...items); }, controller.signal);
  const stop = async (): Promise<void> => { controller.abort(); await running; };
  return { source, got, lines, waits, running, stop };
}

describe('Reddit source', () => {
  it('polls both listings, de-duplicates, and fills missing parent titles once', async () => {
    const server = await fake();
    server.submissions.push(fakeSubmission('s2', 'GME squeeze tomorrow?'), fakeSubmission('s1', '$TSLA to the moon'));
    server.archive.push(fakeSubmission('old1', 'Old thread about NVDA'));
    server.comments.push(
      fakeComment('c3', 's1', 'no title in the listing, parent seen'),
      fakeComment('c2', 'old1', 'no title, parent only in /api/info'),
      fakeComment('c1', 's1', 'buying more', '$TSLA to the moon'),
    );
    const run = start(server);
    await waitFor(() => run.got.length === 5, 5000, 'first poll');
    const pollsBefore = server.requests.filter((r) => r.path.endsWith('/new')).length;
    await waitFor(() => server.requests.filter((r) => r.path.endsWith('/new')).length >= pollsBefore + 3, 5000, 'more polls');

    server.submissions.unshift(fakeSubmission('s3', 'PLTR earnings'));
    server.comments.unshift(fakeComment('c4', 'old1', 'another on the old thread'));
    await waitFor(() => run.got.length === 7, 5000, 'second batch');
    await waitFor(() => server.requests.filter((r) => r.path.endsWith('/comments')).length >= pollsBefore + 6, 5000, 'still polling');
    await run.stop();

    // First poll: submissions before comments, oldest first. The later two may land in one poll or two.
    expect(run.got.slice(0, 5).map((p) => p.fullname)).toEqual(['t3_s1', 't3_s2', 't1_c1', 't1_c2', 't1_c3']);
    expect(run.got.slice(5).map((p) => p.fullname).sort()).toEqual(['t1_c4', 't3_s3']);
    const comments = run.got.filter((p): p is RedditComment => p.kind === 'comment');
    expect(Object.fromEntries(comments.map((c) => [c.id, c.linkTitle]))).toEqual({
      c1: '$TSLA to the moon', c2: 'Old thread about NVDA', c3: '$TSLA to the moon', c4: 'Old thread about NVDA',
    });
    expect(run.got[0]).toMatchObject({ kind: 'submission', subreddit: 'wallstreetbets', created: 1_700_000_000_000, permalink: 'https://www.reddit.com/r/wallstreetbets/comments/s1/slug/' });
    // One /api/info call: the fetched title is cached for c4.
    expect(server.requests.filter((r) => r.path === '/api/info')).toHaveLength(1);
    expect(server.requests.find((r) => r.path.endsWith('/new'))?.path).toBe('/r/wallstreetbets+stocks/new');
    expect(server.requests.find((r) => r.path.endsWith('/new'))?.query).toContain('limit=100');
    expect(server.tokenRequests).toBe(1);
    expect(run.source.stats()).toMatchObject({ emitted: 7, malformed: 0, reconnects: 0 });
    for (const secret of SECRETS) expect(run.lines.join('\n')).not.toContain(secret);
  });

  it('honours Retry-After and the rate-limit window, backs off on 5xx, and recreates the poller after each error', async () => {
    const server = await fake();
    server.submissions.push(fakeSubmission('s1', 'AMD is cheap'));
    server.failures.push(
      { status: 429, headers: { 'retry-after': '7', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '7' } },
      { status: 503, body: '<html>upstream down</html>' },
      { status: 500 },
    );
    const run = start(server);
    await waitFor(() => run.got.length === 1, 5000, 'recovery');
    await run.stop();

    // Retry-After as given, then backoff 100·2^k·(½ + 0·½) where k counts consecutive failures (the 429 was the first).
    expect(run.waits.slice(0, 3)).toEqual([7000, 100, 200]);
    expect(run.source.stats().reconnects).toBe(3);
    expect(server.tokenRequests).toBe(4); // a fresh snoowrap (and token) after every error
    const warnLines = run.lines.filter((l) => l.includes('Reddit poll failed'));
    expect(warnLines[0]).toContain('SOURCE_RATE_LIMITED');
    expect(warnLines[1]).toContain('SOURCE_UNAVAILABLE');
    expect(warnLines[1]).toContain('503');
    for (const secret of SECRETS) expect(run.lines.join('\n')).not.toContain(secret);
  });

  it('waits for the window reset when x-ratelimit-remaining runs out', async () => {
    const server = await fake();
    server.submissions.push(fakeSubmission('s1', 'MSFT steady'));
    server.successHeaders = { 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '600', 'x-ratelimit-reset': '42' };
    const run = start(server);
    await waitFor(() => run.waits.some((w) => w > 40_000), 5000, 'window wait');
    await run.stop();
    expect(Math.max(...run.waits)).toBeGreaterThan(41_000);
    expect(Math.max(...run.waits)).toBeLessThanOrEqual(42_000);
    expect(run.lines.join('\n')).toContain('SOURCE_RATE_LIMITED');
    expect(run.source.stats().reconnects).toBe(0); // waiting for a window is not a failure
  });

  it('really waits as long as Retry-After says (real clock)', async () => {
    const server = await fake();
    server.submissions.push(fakeSubmission('s1', 'META'));
    server.failures.push({ status: 429, headers: { 'retry-after': '1' } });
    const { logger } = memoryLogger();
    const source = createRedditSource({ credentials, subreddits: ['stocks'], baseUrl: server.baseUrl, pollIntervalMs: 20, logger });
    const controller = new AbortController();
    const got: RedditPost[] = [];
    const running = source.run(async (items) => { got.push(...items); }, controller.signal);
    await waitFor(() => got.length === 1, 5000, 'post after the wait');
    controller.abort();
    await running;
    const listings = server.requests.filter((r) => r.path.endsWith('/new'));
    expect(listings[1]!.at - listings[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('recovers when Reddit is unreachable for a while', async () => {
    const server = await fake();
    const baseUrl = server.baseUrl;
    await server.close();
    servers = [];
    const run = start(server, { baseUrl });
    await waitFor(() => run.source.stats().reconnects >= 3, 5000, 'retries');
    expect(run.source.stats().lastError).toContain('no answer from Reddit');
    await run.stop();
  });

  it('skips malformed listing children and counts them once', async () => {
    const server = await fake();
    server.submissions.push(fakeSubmission('s1', 'fine'), { ...fakeSubmission('s0', 'broken'), created_utc: 'yesterday' });
    const run = start(server);
    await waitFor(() => run.got.length === 1, 5000, 'good post');
    await waitFor(() => server.requests.filter((r) => r.path.endsWith('/new')).length >= 3, 5000, 'more polls');
    await run.stop();
    expect(run.source.stats().malformed).toBe(1);
    expect(run.lines.filter((l) => l.includes('MALFORMED_FRAME'))).toHaveLength(1);
  });

  it('stops with SOURCE_AUTH_FAILED on a 401 from the token endpoint, naming the file but no secret', async () => {
    const server = await fake({ clientSecret: 'the-right-secret' });
    const run = start(server);
    const error = await run.running.then(() => undefined, (err: unknown) => err);
    expect(isStockstreamerError(error, 'SOURCE_AUTH_FAILED')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('secrets/credentials.ini');
    expect(message).toContain('401');
    for (const secret of [...SECRETS, 'the-right-secret']) {
      expect(message).not.toContain(secret);
      expect(JSON.stringify(error)).not.toContain(secret);
      expect(run.lines.join('\n')).not.toContain(secret);
    }
    expect(server.tokenRequests).toBe(1);
  });

  it('treats an invalid_grant answer (wrong password) as an auth failure too', async () => {
    const server = await fake({ invalidGrant: true });
    const run = start(server);
    const error = await run.running.then(() => undefined, (err: unknown) => err);
    expect(isStockstreamerError(error, 'SOURCE_AUTH_FAILED')).toBe(true);
    expect((error as Error).message).toContain('invalid_grant');
  });
});
