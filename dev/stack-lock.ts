import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LOCK_DIR = join(ROOT, '.stack', 'run', 'pipeline-tests.lock');

/**
 * One user of the shared local stack at a time for work that disturbs it or
 * must not be disturbed: the pipeline tests stop Cassandra and restart Kafka on
 * purpose, and a benchmark measured next to them would be meaningless. A
 * directory lock under .stack/run (mkdir is atomic), taken over when the
 * process holding it is gone. Resolves with the release function.
 */
export async function acquireStackLock(options: { timeoutMs: number; onWait?: (holderPid: number) => void }): Promise<() => void> {
  mkdirSync(dirname(LOCK_DIR), { recursive: true });
  const deadline = Date.now() + options.timeoutMs;
  let told = false;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid));
      return () => rmSync(LOCK_DIR, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = NaN;
      try { holder = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8')); } catch { /* being written or removed */ }
      if (Number.isInteger(holder) && !alive(holder)) {
        rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (!told) {
        options.onWait?.(holder);
        told = true;
      }
      if (Date.now() > deadline) throw new Error(`${LOCK_DIR} held for ${options.timeoutMs} ms (pid ${holder})`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
