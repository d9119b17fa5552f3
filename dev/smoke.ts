// End-to-end smoke test of the running local stack with the clients the services use:
//   kafkajs 2.2.4 against Kafka 4.x: create a topic, produce, consume in a group, commit
//   @kafkajs/confluent-schema-registry: register an Avro schema, check the wire format
//   cassandra-driver: SELECT release_version, then a keyspace/table round trip
// Usage: node dev/smoke.ts     (after make up; honours KAFKA_PORT, CASSANDRA_PORT, REGISTRY_PORT)
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';
import cassandra from 'cassandra-driver';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';

// See dev/health.ts: kafkajs 2.2.4 arms a negative timeout that Node 24 warns about.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'TimeoutNegativeWarning') console.error(`${w.name}: ${w.message}`);
});

const kafkaPort = Number(process.env.KAFKA_PORT ?? 9092);
const cassandraPort = Number(process.env.CASSANDRA_PORT ?? 9042);
const registryPort = Number(process.env.REGISTRY_PORT ?? 8081);
const run = randomUUID().slice(0, 8);

function step(msg: string): void {
  console.log(`smoke: ${msg}`);
}
function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(`smoke check failed: ${msg}`);
}

async function registryRoundTrip(): Promise<{ registry: SchemaRegistry; id: number }> {
  const registry = new SchemaRegistry({ host: `http://127.0.0.1:${registryPort}` });
  const schema = {
    type: 'record',
    name: 'SmokeTrade',
    namespace: 'stockstreamer.smoke',
    fields: [
      { name: 'symbol', type: 'string' },
      { name: 'price', type: 'double' },
      { name: 'ts', type: 'long' },
    ],
  };
  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
    { subject: `smoke-${run}-value` },
  );
  assert(Number.isInteger(id) && id > 0, `registry returned id ${id}`);
  const again = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
    { subject: `smoke-${run}-value` },
  );
  assert(again.id === id, `re-registering the same schema gave id ${again.id}, expected ${id}`);
  const latest = await registry.getLatestSchemaId(`smoke-${run}-value`);
  assert(latest === id, `latest id ${latest}, expected ${id}`);
  step(`registry: registered subject smoke-${run}-value as schema id ${id}`);
  return { registry, id };
}

async function kafkaRoundTrip(registry: SchemaRegistry, schemaId: number): Promise<void> {
  const kafka = new kafkajs.Kafka({
    clientId: 'stack-smoke',
    brokers: [`127.0.0.1:${kafkaPort}`],
    logLevel: kafkajs.logLevel.WARN,
  });
  const topic = `smoke-${run}`;
  const admin = kafka.admin();
  await admin.connect();
  const created = await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  assert(created, `createTopics(${topic}) returned false`);
  const meta = await admin.fetchTopicMetadata({ topics: [topic] });
  assert(meta.topics[0]?.partitions.length === 3, 'topic should have 3 partitions');
  step(`kafka: created topic ${topic} with 3 partitions`);

  const symbols = ['AAPL', 'MSFT', 'TSLA', 'NVDA', 'AMZN'];
  const messages = await Promise.all(
    symbols.map(async (symbol, i) => ({
      key: symbol,
      value: await registry.encode(schemaId, { symbol, price: 100 + i, ts: Date.now() }),
    })),
  );
  const first = messages[0]!.value;
  assert(first[0] === 0 && first.readInt32BE(1) === schemaId, 'wire format: magic byte 0 + 4-byte schema id');

  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: kafkajs.Partitioners.DefaultPartitioner, // explicit: silences the v2 notice
  });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
  step(`kafka: produced ${messages.length} Avro records (idempotent producer, acks=all)`);

  const groupId = `smoke-${run}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10000, heartbeatInterval: 1000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`consumed ${seen.length}/${messages.length} within 30s`)), 30000);
    consumer
      .run({
        eachMessage: async ({ message }) => {
          const decoded = (await registry.decode(message.value!)) as { symbol: string };
          assert(decoded.symbol === message.key?.toString(), 'decoded symbol equals the key');
          seen.push(decoded.symbol);
          if (seen.length === messages.length) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect(); // commits the consumed offsets
  assert([...seen].sort().join() === [...symbols].sort().join(), `consumed ${seen.join()}`);
  const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed = offsets[0]!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  assert(committed === messages.length, `committed offsets sum to ${committed}, expected ${messages.length}`);
  step(`kafka: consumed and decoded ${seen.length} records in group ${groupId}, offsets committed`);
  await admin.deleteTopics({ topics: [topic] });
  await admin.deleteGroups([groupId]).catch(() => {});
  await admin.disconnect();
}

async function cassandraRoundTrip(): Promise<void> {
  const client = new cassandra.Client({
    contactPoints: [`127.0.0.1:${cassandraPort}`],
    localDataCenter: 'datacenter1',
  });
  await client.connect();
  try {
    const rs = await client.execute('SELECT release_version FROM system.local');
    const version = rs.first().get('release_version') as string;
    assert(version.startsWith('5.0'), `release_version ${version}`);
    step(`cassandra: release_version ${version}`);
    const ks = `smoke_${run.replace(/-/g, '')}`;
    await client.execute(
      `CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
    );
    await client.execute(
      `CREATE TABLE IF NOT EXISTS ${ks}.prices (ticker text, day date, ts timestamp, id text, price double,
       PRIMARY KEY ((ticker, day), ts, id)) WITH CLUSTERING ORDER BY (ts DESC, id ASC)`,
    );
    const insert = `INSERT INTO ${ks}.prices (ticker, day, ts, id, price) VALUES (?, ?, ?, ?, ?)`;
    const day = cassandra.types.LocalDate.fromDate(new Date());
    for (let i = 0; i < 3; i++) {
      // The same row twice: an upsert, so the count stays 3.
      await client.execute(insert, ['AAPL', day, new Date(1_700_000_000_000 + i), `t${i}`, 190 + i], { prepare: true });
      await client.execute(insert, ['AAPL', day, new Date(1_700_000_000_000 + i), `t${i}`, 190 + i], { prepare: true });
    }
    const rows = await client.execute(`SELECT price FROM ${ks}.prices WHERE ticker = ? AND day = ?`, ['AAPL', day], {
      prepare: true,
    });
    assert(rows.rowLength === 3, `expected 3 rows, got ${rows.rowLength}`);
    assert(rows.first().get('price') === 192, 'clustering order DESC puts the newest first');
    await client.execute(`DROP KEYSPACE ${ks}`);
    step(`cassandra: keyspace ${ks} created, 3 upserted rows read back in DESC order, dropped`);
  } finally {
    await client.shutdown();
  }
}

const t0 = performance.now();
try {
  const { registry, id } = await registryRoundTrip();
  await kafkaRoundTrip(registry, id);
  await cassandraRoundTrip();
  console.log(`smoke: all checks passed in ${Math.round(performance.now() - t0)} ms`);
} catch (err) {
  console.error(err);
  process.exitCode = 1;
}
