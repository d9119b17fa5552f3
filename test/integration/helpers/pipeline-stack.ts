import { acquireStackLock } from '../../../dev/stack-lock.ts';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import cassandra from 'cassandra-driver';
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import { createConfluentRegistry } from '../../../services/lib/io/avro/confluent-registry.ts';
import { createSerde, type Serde } from '../../../services/lib/io/avro/serde.ts';
import type { OutgoingMessage } from '../../../services/lib/io/bus/bus.ts';
import { createKafkaBus, type KafkaBus } from '../../../services/lib/io/bus/kafka.ts';
import { prefixedBus } from '../../../services/lib/io/bus/prefixed.ts';
import { TOPIC_RECORD, topicSpecs } from '../../../services/lib/io/bus/topics.ts';
import { migrate } from '../../../services/lib/io/store/migrate.ts';
import { PROCESSOR_GROUP } from '../../../services/processor/processor.ts';
import { silentLogger } from '../../../services/lib/runtime/logger.ts';
import { BROKERS, REGISTRY_URL, assertRegistryUp } from './kafka.ts';

/**
 * The real-stack world of test/integration/pipeline-*.test.ts: its own Kafka
 * namespace (STOCKSTREAMER_TOPIC_PREFIX: topics and the processor's group),
 * its own keyspace, the project's Kafka bus and serde for producing, and the
 * processor as a real child process (`node services/cli/main.ts process`), so
 * that a kill -9 is a real one. Other people's runs on the same stack share
 * nothing with it but the servers.
 */

export const ROOT = resolve(import.meta.dirname, '../../..');
export const CASSANDRA = process.env.STOCKSTREAMER_CASSANDRA_CONTACT_POINTS ?? `127.0.0.1:${process.env.CASSANDRA_PORT ?? 9042}`;
const LOG_DIR = join(ROOT, '.reports', 'pipeline');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` with the last reason. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, options: { timeoutMs: number; intervalMs?: number; lastReason?: () => string }): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = options.lastReason?.() ?? (lastError instanceof Error ? lastError.message : '');
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${why ? `: ${why}` : ''}`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}

/** One pipeline test file at a time on the stack (see dev/stack-lock.ts). */
export function acquirePipelineLock(timeoutMs = 600_000): Promise<() => void> {
  return acquireStackLock({ timeoutMs });
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

/** Runs one of dev/*.sh (stop-one, start-one, restart) and resolves with its output. */
export function stackScript(script: string, args: string[], timeoutMs = 180_000): Promise<string> {
  return new Promise((res, rej) => {
    execFile('bash', [join(ROOT, 'dev', script), ...args], { cwd: ROOT, timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) rej(new Error(`dev/${script} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
      else res(`${stdout}${stderr}`);
    });
  });
}

/**
 * Another stack than the default single-node one (test/nodes: the three-node stack of
 * `make up NODES=3`): its addresses, the replication its topics and keyspace get, and
 * the consistency the world's own CQL client reads at (driver constant).
 */
export interface StackTarget {
  brokers: string[];
  cassandra: string[];
  registry: string;
  kafkaReplication: number;
  kafkaMinInsync: number;
  cassandraReplication: number;
  readConsistency: number;
}

export interface World {
  name: string;
  /** Kafka namespace: every topic and the processor's group start with it */
  prefix: string;
  keyspace: string;
  /** the project's Kafka bus inside the namespace: topic names as in topics.ts */
  bus: KafkaBus;
  serde: Serde;
  /** raw CQL on the keyspace, for reading tables independently of the store's read path */
  cql: cassandra.Client;
  /** a kafkajs admin of the test's own (full topic names) */
  admin: Admin;
  kafka: kafkajs.Kafka;
  /** STOCKSTREAMER_* of a service of this world */
  env(extra?: Record<string, string>): Record<string, string>;
  /** every processor started in this world */
  processors: ProcessorProcess[];
  startProcessor(extra?: Record<string, string>): Promise<ProcessorProcess>;
  /** committed next offset per partition of a topic for the processor's group (full name resolved here) */
  committed(topic: string): Promise<number[]>;
  /** end offset per partition */
  endOffsets(topic: string): Promise<number[]>;
  close(): Promise<void>;
}

export async function createWorld(name: string, options: { partitions?: number; target?: StackTarget } = {}): Promise<World> {
  const target = options.target;
  const brokers = target?.brokers ?? BROKERS;
  const contactPoints = target?.cassandra ?? [CASSANDRA];
  const registryUrl = target?.registry ?? REGISTRY_URL;
  await assertRegistryUp(registryUrl);
  const run = randomBytes(4).toString('hex');
  const prefix = `pt.${name}.${run}.`;
  const keyspace = `pt_${name.replace(/[^a-z0-9]/g, '_')}_${run}`;
  const logger = silentLogger();
  const kafka = new kafkajs.Kafka({ clientId: `pipeline-test-${name}`, brokers, logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 8 } });
  const admin = kafka.admin();
  await admin.connect();
  const bus = prefixedBus(createKafkaBus({
    brokers, clientId: `pipeline-test-${name}`, logger,
    ...(target ? { topics: { replicationFactor: target.kafkaReplication, minInsyncReplicas: target.kafkaMinInsync } } : {}),
  }), prefix);
  await bus.ensureTopics(topicSpecs({ partitions: options.partitions ?? 6, retentionMs: -1 }));
  const serde = createSerde({ registry: createConfluentRegistry({ url: registryUrl, logger }), topics: TOPIC_RECORD });
  await serde.init();
  await migrate({ contactPoints, localDataCenter: 'datacenter1', keyspace, replicationFactor: target?.cassandraReplication ?? 1, logger, seedCompanies: false });
  const cql = new cassandra.Client({
    contactPoints, localDataCenter: 'datacenter1', keyspace,
    socketOptions: { readTimeout: 30_000 },
    policies: { reconnection: new cassandra.policies.reconnection.ConstantReconnectionPolicy(500) },
    ...(target ? { queryOptions: { consistency: target.readConsistency } } : {}),
  });
  mkdirSync(LOG_DIR, { recursive: true });

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    STOCKSTREAMER_TOPIC_PREFIX: prefix,
    STOCKSTREAMER_KAFKA_BROKERS: brokers.join(','),
    STOCKSTREAMER_KAFKA_RETENTION_MS: '-1',
    STOCKSTREAMER_KAFKA_PARTITIONS: String(options.partitions ?? 6),
    STOCKSTREAMER_REGISTRY_URL: registryUrl,
    STOCKSTREAMER_CASSANDRA_CONTACT_POINTS: contactPoints.join(','),
    ...(target ? {
      STOCKSTREAMER_KAFKA_REPLICATION: String(target.kafkaReplication),
      STOCKSTREAMER_KAFKA_MIN_INSYNC_REPLICAS: String(target.kafkaMinInsync),
      STOCKSTREAMER_CASSANDRA_REPLICATION: String(target.cassandraReplication),
    } : {}),
    STOCKSTREAMER_CASSANDRA_KEYSPACE: keyspace,
    STOCKSTREAMER_CREDENTIALS: join(ROOT, '.reports', 'pipeline', 'no-credentials.ini'),
    STOCKSTREAMER_HOME: join(ROOT, '.reports', 'pipeline', 'home'),
    STOCKSTREAMER_LOG_LEVEL: 'info',
    ...extra,
  });

  const processors: ProcessorProcess[] = [];
  const partitionsOf = async (topic: string) => (await admin.fetchTopicOffsets(`${prefix}${topic}`)).sort((a, b) => a.partition - b.partition);
  const world: World = {
    name, prefix, keyspace, bus, serde, cql, admin, kafka, env, processors,
    async startProcessor(extra = {}) {
      const p = new ProcessorProcess(`${name}-${run}-processor-${processors.length + 1}`, env(extra));
      processors.push(p);
      await p.start();
      return p;
    },
    async committed(topic) {
      const [entry] = await admin.fetchOffsets({ groupId: `${prefix}${PROCESSOR_GROUP}`, topics: [`${prefix}${topic}`] });
      const parts = [...(entry?.partitions ?? [])].sort((a, b) => a.partition - b.partition);
      return parts.map((p) => Math.max(0, Number(p.offset)));
    },
    async endOffsets(topic) {
      return (await partitionsOf(topic)).map((p) => Number(p.high));
    },
    async close() {
      const t0 = Date.now();
      const step = (what: string) => { if (process.env.PIPELINE_DEBUG) console.log(`close ${name}: ${what} at ${Date.now() - t0} ms`); };
      for (const p of processors) p.kill9();
      await Promise.all(processors.map((p) => p.exited));
      await bus.close().catch(() => {});
      step('bus closed');
      // Drop what this run created; a failure here must not hide the test's own result.
      const topics = (await admin.listTopics().catch(() => [] as string[])).filter((t) => t.startsWith(prefix));
      if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 15_000 }).catch(() => {});
      step('topics deleted');
      await admin.deleteGroups([`${prefix}${PROCESSOR_GROUP}`]).catch(() => {});
      step('group deleted');
      await admin.disconnect().catch(() => {});
      await cql.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => {});
      step('keyspace dropped');
      await cql.shutdown().catch(() => {});
    },
  };
  return world;
}

/**
 * `node services/cli/main.ts process` in a child process, its output in
 * .reports/pipeline/<name>.log, /readyz and /metrics on a free port.
 */
export class ProcessorProcess {
  readonly name: string;
  readonly logFile: string;
  private readonly env: Record<string, string>;
  private child: ChildProcess | undefined;
  port = 0;
  exitCode: number | null | undefined;
  exitSignal: NodeJS.Signals | null | undefined;
  exited: Promise<void> = Promise.resolve();

  constructor(name: string, env: Record<string, string>) {
    this.name = name;
    this.env = env;
    this.logFile = join(LOG_DIR, `${name}.log`);
  }

  get running(): boolean {
    return this.child !== undefined && this.exitCode === undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) {
      // the child's settings are exactly ours; vitest's loader flags stay out of it
      if (v !== undefined && !k.startsWith('STOCKSTREAMER_') && k !== 'NODE_OPTIONS' && !k.startsWith('VITEST')) base[k] = v;
    }
    const fd = openSync(this.logFile, 'a');
    this.exitCode = undefined;
    const child = spawn(process.execPath, ['services/cli/main.ts', 'process'], {
      cwd: ROOT, env: { ...base, ...this.env, STOCKSTREAMER_METRICS_PORT: String(this.port) }, stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    this.child = child;
    this.exited = new Promise((res) => child.once('exit', (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
      res();
    }));
    await waitFor(`${this.name} to answer /readyz`, async () => {
      if (this.exitCode !== undefined) throw new Error(`${this.name} exited (code ${this.exitCode}, signal ${this.exitSignal}); see ${this.logFile}:\n${this.tail()}`);
      return (await this.ready()) ? true : undefined;
    }, { timeoutMs: 60_000, intervalMs: 200 });
  }

  /** true when /readyz answers 200 (Kafka, registry and Cassandra reachable) */
  async ready(): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/readyz`, { signal: AbortSignal.timeout(3000) });
      await res.arrayBuffer();
      return res.status === 200;
    } catch {
      return false;
    }
  }

  async metric(name: string): Promise<number> {
    const res = await fetch(`http://127.0.0.1:${this.port}/metrics`, { signal: AbortSignal.timeout(3000) });
    const text = await res.text();
    let sum = 0;
    for (const line of text.split('\n')) if (line.startsWith(name) && /^[a-z_]+(\{|\s)/.test(line)) sum += Number(line.split(' ').at(-1));
    return sum;
  }

  kill9(): void {
    if (this.running) this.child!.kill('SIGKILL');
  }

  /** SIGTERM, and the process must be gone within `timeoutMs` */
  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.running) return;
    this.child!.kill('SIGTERM');
    const t = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(t);
  }

  tail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }
}

/**
 * Sends every message with the project's producer (acks=all). Requests of one
 * topic go one after another, so each partition keeps the order of the list
 * (the tests rely on event time never going backwards within a partition);
 * topics go in parallel.
 */
export async function sendAll(bus: KafkaBus, batches: { topic: string; messages: OutgoingMessage[] }[], chunk = 2000): Promise<void> {
  const producer = bus.producer();
  try {
    await Promise.all(batches.map(async ({ topic, messages }) => {
      for (let i = 0; i < messages.length; i += chunk) await producer.send(topic, messages.slice(i, i + chunk));
    }));
  } finally {
    await producer.close();
  }
}

/**
 * Runs a CLI service of the world to its end (e.g. `produce prices` on a
 * replay at full speed) and resolves with its exit code and log.
 */
export async function runCli(world: World, args: string[], extra: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; log: string }> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('STOCKSTREAMER_') && k !== 'NODE_OPTIONS' && !k.startsWith('VITEST')) base[k] = v;
  }
  const port = await freePort();
  return new Promise((res, rej) => {
    let log = '';
    const child = spawn(process.execPath, ['services/cli/main.ts', ...args], {
      cwd: ROOT, env: { ...base, ...world.env(extra), STOCKSTREAMER_METRICS_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`${args.join(' ')} did not finish within ${timeoutMs} ms:\n${log.slice(-3000)}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(t);
      res({ code, log });
    });
  });
}

/**
 * Sends the batches' messages interleaved by their order, `perTick` at a time
 * every `tickMs`, for as long as that takes: a steady stream instead of one
 * burst, so that an outage in the middle of a test meets a producer that is
 * sending. Each tick waits for its acknowledgements before the next, which
 * keeps every partition in the list's order. A failed send is recorded and
 * the stream goes on (the test then says what was lost).
 */
export async function sendPaced(
  bus: KafkaBus,
  batches: { topic: string; messages: OutgoingMessage[]; order?: number[] }[],
  options: { perTick: number; tickMs: number; onTick?: (sent: number) => void },
): Promise<{ sent: number; failures: string[]; maxSendMs: number }> {
  // interleaved by the batches' own order (their position in the input), each topic in its order
  const all = batches.flatMap(({ topic, messages, order }) => messages.map((message, i) => ({ topic, message, i, at: order?.[i] ?? i / messages.length })))
    .sort((a, b) => a.at - b.at || a.i - b.i);
  const producer = bus.producer();
  const failures: string[] = [];
  let sent = 0;
  let maxSendMs = 0;
  try {
    for (let at = 0; at < all.length; at += options.perTick) {
      const tick = Date.now();
      const slice = all.slice(at, at + options.perTick);
      const byTopic = new Map<string, OutgoingMessage[]>();
      for (const { topic, message } of slice) byTopic.set(topic, [...(byTopic.get(topic) ?? []), message]);
      await Promise.all([...byTopic].map(async ([topic, messages]) => {
        try {
          await producer.send(topic, messages);
          sent += messages.length;
        } catch (err) {
          failures.push(`${topic}: ${messages.length} messages: ${(err as Error).message}`);
        }
      }));
      maxSendMs = Math.max(maxSendMs, Date.now() - tick);
      options.onTick?.(sent);
      await sleep(Math.max(0, options.tickMs - (Date.now() - tick)));
    }
  } finally {
    await producer.close().catch((err: unknown) => failures.push(`close: ${(err as Error).message}`));
  }
  return { sent, failures, maxSendMs };
}

/** A seed for what a test randomises (kill moments): PIPELINE_SEED repeats a run. */
export function testSeed(): number {
  return process.env.PIPELINE_SEED ? Number(process.env.PIPELINE_SEED) : (Date.now() % 2_147_483_647);
}

/** The hour start two hours ago: recent event times, fixed within a run. */
export function recentT0(): number {
  return Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
}
