import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import cassandra from 'cassandra-driver';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquirePipelineLock, freePort, waitFor } from '../integration/helpers/pipeline-stack.ts';
import { BROKERS, REGISTRY_URL } from '../integration/helpers/kafka.ts';
import { PROCESSOR_GROUP } from '../../services/processor/processor.ts';
import { SHUTDOWN_DEADLINE_MS } from '../../services/lib/runtime/service.ts';
import { GRAFANA_PLUGINS_DIR } from '../../terraform/lib/images.ts';

/**
 * The image, built from the project's own Dockerfile (unchanged) with buildah
 * (dev/image/build.sh; the base image is made locally by dev/image/base.sh since
 * no registry can be pulled from), and its services run with podman the way
 * their pods run them (dev/image/run.sh: the image's own non-root user,
 * read-only root filesystem, no capabilities, credentials.ini mounted read-only
 * as the Secret is, host network) against the local Kafka, registry and
 * Cassandra, in a topic prefix and keyspace of their own.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const IMAGE = 'localhost/stockstreamer:image-test';
const RUN = randomBytes(3).toString('hex');
const PREFIX = `it.${RUN}.`;
const KEYSPACE = `it_image_${RUN}`;
const CASSANDRA = process.env.STOCKSTREAMER_CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:9042';

let tmp: string;
let release: (() => void) | undefined;
let cql: cassandra.Client | undefined;
let imageSize = 0;
let imageUser = '';

const podman = (args: string[], timeoutMs = 120_000) => {
  const r = spawnSync('podman', ['--runtime', 'runc', ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
};

/** One `dev/image/run.sh` child: a container in the foreground, its output kept. */
class Container {
  readonly name: string;
  readonly child: ChildProcess;
  output = '';
  exit: Promise<{ code: number | null; at: number }>;

  constructor(args: string[], env: Record<string, string>, credentials: string) {
    this.name = `ss-it-${RUN}-${args.join('-')}`;
    const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    this.child = spawn('bash', [join(ROOT, 'dev/image/run.sh'), '--image', IMAGE, '--name', this.name, '--credentials', credentials, ...envArgs, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => { this.output += d.toString(); });
    this.child.stderr!.on('data', (d: Buffer) => { this.output += d.toString(); });
    this.exit = new Promise((res) => this.child.on('exit', (code) => res({ code, at: Date.now() })));
  }

  /** runs a command inside the running container (as the image's user) */
  exec(cmd: string[]) {
    return podman(['exec', this.name, ...cmd], 30_000);
  }

  /** GET on 127.0.0.1 from inside the container: status and body */
  fetchInside(port: number, path: string): { status: number; body: string } {
    const script = `fetch('http://127.0.0.1:${port}${path}').then(async (r) => { process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })); }).catch((e) => { process.stdout.write(JSON.stringify({ status: 0, body: String(e) })); })`;
    const r = this.exec(['node', '-e', script]);
    if (r.status !== 0) return { status: -1, body: r.stderr };
    return JSON.parse(r.stdout) as { status: number; body: string };
  }
}

beforeAll(async () => {
  const t0 = Date.now();
  const build = spawnSync('bash', [join(ROOT, 'dev/image/build.sh'), IMAGE], { cwd: ROOT, encoding: 'utf8', timeout: 1_200_000, maxBuffer: 64 * 1024 * 1024 });
  if (build.status !== 0) throw new Error(`dev/image/build.sh failed:\n${(build.stdout + build.stderr).slice(-4000)}`);
  const inspect = JSON.parse(podman(['image', 'inspect', IMAGE]).stdout) as { Size: number; Config: { User: string } }[];
  imageSize = inspect[0]!.Size;
  imageUser = inspect[0]!.Config.User;
  console.info(`image ${IMAGE}: ${(imageSize / 1e6).toFixed(0)} MB, built (or found up to date) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  tmp = mkdtempSync(join(tmpdir(), 'ss-image-'));
}, 1_260_000);

afterAll(async () => {
  if (cql) {
    await cql.execute(`DROP KEYSPACE IF EXISTS ${KEYSPACE}`).catch(() => {});
    await cql.shutdown().catch(() => {});
  }
  const kafka = new kafkajs.Kafka({ clientId: 'image-test', brokers: BROKERS, logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect().catch(() => {});
  const topics = (await admin.listTopics().catch(() => [] as string[])).filter((t) => t.startsWith(PREFIX));
  if (topics.length) await admin.deleteTopics({ topics, timeout: 15_000 }).catch(() => {});
  await admin.deleteGroups([`${PREFIX}${PROCESSOR_GROUP}`]).catch(() => {});
  await admin.disconnect().catch(() => {});
  release?.();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}, 120_000);

describe('the image, as built from the Dockerfile', () => {
  it('runs as the non-root user the Dockerfile sets, and its size is printed', () => {
    expect(imageUser).toBe('1000:1000');
    // Base (Debian slim + Node 24, ~240 MB) plus production dependencies and the sources;
    // devDependencies (cdktf, typescript, vitest, playwright-core, …) would add hundreds of MB.
    expect(imageSize).toBeLessThan(350e6);
  });

  it('holds no secret, no dev dependency and no test file', () => {
    // Dev-only packages as the lockfile marks them (a devDependency that a production
    // dependency also needs, like @types/node for cassandra-driver, is production too).
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const dev = Object.entries(lock.packages).filter(([path, p]) => p.dev && /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path)).map(([path]) => path.slice('node_modules/'.length));
    expect(dev).toEqual(expect.arrayContaining(['vitest', 'typescript', 'cdktf']));
    const script = [
      'ls -A /app',
      'echo ---modules',
      'cd /app/node_modules && ls -d * @*/*',
      'echo ---tests',
      'find /app -path /app/node_modules -prune -o \\( -name "*.test.ts" -o -name "testing.ts" -o -name "__fixtures__" \\) -print',
      'echo ---secrets',
      'find / -xdev \\( -name "credentials.ini" -o -name ".npmrc" -o -name "npmrc" -o -name "*.pem" -o -name "*.key" -o -name "build-ca.crt" -o -name ".env" \\) -not -path "/proc/*" -print 2>/dev/null',
      'echo ---etc',
      'ls -A /etc/stockstreamer; ls -A /usr/local/etc',
    ].join('; ');
    const r = podman(['run', '--rm', '--network', 'none', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--entrypoint', '/bin/sh', IMAGE, '-c', script]);
    expect(r.status, r.stderr).toBe(0);
    const [app, modules, tests, secrets, etc] = r.stdout.split(/---(?:modules|tests|secrets|etc)\n/);
    const lines = (text: string | undefined) => new Set(text!.split('\n').map((l) => l.trim()).filter(Boolean));
    const entries = lines(app);
    const packages = lines(modules);
    expect(dev.filter((name) => packages.has(name))).toEqual([]);
    for (const notShipped of ['test', 'secrets', 'bench', 'terraform', 'dev', 'scripts', '.git', 'tsconfig.json', 'Makefile', '.tools', '.stack']) expect(entries.has(notShipped), notShipped).toBe(false);
    expect(entries.has('services') && packages.has('kafkajs') && packages.has('cassandra-driver')).toBe(true);
    expect(tests!.trim()).toBe('');
    expect(secrets!.trim()).toBe('');
    // the Secret is mounted at run time; the build's npm CA was mounted, never copied
    expect(etc!.trim()).toBe('');
  });
});

describe('its services in containers against the local stack', () => {
  const containers: Container[] = [];
  const ports: Record<string, number> = {};
  let env: Record<string, string>;
  let credentials: string;

  beforeAll(async () => {
    release = await acquirePipelineLock();
    for (const name of ['process', 'prices', 'reddit', 'dashboard-metrics', 'dashboard']) ports[name] = await freePort();
    credentials = join(tmp, 'credentials.ini');
    // empty sections: both sources run on their synthetic feeds (as with an unfilled Secret)
    writeFileSync(credentials, readFileSync(join(ROOT, 'secrets/credentials.ini.example'), 'utf8'));
    env = {
      STOCKSTREAMER_TOPIC_PREFIX: PREFIX,
      STOCKSTREAMER_CASSANDRA_KEYSPACE: KEYSPACE,
      STOCKSTREAMER_CASSANDRA_CONTACT_POINTS: CASSANDRA,
      STOCKSTREAMER_KAFKA_BROKERS: BROKERS.join(','),
      STOCKSTREAMER_REGISTRY_URL: REGISTRY_URL,
      STOCKSTREAMER_SOURCE: 'synthetic',
      STOCKSTREAMER_SYNTHETIC_TRADES_PER_S: '200',
      STOCKSTREAMER_SYNTHETIC_POSTS_PER_S: '20',
      STOCKSTREAMER_KAFKA_RETENTION_MS: '3600000',
      STOCKSTREAMER_STORE: 'cassandra',
    };
    cql = new cassandra.Client({ contactPoints: [CASSANDRA], localDataCenter: 'datacenter1' });
    await cql.connect();
  }, 660_000);

  afterAll(() => {
    for (const c of containers) podman(['rm', '-f', '-t', '0', c.name]);
  });

  it('migrate creates the keyspace and tables, and exits 0', async () => {
    const migrate = new Container(['migrate'], env, credentials);
    const { code } = await migrate.exit;
    expect(code, migrate.output.slice(-3000)).toBe(0);
    const tables = await cql!.execute('SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?', [KEYSPACE], { prepare: true });
    expect(tables.rows.map((r) => r.table_name as string)).toEqual(expect.arrayContaining(['trades_by_symbol', 'candles_1m', 'posts_by_day', 'alerts']));
  }, 180_000);

  it('process, produce prices, produce reddit and dashboard run, and rows arrive in Cassandra', async () => {
    const port = (name: string) => ({ STOCKSTREAMER_METRICS_PORT: String(ports[name]) });
    containers.push(
      new Container(['process'], { ...env, ...port('process') }, credentials),
      new Container(['produce', 'prices'], { ...env, ...port('prices') }, credentials),
      new Container(['produce', 'reddit'], { ...env, ...port('reddit') }, credentials),
      new Container(['dashboard'], { ...env, ...port('dashboard-metrics'), STOCKSTREAMER_DASHBOARD_PORT: String(ports.dashboard) }, credentials),
    );
    const count = async (table: string) => Number((await cql!.execute(`SELECT count(*) AS n FROM ${KEYSPACE}.${table}`)).rows[0]!.n);
    const died = () => containers.find((c) => c.child.exitCode !== null);
    await waitFor('trades, candles and posts in Cassandra', async () => {
      const gone = died();
      if (gone) throw new Error(`${gone.name} exited early:\n${gone.output.slice(-3000)}`);
      const [trades, candles, posts] = await Promise.all([count('trades_by_symbol'), count('candles_1m'), count('posts_by_hour')]);
      return trades > 100 && candles > 0 && posts > 10 ? { trades, candles, posts } : undefined;
    }, { timeoutMs: 180_000, intervalMs: 2000 });
  }, 240_000);

  it('answers /healthz, /readyz and /metrics from inside each container', async () => {
    for (const [c, name] of [[containers[0]!, 'process'], [containers[1]!, 'prices'], [containers[2]!, 'reddit']] as const) {
      const ready = await waitFor(`${c.name} /readyz`, async () => {
        const r = c.fetchInside(ports[name]!, '/readyz');
        return r.status === 200 ? r : undefined;
      }, { timeoutMs: 60_000, intervalMs: 1000 });
      expect(ready.status).toBe(200);
      expect(c.fetchInside(ports[name]!, '/healthz').status).toBe(200);
      const metrics = c.fetchInside(ports[name]!, '/metrics');
      expect(metrics.status).toBe(200);
      expect(metrics.body).toMatch(/^stockstreamer_\w+/m);
    }
    const dashboard = containers[3]!;
    const prices = dashboard.fetchInside(ports.dashboard!, '/api/prices');
    expect(prices.status, prices.body).toBe(200);
    expect((JSON.parse(prices.body) as { prices: unknown[] }).prices.length).toBeGreaterThan(0);
  }, 180_000);

  it('runs as uid 1000 on a read-only root, the credentials file readable but not writable', () => {
    const c = containers[0]!;
    expect(c.exec(['id', '-u']).stdout.trim()).toBe('1000');
    expect(c.exec(['sh', '-c', 'touch /app/probe']).status).not.toBe(0);
    expect(c.exec(['sh', '-c', 'touch /etc/stockstreamer/probe']).status).not.toBe(0);
    expect(c.exec(['sh', '-c', 'head -c1 /etc/stockstreamer/credentials.ini >/dev/null && touch /tmp/probe /var/lib/stockstreamer/probe']).status).toBe(0);
  });

  it('stops each service on SIGTERM within its deadline, exit code 0', async () => {
    const results: string[] = [];
    for (const c of containers) {
      const t0 = Date.now();
      podman(['kill', '--signal', 'TERM', c.name]);
      const { code, at } = await c.exit;
      const ms = at - t0;
      results.push(`${c.name}: ${ms} ms, exit ${code}`);
      expect(code, c.output.slice(-2000)).toBe(0);
      expect(ms).toBeLessThan(SHUTDOWN_DEADLINE_MS);
    }
    console.info(`SIGTERM: ${results.join('; ')}`);
  }, 180_000);
});

describe("Grafana's image recipe (terraform/grafana-image)", () => {
  // Neither grafana/grafana nor the plugin's zip can be fetched here: the recipe is built
  // on the locally made Node base with a stand-in plugin, which proves what the recipe
  // itself does (unpack the zip, put the plugin where GF_PATHS_PLUGINS points, readable
  // and its backend executable by Grafana's uid 472), not Grafana loading it.
  it('puts the unpacked plugin where GF_PATHS_PLUGINS points, usable by uid 472', () => {
    const id = 'hadesarchitect-cassandra-datasource';
    const zip = join(tmp, 'plugin.zip');
    const py = spawnSync('python3', ['-c', [
      'import sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1], "w")',
      `z.writestr("${id}/plugin.json", '{"type": "datasource", "id": "${id}", "backend": true, "executable": "gpx_cassandra"}')`,
      `z.writestr("${id}/gpx_cassandra_linux_amd64", "#!/bin/sh\\necho backend\\n")`,
      `z.writestr("${id}/module.js", "")`,
      'z.close()',
    ].join('\n'), zip], { encoding: 'utf8' });
    expect(py.status, py.stderr).toBe(0);
    const base = readFileSync(join(ROOT, 'Dockerfile'), 'utf8').match(/^ARG NODE_IMAGE=(.+)$/m)![1]!;
    const tag = 'localhost/stockstreamer-grafana:recipe-test';
    const build = spawnSync('bash', [join(ROOT, 'terraform/grafana-image/build.sh'), 'buildah', base, tag, id, '3.3.0', zip], { encoding: 'utf8', timeout: 300_000 });
    expect(build.status, `${build.stdout}${build.stderr}`.slice(-3000)).toBe(0);
    const dir = `${GRAFANA_PLUGINS_DIR}/${id}`;
    const r = podman(['run', '--rm', '--network', 'none', '--user', '472:0', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--entrypoint', '/bin/sh', tag, '-c', `cat ${dir}/plugin.json && ${dir}/gpx_cassandra_linux_amd64`]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`"id": "${id}"`);
    expect(r.stdout).toContain('backend');
    podman(['rmi', tag]);
  }, 360_000);
});
