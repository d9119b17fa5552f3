/**
 * Where send → readable goes on the three-node stack (issue 14): the probe of
 * bench/nodes.ts (bench/lib/readable.ts, 1,000 trades/s for 10 s after a 3 s
 * warm-up) against the real `process` service, with one thing changed at a time.
 *
 *   node bench/nodes-latency.ts base|kafka1|cass1|one     (make up NODES=3 first)
 *
 *   base    topics at replication 3 (2 in sync), keyspace at 3, LOCAL_QUORUM
 *   kafka1  topics at replication 1
 *   cass1   keyspace at replication 1
 *   one     reads and writes at ONE
 */
import { Child, createWorld, processorArgs, type BenchTarget } from './lib/stack.ts';
import { readableProbe } from './lib/readable.ts';
import { latencyStats } from './lib/latency.ts';
import { PROCESSOR_NODE_OPTIONS } from '../services/lib/runtime/config.ts';

const HOSTS = (process.env.NODE_ADDRESSES ?? '127.0.0.11 127.0.0.12 127.0.0.13').trim().split(/\s+/);
const variant = process.argv[2] ?? 'base';
if (!['base', 'kafka1', 'cass1', 'one'].includes(variant)) throw new Error('usage: node bench/nodes-latency.ts base|kafka1|cass1|one');
const kafkaReplication = variant === 'kafka1' ? 1 : 3;
const target: BenchTarget = {
  brokers: HOSTS.map((h) => `${h}:9092`), cassandra: HOSTS.map((h) => `${h}:9042`), registry: `http://${HOSTS[0]}:8081`,
  kafkaReplication, kafkaMinInsync: kafkaReplication === 3 ? 2 : 1, cassandraReplication: variant === 'cass1' ? 1 : 3,
};
const world = await createWorld(`nlat${variant}`, target);
const env = world.env({ STOCKSTREAMER_LOG_LEVEL: 'warn', ...(variant === 'one' ? { STOCKSTREAMER_CASSANDRA_CONSISTENCY: 'one' } : {}) });
const processor = new Child(`${world.prefix}latency`, processorArgs, env, PROCESSOR_NODE_OPTIONS.split(' '));
try {
  await processor.start();
  const probe = readableProbe(world);
  await probe.send(1000, 3);
  await probe.send(1000, 10, 'steady');
  const { latencies, missing } = await probe.finish();
  const s = latencyStats(latencies.get('steady') ?? [], 10);
  console.log(`${variant}: send → readable p50 ${s.p50} ms, p90 ${s.p90} ms, p99 ${s.p99} ms over ${s.n} trades (${missing} not seen)`);
} finally {
  await processor.stop();
  await world.close();
}
