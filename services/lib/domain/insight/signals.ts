import { ALL_SCOPE, betterTop, type MentionTally, type TopPost } from '../windows/crowd.ts';

/**
 * Crowd signals of one ticker over one window, from the tallies that cover it
 * (cover.ts), every scope at once: how many mentions and by how many people,
 * weighted by upvotes, the bullish/bearish/neutral shares, where the talk
 * happens, and the post the crowd liked most.
 */
export interface ScopeSignals {
  mentions: number;
  /** upvote-weighted mentions: each counts max(score, 1) times */
  weighted: number;
  upvotes: number;
  /** distinct accounts: the size of the union of the covering tallies' author sets */
  authors: number;
  /** mentions / authors: 1 is a crowd, 50 is one account talking to itself */
  mentionsPerAuthor: number | null;
  meanSentiment: number | null;
  bullish: number;
  bearish: number;
  neutral: number;
}

export interface SubredditSignals extends ScopeSignals {
  subreddit: string;
  /** this subreddit's part of the ticker's mentions, in [0, 1] */
  share: number;
}

export interface CrowdSignals extends ScopeSignals {
  ticker: string;
  /** most mentions first */
  subreddits: SubredditSignals[];
  /** the highest-scored post of the window (then the earliest) */
  topPost: TopPost | null;
}

interface Acc {
  mentions: number; weighted: number; upvotes: number; sentimentSum: number; pos: number; neg: number; neu: number;
  authors: Set<string>; top: TopPost | null;
}

const newAcc = (): Acc => ({ mentions: 0, weighted: 0, upvotes: 0, sentimentSum: 0, pos: 0, neg: 0, neu: 0, authors: new Set(), top: null });

function finish(a: Acc): ScopeSignals {
  const n = a.mentions;
  return {
    mentions: n, weighted: a.weighted, upvotes: a.upvotes, authors: a.authors.size,
    mentionsPerAuthor: a.authors.size > 0 ? n / a.authors.size : null,
    meanSentiment: n > 0 ? a.sentimentSum / n : null,
    bullish: n > 0 ? a.pos / n : 0, bearish: n > 0 ? a.neg / n : 0, neutral: n > 0 ? a.neu / n : 0,
  };
}

/** `rows`: the ticker's tallies of every scope over non-overlapping pieces of the window. */
export function crowdSignals(ticker: string, rows: readonly MentionTally[]): CrowdSignals {
  const byScope = new Map<string, Acc>();
  for (const r of rows) {
    if (r.ticker !== ticker) continue;
    let a = byScope.get(r.scope);
    if (a === undefined) byScope.set(r.scope, (a = newAcc()));
    a.mentions += r.count;
    a.weighted += r.weighted;
    a.upvotes += r.upvotes;
    a.sentimentSum += r.sentimentSum;
    a.pos += r.pos;
    a.neg += r.neg;
    a.neu += r.neu;
    for (const name of r.authors) a.authors.add(name);
    if (r.top !== null && betterTop(r.top, a.top)) a.top = r.top;
  }
  const all = byScope.get(ALL_SCOPE) ?? newAcc();
  const subreddits = [...byScope].filter(([scope]) => scope !== ALL_SCOPE)
    .map(([subreddit, a]): SubredditSignals => ({ subreddit, ...finish(a), share: all.mentions > 0 ? a.mentions / all.mentions : 0 }))
    .sort((x, y) => y.mentions - x.mentions || (x.subreddit < y.subreddit ? -1 : 1));
  return { ticker, ...finish(all), subreddits, topPost: all.top };
}
