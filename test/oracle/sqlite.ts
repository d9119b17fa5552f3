import { DatabaseSync } from 'node:sqlite';
import type { Aggregates, RawMention, RawTrade, Snapshot } from './aggregates.ts';

type Row = Record<string, unknown>;

/**
 * Every raw and aggregate row of an embedded store file, read with plain SQL
 * on a connection of its own (never through services/lib/io/store).
 */
export function readSqliteSnapshot(path: string): Snapshot {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return snapshotOf(db);
  } finally {
    db.close();
  }
}

/** The same, over an open connection (a ':memory:' database of a test). */
export function snapshotOf(db: DatabaseSync): Snapshot {
  const trades = (db.prepare('SELECT symbol, ts, seq, price, volume FROM trades_by_symbol').all() as Row[]).map((r): RawTrade => ({
    symbol: r.symbol as string, ts: r.ts as number, seq: r.seq as number, price: r.price as number, volume: r.volume as number,
  }));
  const mentions = (db.prepare('SELECT ticker, created, post_id, sentiment, label, subreddit, author, score, permalink, text FROM posts_by_ticker').all() as Row[]).map((r): RawMention => ({
    ticker: r.ticker as string, created: r.created as number, postId: r.post_id as string, sentiment: r.sentiment as number, label: r.label as string,
    subreddit: r.subreddit as string, author: r.author as string, score: r.score as number, permalink: r.permalink as string, text: r.text as string,
  }));
  const actual: Aggregates = { candles: new Map(), candleRollups: new Map(), sentiment: new Map(), hours: new Map(), latest: new Map(), tallies: new Map() };
  for (const r of db.prepare('SELECT symbol, minute, open, high, low, close, volume, trades FROM candles_1m').all() as Row[]) {
    actual.candles.set(`${r.symbol}|${r.minute}`, {
      open: r.open as number, high: r.high as number, low: r.low as number, close: r.close as number, volume: r.volume as number, trades: r.trades as number,
    });
  }
  for (const r of db.prepare('SELECT grain, symbol, start, open, high, low, close, volume, trades FROM candle_rollups').all() as Row[]) {
    actual.candleRollups.set(`${r.grain}|${r.symbol}|${r.start}`, {
      open: r.open as number, high: r.high as number, low: r.low as number, close: r.close as number, volume: r.volume as number, trades: r.trades as number,
    });
  }
  for (const r of db.prepare('SELECT ticker, minute, count, sum, sum_squares, pos, neg, neu FROM ticker_sentiment_1m').all() as Row[]) {
    actual.sentiment.set(`${r.ticker}|${r.minute}`, {
      count: r.count as number, sum: r.sum as number, sumSquares: r.sum_squares as number, pos: r.pos as number, neg: r.neg as number, neu: r.neu as number,
    });
  }
  for (const r of db.prepare('SELECT hour, ticker, count, sentiment_sum, pos, neg, neu FROM mentions_by_hour').all() as Row[]) {
    actual.hours.set(`${r.hour}|${r.ticker}`, { count: r.count as number, sum: r.sentiment_sum as number, pos: r.pos as number, neg: r.neg as number, neu: r.neu as number });
  }
  for (const r of db.prepare('SELECT symbol, price, ts FROM latest_prices').all() as Row[]) actual.latest.set(r.symbol as string, `${r.price}@${r.ts}`);
  for (const r of db.prepare('SELECT * FROM mention_tallies').all() as Row[]) {
    actual.tallies.set(`${r.grain}|${r.start}|${r.ticker}|${r.scope}`, {
      count: r.count as number, sum: r.sentiment_sum as number, pos: r.pos as number, neg: r.neg as number, neu: r.neu as number,
      upvotes: r.upvotes as number, weighted: r.weighted as number, authors: (JSON.parse(r.authors as string) as string[]).join('\n'),
      authorCount: (r.authors_count as number | null) ?? null,
      top: r.top_post_id === null ? '' : `${r.top_score} ${r.top_created} ${r.top_post_id} ${r.top_permalink} ${r.top_text}`,
    });
  }
  return { trades, mentions, actual };
}
