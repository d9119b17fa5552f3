import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import cassandra from 'cassandra-driver';
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll } from 'vitest';
import { ROOT, acquirePipelineLock, createWorld, sleep, waitFor, type StackTarget, type World } from '../../integration/helpers/pipeline-stack.ts';
import '../../integration/helpers/node-warnings.ts';

/**
 * The three-node stack of `make up NODES=3` (dev/lib.sh): broker i and Cassandra node i
 * on 127.0.0.1i, the registry on node 1, state in .stack-3nodes. scripts/test-nodes.sh
 * starts it (and stops it again if it started it); these tests never touch the default
 * single-node stack other people's tests use, but they take its lock (dev/stack-lock.ts):
 * six JVMs stopping and starting would wreck anyone's measurement.
 */
export const NODES = 3;
export const HOSTS = (process.env.NODE_ADDRESSES ?? '127.0.0.11 127.0.0.12 127.0.0.13').trim().split(/\s+/);
const STACK = join(ROOT, `.stack-${NODES}nodes`);
const { consistencies } = cassandra.types;

export const TARGET: StackTarget = {
  brokers: HOSTS.map((h) => `${h}:9092`),
  cassandra: HOSTS.map((h) => `${h}:9042`),
  registry: `http://${HOSTS[0]}:8081`,
  kafkaReplication: 3,
  kafkaMinInsync: 2,
  cassandraReplication: 3,
  readConsistency: consistencies.localQuorum,
};

export type NodeName = `kafka${1 | 2 | 3}` | `cassandra${1 | 2 | 3}` | 'registry';
export const hostOf = (node: NodeName): string => HOSTS[Number(/\d$/.exec(node)?.[0] ?? '1') - 1]!;

/** Runs dev/<script> <node> for the three-node stack and resolves with its output. */
export function nodeScript(script: 'start-one.sh' | 'stop-one.sh' | 'status.sh' | 'up.sh', args: string[] = [], timeoutMs = 240_000): Promise<string> {
  return new Promise((res, rej) => {
    execFile('bash', [join(ROOT, 'dev', script), ...args], { cwd: ROOT, timeout: timeoutMs, env: { ...process.env, NODES: String(NODES) } }, (err, stdout, stderr) => {
      if (err) rej(new Error(`NODES=${NODES} dev/${script} ${args.join(' ')} failed: ${err.message}\n${stdout}\n${stderr}`));
      else res(`${stdout}${stderr}`);
    });
  });
}

export async function assertNodesUp(): Promise<void> {
  await nodeScript('status.sh', [], 30_000).catch((err: unknown) => {
    throw new Error(`the three-node stack is not up: start it with \`make up NODES=3\` (scripts/test-nodes.sh does)\n${(err as Error).message}`);
  });
}

function pidOf(node: NodeName): number | undefined {
  try {
    const pid = Number(readFileSync(join(STACK, 'run', `${node}.pid`), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** kill -9 of a server of the stack (no shutdown hook, no flush): resolves once the process is gone. */
export async function kill9(node: NodeName): Promise<void> {
  const pid = pidOf(node);
  if (pid === undefined || !alive(pid)) throw new Error(`${node} is not running`);
  process.kill(pid, 'SIGKILL');
  await waitFor(`${node} (pid ${pid}) to die`, async () => (alive(pid) ? undefined : true), { timeoutMs: 10_000, intervalMs: 50 });
}

/**
 * Waits until every node is up and all three agree on the schema (system.local and
 * system.peers schema_version, read on each node). A node that has just returned pulls
 * the schema changes it missed over gossip some seconds after it is UP; DDL coordinated
 * by it before that fails ("Unknown CF …"), and a read of a table it does not know yet
 * fails at quorum. Every test starts from agreement.
 */
export async function awaitSchemaAgreement(timeoutMs = 120_000): Promise<void> {
  try {
    await schemaAgreement(timeoutMs / 2);
  } catch (err) {
    // One node alone on another schema version, the other two agreeing: the state a
    // schema change that failed half-way on that node leaves (see useNodesWorld). Its
    // schema is reloaded from disk and pulled again from the others when it restarts;
    // said loudly, since it is Cassandra misbehaving, not the code under test.
    const odd = /odd node: (cassandra\d)/.exec((err as Error).message)?.[1] as NodeName | undefined;
    if (odd === undefined) throw err;
    console.warn(`${(err as Error).message}\nrestarting ${odd} so that it pulls the schema again`);
    await nodeScript('stop-one.sh', [odd]);
    await nodeScript('start-one.sh', [odd]);
    await schemaAgreement(timeoutMs / 2);
  }
}

async function schemaAgreement(timeoutMs: number): Promise<void> {
  const clients = HOSTS.map((h) => nodeClient(h));
  /** each node's own version, last time it answered */
  const own = new Map<number, string>();
  /** what each node said last time: named in the error if they never agree */
  const seen = new Map<string, string>();
  try {
    await waitFor('the three Cassandra nodes to agree on the schema', async () => {
      const versions = new Set<string>();
      for (const [i, c] of clients.entries()) {
        try {
          const local = await c.execute('SELECT schema_version FROM system.local');
          const peers = await c.execute('SELECT peer, schema_version FROM system.peers');
          own.set(i, String(local.rows[0]?.schema_version));
          seen.set(HOSTS[i]!, `local ${String(local.rows[0]?.schema_version).slice(0, 8)}, peers ${peers.rows.map((r) => `${String(r.peer)}=${String(r.schema_version).slice(0, 8)}`).join(' ')}`);
          if (peers.rows.length !== HOSTS.length - 1) return undefined;
          for (const r of [...local.rows, ...peers.rows]) versions.add(String(r.schema_version));
        } catch (err) {
          seen.set(HOSTS[i]!, `unreachable: ${(err as Error).message.split('\n')[0]}`);
          return undefined;
        }
      }
      return versions.size === 1 ? true : undefined;
    }, { timeoutMs, intervalMs: 500 }).catch((err: unknown) => {
      const versions = [...own.values()];
      const oddOut = own.size === HOSTS.length ? [...own].filter(([, v]) => versions.filter((x) => x === v).length === 1) : [];
      const odd = oddOut.length === 1 && new Set(versions).size === 2 ? `; odd node: cassandra${oddOut[0]![0] + 1}` : '';
      throw new Error(`${(err as Error).message}; last seen: ${[...seen].map(([h, v]) => `${h}: ${v}`).join('; ')}${odd}`);
    });
  } finally {
    await Promise.all(clients.map((c) => c.shutdown()));
  }
}

/** Starts every node that is down (afterAll: the stack is never left without a node). */
export async function restoreAll(): Promise<void> {
  const out = await nodeScript('status.sh', [], 30_000).catch((err: unknown) => (err as Error).message);
  const down = [...out.matchAll(/^(kafka\d|cassandra\d|registry)\s+down/gm)].map((m) => m[1]!);
  // Cassandra first: the registry keeps its schemas there
  for (const node of down.sort((a, b) => Number(b.startsWith('cassandra')) - Number(a.startsWith('cassandra')))) {
    await nodeScript('start-one.sh', [node]).catch((err: unknown) => console.error(String(err)));
  }
  await awaitSchemaAgreement().catch((err: unknown) => console.error(String(err)));
}

/**
 * The world of one test/nodes file on the three-node stack. beforeAll takes the stack
 * lock (six JVMs stopped and started on purpose would wreck anyone's measurement),
 * checks that every node is up and that they agree on the schema, creates the world and
 * runs `prepare`; afterAll brings back any node a test left down, drops the world and
 * releases the lock. Returns the world, for use inside the tests.
 */
export function useNodesWorld(name: string, prepare?: (world: World) => Promise<void>): () => World {
  let release: () => void = () => {};
  let world: World | undefined;
  beforeAll(async () => {
    release = await acquirePipelineLock(1_200_000);
    await assertNodesUp();
    await awaitSchemaAgreement();
    world = await createWorld(name, { target: TARGET });
    await prepare?.(world);
  }, 1_260_000);
  afterAll(async () => {
    await restoreAll();
    // The world's keyspace is dropped only once no hint for it is left to deliver:
    // Cassandra 5 dropping a keyspace while hints for its tables still arrive (a node
    // just back) failed half-way on that node ("Unknown CF" in MigrationStage) and left
    // its schema apart from the others' for good — the next file then never saw agreement.
    await waitFor('every hint to be delivered before the keyspace is dropped', async () => (
      (['cassandra1', 'cassandra2', 'cassandra3'] as const).every((n) => hintFiles(n) === 0) ? true : undefined
    ), { timeoutMs: 180_000, intervalMs: 500 }).catch((err: unknown) => console.error(String(err)));
    await world?.close();
    release();
  }, 600_000);
  return () => {
    if (world === undefined) throw new Error(`the three-node world ${name} was not created (see beforeAll)`);
    return world;
  };
}

/** Partition leaders by broker id over `topics`. */
export async function leadersByBroker(admin: Admin, topics: string[]): Promise<Map<number, number>> {
  const { topics: meta } = await admin.fetchTopicMetadata({ topics });
  const out = new Map<number, number>();
  for (const t of meta) for (const p of t.partitions) out.set(p.leader, (out.get(p.leader) ?? 0) + 1);
  return out;
}

/** offsets.topic.num.partitions of the local stack (dev/servers.sh) */
const OFFSETS_PARTITIONS = 10;

/**
 * The __consumer_offsets partition whose leader coordinates `groupId`, as Kafka picks it:
 * Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions (Java's String.hashCode
 * over UTF-16 code units; abs of Integer.MIN_VALUE is 0).
 */
export function coordinatorPartition(groupId: string): number {
  let h = 0;
  for (let i = 0; i < groupId.length; i++) h = (Math.imul(31, h) + groupId.charCodeAt(i)) | 0;
  return (h === -2147483648 ? 0 : Math.abs(h)) % OFFSETS_PARTITIONS;
}

/**
 * Moves the coordinator of `groupId` to another broker without stopping any, as Kafka's
 * own preferred-leader rebalance (or a lost broker) does: the group's __consumer_offsets
 * partition is reassigned to its replicas without the leader (a new leader is elected),
 * then back to all three with the old leader last (the new one stays). Resolves with the
 * old and new coordinator ids once the partition has three in-sync replicas again.
 */
export async function moveGroupCoordinator(admin: Admin, groupId: string): Promise<{ from: number; to: number }> {
  const topic = '__consumer_offsets';
  const partition = coordinatorPartition(groupId);
  const state = async () => (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.find((p) => p.partitionId === partition)!;
  const before = await state();
  const others = before.replicas.filter((r) => r !== before.leader);
  await admin.alterPartitionReassignments({ topics: [{ topic, partitionAssignment: [{ partition, replicas: others }] }] });
  const moved = await waitFor(`${topic}/${partition} to get a leader other than ${before.leader}`, async () => {
    const now = await state();
    return now.leader !== before.leader && now.leader >= 0 ? now.leader : undefined;
  }, { timeoutMs: 30_000, intervalMs: 200 });
  await admin.alterPartitionReassignments({ topics: [{ topic, partitionAssignment: [{ partition, replicas: [...others, before.leader] }] }] });
  await waitFor(`${topic}/${partition} back to three in-sync replicas`, async () => {
    const now = await state();
    return now.replicas.length === 3 && now.isr.length === 3 ? true : undefined;
  }, { timeoutMs: 60_000, intervalMs: 250 });
  return { from: before.leader, to: moved };
}

/** Partitions of `topics` whose in-sync set is smaller than their replica set. */
export async function underReplicated(admin: Admin, topics: string[]): Promise<number> {
  const { topics: meta } = await admin.fetchTopicMetadata({ topics });
  return meta.reduce((n, t) => n + t.partitions.filter((p) => p.isr.length < p.replicas.length).length, 0);
}

/**
 * A CQL client that talks to one node only (its own virtual tables, its own
 * coordination), bound to `keyspace` when given, at `consistency` by default.
 */
export function nodeClient(host: string, options: { keyspace?: string; consistency?: number } = {}): cassandra.Client {
  const { loadBalancing, reconnection } = cassandra.policies;
  return new cassandra.Client({
    contactPoints: [`${host}:9042`], localDataCenter: 'datacenter1',
    ...(options.keyspace ? { keyspace: options.keyspace } : {}),
    socketOptions: { readTimeout: 30_000, connectTimeout: 3000 },
    policies: {
      loadBalancing: new loadBalancing.AllowListPolicy(new loadBalancing.DCAwareRoundRobinPolicy('datacenter1'), [`${host}:9042`]),
      reconnection: new reconnection.ConstantReconnectionPolicy(500),
    },
    ...(options.consistency !== undefined ? { queryOptions: { consistency: options.consistency } } : {}),
  });
}

/** A client of the whole ring bound to `keyspace`, reading at `consistency` (e.g. ALL). */
export function ringClient(keyspace: string, consistency: number): cassandra.Client {
  return new cassandra.Client({
    contactPoints: TARGET.cassandra, localDataCenter: 'datacenter1', keyspace,
    socketOptions: { readTimeout: 30_000 },
    policies: { reconnection: new cassandra.policies.reconnection.ConstantReconnectionPolicy(500) },
    queryOptions: { consistency },
  });
}

/**
 * Hint files a node keeps on disk (its hints_directory, dev/servers.sh), for any target.
 * Counted on disk rather than through system_views.pending_hints: that view lists a
 * file only once its writer has closed it, which happens when the target returns (or
 * the file is full), so during an outage it reads 0 while hints are being written.
 * A file is deleted once every hint in it was delivered.
 */
export function hintFiles(node: `cassandra${1 | 2 | 3}`): number {
  try {
    return readdirSync(join(STACK, node, 'data', 'hints')).filter((f) => f.endsWith('.hints')).length;
  } catch {
    return 0;
  }
}

/** Resident memory of a process in MB, from /proc. */
export function rssMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

export { consistencies, sleep };
