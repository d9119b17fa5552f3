/**
 * Reddit listing children → domain records. Pure: JSON in, records out.
 *
 * Grammar of one listing child (what /r/<subs>/new, /r/<subs>/comments and
 * /api/info return inside data.children, and what the recorder stores):
 *
 *   child      := {"kind": "t3", "data": submission} | {"kind": "t1", "data": comment}
 *   submission := {name: "t3_<base36>", id?, subreddit, author, title, selftext?,
 *                  score, created_utc: epoch seconds (may be fractional), permalink?}
 *   comment    := {name: "t1_<base36>", id?, subreddit, author, body, score,
 *                  created_utc, permalink?, link_id: "t3_…", parent_id: "t1_…"|"t3_…",
 *                  link_title?}
 *
 * Decisions:
 * - `created` is epoch milliseconds (created_utc × 1000, rounded), like every
 *   timestamp in the domain.
 * - `fullname` comes from `name`, the idempotency key downstream; `id` is the
 *   fullname without its prefix when the payload omits it.
 * - `permalink` is always absolute (https://www.reddit.com/…). Reddit sends it
 *   relative; the dashboard shows it as a link, and an absolute URL stays
 *   correct wherever it is rendered. Absolute input is kept as is. When the
 *   payload has no permalink (some endpoints omit it for comments) it is
 *   rebuilt from subreddit, link id and comment id, which Reddit resolves.
 * - `linkTitle` is '' when the comment arrives without `link_title`; the
 *   source fills it from its title cache (see fillLinkTitle).
 * - A deleted author arrives as "[deleted]" and is kept: it is still a post.
 */
import type { RedditComment, RedditPost, RedditSubmission } from '../types.ts';

export const REDDIT_WEB_ORIGIN = 'https://www.reddit.com';

export interface RedditListingChild {
  kind: string;
  data: Record<string, unknown>;
}

export type RedditMapResult = { ok: true; post: RedditPost } | { ok: false; reason: string };

const FULLNAME = /^t[13]_[0-9a-z]+$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(data: Record<string, unknown>, key: string, fallback?: string): string | undefined {
  const value = data[key];
  if (typeof value === 'string') return value;
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  return undefined;
}

export function absolutePermalink(permalink: string): string {
  if (/^https?:\/\//i.test(permalink)) return permalink;
  return REDDIT_WEB_ORIGIN + (permalink.startsWith('/') ? permalink : `/${permalink}`);
}

export function mapRedditChild(child: unknown): RedditMapResult {
  if (!isRecord(child) || !isRecord(child.data)) return { ok: false, reason: 'listing child has no "data" object' };
  const { kind, data } = child;
  if (kind !== 't3' && kind !== 't1') return { ok: false, reason: `listing child kind ${JSON.stringify(kind)} is neither t3 nor t1` };

  const fullname = data.name;
  if (typeof fullname !== 'string' || !FULLNAME.test(fullname) || !fullname.startsWith(`${kind}_`)) {
    return { ok: false, reason: `${kind} child has no valid "name" (fullname)` };
  }
  const id = text(data, 'id', fullname.slice(3));
  if (id === undefined || id !== fullname.slice(3)) return { ok: false, reason: `${fullname}: "id" does not match the fullname` };
  const subreddit = text(data, 'subreddit');
  if (subreddit === undefined || subreddit.length === 0) return { ok: false, reason: `${fullname}: no "subreddit"` };
  const author = text(data, 'author', '[deleted]');
  if (author === undefined) return { ok: false, reason: `${fullname}: "author" is not a string` };
  const score = data.score;
  if (typeof score !== 'number' || !Number.isFinite(score)) return { ok: false, reason: `${fullname}: no numeric "score"` };
  const createdUtc = data.created_utc;
  if (typeof createdUtc !== 'number' || !Number.isFinite(createdUtc) || createdUtc <= 0) {
    return { ok: false, reason: `${fullname}: no valid "created_utc" (epoch seconds)` };
  }
  const created = Math.round(createdUtc * 1000);

  if (kind === 't3') {
    const title = text(data, 'title');
    if (title === undefined) return { ok: false, reason: `${fullname}: submission has no "title"` };
    const selftext = text(data, 'selftext', '');
    if (selftext === undefined) return { ok: false, reason: `${fullname}: "selftext" is not a string` };
    const permalink = text(data, 'permalink') ?? `/r/${subreddit}/comments/${id}/`;
    const post: RedditSubmission = {
      kind: 'submission', fullname, id, subreddit, author, title, selftext, score, created,
      permalink: absolutePermalink(permalink),
    };
    return { ok: true, post };
  }

  const body = text(data, 'body');
  if (body === undefined) return { ok: false, reason: `${fullname}: comment has no "body"` };
  const linkId = text(data, 'link_id');
  if (linkId === undefined || !/^t3_[0-9a-z]+$/.test(linkId)) return { ok: false, reason: `${fullname}: comment has no valid "link_id"` };
  const parentId = text(data, 'parent_id');
  if (parentId === undefined || !FULLNAME.test(parentId)) return { ok: false, reason: `${fullname}: comment has no valid "parent_id"` };
  const linkTitle = text(data, 'link_title', '');
  if (linkTitle === undefined) return { ok: false, reason: `${fullname}: "link_title" is not a string` };
  const permalink = text(data, 'permalink') ?? `/r/${subreddit}/comments/${linkId.slice(3)}/_/${id}/`;
  const post: RedditComment = {
    kind: 'comment', fullname, id, subreddit, author, body, score, created,
    permalink: absolutePermalink(permalink), linkId, parentId, linkTitle,
  };
  return { ok: true, post };
}

/** The comment with its parent submission's title, when the listing lacked it. */
export function fillLinkTitle(comment: RedditComment, title: string | undefined): RedditComment {
  if (comment.linkTitle !== '' || title === undefined || title === '') return comment;
  return { ...comment, linkTitle: title };
}

/** The comma list of fullnames /api/info accepts; Reddit caps it at 100. */
export function infoQueryBatches(fullnames: readonly string[], batchSize = 100): string[] {
  const unique = [...new Set(fullnames)];
  const batches: string[] = [];
  for (let i = 0; i < unique.length; i += batchSize) batches.push(unique.slice(i, i + batchSize).join(','));
  return batches;
}
