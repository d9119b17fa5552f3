import type { StatementSync } from 'node:sqlite';
import type { Candle, SentimentLabel } from '../../domain/types.ts';
import { ALL_SCOPE, type CrowdFact, type Grain, type MentionTally } from '../../domain/windows/crowd.ts';
import type { CrowdWriter, InsightReader, TallyKey, TallyQuery } from './repository.ts';

/**
 * The embedded store's half of the insight views (issue 11): the crowd
 * tallies the mention handler writes (one table, keyed by grain, start,
 * ticker and scope, with an index per ticker), the raw rows they are rebuilt
 * from, and the small reads of the price reference and the data's own time.
 */
type Row = Record<string, unknown>;
type Bind = (string | number | null)[];

export interface SqliteCrowdContext {
  stmt(sql: string): StatementSync;
  /** an aggregate write: the rows and the version horizon in one transaction */
  versioned<T>(version: number, items: readonly T[], sql: string, bind: (item: T) => Bind): void;
  horizonOf(name: string): number | undefined;
}

const toTally = (r: Row, full: boolean): MentionTally => ({
  grain: r.grain as Grain, ticker: r.ticker as string, scope: r.scope as string, start: r.start as number,
  count: r.count as number, sentimentSum: r.sentiment_sum as number, pos: r.pos as number, neg: r.neg as number, neu: r.neu as number,
  upvotes: r.upvotes as number, weighted: r.weighted as number,
  authors: full ? JSON.parse(r.authors as string) as string[] : [],
  authorCount: r.authors_count as number,
  top: full && r.top_post_id !== null && r.top_post_id !== undefined ? {
    postId: r.top_post_id as string, created: r.top_created as number, score: r.top_score as number,
    permalink: r.top_permalink as string, text: r.top_text as string,
  } : null,
});

export function createSqliteCrowd(ctx: SqliteCrowdContext): CrowdWriter & InsightReader {
  const { stmt, versioned } = ctx;
  return {
    async writeMentionTallies(rows, version) {
      versioned(version, rows,
        `INSERT INTO mention_tallies (grain, start, ticker, scope, count, sentiment_sum, pos, neg, neu, upvotes, weighted, authors_count, authors,
           top_post_id, top_created, top_score, top_permalink, top_text, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (grain, start, ticker, scope) DO UPDATE SET count = excluded.count, sentiment_sum = excluded.sentiment_sum,
           pos = excluded.pos, neg = excluded.neg, neu = excluded.neu, upvotes = excluded.upvotes, weighted = excluded.weighted,
           authors_count = excluded.authors_count, authors = excluded.authors, top_post_id = excluded.top_post_id, top_created = excluded.top_created, top_score = excluded.top_score,
           top_permalink = excluded.top_permalink, top_text = excluded.top_text, version = excluded.version
         WHERE excluded.version >= mention_tallies.version`,
        (t) => [t.grain, t.start, t.ticker, t.scope, t.count, t.sentimentSum, t.pos, t.neg, t.neu, t.upvotes, t.weighted, t.authors.length, JSON.stringify(t.authors),
          t.top?.postId ?? null, t.top?.created ?? null, t.top?.score ?? null, t.top?.permalink ?? null, t.top?.text ?? null, version]);
    },
    async deleteMentionTallies(ticker, keys: TallyKey[], version) {
      versioned(version, keys, `DELETE FROM mention_tallies WHERE grain = ? AND start = ? AND ticker = ? AND scope = ? AND version <= ?`,
        (k) => [k.grain, k.start, ticker, k.scope, version]);
    },
    async loadCrowd(ticker, fromMs, toMs): Promise<CrowdFact[]> {
      return (stmt(`SELECT ticker, post_id, created, sentiment, label, subreddit, author, score, permalink, text FROM posts_by_ticker
        WHERE ticker = ? AND created >= ? AND created < ?`).all(ticker, fromMs, toMs) as Row[]).map((r) => ({
        ticker: r.ticker as string, postId: r.post_id as string, created: r.created as number, sentiment: r.sentiment as number,
        label: r.label as SentimentLabel, subreddit: r.subreddit as string, author: r.author as string, score: r.score as number,
        permalink: r.permalink as string, text: r.text as string,
      }));
    },
    async mentionTallies(q: TallyQuery) {
      if (q.ticker !== undefined) {
        // The ticker's index, named: with grain and a start range in the query the planner
        // took the primary key (grain, start, …) and walked every ticker of the range —
        // 30 days of day tallies were ~1.2 million rows for one ticker's history (bench/read.ts).
        const rows = q.scope === undefined
          ? stmt(`SELECT * FROM mention_tallies INDEXED BY mention_tallies_by_ticker WHERE ticker = ? AND grain = ? AND start >= ? AND start < ?`).all(q.ticker, q.grain, q.fromMs, q.toMs)
          : stmt(`SELECT * FROM mention_tallies INDEXED BY mention_tallies_by_ticker WHERE ticker = ? AND grain = ? AND start >= ? AND start < ? AND scope = ?`).all(q.ticker, q.grain, q.fromMs, q.toMs, q.scope);
        return (rows as Row[]).map((r) => toTally(r, q.countsOnly !== true));
      }
      return (stmt(`SELECT grain, start, ticker, scope, count, sentiment_sum, pos, neg, neu, upvotes, weighted, authors_count FROM mention_tallies
        WHERE grain = ? AND start >= ? AND start < ? AND scope = ?`).all(q.grain, q.fromMs, q.toMs, q.scope ?? ALL_SCOPE) as Row[]).map((r) => toTally(r, false));
    },
    async lastCandleBefore(symbol, beforeMs, notBeforeMs): Promise<Candle | null> {
      const r = stmt(`SELECT * FROM candles_1m WHERE symbol = ? AND minute >= ? AND minute < ? ORDER BY minute DESC LIMIT 1`).get(symbol, notBeforeMs, beforeMs) as Row | undefined;
      return r === undefined ? null : {
        symbol: r.symbol as string, minute: r.minute as number, open: r.open as number, high: r.high as number,
        low: r.low as number, close: r.close as number, volume: r.volume as number, trades: r.trades as number,
      };
    },
    async dataTime() {
      return { trades: ctx.horizonOf('raw/trades') ?? null, mentions: ctx.horizonOf('raw/mentions') ?? null };
    },
  };
}
