// Waits until one local-stack server answers a real request:
//   kafka      cluster metadata through kafkajs (the client the services use)
//   cassandra  SELECT release_version FROM system.local through cassandra-driver
//   registry   GET /subjects answers 200 with a JSON array
// Usage: node dev/health.ts <kafka|cassandra|registry> [--host H] [--port N] [--timeout SECONDS] [--pid PID]
//   --brokers N   kafka: also wait until the cluster has N brokers (a multi-node stack, NODES=3)
//   --nodes N     cassandra: also wait until N nodes are in the ring and answer
//   --describe    print what the server knows of its cluster (dev/status.sh --check)
// Exit codes: 0 healthy, 1 timed out, 2 the watched process exited, 64 bad usage.
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs from 'kafkajs';
import cassandra from 'cassandra-driver';

// kafkajs 2.2.4 arms setTimeout(fn, throttledUntil - now) with throttledUntil = -1
// (requestQueue.scheduleCheckPendingRequests); Node 24 warns about the negative delay
// and uses 1 ms, which is what kafkajs meant. Keep every other warning.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'TimeoutNegativeWarning') console.error(`${w.name}: ${w.message}`);
});

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    timeout: { type: 'string', default: '60' }, // seconds
    pid: { type: 'string', default: '0' },
    quiet: { type: 'boolean', default: false },
    warm: { type: 'boolean', default: false },
    host: { type: 'string', default: '127.0.0.1' },
    brokers: { type: 'string', default: '1' },
    nodes: { type: 'string', default: '1' },
    describe: { type: 'boolean', default: false },
  },
});

const defaultPorts: Record<string, number> = { kafka: 9092, cassandra: 9042, registry: 8081 };
const server = positionals[0] ?? '';
if (!(server in defaultPorts)) {
  console.error('usage: node dev/health.ts <kafka|cassandra|registry> [--host H] [--port N] [--timeout S] [--pid PID] [--brokers N] [--nodes N] [--describe]');
  process.exit(64);
}
const port = Number(values.port ?? defaultPorts[server]);
const host = values.host;
const where = `${host}:${port}`;
const wantBrokers = Number(values.brokers);
const wantNodes = Number(values.nodes);
const deadline = Date.now() + Number(values.timeout) * 1000;
const pid = Number(values.pid);

async function checkKafka(): Promise<string> {
  const kafka = new kafkajs.Kafka({
    clientId: 'stack-health',
    brokers: [where],
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0 || cluster.controller === null) {
      throw new Error('no active controller yet');
    }
    if (cluster.brokers.length < wantBrokers) throw new Error(`${cluster.brokers.length} of ${wantBrokers} brokers registered`);
    if (values.warm) await warmKafka();
    if (values.describe) return `cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s), controller ${cluster.controller}; ${await describePartitions(admin)}`;
    return `cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s)`;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

// On a freshly formatted broker the first consumer group and the first idempotent or
// transactional producer find their coordinator still loading (kafkajs retries, but logs
// ERROR lines). Creating __consumer_offsets and __transaction_state here keeps that noise,
// and those seconds, out of the first test.
async function warmKafka(): Promise<void> {
  const kafka = new kafkajs.Kafka({
    clientId: 'stack-warmup',
    brokers: [where],
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 10, initialRetryTime: 200 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.fetchOffsets({ groupId: 'stack-warmup', topics: [] });
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ transactionalId: 'stack-warmup', maxInFlightRequests: 1, idempotent: true });
  await producer.connect();
  try {
    const tx = await producer.transaction();
    await tx.abort();
  } finally {
    await producer.disconnect();
  }
}

// Leaders per broker and partitions whose in-sync set is smaller than their replica
// set, over every topic: what a lost broker changes.
async function describePartitions(admin: kafkajs.Admin): Promise<string> {
  const { topics } = await admin.fetchTopicMetadata();
  const leaders = new Map<number, number>();
  let partitions = 0;
  let under = 0;
  for (const t of topics) {
    for (const p of t.partitions) {
      partitions++;
      leaders.set(p.leader, (leaders.get(p.leader) ?? 0) + 1);
      if (p.isr.length < p.replicas.length) under++;
    }
  }
  const lead = [...leaders].sort((a, b) => a[0] - b[0]).map(([b, n]) => `${b}:${n}`).join(' ');
  return `${partitions} partitions, ${under} under-replicated; leaders by broker ${lead || '-'}`;
}

async function checkCassandra(): Promise<string> {
  const client = new cassandra.Client({
    contactPoints: [where],
    localDataCenter: 'datacenter1',
    socketOptions: { connectTimeout: 2000, readTimeout: 5000 },
  });
  try {
    await client.connect();
    const rs = await client.execute('SELECT release_version FROM system.local');
    const version = `release_version ${rs.first().get('release_version')}`;
    if (wantNodes <= 1 && !values.describe) return version;
    // The ring as this node knows it, and which nodes the driver reached.
    const peers = (await client.execute('SELECT peer FROM system.peers_v2')).rows.length;
    const hosts = client.hosts.values();
    const up = hosts.filter((h) => h.isUp()).map((h) => h.address).sort();
    if (peers + 1 < wantNodes || up.length < wantNodes) throw new Error(`${peers + 1} node(s) in the ring, ${up.length} of ${wantNodes} answering`);
    return `${version}; ${peers + 1} node(s) in the ring, up: ${up.join(' ')}${hosts.length > up.length ? `, down: ${hosts.filter((h) => !h.isUp()).map((h) => h.address).join(' ')}` : ''}`;
  } finally {
    await client.shutdown().catch(() => {});
  }
}

async function checkRegistry(): Promise<string> {
  const res = await fetch(`http://${where}/subjects`, { signal: AbortSignal.timeout(2000) });
  const text = await res.text();
  // AxonOps v0.2.1 answers `null` (not `[]`) while no subject exists.
  const body: unknown = text.trim() === 'null' ? [] : JSON.parse(text);
  if (res.status !== 200 || !Array.isArray(body)) {
    throw new Error(`GET /subjects answered ${res.status}: ${text.slice(0, 200)}`);
  }
  return `${body.length} subject(s)`;
}

const checks: Record<string, () => Promise<string>> = {
  kafka: checkKafka,
  cassandra: checkCassandra,
  registry: checkRegistry,
};

function alive(p: number): boolean {
  if (p <= 0) return true;
  try {
    process.kill(p, 0);
    return true;
  } catch {
    return false;
  }
}

let lastError = 'no attempt made';
for (;;) {
  if (!alive(pid)) {
    console.error(`${server}: process ${pid} exited (last error: ${lastError})`);
    process.exit(2);
  }
  try {
    const detail = await checks[server]!();
    if (!values.quiet) console.error(`${server}: healthy on ${where} (${detail})`);
    process.exit(0);
  } catch (err) {
    lastError = err instanceof Error ? err.message : String(err);
  }
  if (Date.now() >= deadline) {
    console.error(`${server}: not healthy on ${where} (last error: ${lastError})`);
    process.exit(1);
  }
  await sleep(500);
}
