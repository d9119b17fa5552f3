import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const MODULE = JSON.stringify(resolve(import.meta.dirname, 'home-lock.ts'));

/** a process that takes the lock and holds it until killed */
function holder(home: string, command: string) {
  const script = `import { acquireHomeLock } from ${MODULE};
    acquireHomeLock(${JSON.stringify(home)}, ${JSON.stringify(command)}); process.stdout.write('locked\\n'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((res, rej) => {
    child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('locked')) res(); });
    child.on('exit', (code) => rej(new Error(`holder exited with ${code}`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  return { child, ready, exited };
}

/** another process trying to take the lock: the error it reports, or 'acquired' */
function attempt(home: string): string {
  const script = `import { acquireHomeLock } from ${MODULE};
    try { acquireHomeLock(${JSON.stringify(home)}, 'run').release(); console.log('acquired'); } catch (e) { console.log(e.code + ': ' + e.message); }`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 }).stdout.trim();
}

describe('home lock', () => {
  it('refuses a second writer with one line naming the holder, and frees the home when the holder dies by kill -9', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ss-home-'));
    const first = holder(home, 'run');
    await first.ready;
    expect(attempt(home)).toMatch(new RegExp(`^HOME_LOCKED: .* is in use by \`stockstreamer run\` \\(pid ${first.child.pid}, since [0-9T:.-]+Z\\); one writer per home$`));
    first.child.kill('SIGKILL');
    await first.exited;
    // no stale lock after kill -9: the next writer starts at once
    const second = holder(home, 'reprocess');
    await second.ready;
    expect(attempt(home)).toMatch(/in use by `stockstreamer reprocess`/);
    second.child.kill('SIGTERM');
    await second.exited;
    expect(attempt(home)).toBe('acquired');
  }, 60_000);
});
