/**
 * Reddit as a Source<RedditPost>: polls the newest submissions and comments
 * of the configured subreddits through snoowrap.
 *
 * One poll: GET /r/a+b+c/new and /r/a+b+c/comments (limit 100 each), drop
 * fullnames already emitted (a bounded LRU: listings overlap from one poll to
 * the next), map the rest with the pure mapper, fill any comment's missing
 * parent title from a bounded cache or one /api/info call, and emit
 * submissions before comments, oldest first, so downstream sees threads in
 * the order they happened. More than `limit` new posts between two polls
 * would be missed; at the default interval a finance sub does not get there.
 *
 * Failure handling, the reason this file exists: the Python producer it
 * replaces stopped for good after the first error. Here ANY failed poll
 * throws the snoowrap instance away, waits, and builds a fresh one (new
 * token included). The wait is what Reddit asked for (Retry-After on 429 or
 * 503, the x-ratelimit-reset window when x-ratelimit-remaining runs out) or
 * capped jittered backoff otherwise. Only rejected credentials stop the
 * source: no amount of retrying fixes a wrong password.
 */
import type Snoowrap from 'snoowrap';
import type { RedditComment, RedditPost } from '../../domain/types.ts';
import type { Logger } from '../../runtime/logger.ts';
import { StockstreamerError } from '../../runtime/errors.ts';
import { backoffDelayMs, type BackoffOptions } from '../../domain/sources/backoff.ts';
import { createBoundedLru } from '../../domain/sources/lru.ts';
import { fillLinkTitle, infoQueryBatches, mapRedditChild, type RedditListingChild } from '../../domain/sources/reddit-mapping.ts';
import { parseRateLimitHeaders, rateLimitWaitMs, type RateLimitInfo } from '../../domain/sources/rate-limit.ts';
import { createRedditRequester, RedditHttpError, type RedditCredentials } from './reddit-requester.ts';
import { errorMessage, newStats, realSleep, redact, systemClock, type Clock, type ObservableSource, type Sleep, type SourceStats } from './source.ts';

export type { RedditCredentials } from './reddit-requester.ts';

export interface RedditSourceOptions {
  credentials: RedditCredentials;
  /** names without the r/ prefix */
  subreddits: readonly string[];
  /** replaces https://www.reddit.com and https://oauth.reddit.com (tests: a local server) */
  baseUrl?: string;
  /** pause between polls, milliseconds */
  pollIntervalMs: number;
  logger: Logger;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  /** wait after a failure that Reddit gave no instruction for */
  backoff?: BackoffOptions;
  /** items per listing request; Reddit caps it at 100 */
  limit?: number;
  /** each listing child about to be emitted, as JSON (the recorder hooks in here) */
  onRaw?: (child: RedditListingChild) => void;
  /** how many emitted fullnames are remembered for de-duplication */
  seenCapacity?: number;
  /** how many parent titles are cached */
  titleCacheCapacity?: number;
}

const SUBREDDIT_NAME = /^[A-Za-z0-9_]{2,21}$/;
const MALFORMED_WARN_LIMIT = 20;

interface PollResult {
  posts: RedditPost[];
  raws: RedditListingChild[];
  fullnames: string[];
}

export function createRedditSource(options: RedditSourceOptions): ObservableSource<RedditPost> {
  const { credentials } = options;
  const subreddits = [...new Set(options.subreddits)];
  if (subreddits.length === 0) throw new RangeError('the Reddit source needs at least one subreddit');
  for (const name of subreddits) if (!SUBREDDIT_NAME.test(name)) throw new RangeError(`not a subreddit name: ${JSON.stringify(name)}`);
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  const backoff = options.backoff ?? { initialMs: 2_000, maxMs: 120_000 }; // milliseconds
  const limit = Math.min(100, Math.max(1, options.limit ?? 100));
  const multi = subreddits.join('+');
  const secrets = [credentials.clientSecret, credentials.password, credentials.clientId];
  const safe = (text: string): string => redact(text, secrets);
  const logger = options.logger.child({ source: 'reddit' });
  const stats = newStats();
  const seen = createBoundedLru<string, true>(options.seenCapacity ?? 20_000);
  const titles = createBoundedLru<string, string>(options.titleCacheCapacity ?? 5_000);

  // The latest rate-limit headers and when they were seen, so a wait can be
  // computed later against the same clock.
  let lastLimits: { info: RateLimitInfo; at: number } | undefined;

  function remainingWaitMs(needed: number): number {
    if (lastLimits === undefined) return 0;
    const { info, at } = lastLimits;
    const windowWait = rateLimitWaitMs({ ...info, retryAfterMs: undefined }, needed);
    return Math.max(0, windowWait - (clock.now() - at));
  }

  function toChild(item: { toJSON(): unknown }): RedditListingChild | undefined {
    const data = item.toJSON();
    if (typeof data !== 'object' || data === null) return undefined;
    const name = (data as { name?: unknown }).name;
    const kind = typeof name === 'string' ? name.slice(0, 2) : '';
    return { kind, data: data as Record<string, unknown> };
  }

  /** Holds off while the current rate-limit window is spent (one request is about to go). */
  async function gate(signal: AbortSignal): Promise<void> {
    const hold = remainingWaitMs(1);
    if (hold <= 0) return;
    logger.info({ code: 'SOURCE_RATE_LIMITED', waitMs: hold }, 'Reddit rate-limit window spent; waiting for its reset');
    await sleep(hold, signal);
    lastLimits = undefined;
    if (signal.aborted) throw signal.reason;
  }

  async function poll(requester: Snoowrap, signal: AbortSignal): Promise<PollResult> {
    await gate(signal);
    const submissions = await requester.getNew(multi, { limit });
    await gate(signal);
    const comments = await requester.getNewComments(multi, { limit });
    // Listings are newest first; downstream wants arrival order.
    const children = [...[...submissions].reverse(), ...[...comments].reverse()]
      .map((item) => toChild(item as unknown as { toJSON(): unknown }))
      .filter((child): child is RedditListingChild => child !== undefined);

    const fresh: { child: RedditListingChild; post: RedditPost }[] = [];
    const fullnames: string[] = [];
    for (const child of children) {
      const name = typeof child.data.name === 'string' ? child.data.name : undefined;
      if (name !== undefined && seen.has(name)) continue;
      stats.received += 1;
      const mapped = mapRedditChild(child);
      if (!mapped.ok) {
        stats.malformed += 1;
        // Remember it too: a bad child stays in the listing for many polls.
        if (name !== undefined) seen.set(name, true);
        const line = { code: 'MALFORMED_FRAME', reason: safe(mapped.reason), malformed: stats.malformed };
        if (stats.malformed <= MALFORMED_WARN_LIMIT) logger.warn(line, 'skipped a malformed Reddit listing child');
        else logger.debug(line, 'skipped a malformed Reddit listing child');
        continue;
      }
      if (mapped.post.kind === 'submission') titles.set(mapped.post.fullname, mapped.post.title);
      fresh.push({ child, post: mapped.post });
      fullnames.push(mapped.post.fullname);
    }

    // Comment listings normally carry link_title; when one does not, ask /api/info once per poll.
    const missing = fresh
      .map((entry) => entry.post)
      .filter((post): post is RedditComment => post.kind === 'comment' && post.linkTitle === '' && titles.get(post.linkId) === undefined)
      .map((post) => post.linkId);
    for (const batch of infoQueryBatches(missing)) {
      await gate(signal);
      const found = await requester.getContentByIds(batch.split(','));
      for (const item of found as unknown as { name?: string; title?: unknown }[]) {
        if (typeof item.name === 'string' && typeof item.title === 'string') titles.set(item.name, item.title);
      }
    }

    const posts: RedditPost[] = [];
    const raws: RedditListingChild[] = [];
    for (const { child, post } of fresh) {
      if (post.kind === 'comment' && post.linkTitle === '') {
        const filled = fillLinkTitle(post, titles.get(post.linkId));
        posts.push(filled);
        // The recording carries the title we looked up, so a replay needs no network.
        raws.push(filled.linkTitle === '' ? child : { kind: child.kind, data: { ...child.data, link_title: filled.linkTitle } });
      } else {
        posts.push(post);
        raws.push(child);
      }
    }
    return { posts, raws, fullnames };
  }

  function authFailure(err: unknown): StockstreamerError | undefined {
    const tokenRejected =
      err instanceof RedditHttpError && (err.statusCode === 401 || err.statusCode === 403) && err.path.includes('access_token');
    // Reddit answers a wrong username/password with 200 {"error":"invalid_grant"}; snoowrap turns that into this message.
    const grantRejected = err instanceof Error && /invalid grant|invalid_grant|unauthorized_client/i.test(err.message);
    if (!tokenRejected && !grantRejected) return undefined;
    const how = err instanceof RedditHttpError ? `HTTP ${err.statusCode} from the token endpoint` : 'the token endpoint answered "invalid_grant"';
    return new StockstreamerError(
      'SOURCE_AUTH_FAILED',
      `Reddit rejected the credentials (${how}); check client_id, client_secret, username and password in [RedditCredentials] of secrets/credentials.ini`,
      { details: { section: 'RedditCredentials' } },
    );
  }

  return {
    name: 'reddit',
    stats: (): SourceStats => ({ ...stats }),

    async run(emit, signal) {
      let requester: Snoowrap | undefined;
      let attempt = 0;
      while (!signal.aborted) {
        let result: PollResult;
        try {
          if (requester === undefined) {
            requester = createRedditRequester(credentials, {
              baseUrl: options.baseUrl,
              signal,
              onResponse: ({ headers }) => {
                const info = parseRateLimitHeaders(headers, clock.now());
                if (info.remaining !== undefined || info.retryAfterMs !== undefined) lastLimits = { info, at: clock.now() };
              },
              warn: (message) => logger.warn({ message: safe(message) }, 'snoowrap warning'),
            });
          }
          result = await poll(requester, signal);
        } catch (err) {
          if (signal.aborted) break;
          const auth = authFailure(err);
          if (auth !== undefined) {
            stats.lastError = auth.message;
            logger.error({ code: auth.code }, auth.message);
            throw auth;
          }
          const status = err instanceof RedditHttpError ? err.statusCode : undefined;
          const asked = err instanceof RedditHttpError ? parseRateLimitHeaders(err.response.headers, clock.now()) : {};
          const isRateLimit = status === 429;
          const fallback = backoffDelayMs(attempt, backoff, random);
          const wait =
            asked.retryAfterMs !== undefined
              ? asked.retryAfterMs
              : isRateLimit
                ? Math.max(rateLimitWaitMs({ ...asked, remaining: 0 }), fallback)
                : fallback;
          attempt += 1;
          stats.reconnects += 1;
          stats.lastError = safe(errorMessage(err));
          // A fresh snoowrap instance after ANY error: never a poller stuck in a bad state.
          requester = undefined;
          logger.warn(
            { code: isRateLimit ? 'SOURCE_RATE_LIMITED' : 'SOURCE_UNAVAILABLE', status, reason: stats.lastError, waitMs: wait, reconnects: stats.reconnects },
            'Reddit poll failed; recreating the poller after the wait',
          );
          await sleep(wait, signal);
          // That wait honoured what the headers said; a fresh answer will say more.
          lastLimits = undefined;
          continue;
        }
        attempt = 0;
        // Outside the try: a failing emit is the consumer's error, not Reddit's, and must surface.
        if (result.posts.length > 0) {
          for (const raw of result.raws) options.onRaw?.(raw);
          await emit(result.posts);
          stats.emitted += result.posts.length;
        }
        for (const fullname of result.fullnames) seen.set(fullname, true);
        await sleep(options.pollIntervalMs, signal);
      }
    },
  };
}
