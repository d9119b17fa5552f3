/**
 * A node:http server that answers like Reddit's API, for the source tests
 * (not a test file itself). Serves the password-grant token endpoint and the
 * oauth listings from one origin, which is how the source's `baseUrl` maps
 * both Reddit hosts. `failures` scripts answers for the next listing
 * requests (status + headers) before normal service resumes.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRedditOptions {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** answer the token request with 200 {"error":"invalid_grant"} instead of a token */
  invalidGrant?: boolean;
}

export interface FakeReddit {
  baseUrl: string;
  /** newest first, like Reddit */
  submissions: Record<string, unknown>[];
  comments: Record<string, unknown>[];
  /** known to /api/info but not in the listings (old threads) */
  archive: Record<string, unknown>[];
  failures: { status: number; headers?: Record<string, string>; body?: string }[];
  /** headers added to every successful listing answer */
  successHeaders: Record<string, string>;
  requests: { method: string; path: string; query: string; at: number; authorization?: string }[];
  tokenRequests: number;
  close(): Promise<void>;
}

function listing(items: Record<string, unknown>[], kind: string): string {
  return JSON.stringify({ kind: 'Listing', data: { after: null, before: null, dist: items.length, children: items.map((data) => ({ kind, data })) } });
}

export async function startFakeReddit(options: FakeRedditOptions): Promise<FakeReddit> {
  const fake: Omit<FakeReddit, 'baseUrl' | 'close'> = {
    submissions: [], comments: [], archive: [], failures: [], requests: [], tokenRequests: 0,
    successHeaders: { 'x-ratelimit-remaining': '598.0', 'x-ratelimit-used': '2', 'x-ratelimit-reset': '300' },
  };
  const validToken = 'access-token-from-fake';

  const handle = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    fake.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search, at: Date.now(), authorization: req.headers.authorization });
    const json = (status: number, payload: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
      res.end(payload);
    };

    if (url.pathname === '/api/v1/access_token' && req.method === 'POST') {
      fake.tokenRequests += 1;
      const expected = `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`;
      const form = new URLSearchParams(body);
      if (req.headers.authorization !== expected) return json(401, '{"message": "Unauthorized", "error": 401}');
      if (options.invalidGrant === true || form.get('username') !== options.username || form.get('password') !== options.password) {
        return json(200, '{"error": "invalid_grant"}');
      }
      return json(200, JSON.stringify({ access_token: validToken, token_type: 'bearer', expires_in: 86400, scope: '*' }));
    }
    if (req.headers.authorization !== `bearer ${validToken}`) return json(401, '{"message": "Unauthorized", "error": 401}');

    const isListing = /^\/r\/[^/]+\/(new|comments)$/.test(url.pathname) || url.pathname === '/api/info';
    if (isListing) {
      const failure = fake.failures.shift();
      if (failure !== undefined) return json(failure.status, failure.body ?? `{"message": "status ${failure.status}"}`, failure.headers);
    }
    if (url.pathname.endsWith('/new')) return json(200, listing(fake.submissions, 't3'), fake.successHeaders);
    if (url.pathname.endsWith('/comments')) return json(200, listing(fake.comments, 't1'), fake.successHeaders);
    if (url.pathname === '/api/info') {
      const ids = new Set((url.searchParams.get('id') ?? '').split(','));
      const found = [...fake.submissions, ...fake.archive].filter((s) => ids.has(String(s.name)));
      return json(200, listing(found, 't3'), fake.successHeaders);
    }
    json(404, '{"message": "Not Found", "error": 404}');
  };

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { body += chunk; });
    req.on('end', () => handle(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  });
}

let counter = 0;
export function fakeSubmission(id: string, title: string, createdSec = 1_700_000_000): Record<string, unknown> {
  counter += 1;
  return {
    name: `t3_${id}`, id, subreddit: 'wallstreetbets', author: `author${counter}`, title, selftext: '', score: 1,
    created_utc: createdSec, permalink: `/r/wallstreetbets/comments/${id}/slug/`, num_comments: 0, replies: '',
    subreddit_name_prefixed: 'r/wallstreetbets',
  };
}

export function fakeComment(id: string, linkId: string, body: string, linkTitle?: string, createdSec = 1_700_000_010): Record<string, unknown> {
  return {
    name: `t1_${id}`, id, subreddit: 'wallstreetbets', author: 'commenter', body, score: 2, created_utc: createdSec,
    permalink: `/r/wallstreetbets/comments/${linkId}/slug/${id}/`, link_id: `t3_${linkId}`, parent_id: `t3_${linkId}`,
    replies: '', ...(linkTitle === undefined ? {} : { link_title: linkTitle }),
  };
}
