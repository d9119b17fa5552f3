import type { MentionTally } from '../windows/crowd.ts';

/**
 * Rolling rankings: the tickers of a window ranked by mentions (or by
 * upvote-weighted mentions), each with its change against the window of the
 * same length just before, its rank there and the climb. Pure: the API reads
 * the tallies covering both windows (cover.ts) and hands them in.
 */
export interface Totals {
  mentions: number;
  /** upvote-weighted mentions: each counts max(score, 1) times */
  weighted: number;
  /** sum of the posts' scores */
  upvotes: number;
  sentimentSum: number;
  pos: number;
  neg: number;
  neu: number;
}

export type RankBy = 'mentions' | 'weighted';

export interface RankedTicker extends Totals {
  ticker: string;
  /** 1 = most mentioned; ties go to the alphabetically first ticker */
  rank: number;
  /** sentimentSum / mentions, in [-1, 1] */
  meanSentiment: number;
  /** shares of bullish, bearish and neutral mentions, each in [0, 1], adding to 1 */
  bullish: number;
  bearish: number;
  neutral: number;
  /** the same figures in the previous window */
  previous: { mentions: number; weighted: number; rank: number | null };
  /** (mentions − previous mentions) / previous mentions (of the ranking's measure); null when the previous window had none */
  change: number | null;
  /** previous rank − rank: +3 climbed three places; null when not ranked before */
  rankChange: number | null;
}

const empty = (): Totals => ({ mentions: 0, weighted: 0, upvotes: 0, sentimentSum: 0, pos: 0, neg: 0, neu: 0 });

/** Per ticker sums of tallies (of one scope, any grains that do not overlap). */
export function sumByTicker(rows: readonly MentionTally[]): Map<string, Totals> {
  const out = new Map<string, Totals>();
  for (const r of rows) {
    let t = out.get(r.ticker);
    if (t === undefined) out.set(r.ticker, (t = empty()));
    t.mentions += r.count;
    t.weighted += r.weighted;
    t.upvotes += r.upvotes;
    t.sentimentSum += r.sentimentSum;
    t.pos += r.pos;
    t.neg += r.neg;
    t.neu += r.neu;
  }
  return out;
}

const measure = (t: Totals, by: RankBy): number => (by === 'mentions' ? t.mentions : t.weighted);

/** tickers with at least one mention, best first; ties alphabetical */
function order(totals: ReadonlyMap<string, Totals>, by: RankBy): string[] {
  return [...totals].filter(([, t]) => t.mentions > 0)
    .sort(([a, x], [b, y]) => measure(y, by) - measure(x, by) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([ticker]) => ticker);
}

export function rankTickers(current: readonly MentionTally[], previous: readonly MentionTally[], by: RankBy = 'mentions'): RankedTicker[] {
  const now = sumByTicker(current);
  const before = sumByTicker(previous);
  const previousRank = new Map(order(before, by).map((ticker, i) => [ticker, i + 1]));
  return order(now, by).map((ticker, i): RankedTicker => {
    const t = now.get(ticker)!;
    const p = before.get(ticker) ?? empty();
    const prevRank = previousRank.get(ticker) ?? null;
    const prevMeasure = measure(p, by);
    return {
      ticker, rank: i + 1, ...t,
      meanSentiment: t.sentimentSum / t.mentions,
      bullish: t.pos / t.mentions, bearish: t.neg / t.mentions, neutral: t.neu / t.mentions,
      previous: { mentions: p.mentions, weighted: p.weighted, rank: prevRank },
      change: prevMeasure > 0 ? (measure(t, by) - prevMeasure) / prevMeasure : null,
      rankChange: prevRank === null ? null : prevRank - (i + 1),
    };
  });
}
