/**
 * The README's "Local stack and services" steps on one machine: `process`,
 * `produce prices` and `produce reddit` side by side, each on its default
 * metrics port, as real child processes. Kafka and the registry point at a
 * closed port: a service binds its port before it waits for them, so what is
 * checked here needs no servers (the services against the real stack are in
 * test/integration).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRICS_PORTS } from '../lib/runtime/config.ts';

const home = mkdtempSync(join(tmpdir(), 'ss-services-'));
const env = {
  PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '',
  STOCKSTREAMER_HOME: home, STOCKSTREAMER_CREDENTIALS: join(home, 'none.ini'), STOCKSTREAMER_LOG_LEVEL: 'info',
  // nothing listens there: the services keep waiting for Kafka and the registry
  STOCKSTREAMER_KAFKA_BROKERS: '127.0.0.1:1', STOCKSTREAMER_REGISTRY_URL: 'http://127.0.0.1:1',
};

interface Service { child: ChildProcess; output: () => string; exit: Promise<number | null> }
const started: Service[] = [];

function start(args: string[], extra: Record<string, string> = {}): Service {
  const child = spawn(process.execPath, ['services/cli/main.ts', ...args], { env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const s = { child, output: () => out, exit: new Promise<number | null>((r) => child.once('exit', (code) => r(code))) };
  started.push(s);
  return s;
}

async function healthz(port: number, s: Service, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) }).then((r) => r.status, () => 0);
    if (status !== 0) return status;
    if (s.child.exitCode !== null || Date.now() > deadline) throw new Error(`no /healthz on :${port}:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

afterAll(() => {
  for (const s of started) if (s.child.exitCode === null) s.child.kill('SIGKILL');
});

describe('services side by side on one machine', () => {
  it('process, produce prices and produce reddit each serve their own default port; a fourth on a taken port says so in one line', async () => {
    const services = {
      processor: start(['process']),
      'price-producer': start(['produce', 'prices']),
      'reddit-producer': start(['produce', 'reddit']),
    };
    for (const [name, s] of Object.entries(services)) {
      const port = METRICS_PORTS[name as keyof typeof METRICS_PORTS];
      expect(await healthz(port, s), name).toBe(200);
      // not wired yet (no Kafka): alive but not ready
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ ready: false, checks: { starting: false } });
      expect(s.output(), name).toContain(`health and metrics on 127.0.0.1:${port}: http://127.0.0.1:${port}/metrics`);
    }

    // the same service twice: the port is taken, and it is said at once, before any wait for Kafka
    const t0 = Date.now();
    const again = spawnSync(process.execPath, ['services/cli/main.ts', 'produce', 'prices'], { env, encoding: 'utf8', timeout: 30_000 });
    expect(again.status, again.stderr).toBe(2);
    const lines = again.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('{'));
    expect(lines).toEqual([
      `stockstreamer: 127.0.0.1:${METRICS_PORTS['price-producer']} (STOCKSTREAMER_METRICS_PORT) is already in use by another process`,
      '  stop the other process, or set the named port setting to a free port (0 = any free port, printed at start-up)',
    ]);
    expect(again.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
    expect(Date.now() - t0).toBeLessThan(15_000);

    // SIGTERM while still waiting for Kafka is a clean stop
    for (const s of Object.values(services)) s.child.kill('SIGTERM');
    for (const [name, s] of Object.entries(services)) {
      expect(await s.exit, `${name}:\n${s.output()}`).toBe(0);
      expect(s.output()).toContain('stopped before it was ready');
    }
  }, 90_000);

  it('STOCKSTREAMER_METRICS_PORT=0 takes any free port and prints it', async () => {
    const s = start(['produce', 'reddit'], { STOCKSTREAMER_METRICS_PORT: '0' });
    const deadline = Date.now() + 30_000;
    let m: RegExpExecArray | null = null;
    while (!(m = /health and metrics on 127\.0\.0\.1:(\d+): (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(s.output())) && Date.now() < deadline) {
      if (s.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(m, s.output()).not.toBeNull();
    expect(Number(m![1])).not.toBe(METRICS_PORTS['reddit-producer']);
    expect((await fetch(m![2]!)).status).toBe(200);
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  }, 60_000);
});
