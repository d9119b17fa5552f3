import { cpus, totalmem } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fromRoot } from '../../services/lib/runtime/paths.ts';

/**
 * Where `make bench` leaves its figures; each benchmark merges its own keys in.
 * A scaled-down run (BENCH_SCALE ≠ 1) writes smoke.json (git-ignored), so a
 * quick check never replaces the recorded full-scale results.
 */
const scale = Number(process.env.BENCH_SCALE ?? '1');
export const RESULTS_FILE = fromRoot('bench', 'results', scale === 1 ? 'latest.json' : 'smoke.json');

export interface Conditions {
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  at: string;
}

export function conditions(): Conditions {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    at: new Date().toISOString(),
  };
}

/** Merges `figures` (and the benchmark's conditions) into bench/results/latest.json. */
export function recordResults(benchmark: string, figures: Record<string, unknown>, extra: Record<string, unknown> = {}): void {
  const current = existsSync(RESULTS_FILE) ? (JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as Record<string, unknown>) : {};
  const runs = (current.runs ?? {}) as Record<string, unknown>;
  runs[benchmark] = { conditions: conditions(), ...extra };
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ ...current, ...figures, runs }, null, 2)}\n`);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A plain table for the terminal: the numbers and what they were measured under. */
export function printTable(title: string, rows: [string, string][], cond: Conditions = conditions()): void {
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(`\n${title}`);
  console.log(`  conditions: ${cond.cores} cores (${cond.cpu}), ${cond.memoryGiB} GiB, Node ${cond.node}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(w)}  ${v}`);
}

export const fixture = (name: string) => join(fromRoot('test', 'fixtures'), name);
