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
  const actual: Aggregates = { candles: new Map(), sentiment: new Map(), hours: new Map(), latest: new Map() };
  await Promise.all([
    scan(`SELECT symbol, ts, seq, price, volume FROM ${keyspace}.trades_by_symbol`, (r) => {
      trades.push({ symbol: r.symbol as string, ts: ms(r.ts), seq: r.seq as number, price: r.price as number, volume: r.volume as number });
    }),
    scan(`SELECT ticker, created, post_id, sentiment, label FROM ${keyspace}.posts_by_ticker`, (r) => {
      mentions.push({ ticker: r.ticker as string, created: ms(r.created), postId: r.post_id as string, sentiment: r.sentiment as number, label: r.label as string });
    }),
    scan(`SELECT symbol, minute, open, high, low, close, volume, trades FROM ${keyspace}.candles_1m`, (r) => {
      actual.candles.set(`${r.symbol}|${ms(r.minute)}`, { open: r.open, high: r.high, low: r.low, close: r.close, volume: r.volume, trades: r.trades });
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
