// Waits until one local-stack server answers a real request:
//   kafka      cluster metadata through kafkajs (the client the services use)
//   cassandra  SELECT release_version FROM system.local through cassandra-driver
//   registry   GET /subjects answers 200 with a JSON array
// Usage: node dev/health.ts <kafka|cassandra|registry> [--port N] [--timeout SECONDS] [--pid PID]
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
  },
});

const defaultPorts: Record<string, number> = { kafka: 9092, cassandra: 9042, registry: 8081 };
const server = positionals[0] ?? '';
if (!(server in defaultPorts)) {
  console.error('usage: node dev/health.ts <kafka|cassandra|registry> [--port N] [--timeout S] [--pid PID]');
  process.exit(64);
}
const port = Number(values.port ?? defaultPorts[server]);
const deadline = Date.now() + Number(values.timeout) * 1000;
const pid = Number(values.pid);

async function checkKafka(): Promise<string> {
  const kafka = new kafkajs.Kafka({
    clientId: 'stack-health',
    brokers: [`127.0.0.1:${port}`],
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
    if (values.warm) await warmKafka();
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
    brokers: [`127.0.0.1:${port}`],
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

async function checkCassandra(): Promise<string> {
  const client = new cassandra.Client({
    contactPoints: [`127.0.0.1:${port}`],
    localDataCenter: 'datacenter1',
    socketOptions: { connectTimeout: 2000, readTimeout: 5000 },
  });
  try {
    await client.connect();
    const rs = await client.execute('SELECT release_version FROM system.local');
    return `release_version ${rs.first().get('release_version')}`;
  } finally {
    await client.shutdown().catch(() => {});
  }
}

async function checkRegistry(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/subjects`, { signal: AbortSignal.timeout(2000) });
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
    if (!values.quiet) console.error(`${server}: healthy on 127.0.0.1:${port} (${detail})`);
    process.exit(0);
  } catch (err) {
    lastError = err instanceof Error ? err.message : String(err);
  }
  if (Date.now() >= deadline) {
    console.error(`${server}: not healthy on 127.0.0.1:${port} (last error: ${lastError})`);
    process.exit(1);
  }
  await sleep(500);
}
