import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { CONFIG_SPEC, METRICS_PORTS, loadConfig } from './config.ts';

describe('config', () => {
  it('every setting has a default that validates', () => {
    const c = loadConfig({});
    expect(c.symbols).toContain('AAPL');
    expect(c.dashboardPort).toBe(8080);
    expect(c.source).toBe('auto');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads and coerces environment variables', () => {
    const c = loadConfig({ STOCKSTREAMER_SYMBOLS: 'tsla, NVDA ,', STOCKSTREAMER_DASHBOARD_PORT: '9000' });
    expect(c.symbols).toEqual(['tsla', 'NVDA']);
    expect(c.dashboardPort).toBe(9000);
  });

  it('stops on an unknown STOCKSTREAMER_ variable, naming it', () => {
    expect(() => loadConfig({ STOCKSTREAMER_SYMBOL: 'AAPL' })).toThrow(/^unknown setting STOCKSTREAMER_SYMBOL; did you mean STOCKSTREAMER_SYMBOLS\? /);
    expect(() => loadConfig({ STOCKSTREAMER_METRICS_PROT: '1' })).toThrow(/did you mean STOCKSTREAMER_METRICS_PORT\?/);
    expect(() => loadConfig({ STOCKSTREAMER_WHATEVER: '1' })).toThrow(/^unknown setting STOCKSTREAMER_WHATEVER \(known: see README/);
  });

  it('metrics port: empty = the service\'s own default, 0 = any free port; endpoints listen on loopback unless told', () => {
    expect(loadConfig({}).metricsPort).toBeUndefined();
    expect(loadConfig({ STOCKSTREAMER_METRICS_PORT: '0' }).metricsPort).toBe(0);
    expect(loadConfig({ STOCKSTREAMER_METRICS_PORT: '9500' }).metricsPort).toBe(9500);
    expect(() => loadConfig({ STOCKSTREAMER_METRICS_PORT: '70000' })).toThrow(/^STOCKSTREAMER_METRICS_PORT="70000" is invalid/);
    // one machine runs them side by side (README "Local stack and services")
    expect(new Set(Object.values(METRICS_PORTS)).size).toBe(Object.keys(METRICS_PORTS).length);
    expect(loadConfig({}).listenAddress).toBe('127.0.0.1');
    expect(loadConfig({ STOCKSTREAMER_LISTEN_ADDRESS: '0.0.0.0' }).listenAddress).toBe('0.0.0.0');
    expect(loadConfig({ STOCKSTREAMER_LISTEN_ADDRESS: '::1' }).listenAddress).toBe('::1');
    expect(() => loadConfig({ STOCKSTREAMER_LISTEN_ADDRESS: 'localhost:80' })).toThrow(/^STOCKSTREAMER_LISTEN_ADDRESS="localhost:80" is invalid: expected an IP address/);
  });

  it('replication: single-node defaults; min in-sync replicas never above the replicas; quorum consistency by default', () => {
    const one = loadConfig({});
    expect([one.kafkaReplication, one.kafkaMinInsyncReplicas, one.cassandraReplication, one.cassandraConsistency]).toEqual([1, undefined, 1, 'local_quorum']);
    const three = loadConfig({ STOCKSTREAMER_KAFKA_REPLICATION: '3', STOCKSTREAMER_KAFKA_MIN_INSYNC_REPLICAS: '2', STOCKSTREAMER_CASSANDRA_REPLICATION: '3', STOCKSTREAMER_CASSANDRA_CONSISTENCY: 'all' });
    expect([three.kafkaReplication, three.kafkaMinInsyncReplicas, three.cassandraReplication, three.cassandraConsistency]).toEqual([3, 2, 3, 'all']);
    expect(() => loadConfig({ STOCKSTREAMER_KAFKA_MIN_INSYNC_REPLICAS: '2' })).toThrow(/^STOCKSTREAMER_KAFKA_MIN_INSYNC_REPLICAS=2 is more than STOCKSTREAMER_KAFKA_REPLICATION=1/);
    expect(() => loadConfig({ STOCKSTREAMER_CASSANDRA_CONSISTENCY: 'LOCAL_QUORUM' })).toThrow(/^STOCKSTREAMER_CASSANDRA_CONSISTENCY="LOCAL_QUORUM" is invalid/);
  });

  it('stops on a malformed value, naming the variable', () => {
    expect(() => loadConfig({ STOCKSTREAMER_DASHBOARD_PORT: 'eighty' })).toThrow(/^STOCKSTREAMER_DASHBOARD_PORT="eighty" is invalid/);
    expect(() => loadConfig({ STOCKSTREAMER_SOURCE: 'magic' })).toThrow(/STOCKSTREAMER_SOURCE/);
  });

  it('ignores variables of other programs', () => {
    expect(() => loadConfig({ PATH: '/bin', HOME: '/root' })).not.toThrow();
  });

  it('the README documents every setting', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const name of Object.keys(CONFIG_SPEC)) expect(readme, name).toContain(name);
  });

  it('the README table is exactly what scripts/config-docs.ts prints (defaults and meanings in step too)', () => {
    const table = execFileSync(process.execPath, ['scripts/config-docs.ts'], { encoding: 'utf8' }).trimEnd();
    expect(readFileSync('README.md', 'utf8')).toContain(table);
  });
});
