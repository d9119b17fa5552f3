import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_IN_FLIGHT, readMigrations, replicationOf, splitCql } from './migrate.ts';
import { fromRoot } from '../../runtime/paths.ts';

describe('schema changes refused while the schema spreads', () => {
  it('are told apart from every other refusal: only those are tried again', () => {
    // as the three-node stack answered CREATE KEYSPACE right after a test dropped another keyspace
    expect(SCHEMA_IN_FLIGHT.test('java.lang.IllegalArgumentException: Unknown CF 338e4c80-ef4d-11f1-a761-df8e6fdb9bc2')).toBe(true);
    for (const other of ['unconfigured table candles_1h', "Keyspace 'ks' does not exist", 'line 1:7 no viable alternative at input', 'Unknown CF']) {
      expect(SCHEMA_IN_FLIGHT.test(other), other).toBe(false);
    }
  });
});

describe('splitCql', () => {
  it('drops comments and splits at semicolons outside literals', () => {
    const text = `-- header; with a semicolon
CREATE TABLE a (x text PRIMARY KEY); // trailing; comment
/* block; comment */ INSERT INTO a (x) VALUES ('it''s; fine');
CREATE TABLE "odd;name" (y int PRIMARY KEY)
`;
    expect(splitCql(text)).toEqual([
      'CREATE TABLE a (x text PRIMARY KEY)',
      "INSERT INTO a (x) VALUES ('it''s; fine')",
      'CREATE TABLE "odd;name" (y int PRIMARY KEY)',
    ]);
  });

  it('reads the shipped schema files as one statement per table', async () => {
    const files = await readMigrations(fromRoot('k8s', 'cassandra'));
    expect(files.slice(0, 4).map((f) => [f.version, f.name])).toEqual([[1, 'tables'], [2, 'alerts'], [3, 'exact_aggregates'], [4, 'crowd_tallies']]);
    expect(files[0]!.statements).toHaveLength(11);
    // every statement idempotent, so an interrupted migrate can repeat a file
    expect(files.flatMap((f) => f.statements).every((s) => /^(CREATE TABLE IF NOT EXISTS \w+ \(|DROP TABLE IF EXISTS \w+$|ALTER TABLE \w+ ADD IF NOT EXISTS \w+ [\w<>]+$)/.test(s))).toBe(true);
  });
});

describe('readMigrations', () => {
  it('orders NNN_name.cql by version, ignores other files and refuses two files of one version', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-mig-'));
    await writeFile(join(dir, '010_ten.cql'), 'CREATE TABLE IF NOT EXISTS ten (a int PRIMARY KEY);');
    await writeFile(join(dir, '002_two.cql'), 'CREATE TABLE IF NOT EXISTS two (a int PRIMARY KEY);');
    await writeFile(join(dir, 'README.md'), 'not a migration');
    expect((await readMigrations(dir)).map((f) => f.version)).toEqual([2, 10]);
    await writeFile(join(dir, '002_again.cql'), '');
    await expect(readMigrations(dir)).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/both claim schema version 2/) });
  });
});

describe('replicationOf', () => {
  it('is SimpleStrategy with the configured factor, or NetworkTopologyStrategy per datacenter', () => {
    expect(replicationOf({ replicationFactor: 3 })).toBe("{'class': 'SimpleStrategy', 'replication_factor': 3}");
    expect(replicationOf({ replicationFactor: 1, replicasPerDatacenter: { dc1: 3, 'eu-west': 2 } }))
      .toBe("{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'eu-west': 2}");
  });

  it('refuses values that would not be a sane replication map', () => {
    expect(() => replicationOf({ replicationFactor: 0 })).toThrow(/1 to 9/);
    expect(() => replicationOf({ replicationFactor: 1, replicasPerDatacenter: { "dc1': 1}; DROP": 1 } })).toThrow(/datacenter name/);
    expect(() => replicationOf({ replicationFactor: 1, replicasPerDatacenter: {} })).toThrow(/at least one/);
  });
});
