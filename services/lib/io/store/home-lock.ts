import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { StockstreamerError } from '../../runtime/errors.ts';

/**
 * One writer per embedded home (STOCKSTREAMER_HOME). Two `stockstreamer run`
 * on one SQLite file would each keep their own buckets and overwrite each
 * other's aggregates; the second must refuse to start instead.
 *
 * The lock is an exclusive SQLite lock on home/writer.lock, taken by a write
 * transaction in locking_mode=EXCLUSIVE and held until the connection
 * closes. SQLite's lock is an OS file lock, so the kernel releases it when
 * the process dies, even by kill -9: a crashed run never leaves a stale lock
 * behind. Who holds it is written beside it (writer.json), for the message.
 * Readers (the dashboard) never take it.
 */
export interface HomeLock {
  release(): void;
}

/**
 * Connections holding a lock, kept reachable until released: a DatabaseSync
 * the garbage collector finalizes closes, and closing drops the lock.
 */
const held = new Set<DatabaseSync>();

interface Holder {
  pid: number;
  command: string;
  since: string;
}

export function acquireHomeLock(home: string, command: string, now: () => number = Date.now): HomeLock {
  mkdirSync(home, { recursive: true });
  const path = join(home, 'writer.lock');
  const db = new DatabaseSync(path, { timeout: 0 });
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS writer (pid INTEGER)');
    // A transaction that changes nothing may give its lock back at COMMIT: write, so it is kept.
    db.exec(`DELETE FROM writer; INSERT INTO writer (pid) VALUES (${process.pid})`);
    db.exec('COMMIT');
  } catch (cause) {
    db.close();
    if (!/locked|busy/i.test((cause as Error).message)) throw cause;
    let holder: Holder | undefined;
    try {
      holder = JSON.parse(readFileSync(join(home, 'writer.json'), 'utf8')) as Holder;
    } catch { /* written a moment after the lock: not there yet */ }
    const who = holder ? `\`stockstreamer ${holder.command}\` (pid ${holder.pid}, since ${holder.since})` : 'another stockstreamer process';
    throw new StockstreamerError('HOME_LOCKED', `${home} is in use by ${who}; one writer per home`, { cause, details: { home, ...(holder ? { pid: holder.pid } : {}) } });
  }
  const holder: Holder = { pid: process.pid, command, since: new Date(now()).toISOString() };
  writeFileSync(join(home, 'writer.json'), `${JSON.stringify(holder)}\n`);
  held.add(db);
  return {
    release() {
      if (!held.delete(db)) return;
      db.close();
    },
  };
}
