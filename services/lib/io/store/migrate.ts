import { createHash } from 'node:crypto';
import pRetry from 'p-retry';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StockstreamerError } from '../../runtime/errors.ts';
import type { Logger } from '../../runtime/logger.ts';
import { fromRoot } from '../../runtime/paths.ts';
import { loadUniverse } from '../universe.ts';
import { toStoreError } from './cassandra-exec.ts';
import { createCassandraClient, createCassandraStore, type Consistency } from './cassandra.ts';

/**
 * `stockstreamer migrate`: creates the keyspace, applies k8s/cassandra/NNN_name.cql
 * in version order, records each applied file in schema_migrations, and seeds
 * companies from the listing. Safe to run at every deploy: a second run applies
 * nothing. An applied file must never change (the cluster would not match the
 * file any more): a changed checksum stops migrate with the file's name.
 */
export interface MigrateOptions {
  /** "host" or "host:port" */
  contactPoints: string[];
  localDataCenter: string;
  keyspace: string;
  /** SimpleStrategy replication factor (STOCKSTREAMER_CASSANDRA_REPLICATION) */
  replicationFactor: number;
  /**
   * NetworkTopologyStrategy instead, replicas per datacenter, e.g. { dc1: 3 }:
   * what a multi-DC cluster wants. Takes precedence over replicationFactor.
   */
  replicasPerDatacenter?: Record<string, number>;
  /** of the statements that read or write rows (STOCKSTREAMER_CASSANDRA_CONSISTENCY; default local_quorum) */
  consistency?: Consistency;
  /** folder of the NNN_name.cql files; default k8s/cassandra of this package */
  cqlDir?: string;
  logger: Logger;
  /** seed companies from the listing (default true); a path seeds from that CSV instead of data/ */
  seedCompanies?: boolean | string;
}

export interface MigrationFile {
  version: number;
  name: string;
  path: string;
  checksum: string;
  statements: string[];
}

export interface MigrateResult {
  keyspace: string;
  /** files applied by this run, in order */
  applied: { version: number; name: string }[];
  /** versions found already applied */
  alreadyApplied: number[];
  /** companies upserted (0 when seeding is off) */
  companies: number;
}

const FILE = /^(\d{3})_([a-z0-9_]+)\.cql$/;
const KEYSPACE_NAME = /^[a-z][a-z0-9_]{0,47}$/;
const DC_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * A schema change a node refused because it does not know a table id yet:
 * the schema of an earlier change (another migration, a dropped keyspace) is
 * still spreading over the nodes, as right after a cluster starts or a node
 * returns (seen on the three-node stack: "Unknown CF <uuid>" on CREATE
 * KEYSPACE). It passes once the nodes agree, so it is retried; any other
 * refusal is an error at once.
 */
export const SCHEMA_IN_FLIGHT = /Unknown CF [0-9a-f-]{36}/i;
const SCHEMA_RETRIES = 8;

export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const { keyspace, logger } = options;
  if (!KEYSPACE_NAME.test(keyspace)) {
    throw new StockstreamerError('CONFIG_INVALID', `Cassandra keyspace "${keyspace}" must match ${KEYSPACE_NAME}`, { details: { key: 'STOCKSTREAMER_CASSANDRA_KEYSPACE' } });
  }
  const files = await readMigrations(options.cqlDir ?? fromRoot('k8s', 'cassandra'));
  const replication = replicationOf(options);
  const client = createCassandraClient(options);
  const run = async (what: string, query: string, params: unknown[] = []) => {
    try {
      return await pRetry(() => client.execute(query, params, { prepare: params.length > 0 }), {
        retries: SCHEMA_RETRIES, minTimeout: 500, maxTimeout: 5000, // milliseconds
        shouldRetry: ({ error }) => SCHEMA_IN_FLIGHT.test(error.message),
        onFailedAttempt: ({ error, attemptNumber }) => {
          if (SCHEMA_IN_FLIGHT.test(error.message)) logger.warn(`${what}: the schema is still spreading over the nodes (${error.message}); trying again (${attemptNumber}/${SCHEMA_RETRIES})`);
        },
      });
    } catch (err) {
      throw toStoreError(err, what);
    }
  };
  const applied: MigrateResult['applied'] = [];
  try {
    await run(`CREATE KEYSPACE ${keyspace}`, `CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = ${replication}`);
    await warnOnOtherReplication(run, keyspace, replication, logger);
    await run('CREATE TABLE schema_migrations',
      `CREATE TABLE IF NOT EXISTS ${keyspace}.schema_migrations (version int PRIMARY KEY, name text, checksum text, applied_at timestamp)`);
    const rows = (await run('a read of schema_migrations', `SELECT version, name, checksum FROM ${keyspace}.schema_migrations`)).rows;
    const done = new Map(rows.map((r) => [r.version as number, { name: r.name as string, checksum: r.checksum as string }]));

    for (const [version, was] of done) {
      const file = files.find((f) => f.version === version);
      if (file === undefined) {
        throw new StockstreamerError('CONFIG_INVALID',
          `migration ${String(version).padStart(3, '0')}_${was.name}.cql is applied in keyspace ${keyspace} but missing from the CQL folder; restore it`,
          { details: { version } });
      }
      if (file.checksum !== was.checksum) {
        throw new StockstreamerError('CONFIG_INVALID',
          `${file.path} changed after it was applied to keyspace ${keyspace} (checksum ${was.checksum.slice(0, 12)}… now ${file.checksum.slice(0, 12)}…); ` +
          'restore the applied text and put the change in a new NNN_name.cql file',
          { details: { file: file.path, version } });
      }
    }

    // A file is recorded only after all of its statements ran; an interrupted
    // run repeats the file, which is why every statement is IF NOT EXISTS.
    await run(`USE ${keyspace}`, `USE ${keyspace}`);
    for (const file of files) {
      if (done.has(file.version)) continue;
      for (const statement of file.statements) await run(`${file.name} of ${file.path}`, statement);
      await run('a write to schema_migrations', `INSERT INTO ${keyspace}.schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)`,
        [file.version, file.name, file.checksum, new Date()]);
      applied.push({ version: file.version, name: file.name });
      logger.info({ keyspace, version: file.version, file: file.path }, `applied ${file.path}`);
    }
  } finally {
    await client.shutdown();
  }

  let companies = 0;
  if (options.seedCompanies !== false) {
    const securities = await loadUniverse(...(typeof options.seedCompanies === 'string' ? [options.seedCompanies] : []));
    const store = createCassandraStore({ ...options, tradeTtlSeconds: 0 });
    try {
      await store.seedCompanies(securities);
    } finally {
      await store.close();
    }
    companies = securities.length;
    logger.info({ keyspace, companies }, 'seeded companies');
  }
  const alreadyApplied = files.map((f) => f.version).filter((v) => !applied.some((a) => a.version === v));
  return { keyspace, applied, alreadyApplied, companies };
}

/**
 * A keyspace that exists keeps its replication: CREATE KEYSPACE IF NOT EXISTS changes
 * nothing, and changing it is an operator's step (ALTER, then a full repair so the new
 * replicas get the rows), not something to do at every deploy. Say so when they differ.
 */
async function warnOnOtherReplication(
  run: (what: string, query: string, params?: unknown[]) => Promise<{ rows: { get(name: string): unknown }[] }>,
  keyspace: string, wanted: string, logger: Logger,
): Promise<void> {
  const rs = await run('a read of system_schema.keyspaces', 'SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?', [keyspace]);
  const have = (rs.rows[0]?.get('replication') ?? {}) as Record<string, string>;
  const wantedMap = Object.fromEntries([...wanted.matchAll(/'([^']+)': '?([^',}]+)'?/g)].map((m) => [m[1]!, m[2]!]));
  wantedMap.class = `org.apache.cassandra.locator.${wantedMap.class}`;
  const same = Object.keys(wantedMap).length === Object.keys(have).length && Object.entries(wantedMap).every(([k, v]) => have[k] === v);
  if (!same) {
    logger.warn({ keyspace, have, wanted: wantedMap },
      `keyspace ${keyspace} exists with replication ${JSON.stringify(have)}, not the configured ${wanted}; it is left as it is: ` +
      `ALTER KEYSPACE ${keyspace} WITH replication = ${wanted}, then run a full repair on every node`);
  }
}

/** The replication map of CREATE KEYSPACE; names and numbers checked, since they are spliced into CQL. */
export function replicationOf(options: Pick<MigrateOptions, 'replicationFactor' | 'replicasPerDatacenter'>): string {
  const factor = (n: number, what: string): number => {
    if (!Number.isInteger(n) || n < 1 || n > 9) {
      throw new StockstreamerError('CONFIG_INVALID', `replication factor ${what} must be an integer from 1 to 9, got ${n}`, { details: { key: 'STOCKSTREAMER_CASSANDRA_REPLICATION' } });
    }
    return n;
  };
  if (options.replicasPerDatacenter !== undefined) {
    const dcs = Object.entries(options.replicasPerDatacenter);
    if (dcs.length === 0) throw new StockstreamerError('CONFIG_INVALID', 'NetworkTopologyStrategy needs at least one datacenter');
    const parts = dcs.map(([dc, n]) => {
      if (!DC_NAME.test(dc)) throw new StockstreamerError('CONFIG_INVALID', `datacenter name "${dc}" is not valid`);
      return `'${dc}': ${factor(n, `of ${dc}`)}`;
    });
    return `{'class': 'NetworkTopologyStrategy', ${parts.join(', ')}}`;
  }
  return `{'class': 'SimpleStrategy', 'replication_factor': ${factor(options.replicationFactor, '')}}`;
}

/** The NNN_name.cql files of a folder, by version; other files are ignored, a duplicate version is an error. */
export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    throw new StockstreamerError('CONFIG_INVALID', `cannot read the CQL folder ${dir}: ${(err as Error).message}`, { cause: err, details: { path: dir } });
  }
  const files: MigrationFile[] = [];
  for (const name of names.sort()) {
    const m = FILE.exec(name);
    if (m === null) continue;
    const path = join(dir, name);
    const text = await readFile(path, 'utf8');
    const version = Number(m[1]);
    const clash = files.find((f) => f.version === version);
    if (clash !== undefined) {
      throw new StockstreamerError('CONFIG_INVALID', `${path} and ${clash.path} both claim schema version ${version}`, { details: { version } });
    }
    files.push({ version, name: m[2]!, path, checksum: createHash('sha256').update(text).digest('hex'), statements: splitCql(text) });
  }
  return files;
}

/**
 * The statements of a CQL script: comments (-- … , // … , /* … *\/) dropped,
 * split at semicolons outside string literals ('…' with '' as the escape,
 * $$…$$) and quoted names ("…").
 */
export function splitCql(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let i = 0;
  const flush = () => {
    const s = cur.trim();
    if (s !== '') out.push(s);
    cur = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    const two = text.slice(i, i + 2);
    if (two === '--' || two === '//') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (two === '/*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
      cur += ' ';
    } else if (two === '$$') {
      const end = text.indexOf('$$', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      cur += text.slice(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      for (;;) {
        const k = text.indexOf(c, j);
        if (k === -1) { j = text.length; break; }
        if (text[k + 1] === c) { j = k + 2; continue; }
        j = k + 1;
        break;
      }
      cur += text.slice(i, j);
      i = j;
    } else if (c === ';') {
      flush();
      i++;
    } else {
      cur += c;
      i++;
    }
  }
  flush();
  return out;
}
