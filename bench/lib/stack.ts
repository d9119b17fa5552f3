/**
 * The real-server side of the benchmarks: the local stack (started when it is
 * down, stopped afterwards only if this run started it), a private namespace
 * per scenario (STOCKSTREAMER_TOPIC_PREFIX for topics and groups, its own
 * Cassandra keyspace, both removed at the end: other engineers use the same
 * servers), processors as real child processes (`services/cli/main.ts
 * process`), and /proc readings of their memory and CPU.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import cassandra from 'cassandra-driver';
import { acquireStackLock as acquireSharedStackLock } from '../../dev/stack-lock.ts';
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import { createConfluentRegistry } from '../../services/lib/io/avro/confluent-registry.ts';
import { createSerde, type Serde } from '../../services/lib/io/avro/serde.ts';
import { createKafkaBus, type KafkaBus } from '../../services/lib/io/bus/kafka.ts';
import { prefixedBus } from '../../services/lib/io/bus/prefixed.ts';
import { TOPIC_RECORD, topicSpecs } from '../../services/lib/io/bus/topics.ts';
import { migrate } from '../../services/lib/io/store/migrate.ts';
import { PROCESSOR_GROUP } from '../../services/processor/processor.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import { fromRoot } from '../../services/lib/runtime/paths.ts';

export const ROOT = fromRoot();
export const BROKERS = (process.env.STOCKSTREAMER_KAFKA_BROKERS ?? `127.0.0.1:${process.env.KAFKA_PORT ?? 9092}`).split(',').map((s) => s.trim());
export const REGISTRY_URL = process.env.STOCKSTREAMER_REGISTRY_URL ?? `http://127.0.0.1:${process.env.REGISTRY_PORT ?? 8081}`;
export const CASSANDRA = process.env.STOCKSTREAMER_CASSANDRA_CONTACT_POINTS ?? `127.0.0.1:${process.env.CASSANDRA_PORT ?? 9042}`;
export const LOG_DIR = join(ROOT, '.reports', 'bench');
const SERVERS = ['kafka', 'cassandra', 'registry'] as const;

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function sh(script: string, args: string[] = [], timeoutMs = 300_000): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    execFile('bash', [join(ROOT, 'dev', script), ...args], { cwd: ROOT, timeout: timeoutMs }, (err, stdout, stderr) => {
      res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

/**
 * The lock the pipeline integration tests take: some of them stop Cassandra or
 * restart Kafka, which would wreck a measurement, so each benchmark scenario
 * holds it too (scenario by scenario, so their runs can interleave with ours).
 */
export function acquireStackLock(timeoutMs = 900_000): Promise<() => void> {
  return acquireSharedStackLock({
    timeoutMs,
    onWait: (pid) => console.log(`[bench] waiting for the stack lock (held by pid ${pid}: a pipeline test is using the stack)`),
  });
}

const startedByUs = new Set<string>();

/** Starts the servers that are down (and remembers them: stopStarted() stops only those). */
export async function ensureStack(): Promise<void> {
  const status = await sh('status.sh');
  const down = SERVERS.filter((s) => !new RegExp(`^${s}\\s+up`, 'm').test(status.out));
  if (down.length === 0) return;
  console.log(`[bench] starting ${down.join(', ')} (dev/up.sh)`);
  const up = await sh('up.sh', [...down]);
  if (up.code !== 0) throw new Error(`dev/up.sh ${down.join(' ')} failed:\n${up.out}`);
  for (const s of down) startedByUs.add(s);
}

export async function stopStarted(): Promise<void> {
  for (const s of startedByUs) {
    console.log(`[bench] stopping ${s} (this run started it)`);
    await sh('stop-one.sh', [s]);
  }
  startedByUs.clear();
}

/** One scenario with the stack to itself (as far as the pipeline tests go): lock, servers up, run, unlock. */
export async function scenario<T>(fn: () => Promise<T>): Promise<T> {
  const release = await acquireStackLock();
  try {
    await ensureStack();
    return await fn();
  } finally {
    release();
  }
}

/** pid of a local-stack server (for its CPU), when it runs here */
export function serverPid(server: 'kafka' | 'cassandra' | 'registry'): number | undefined {
  const f = join(ROOT, '.stack', 'run', `${server}.pid`);
  if (!existsSync(f)) return undefined;
  const pid = Number(readFileSync(f, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
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

export interface World {
  prefix: string;
  keyspace: string;
  /** the project's bus inside the namespace, with a producer tuned for loading backlogs */
  bus: KafkaBus;
  serde: Serde;
  cql: cassandra.Client;
  admin: Admin;
  env(extra?: Record<string, string>): Record<string, string>;
  /** end offsets summed over a topic's partitions */
  endOffset(topic: string): Promise<number>;
  /** the processor group back to the start of every topic, the tables emptied: the same backlog can be drained again, as fresh */
  rewind(groupSuffix?: string, toEnd?: string[]): Promise<void>;
  /** every table the pipeline writes emptied (the migrations' record and the companies stay) */
  truncate(): Promise<void>;
  close(): Promise<void>;
}

const registered = new Map<string, Serde>();

/**
 * Another stack than the default single-node one (bench/nodes.ts: the three-node
 * stack of `make up NODES=3`): its addresses and the replication its topics and
 * keyspace get. The world's CQL client reads at LOCAL_QUORUM, as the dashboard does.
 */
export interface BenchTarget {
  brokers: string[];
  cassandra: string[];
  registry: string;
  kafkaReplication: number;
  kafkaMinInsync?: number;
  cassandraReplication: number;
}

export const SINGLE_NODE: BenchTarget = { brokers: BROKERS, cassandra: [CASSANDRA], registry: REGISTRY_URL, kafkaReplication: 1, cassandraReplication: 1 };

export async function createWorld(name: string, target: BenchTarget = SINGLE_NODE): Promise<World> {
  const run = randomBytes(3).toString('hex');
  const prefix = `bench.${name}.${run}.`;
  const keyspace = `bench_${name.replace(/[^a-z0-9]/g, '_')}_${run}`;
  const logger = silentLogger();
  const kafka = new kafkajs.Kafka({ clientId: `bench-${name}`, brokers: target.brokers, logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 8 } });
  const admin = kafka.admin();
  await admin.connect();
  const bus = prefixedBus(createKafkaBus({
    brokers: target.brokers, clientId: `bench-${name}`, logger,
    // large requests for loading backlogs; the broker's limit is per partition batch
    producer: { maxRequestMessages: 30_000, maxRequestBytes: 3 * 1024 * 1024, maxInFlightMessages: 200_000, maxInFlightBytes: 128 * 1024 * 1024, lingerMs: 2 },
    topics: { replicationFactor: target.kafkaReplication, ...(target.kafkaMinInsync ? { minInsyncReplicas: target.kafkaMinInsync } : {}) },
  }), prefix);
  await bus.ensureTopics(topicSpecs({ partitions: 6, retentionMs: -1 }));
  let serde = registered.get(target.registry);
  if (!serde) {
    serde = createSerde({ registry: createConfluentRegistry({ url: target.registry, logger }), topics: TOPIC_RECORD });
    await serde.init();
    registered.set(target.registry, serde);
  }
  await migrate({ contactPoints: target.cassandra, localDataCenter: 'datacenter1', keyspace, replicationFactor: target.cassandraReplication, logger, seedCompanies: false });
  const cql = new cassandra.Client({
    contactPoints: target.cassandra, localDataCenter: 'datacenter1', keyspace, socketOptions: { readTimeout: 30_000 },
    ...(target === SINGLE_NODE ? {} : { queryOptions: { consistency: cassandra.types.consistencies.localQuorum } }),
  });
  mkdirSync(LOG_DIR, { recursive: true });
  const groups = new Set<string>([`${prefix}${PROCESSOR_GROUP}`]);

  const truncate = async (): Promise<void> => {
    // Emptied, not kept: with the rows of the last drain still there (and the raw horizon past
    // them) every bucket would be read back from the store, which measures a replay, not a drain.
    // Every table the pipeline writes (all but the migrations' own record and the seeded companies).
    const rs = await cql.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [keyspace], { prepare: true });
    for (const r of rs.rows) {
      const table = String(r.table_name);
      if (table !== 'schema_migrations' && table !== 'companies') await cql.execute(`TRUNCATE ${table}`, [], { readTimeout: 60_000 });
    }
  };

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    STOCKSTREAMER_TOPIC_PREFIX: prefix,
    STOCKSTREAMER_KAFKA_BROKERS: target.brokers.join(','),
    STOCKSTREAMER_KAFKA_RETENTION_MS: '-1',
    STOCKSTREAMER_KAFKA_REPLICATION: String(target.kafkaReplication),
    ...(target.kafkaMinInsync ? { STOCKSTREAMER_KAFKA_MIN_INSYNC_REPLICAS: String(target.kafkaMinInsync) } : {}),
    STOCKSTREAMER_REGISTRY_URL: target.registry,
    STOCKSTREAMER_CASSANDRA_CONTACT_POINTS: target.cassandra.join(','),
    STOCKSTREAMER_CASSANDRA_REPLICATION: String(target.cassandraReplication),
    STOCKSTREAMER_CASSANDRA_KEYSPACE: keyspace,
    STOCKSTREAMER_CREDENTIALS: join(LOG_DIR, 'no-credentials.ini'),
    STOCKSTREAMER_HOME: join(LOG_DIR, 'home'),
    STOCKSTREAMER_LOG_LEVEL: 'warn',
    ...extra,
  });

  return {
    prefix, keyspace, bus, serde, cql, admin, env,
    async endOffset(topic) {
      const parts = await admin.fetchTopicOffsets(`${prefix}${topic}`);
      return parts.reduce((s, p) => s + Number(p.high), 0);
    },
    async rewind(groupSuffix = PROCESSOR_GROUP, toEnd: string[] = []) {
      const groupId = `${prefix}${groupSuffix}`;
      groups.add(groupId);
      const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix) && !t.endsWith('.dlq'));
      for (let attempt = 0; ; attempt++) {
        try {
          for (const topic of topics) await admin.resetOffsets({ groupId, topic, earliest: !toEnd.some((t) => topic === `${prefix}${t}`) });
          break;
        } catch (err) {
          // the group is still emptying after its members left
          if (attempt > 40) throw err;
          await sleep(500);
        }
      }
      await truncate();
    },
    truncate,
    async close() {
      await bus.close().catch(() => {});
      const topics = (await admin.listTopics().catch(() => [] as string[])).filter((t) => t.startsWith(prefix));
      if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 }).catch((e: unknown) => console.warn(`[bench] deleting topics: ${(e as Error).message}`));
      const all = await admin.listGroups().then((r) => r.groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix))).catch(() => [...groups]);
      if (all.length > 0) await admin.deleteGroups(all).catch(() => {});
      await admin.disconnect().catch(() => {});
      await cql.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`, [], { readTimeout: 60_000 }).catch((e: unknown) => console.warn(`[bench] dropping ${keyspace}: ${(e as Error).message}`));
      await cql.shutdown().catch(() => {});
    },
  };
}

/** Reads one process's resident memory and CPU time from /proc. */
export function procStats(pid: number): { rssMb: number; cpuS: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime, stime (fields 14, 15 of stat; 12, 13 after the command)
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { rssMb: rssKb / 1024, cpuS: ticks / 100 };
  } catch {
    return undefined;
  }
}

/** busy and total CPU seconds of the whole machine (all cores), from /proc/stat */
export function machineCpu(): { busyS: number; totalS: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = line.reduce((a, b) => a + b, 0);
  const idle = line[3]! + (line[4] ?? 0);
  return { busyS: (total - idle) / 100, totalS: total / 100 };
}

/** A child process of the project (the processor, or a bench consumer) with its /metrics port. */
export class Child {
  readonly name: string;
  readonly logFile: string;
  private child: ChildProcess | undefined;
  port = 0;
  exitCode: number | null | undefined;
  exited: Promise<void> = Promise.resolve();
  /** lines the child printed on stdout (the bench consumers report progress there) */
  lines: string[] = [];

  private readonly args: string[];
  private readonly env: Record<string, string>;
  private readonly nodeArgs: string[];

  constructor(name: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []) {
    this.name = name;
    this.args = args;
    this.env = env;
    this.nodeArgs = nodeArgs;
    this.logFile = join(LOG_DIR, `${name}.log`);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** waitReady (default): poll /readyz; otherwise the child reports progress as JSON lines on stdout */
  async start(options: { waitReady?: boolean } = {}): Promise<void> {
    this.port = await freePort();
    const base: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('STOCKSTREAMER_') && k !== 'NODE_OPTIONS') base[k] = v;
    const fd = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, [...this.nodeArgs, ...this.args], {
      cwd: ROOT, env: { ...base, ...this.env, STOCKSTREAMER_METRICS_PORT: String(this.port) }, stdio: ['ignore', options.waitReady === false ? 'pipe' : fd, fd],
    });
    closeSync(fd);
    this.child = child;
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const p of parts) if (p.startsWith('{')) this.lines.push(p);
    });
    this.exitCode = undefined;
    this.exited = new Promise((res) => child.once('exit', (code) => {
      this.exitCode = code;
      res();
    }));
    if (options.waitReady !== false) {
      const deadline = Date.now() + 90_000;
      while (!(await this.ready())) {
        if (this.exitCode !== undefined) throw new Error(`${this.name} exited with ${this.exitCode}; see ${this.logFile}`);
        if (Date.now() > deadline) throw new Error(`${this.name} not ready after 90 s; see ${this.logFile}`);
        await sleep(100);
      }
    }
  }

  async ready(): Promise<boolean> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/readyz`, { signal: AbortSignal.timeout(3000) });
      await res.arrayBuffer();
      return res.status === 200;
    } catch {
      return false;
    }
  }

  /** every sample of the Prometheus text, name{labels} → value */
  async metrics(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/metrics`, { signal: AbortSignal.timeout(5000) });
      for (const line of (await res.text()).split('\n')) {
        if (line === '' || line.startsWith('#')) continue;
        const i = line.lastIndexOf(' ');
        out.set(line.slice(0, i), Number(line.slice(i + 1)));
      }
    } catch { /* not up yet, or gone */ }
    return out;
  }

  async stop(timeoutMs = 30_000): Promise<void> {
    if (!this.child || this.exitCode !== undefined) return;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(t);
  }
}

/** sum of the samples of `name` whose labels contain every `label="value"` given */
export function metricSum(m: Map<string, number>, name: string, labels: Record<string, string> = {}): number {
  let s = 0;
  for (const [k, v] of m) {
    if (!(k === name || k.startsWith(`${name}{`))) continue;
    if (Object.entries(labels).every(([l, val]) => k.includes(`${l}="${val}"`))) s += v;
  }
  return s;
}

export const processorArgs = ['services/cli/main.ts', 'process'];
