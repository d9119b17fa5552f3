/**
 * The Cassandra write ceiling of the pipeline benchmark (issue 13): what Cassandra
 * takes of the processor's trade path when nothing else runs in front of it. No
 * Kafka, no Avro, no bucket cache: the same trades the processor drains, cut the way
 * the processor receives them (per Kafka partition of their symbol, batches of
 * STOCKSTREAMER_BATCH_MAX, one partition at a time), written through the project's
 * Cassandra store (the driver, the same prepared statements, single-partition
 * UNLOGGED batches and concurrency), each batch's trades and then every candle the
 * batch touched — minute, hour and day, the three written together as the processor
 * does — as the processor writes them. The candles are folded before the clock starts.
 *
 *   node bench/lib/cassandra-ceiling.ts   (env: the world's STOCKSTREAMER_*, BENCH_T0, BENCH_TRADES)
 *
 * Prints {"n": trades written, "first": ms of the first write, "t": ms} lines on
 * stdout about every 200 ms, like bench/lib/consumer.ts.
 */
import kafkajs from 'kafkajs';
import type { Candle, Trade } from '../../services/lib/domain/types.ts';
import { DAY_CANDLE_MS, HOUR_CANDLE_MS, MINUTE_MS } from '../../services/lib/domain/windows/candles.ts';
import { createCassandraStore } from '../../services/lib/io/store/cassandra.ts';
import { loadConfig } from '../../services/lib/runtime/config.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import { makeTrades } from './data.ts';

const config = loadConfig(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('STOCKSTREAMER_'))));
const trades = await makeTrades(Number(process.env.BENCH_TRADES), { t0: Number(process.env.BENCH_T0) });

// The processor's input order: Kafka's partition of each symbol (kafkajs' default partitioner).
const partitioner = kafkajs.Partitioners.DefaultPartitioner();
const partitionMetadata = Array.from({ length: config.kafkaPartitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [], isr: [], offlineReplicas: [] }));
const lanes: Trade[][] = partitionMetadata.map(() => []);
for (const t of trades) lanes[partitioner({ topic: 'stock-trades', partitionMetadata, message: { key: t.symbol, value: null } })]!.push(t);

interface Step { trades: Trade[]; candles: Candle[]; hours: Candle[]; days: Candle[] }
const steps: Step[] = [];
const GRAINS = [MINUTE_MS, HOUR_CANDLE_MS, DAY_CANDLE_MS] as const;
for (const lane of lanes) {
  const open = GRAINS.map(() => new Map<string, Candle>());
  for (let i = 0; i < lane.length; i += config.batchMax) {
    const batch = lane.slice(i, i + config.batchMax);
    const touched = GRAINS.map(() => new Set<string>());
    for (const t of batch) {
      GRAINS.forEach((size, g) => {
        const start = t.timestamp - (t.timestamp % size);
        const key = `${t.symbol}\u0000${start}`;
        const c = open[g]!.get(key);
        if (c === undefined) open[g]!.set(key, { symbol: t.symbol, minute: start, open: t.price, high: t.price, low: t.price, close: t.price, volume: t.volume, trades: 1 });
        else {
          // the synthetic feed moves forward in time: the last trade closes the bucket
          c.high = Math.max(c.high, t.price);
          c.low = Math.min(c.low, t.price);
          c.close = t.price;
          c.volume += t.volume;
          c.trades += 1;
        }
        touched[g]!.add(key);
      });
    }
    const rows = (g: number) => [...touched[g]!].map((k) => ({ ...open[g]!.get(k)! }));
    steps.push({ trades: batch, candles: rows(0), hours: rows(1), days: rows(2) });
  }
}

const store = createCassandraStore({
  contactPoints: [...config.cassandraContactPoints], localDataCenter: config.cassandraDc, keyspace: config.cassandraKeyspace,
  logger: silentLogger(), tradeTtlSeconds: config.tradeTtlSeconds, consistency: config.cassandraConsistency,
});
await store.ping();

let n = 0;
let first = 0;
const report = () => process.stdout.write(`${JSON.stringify({ n, first, t: Date.now() })}\n`);
const timer = setInterval(report, 200);
first = Date.now();
let version = Date.now() * 1000;
for (const step of steps) {
  await store.writeTrades(step.trades);
  ++version;
  await Promise.all([store.writeCandles(step.candles, version), store.writeCandleRollups('hour', step.hours, version), store.writeCandleRollups('day', step.days, version)]);
  n += step.trades.length;
}
report();
clearInterval(timer);
await store.close();
