/**
 * Where a processor's CPU went, from a V8 .cpuprofile (`node --cpu-prof`):
 * self time by component (our code by folder, each dependency, the
 * runtime, GC, idle) and the busiest functions.
 *   node bench/lib/profile.ts file.cpuprofile
 */
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

function component(url: string, fn: string): string {
  if (fn === '(garbage collector)') return 'GC';
  if (fn === '(idle)') return 'idle';
  if (fn === '(program)') return 'V8/native (program)';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const s = /\/(services\/[^/]+(?:\/[^/]+)?)\//.exec(url);
  if (s) return s[1]!;
  if (url.startsWith('node:')) return 'node internals';
  if (url === '') return 'native / builtins';
  return url.replace(/^.*\/(bench|services)\//, '$1/');
}

export function summarizeProfile(path: string) {
  const p = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const comps = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const c = component(n.callFrame.url, n.callFrame.functionName);
    comps.set(c, (comps.get(c) ?? 0) + us);
    const key = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|services|bench)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
  }
  const pct = (us: number) => Math.round((1000 * us) / total) / 10;
  const busy = total - (comps.get('idle') ?? 0);
  return {
    seconds: Math.round(total / 1e4) / 100,
    busyPercent: pct(busy),
    byComponentPercent: Object.fromEntries([...comps].sort((a, b) => b[1] - a[1]).slice(0, 16).map(([k, v]) => [k, pct(v)])),
    topFunctionsPercent: Object.fromEntries([...fns].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, v]) => [k, pct(v)])),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const f of process.argv.slice(2)) console.log(f, JSON.stringify(summarizeProfile(f), null, 1));
}
