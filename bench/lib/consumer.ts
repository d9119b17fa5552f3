/**
 * The two reference consumers of the pipeline benchmark, each a process of its
 * own like the processor, on the project's Kafka bus (same fetch settings):
 *
 *   ceiling  consume + Avro decode only: what the processor is held against
 *   naive    decode + validate, then one awaited INSERT per message (the
 *            trade's row), commit per batch: the design the processor replaces
 *
 *   node bench/lib/consumer.ts ceiling|naive   (env: the world's STOCKSTREAMER_*, BENCH_TOPIC, BENCH_GROUP)
 *
 * Prints {"n": records done, "first": ms of the first record, "t": ms} lines
 * on stdout about every 200 ms.
 */
import cassandra from 'cassandra-driver';
import { createConfluentRegistry } from '../../services/lib/io/avro/confluent-registry.ts';
import { createSerde } from '../../services/lib/io/avro/serde.ts';
import { createKafkaBus } from '../../services/lib/io/bus/kafka.ts';
import { prefixedBus } from '../../services/lib/io/bus/prefixed.ts';
import { TOPIC_RECORD, TOPICS } from '../../services/lib/io/bus/topics.ts';
import { validateTrade } from '../../services/lib/domain/validate.ts';
import type { Trade } from '../../services/lib/domain/types.ts';
import { dayOf } from '../../services/lib/io/store/repository.ts';
import { cqlDay } from '../../services/lib/io/store/cassandra-rows.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import { loadConfig } from '../../services/lib/runtime/config.ts';

const mode = process.argv[2];
if (mode !== 'ceiling' && mode !== 'naive') throw new Error('usage: consumer.ts ceiling|naive');
const topic = process.env.BENCH_TOPIC ?? TOPICS.trades;
const group = process.env.BENCH_GROUP ?? `bench-${mode}`;
const config = loadConfig(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('STOCKSTREAMER_'))));
const logger = silentLogger();
const bus = prefixedBus(createKafkaBus({ brokers: [...config.kafkaBrokers], clientId: `bench-${mode}`, logger, consumer: { maxBytes: config.kafkaFetchMaxBytes, maxBytesPerPartition: config.kafkaFetchPartitionMaxBytes } }), config.topicPrefix);
const serde = createSerde({ registry: createConfluentRegistry({ url: config.registryUrl, logger }), topics: TOPIC_RECORD });
await serde.init();

let client: cassandra.Client | undefined;
const insert = `INSERT INTO ${config.cassandraKeyspace}.trades_by_symbol (symbol, day, ts, seq, price, volume, conditions) VALUES (?, ?, ?, ?, ?, ?, ?) USING TTL ?`;
if (mode === 'naive') {
  client = new cassandra.Client({ contactPoints: [...config.cassandraContactPoints], localDataCenter: config.cassandraDc, queryOptions: { consistency: cassandra.types.consistencies.localQuorum } });
  await client.connect();
}

let n = 0;
let first = 0;
let sink = 0;
const report = () => process.stdout.write(`${JSON.stringify({ n, first, t: Date.now(), sink: sink > 0 })}\n`);
const timer = setInterval(report, 200);
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());

const consumer = bus.consumer(group);
await consumer.run({
  topics: [topic],
  async eachBatch(batch) {
    if (first === 0) first = Date.now();
    for (const r of batch.records) {
      const value = serde.decodeCached?.(r.topic, r.value) ?? (await serde.decode(r.topic, r.value));
      if (mode === 'ceiling') {
        sink += value === undefined ? 0 : 1;
      } else {
        const t = validateTrade(value) as Trade;
        await client!.execute(insert, [t.symbol, cqlDay(dayOf(t.timestamp)), t.timestamp, t.seq, t.price, t.volume, t.conditions, config.tradeTtlSeconds], { prepare: true, isIdempotent: true });
        sink += 1;
      }
      n += 1;
    }
    if (mode === 'naive') await consumer.commit(batch.topic, batch.partition, batch.records[batch.records.length - 1]!.offset + 1);
  },
}, controller.signal);
clearInterval(timer);
report();
await bus.close();
await client?.shutdown();
