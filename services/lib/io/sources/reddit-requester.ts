/**
 * A snoowrap instance whose HTTP goes through Node's fetch.
 *
 * Why a subclass: snoowrap builds every URL from `https://oauth.${endpointDomain}`
 * (listings) and `https://www.${endpointDomain}` (the token endpoint), so no
 * config value can turn the scheme into http or add a port. What snoowrap
 * does document as its extension point is `rawRequest`: "if you create a
 * snoowrap subclass and shadow this method, all requests from snoowrap will
 * pass through it". Shadowing it lets us
 *   - send every request to `baseUrl` when one is configured (tests point it
 *     at a local http://127.0.0.1:<port> server answering like Reddit; both
 *     the www and the oauth host map to it, which is why the fake serves the
 *     token endpoint and the listings from one origin),
 *   - see the response headers of every answer, errors included, so the
 *     poller can honour x-ratelimit-* and Retry-After itself,
 *   - abort in-flight requests on shutdown, and
 *   - keep secrets out of errors: the `request` library snoowrap uses by
 *     default attaches the full request options (basic-auth password and the
 *     password grant form) to its StatusCodeError, where any error logger
 *     would print them. Our errors carry status, method and path only.
 *
 * The contract kept is the one snoowrap's docs give for rawRequest: the
 * request-promise options subset it uses (baseUrl, uri, method, qs, form,
 * headers, auth, json, timeout, transform, resolveWithFullResponse), resolve
 * on 2xx, reject otherwise with an error carrying `statusCode` and `response`
 * (snoowrap matches on `statusCode`).
 */
import Snoowrap from 'snoowrap';
import type { HeaderBag } from '../../domain/sources/rate-limit.ts';

import type { RedditCredentials } from '../../runtime/credentials.ts';

/** The shape secrets/credentials.ini's [RedditCredentials] section parses into. */
export type { RedditCredentials };

interface RawRequestOptions {
  baseUrl?: string;
  uri?: string;
  url?: string;
  method?: string;
  qs?: Record<string, unknown>;
  form?: Record<string, unknown>;
  body?: unknown;
  headers?: Record<string, string>;
  auth?: { bearer?: string; user?: string; pass?: string };
  json?: boolean;
  timeout?: number;
  resolveWithFullResponse?: boolean;
  transform?: (body: unknown, response: RawResponse) => unknown;
}

export interface RawResponse {
  statusCode: number;
  body: unknown;
  headers: Record<string, string>;
  request: { method: string; uri: { href: string } };
}

/** An HTTP answer outside 2xx, shaped the way snoowrap's handlers match it. */
export class RedditHttpError extends Error {
  readonly statusCode: number;
  readonly response: RawResponse;
  /** path of the request, no origin, no query: safe to log */
  readonly path: string;
  constructor(response: RawResponse, path: string) {
    super(`Reddit answered HTTP ${response.statusCode} to ${response.request.method} ${path}`);
    this.name = 'RedditHttpError';
    this.statusCode = response.statusCode;
    this.response = response;
    this.path = path;
  }
}

/** The request never got an HTTP answer (refused, reset, timed out). */
export class RedditNetworkError extends Error {
  readonly path: string;
  constructor(path: string, reason: string) {
    super(`no answer from Reddit for ${path}: ${reason}`);
    this.name = 'RedditNetworkError';
    this.path = path;
  }
}

export interface RequesterHooks {
  /** replaces https://www.<domain> and https://oauth.<domain>, e.g. http://127.0.0.1:8080 */
  baseUrl?: string;
  /** sees the headers of every response, 2xx or not */
  onResponse?: (response: { statusCode: number; headers: HeaderBag; path: string }) => void;
  /** aborts in-flight requests */
  signal?: AbortSignal;
  /** snoowrap's own warnings go here (already free of secrets: snoowrap never prints them) */
  warn?: (message: string) => void;
}

function describeCause(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? code : cause.name === 'TimeoutError' ? 'timed out' : cause.message;
  }
  return String(cause);
}

async function send(options: RawRequestOptions, hooks: RequesterHooks): Promise<unknown> {
  const origin = (hooks.baseUrl ?? options.baseUrl ?? '').replace(/\/+$/, '');
  const path = `/${(options.uri ?? options.url ?? '').replace(/^\/+/, '')}`;
  const url = new URL(origin + path);
  for (const [key, value] of Object.entries(options.qs ?? {})) {
    if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
  }
  const method = (options.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.headers ?? {})) headers[key.toLowerCase()] = value;
  if (options.auth?.bearer !== undefined) headers.authorization = `bearer ${options.auth.bearer}`;
  else if (options.auth?.user !== undefined) {
    headers.authorization = `Basic ${Buffer.from(`${options.auth.user}:${options.auth.pass ?? ''}`).toString('base64')}`;
  }
  let body: string | undefined;
  if (options.form !== undefined && method !== 'GET') {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(options.form)) if (value !== undefined) form.set(key, String(value));
    body = form.toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (options.body !== undefined && method !== 'GET') {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (options.json === true) headers['content-type'] = 'application/json';
  }
  if (options.json === true) headers.accept = 'application/json';

  const signals = [AbortSignal.timeout(options.timeout ?? 30_000)];
  if (hooks.signal !== undefined) signals.push(hooks.signal);
  let answer: Response;
  let text: string;
  try {
    answer = await fetch(url, { method, headers, body, signal: AbortSignal.any(signals), redirect: 'follow' });
    text = await answer.text();
  } catch (err) {
    throw new RedditNetworkError(path, describeCause(err));
  }
  let parsed: unknown = text;
  if (options.json === true && text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      /* Reddit's error pages are HTML; keep the text */
    }
  }
  const responseHeaders: Record<string, string> = {};
  answer.headers.forEach((value, key) => {
    responseHeaders[key] = value;
  });
  const response: RawResponse = {
    statusCode: answer.status,
    body: parsed,
    headers: responseHeaders,
    request: { method, uri: { href: `${origin}${path}` } },
  };
  hooks.onResponse?.({ statusCode: answer.status, headers: responseHeaders, path });
  if (answer.status < 200 || answer.status > 299) throw new RedditHttpError(response, path);
  if (options.transform !== undefined) return options.transform(parsed, response);
  return options.resolveWithFullResponse === true ? response : parsed;
}

export function createRedditRequester(credentials: RedditCredentials, hooks: RequesterHooks): Snoowrap {
  class FetchSnoowrap extends Snoowrap {
    // Shadowing is snoowrap's documented extension point (see the header comment).
    override rawRequest(options: unknown): Promise<unknown> {
      return send(options as RawRequestOptions, hooks);
    }

    // snoowrap keeps a second rate-limit gate on the wall clock that throws a
    // RateLimitError mid-poll. The poller already waits as Reddit's headers say
    // (on its injected clock), so this gate only gets in the way: one owner.
    _awaitRatelimit(): Promise<void> {
      return Promise.resolve();
    }

    // Same for its inter-request delay (we run with requestDelay 0 anyway); its
    // first call schedules a timer of -Infinity ms, which Node 24 warns about.
    _awaitRequestDelay(): Promise<void> {
      return Promise.resolve();
    }
  }
  const requester = new FetchSnoowrap({
    userAgent: credentials.userAgent,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    username: credentials.username,
    password: credentials.password,
  });
  requester.config({
    // The poller owns retries and rate-limit waits (it honours Retry-After and the
    // injected clock); snoowrap's own sleeps would double them and hide errors.
    // One attempt switches its retries off. (Not `retryErrorCodes: []`: with an
    // empty list snoowrap's retry handler catches every error, network and
    // invalid-grant ones included, and crashes reading `e.response.request`.)
    maxRetryAttempts: 1,
    continueAfterRatelimitError: false,
    requestDelay: 0,
    warnings: true,
    debug: false,
    proxies: false,
    logger: {
      warn: (...args: unknown[]) => hooks.warn?.(args.map(String).join(' ')),
      info: () => undefined,
      debug: () => undefined,
      trace: () => undefined,
    },
  });
  return requester;
}
