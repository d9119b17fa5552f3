/**
 * `make build`, then the built command as package.json's "bin" runs it: it
 * must work like the sources (the dashboard's page included), and an older
 * Node must be told so in one line. Built into .reports/ so that a test never
 * overwrites someone's dist/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, '.reports', `build-test-${process.pid}`);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; engines: { node: string } };
// "dist/services/cli/bin.js" → the same file under OUT
const BIN = join(OUT, pkg.bin.stockstreamer!.replace(/^dist\//, ''));
const home = mkdtempSync(join(tmpdir(), 'ss-build-'));
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', STOCKSTREAMER_HOME: home, STOCKSTREAMER_CREDENTIALS: join(home, 'none.ini'), STOCKSTREAMER_LOG_LEVEL: 'info' };

/** Node older than the check allows, pretending: process.versions.node is configurable. */
const pretend = (version: string) => ['--import', `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'${version}'})`];

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build.ts', OUT], { cwd: ROOT, stdio: 'pipe' });
}, 240_000);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('the built command', () => {
  it('package.json "bin" names a built file, and dist/ holds the dashboard\'s page', () => {
    expect(existsSync(BIN), BIN).toBe(true);
    for (const f of ['index.html', 'app.js', 'charts.js', 'format.js', 'app.css']) expect(existsSync(join(OUT, 'services/dashboard/static', f)), f).toBe(true);
    // nothing a test or the type checker alone needs
    expect(existsSync(join(OUT, 'services/dashboard/static/format.d.ts'))).toBe(false);
    expect(existsSync(join(OUT, 'services/cli/main.test.js'))).toBe(false);
  });

  it('`stockstreamer run` starts, serves the dashboard page and its scripts, and stops cleanly', async () => {
    const child = spawn(process.execPath, [BIN, 'run', '--for', '60s', '--quiet'], { cwd: home, env: { ...env, STOCKSTREAMER_DASHBOARD_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const deadline = Date.now() + 30_000;
      let url: string | undefined;
      while (!(url = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1]) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      expect(url, out).toBeDefined();
      for (const path of ['/', '/static/app.js', '/static/format.js', '/vendor/uPlot.iife.min.js']) {
        const res = await fetch(new URL(path, url));
        expect(res.status, path).toBe(200);
        expect((await res.arrayBuffer()).byteLength, path).toBeGreaterThan(100);
      }
      child.kill('SIGINT');
      expect(await exit, out).toBe(0);
      expect(out).toMatch(/stopped: \d+ trades, \d+ posts/);
    } finally {
      child.kill('SIGKILL');
    }
  }, 90_000);

  it('an older Node gets one plain line, at exactly the version package.json "engines" names', () => {
    const min = /^>=(\d+)\.(\d+)$/.exec(pkg.engines.node);
    expect(min, `engines.node is "${pkg.engines.node}"; the check in services/cli/bin.ts reads it as >=MAJOR.MINOR`).not.toBeNull();
    const [major, minor] = [Number(min![1]), Number(min![2])];
    const below = spawnSync(process.execPath, [...pretend(`${major}.${minor - 1}.9`), BIN, '--help'], { env, encoding: 'utf8' });
    expect(below.status).toBe(2);
    expect(below.stderr).toBe(`stockstreamer: Node ${major}.${minor - 1}.9 is too old; it needs Node ${major}.${minor} or newer (Node 24 recommended; \`make deps\` installs it into .tools/node)\n`);
    const at = spawnSync(process.execPath, [...pretend(`${major}.${minor}.0`), BIN, '--help'], { env, encoding: 'utf8' });
    expect(at.status, at.stderr).toBe(0);
    expect(at.stdout).toContain('Usage: stockstreamer');
  });

  it('a real old Node (the machine\'s, when it has one) gets the same line instead of a stack trace', (ctx) => {
    const old = ['/usr/bin/node', '/usr/local/bin/node'].find((n) => {
      if (!existsSync(n)) return false;
      const [major, minor] = execFileSync(n, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim().split('.').map(Number);
      return major! < 22 || (major === 22 && minor! < 13);
    });
    if (!old) return ctx.skip();
    const r = spawnSync(old, [BIN, 'run', '--for', '1s'], { env, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^stockstreamer: Node \\d+\\.\\d+\\.\\d+ is too old; it needs Node ${pkg.engines.node.slice(2).replace('.', '\\.')} or newer`));
  });
});
