import { randomBytes } from 'node:crypto';
import { appendFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations, type MigrateOptions } from '../../services/lib/io/store/migrate.ts';
import { createCassandraStore } from '../../services/lib/io/store/cassandra.ts';
import { fromRoot } from '../../services/lib/runtime/paths.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import { isStockstreamerError } from '../../services/lib/runtime/errors.ts';

/**
 * `stockstreamer migrate` against the real Cassandra 5 of the local stack
 * (`make up`); fails, never skips, when it is down. Works on a copy of
 * k8s/cassandra so the test can add and edit files, in a keyspace of its own.
 */
const contactPoints = (process.env.STOCKSTREAMER_CASSANDRA_CONTACT_POINTS ?? `127.0.0.1:${process.env.CASSANDRA_PORT ?? 9042}`).split(',');
const localDataCenter = process.env.STOCKSTREAMER_CASSANDRA_DC ?? 'datacenter1';
const keyspace = `ss_migrate_${randomBytes(4).toString('hex')}`;

let admin: cassandra.Client;
let dir: string;
let options: MigrateOptions;
/** the shipped k8s/cassandra files, [version, name]: the list grows with the schema */
let shipped: [number, string][];
const pad = (v: number) => String(v).padStart(3, '0');

beforeAll(async () => {
  admin = new cassandra.Client({ contactPoints, localDataCenter });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`Cassandra is not reachable at ${contactPoints.join(',')} (start it with \`make up\`): ${(err as Error).message}`, { cause: err });
  }
  dir = await mkdtemp(join(tmpdir(), 'ss-cql-'));
  await cp(fromRoot('k8s', 'cassandra'), join(dir, 'cql'), { recursive: true });
  shipped = (await readMigrations(join(dir, 'cql'))).map((f) => [f.version, f.name]);
  await writeFile(join(dir, 'universe.csv'), [
    'symbol,name,exchange,sector,industry,market_cap_usd,country',
    'AAPL,Apple Inc. Common Stock,NASDAQ,Technology,Computer Manufacturing,3500000000000.00,United States',
    'GME,GameStop Corporation Common Stock,NYSE,Consumer Discretionary,Electronics Distribution,11000000000.00,United States',
  ].join('\n') + '\n');
  options = {
    contactPoints, localDataCenter, keyspace, replicationFactor: 1, logger: silentLogger(),
    cqlDir: join(dir, 'cql'), seedCompanies: join(dir, 'universe.csv'),
  };
});

afterAll(async () => {
  await admin?.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => {});
  await admin?.shutdown();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const versions = async () => (await admin.execute(`SELECT version, name, checksum, applied_at FROM ${keyspace}.schema_migrations`)).rows
  .map((r) => ({ version: r.version as number, name: r.name as string, checksum: r.checksum as string, appliedAt: (r.applied_at as Date).getTime() }))
  .sort((a, b) => a.version - b.version);

describe('migrate', () => {
  it('creates the keyspace, applies every file in order, records the versions and seeds companies', async () => {
    const result = await migrate(options);
    expect(result).toEqual({
      keyspace, applied: shipped.map(([version, name]) => ({ version, name })), alreadyApplied: [], companies: 2,
    });
    expect(shipped.slice(0, 3)).toEqual([[1, 'tables'], [2, 'alerts'], [3, 'exact_aggregates']]);
    const recorded = await versions();
    expect(recorded.map((v) => [v.version, v.name])).toEqual(shipped);
    expect(recorded.every((v) => /^[0-9a-f]{64}$/.test(v.checksum))).toBe(true);

    const ks = (await admin.execute('SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?', [keyspace], { prepare: true })).rows[0];
    expect(ks?.replication).toMatchObject({ class: 'org.apache.cassandra.locator.SimpleStrategy', replication_factor: '1' });
    const tables = (await admin.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [keyspace], { prepare: true })).rows.map((r) => r.table_name as string);
    expect(tables).toEqual(expect.arrayContaining(['trades_by_symbol', 'latest_prices', 'candles_1m', 'posts_by_day', 'posts_by_ticker',
      'ticker_sentiment_1m', 'mentions_by_hour', 'dlq_events', 'day_index', 'horizons', 'companies', 'alerts', 'schema_migrations']));
    // 003 dropped the old watermark checkpoints
    expect(tables).not.toContain('checkpoints');

    const store = createCassandraStore({ contactPoints, localDataCenter, keyspace, logger: silentLogger(), tradeTtlSeconds: 0 });
    try {
      expect(await store.company('GME')).toMatchObject({ name: 'GameStop Corporation Common Stock', exchange: 'NYSE', marketCapUsd: 11e9 });
    } finally {
      await store.close();
    }
  });

  it('is idempotent: a second run applies nothing and leaves the records as they were', async () => {
    const before = await versions();
    const result = await migrate({ ...options, seedCompanies: false });
    expect(result).toEqual({ keyspace, applied: [], alreadyApplied: shipped.map(([v]) => v), companies: 0 });
    expect(await versions()).toEqual(before);
  });

  it('applies only a new file', async () => {
    const next = shipped.length + 1;
    await writeFile(join(options.cqlDir!, `${pad(next)}_extra.cql`), '-- a later version\nCREATE TABLE IF NOT EXISTS extra (id text PRIMARY KEY, note text);\n');
    const result = await migrate({ ...options, seedCompanies: false });
    expect(result.applied).toEqual([{ version: next, name: 'extra' }]);
    expect((await versions()).map((v) => v.version)).toEqual([...shipped.map(([v]) => v), next]);
  });

  it('refuses to run when an applied file was edited, naming the file', async () => {
    await appendFile(join(options.cqlDir!, '001_tables.cql'), '\nCREATE TABLE IF NOT EXISTS sneaky (id text PRIMARY KEY);\n');
    await writeFile(join(options.cqlDir!, `${pad(shipped.length + 2)}_later.cql`), 'CREATE TABLE IF NOT EXISTS later (id text PRIMARY KEY);\n');
    const err = await migrate({ ...options, seedCompanies: false }).catch((e: unknown) => e);
    expect(isStockstreamerError(err, 'CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/001_tables\.cql changed after it was applied/);
    expect((await versions()).map((v) => v.version)).toEqual([...shipped.map(([v]) => v), shipped.length + 1]); // the later one not applied either
  });
});
