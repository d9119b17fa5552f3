/**
 * The embedded mode as a user runs it, through the `stockstreamer` command
 * itself (real child processes): a run killed with kill -9 in the middle of a
 * minute and started again on the same home, a clean Ctrl-C and a restart, a
 * second writer on the same home, and a reprocess of a past range. After each,
 * every aggregate must equal the oracle's recomputation from the raw rows the
 * SQLite file holds (test/oracle).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { checkSnapshot } from '../oracle/aggregates.ts';
import { readSqliteSnapshot } from '../oracle/sqlite.ts';

const baseEnv = (home: string): Record<string, string> => ({
  PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '',
  STOCKSTREAMER_HOME: home, STOCKSTREAMER_CREDENTIALS: join(home, 'none.ini'), STOCKSTREAMER_LOG_LEVEL: 'info',
  STOCKSTREAMER_SOURCE: 'synthetic', STOCKSTREAMER_SYNTHETIC_TRADES_PER_S: '400', STOCKSTREAMER_SYNTHETIC_POSTS_PER_S: '30',
  STOCKSTREAMER_DASHBOARD_PORT: '0', STOCKSTREAMER_BATCH_MAX: '50',
});

/** starts `stockstreamer <args>` and resolves once its log says `ready` */
function start(args: string[], env: Record<string, string>, ready: RegExp): { child: ChildProcess; up: Promise<void>; log: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, ['services/cli/main.ts', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const up = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exit.then((code) => reject(new Error(`stockstreamer ${args.join(' ')} exited with ${code} before it was ready:\n${out}`)));
  });
  return { child, up, log: () => out, exit };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function counts(path: string): { trades: number; mentions: number; candles: number } {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return { trades: n('SELECT COUNT(*) AS n FROM trades_by_symbol'), mentions: n('SELECT COUNT(*) AS n FROM posts_by_ticker'), candles: n('SELECT COUNT(*) AS n FROM candles_1m') };
  } finally {
    db.close();
  }
}

describe('embedded mode through the stockstreamer command', () => {
  it('kill -9 mid-minute, a restart, a clean Ctrl-C and another restart: every aggregate equals the recomputation from the raw rows', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ss-restart-'));
    const db = join(home, 'stockstreamer.sqlite');
    const env = baseEnv(home);

    const first = start(['run', '--quiet'], env, /dashboard: http/);
    await first.up;
    await sleep(2500);
    first.child.kill('SIGKILL');
    await first.exit;
    const afterKill = counts(db);
    expect(afterKill.trades).toBeGreaterThan(100);

    // the second run picks up the same minutes: their candles must grow from what the first stored, never shrink
    const second = start(['run', '--quiet'], { ...env, STOCKSTREAMER_SEED: '7' }, /dashboard: http/);
    await second.up;
    await sleep(2500);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
    const afterStop = counts(db);
    expect(afterStop.trades).toBeGreaterThan(afterKill.trades);
    expect(checkSnapshot(readSqliteSnapshot(db))).toEqual([]);

    const third = start(['run', '--quiet', '--for', '2s'], { ...env, STOCKSTREAMER_SEED: '8' }, /dashboard: http/);
    expect(await third.exit).toBe(0);
    const snapshot = readSqliteSnapshot(db);
    expect(checkSnapshot(snapshot)).toEqual([]);
    expect(snapshot.trades.length).toBeGreaterThan(afterStop.trades);
    expect(snapshot.mentions.length).toBeGreaterThan(10);
  }, 120_000);

  it('a second writer on the same home refuses with one line naming the first; a dashboard may read it meanwhile', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ss-lock-'));
    const env = baseEnv(home);
    const writer = start(['run', '--quiet'], env, /dashboard: http/);
    await writer.up;
    try {
      const second = spawnSync(process.execPath, ['services/cli/main.ts', 'run', '--quiet'], { env, encoding: 'utf8', timeout: 60_000 });
      expect(second.status).toBe(2);
      expect(second.stderr).toMatch(new RegExp(`^stockstreamer: .* is in use by \`stockstreamer run\` \\(pid ${writer.child.pid}, since [0-9T:.-]+Z\\); one writer per home$`, 'm'));
      const reprocess = spawnSync(process.execPath, ['services/cli/main.ts', 'reprocess', '--from', '1h'], { env, encoding: 'utf8', timeout: 60_000 });
      expect(reprocess.status).toBe(2);
      expect(reprocess.stderr).toMatch(/is in use by `stockstreamer run`/);

      const dashboard = start(['dashboard'], { ...env, STOCKSTREAMER_DASHBOARD_PORT: '0' }, /dashboard: (http:\/\/\S+)/);
      await dashboard.up;
      const url = /dashboard: (http:\/\/\S+)/.exec(dashboard.log())![1]!;
      // the writer's first batch may not be stored yet on a busy machine: the reader sees it once it is
      const prices = async () => ((await (await fetch(new URL('/api/prices', url))).json()) as { prices: unknown[] }).prices.length;
      let seen = await prices();
      for (const until = Date.now() + 30_000; seen === 0 && Date.now() < until; seen = await prices()) await new Promise((r) => setTimeout(r, 250));
      expect(seen, 'the dashboard reads the prices the running writer stored').toBeGreaterThan(0);
      dashboard.child.kill('SIGTERM');
      expect(await dashboard.exit).toBe(0);
    } finally {
      writer.child.kill('SIGINT');
      await writer.exit;
    }
  }, 120_000);

  it('reprocess rebuilds the aggregates of a range from the raw rows after they were damaged, and a second reprocess changes nothing', async () => {
    const home = mkdtempSync(join(tmpdir(), 'ss-reprocess-'));
    const path = join(home, 'stockstreamer.sqlite');
    const env = baseEnv(home);
    const run = start(['run', '--quiet', '--for', '3s'], env, /dashboard: http/);
    expect(await run.exit).toBe(0);
    expect(checkSnapshot(readSqliteSnapshot(path))).toEqual([]);

    // damage: candles deleted and altered, a sentiment minute inflated, an hour of mentions gone, a stray candle added,
    // hour and day candles altered and a stray hour candle added
    const db = new DatabaseSync(path);
    db.exec(`DELETE FROM candles_1m WHERE (symbol, minute) IN (SELECT symbol, minute FROM candles_1m LIMIT 3)`);
    db.exec(`UPDATE candles_1m SET high = high * 2, trades = trades + 5`);
    db.exec(`UPDATE ticker_sentiment_1m SET count = count + 1`);
    db.exec(`DELETE FROM mentions_by_hour`);
    db.exec(`INSERT INTO candles_1m (symbol, day, minute, open, high, low, close, volume, trades, version)
             SELECT symbol, day, minute - 3600000, 1, 1, 1, 1, 1, 1, 0 FROM candles_1m LIMIT 1`);
    db.exec(`UPDATE candle_rollups SET low = low / 2, trades = trades + 1`);
    db.exec(`INSERT INTO candle_rollups (symbol, grain, start, open, high, low, close, volume, trades, version)
             SELECT symbol, grain, start - 7200000, 1, 1, 1, 1, 1, 1, 0 FROM candle_rollups WHERE grain = 'hour' LIMIT 1`);
    db.close();
    expect(checkSnapshot(readSqliteSnapshot(path)).length).toBeGreaterThan(0);

    const r = spawnSync(process.execPath, ['services/cli/main.ts', 'reprocess', '--from', '1d'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/reprocess: done in .*: \d+ symbols, \d+ tickers, \d+ rows written, [1-9]\d* deleted/);
    const rebuilt = readSqliteSnapshot(path);
    expect(checkSnapshot(rebuilt)).toEqual([]);

    const again = spawnSync(process.execPath, ['services/cli/main.ts', 'reprocess', '--from', '1d', '--to', '0s'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(again.status, again.stderr).toBe(0);
    expect(readSqliteSnapshot(path).actual).toEqual(rebuilt.actual);
  }, 120_000);
});
