import type cassandra from 'cassandra-driver';
import type { Aggregates, RawMention, RawTrade, Snapshot } from './aggregates.ts';

/**
 * Every raw and aggregate row of a keyspace, read by full scans with plain
 * CQL on the caller's client (never through services/lib/io/store).
 * `consistency` lets a test read at ALL after a node came back.
 */
export async function readCassandraSnapshot(cql: cassandra.Client, keyspace: string, options: { consistency?: number } = {}): Promise<Snapshot> {
  const ms = (d: unknown): number => (d as Date).getTime();
  const scan = async (query: string, each: (r: cassandra.types.Row) => void): Promise<void> => {
    let pageState: string | undefined;
    do {
      const rs = await cql.execute(query, [], {
        prepare: true, fetchSize: 5000, ...(pageState ? { pageState } : {}), ...(options.consistency !== undefined ? { consistency: options.consistency } : {}),
      });
      for (const row of rs.rows) each(row);
      pageState = rs.pageState ?? undefined;
    } while (pageState);
  };
  const trades: RawTrade[] = [];
  const mentions: RawMention[] = [];
  const actual: Aggregates = { candles: new Map(), candleRollups: new Map(), sentiment: new Map(), hours: new Map(), latest: new Map(), tallies: new Map() };
  const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
  const tally = (grain: string, start: number, r: cassandra.types.Row): void => {
    actual.tallies.set(`${grain}|${start}|${r.ticker}|${r.scope}`, {
      count: r.count, sum: r.sentiment_sum, pos: r.pos, neg: r.neg, neu: r.neu, upvotes: n(r.upvotes), weighted: n(r.weighted),
      authors: [...((r.authors as string[] | null) ?? [])].sort().join('\n'),
      authorCount: (r.authors_count as number | null) ?? null,
      top: r.top_post_id === null ? '' : `${r.top_score} ${ms(r.top_created)} ${r.top_post_id} ${r.top_permalink} ${r.top_text}`,
    });
  };
  await Promise.all([
    scan(`SELECT symbol, ts, seq, price, volume FROM ${keyspace}.trades_by_symbol`, (r) => {
      trades.push({ symbol: r.symbol as string, ts: ms(r.ts), seq: r.seq as number, price: r.price as number, volume: r.volume as number });
    }),
    scan(`SELECT ticker, created, post_id, sentiment, label, subreddit, author, score, permalink, text FROM ${keyspace}.posts_by_ticker`, (r) => {
      mentions.push({
        ticker: r.ticker as string, created: ms(r.created), postId: r.post_id as string, sentiment: r.sentiment as number, label: r.label as string,
        subreddit: r.subreddit as string, author: r.author as string, score: n(r.score), permalink: r.permalink as string, text: (r.text as string | null) ?? '',
      });
    }),
    scan(`SELECT * FROM ${keyspace}.mention_minutes`, (r) => tally('minute', ms(r.minute), r)),
    scan(`SELECT * FROM ${keyspace}.mention_hours`, (r) => tally('hour', ms(r.hour), r)),
    scan(`SELECT * FROM ${keyspace}.mention_days`, (r) => tally('day', Date.parse(String(r.day)), r)),
    scan(`SELECT symbol, minute, open, high, low, close, volume, trades FROM ${keyspace}.candles_1m`, (r) => {
      actual.candles.set(`${r.symbol}|${ms(r.minute)}`, { open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume, trades: r.trades });
    }),
    scan(`SELECT symbol, hour, open, high, low, close, volume, trades FROM ${keyspace}.candles_1h`, (r) => {
      actual.candleRollups.set(`hour|${r.symbol}|${ms(r.hour)}`, { open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume, trades: r.trades });
    }),
    scan(`SELECT symbol, day, open, high, low, close, volume, trades FROM ${keyspace}.candles_1d`, (r) => {
      actual.candleRollups.set(`day|${r.symbol}|${ms(r.day)}`, { open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume, trades: r.trades });
    }),
    scan(`SELECT ticker, minute, count, sum, sum_squares, pos, neg, neu FROM ${keyspace}.ticker_sentiment_1m`, (r) => {
      actual.sentiment.set(`${r.ticker}|${ms(r.minute)}`, { count: r.count, sum: r.sum, sumSquares: r.sum_squares, pos: r.pos, neg: r.neg, neu: r.neu });
    }),
    scan(`SELECT hour, ticker, count, sentiment_sum, pos, neg, neu FROM ${keyspace}.mentions_by_hour`, (r) => {
      actual.hours.set(`${ms(r.hour)}|${r.ticker}`, { count: r.count, sum: r.sentiment_sum, pos: r.pos, neg: r.neg, neu: r.neu });
    }),
    scan(`SELECT symbol, price, ts FROM ${keyspace}.latest_prices`, (r) => void actual.latest.set(r.symbol as string, `${r.price}@${ms(r.ts)}`)),
  ]);
  return { trades, mentions, actual };
}
