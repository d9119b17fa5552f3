/** The command as a user runs it: a real child process. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = (args: string[], env: Record<string, string> = {}, input?: string) => spawnSync(process.execPath, ['services/cli/main.ts', ...args], {
  encoding: 'utf8', input, timeout: 60_000,
  env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', STOCKSTREAMER_LOG_LEVEL: 'warn', ...env },
});

describe('stockstreamer command', () => {
  it('--help lists every subcommand with one line each', () => {
    const r = cli(['--help']);
    expect(r.status).toBe(0);
    const commands = r.stdout.slice(r.stdout.indexOf('Commands:')).split('\n').slice(1).filter((l) => l.trim());
    for (const cmd of ['run', 'analyze', 'dashboard', 'alerter', 'produce', 'process', 'migrate']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b.*\\S`, 'm'));
    // one line each: no description wraps onto an indented continuation line
    for (const line of commands) expect(line, line).toMatch(/^  \S/);
  });

  it('run --for stops by itself and leaves a database with trades and posts', () => {
    const home = mkdtempSync(join(tmpdir(), 'ss-cli-'));
    const r = cli(['run', '--for', '3s', '--quiet'], {
      STOCKSTREAMER_HOME: home, STOCKSTREAMER_CREDENTIALS: join(home, 'none.ini'),
      STOCKSTREAMER_SYNTHETIC_TRADES_PER_S: '200', STOCKSTREAMER_SYNTHETIC_POSTS_PER_S: '20', STOCKSTREAMER_LOG_LEVEL: 'info',
      STOCKSTREAMER_DASHBOARD_PORT: '0',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(home, 'stockstreamer.sqlite'))).toBe(true);
    const stopped = /stopped: (\d+) trades, (\d+) posts/.exec(r.stderr);
    expect(stopped, r.stderr).not.toBeNull();
    expect(Number(stopped![1])).toBeGreaterThan(100);
    expect(Number(stopped![2])).toBeGreaterThan(5);
    expect(r.stderr).toContain('synthetic feed');
    expect(r.stderr).toMatch(/dashboard: http:\/\/127\.0\.0\.1:\d+/);
  }, 60_000);

  it('a bad setting stops start-up with one line naming it', () => {
    const r = cli(['run', '--for', '1s'], { STOCKSTREAMER_DASHBOARD_PORT: 'abc' });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(/^stockstreamer: STOCKSTREAMER_DASHBOARD_PORT="abc" is invalid/);
  });

  it('a broken credentials file names the file and key, never the secret', () => {
    const home = mkdtempSync(join(tmpdir(), 'ss-cli-'));
    const file = join(home, 'credentials.ini');
    writeFileSync(file, '[RedditCredentials]\nclient_id=abc\nclient_secret=TopSecretValue123\n\n[FINNHUB]\nFINNHUB_TOKEN=\n');
    const r = cli(['run', '--for', '1s'], { STOCKSTREAMER_HOME: home, STOCKSTREAMER_CREDENTIALS: file });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`stockstreamer: ${file}: [RedditCredentials] username is missing`);
    expect(r.stderr + r.stdout).not.toContain('TopSecretValue123');
  });

  it('analyze reads JSON lines on stdin', () => {
    const r = cli(['analyze'], {}, '{"text":"$NVDA breakout, calls printing"}\nnope\n');
    expect(r.status).toBe(0);
    const [a, b] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ tickers: ['NVDA'], label: 'pos' });
    expect(b).toHaveProperty('error');
  });
});
