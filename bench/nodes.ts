/**
 * One node against three, side by side in one run (issue 14): the same backlog of
 * trades and of posts drained by the real `process` service on the single-node stack
 * (RF 1) and on the three-node stack of `make up NODES=3` (RF 3, two in sync, LOCAL_QUORUM),
 * repetitions interleaved so that both see the same machine; then send → readable latency
 * at a steady rate on each; and where the CPU went, per component and per record.
 *
 *   node bench/nodes.ts      (make bench-nodes)   BENCH_SCALE=0.1 for a smoke run, BENCH_REPS (default 3)
 *
 * Both stacks are started when down and stopped again afterwards if this run started them.
 * Results: bench/results/nodes.json (nodes-smoke.json when scaled down).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS } from '../services/lib/io/bus/topics.ts';
import { PROCESSOR_GROUP } from '../services/processor/processor.ts';
import { PROCESSOR_NODE_OPTIONS } from '../services/lib/runtime/config.ts';
import { fromRoot } from '../services/lib/runtime/paths.ts';
import { conditions, median, printTable } from './lib/results.ts';
import { Child, ROOT, SINGLE_NODE, acquireStackLock, createWorld, ensureStack, metricSum, processorArgs, stopStarted, type BenchTarget, type World } from './lib/stack.ts';
import { makePosts, makeTrades, postMessages, produceAll, recentT0, tradeMessages } from './lib/data.ts';
import { stackPids, watchProcessors, type CpuShare, type DrainResult } from './lib/drain.ts';
import { latencyStats, type LatencyStats } from './lib/latency.ts';
import { readableProbe } from './lib/readable.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? 3));
const scaled = (n: number, min = 1000) => Math.max(min, Math.round(n * SCALE));
const N_TRADES = scaled(200_000);
const N_POSTS = scaled(40_000);
const LATENCY_RATE = 1000; // messages per second
const LATENCY_S = Math.max(5, Math.round(20 * Math.min(1, SCALE * 4)));
const RESULTS = fromRoot('bench', 'results', SCALE === 1 ? 'nodes.json' : 'nodes-smoke.json');

const HOSTS = (process.env.NODE_ADDRESSES ?? '127.0.0.11 127.0.0.12 127.0.0.13').trim().split(/\s+/);
const NODES_DIR = join(ROOT, '.stack-3nodes');
const THREE: BenchTarget = {
  brokers: HOSTS.map((h) => `${h}:9092`), cassandra: HOSTS.map((h) => `${h}:9042`), registry: `http://${HOSTS[0]}:8081`,
  kafkaReplication: 3, kafkaMinInsync: 2, cassandraReplication: 3,
};

interface Setup { label: string; target: BenchTarget; servers: () => Record<string, number[]> }
const pidIn = (dir: string, server: string): number | undefined => {
  const f = join(dir, 'run', `${server}.pid`);
  if (!existsSync(f)) return undefined;
  const pid = Number(readFileSync(f, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
};
const SETUPS: Setup[] = [
  { label: '1 node', target: SINGLE_NODE, servers: stackPids },
  {
    label: '3 nodes', target: THREE, servers: () => ({
      kafka: HOSTS.map((_, i) => pidIn(NODES_DIR, `kafka${i + 1}`)).filter((p): p is number => p !== undefined),
      cassandra: HOSTS.map((_, i) => pidIn(NODES_DIR, `cassandra${i + 1}`)).filter((p): p is number => p !== undefined),
      registry: [pidIn(NODES_DIR, 'registry')].filter((p): p is number => p !== undefined),
    }),
  },
];

// ---------------------------------------------------------------- the three-node stack

let startedThree = false;
function nodesScript(script: string, timeoutMs = 300_000): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    execFile('bash', [join(ROOT, 'dev', script)], { cwd: ROOT, timeout: timeoutMs, env: { ...process.env, NODES: '3' } }, (err, stdout, stderr) => {
      res({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}
async function ensureThree(): Promise<void> {
  if ((await nodesScript('status.sh')).code === 0) return;
  console.log('[bench] starting the three-node stack (NODES=3 dev/up.sh)');
  const up = await nodesScript('up.sh', 600_000);
  if (up.code !== 0) throw new Error(`NODES=3 dev/up.sh failed:\n${up.out}`);
  startedThree = true;
}

// ---------------------------------------------------------------- scenarios

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rowsOf = (table: string) => (ms: Map<string, number>[]) => ms.reduce((s, m) => s + metricSum(m, 'stockstreamer_rows_written_total', { table }), 0);
const recordsIn = (topic: string) => (ms: Map<string, number>[]) => ms.reduce((s, m) => s + metricSum(m, 'stockstreamer_records_in_total', { topic }), 0);
const produced = (topic: string) => (ms: Map<string, number>[]) => ms.reduce((s, m) => s + metricSum(m, 'stockstreamer_records_produced_total', { topic }), 0);

function processor(world: World, name: string): Child {
  return new Child(`${world.prefix}${name}`, processorArgs, world.env({ STOCKSTREAMER_LOG_LEVEL: 'warn' }), PROCESSOR_NODE_OPTIONS.split(' '));
}

/** CPU microseconds per record by component, from a drain's CPU seconds */
const perRecord = (cpu: CpuShare, records: number): Record<string, number> =>
  Object.fromEntries(Object.entries(cpu.seconds).filter(([k]) => k !== 'idle').map(([k, s]) => [k, Math.round((s * 1e6) / records)]));

/** send → readable at a steady rate (bench/lib/readable.ts; read at LOCAL_QUORUM on 3 nodes) */
async function steadyLatency(world: World, seconds: number): Promise<LatencyStats & { missing: number }> {
  const probe = readableProbe(world);
  await probe.send(LATENCY_RATE, 3); // warm-up
  await probe.send(LATENCY_RATE, seconds, 'steady');
  const { latencies, missing } = await probe.finish();
  return { ...latencyStats(latencies.get('steady') ?? [], seconds), missing };
}

// ---------------------------------------------------------------- run

const out: Record<string, Record<string, unknown>> = {};
const rows: [string, string][] = [];
const worlds: World[] = [];
const t0 = Date.now();
const release = await acquireStackLock();
try {
  await ensureStack();
  await ensureThree();
  const open = async (name: string, target: BenchTarget) => {
    const w = await createWorld(name, target);
    worlds.push(w);
    return w;
  };

  // trades: the same backlog on each, drained REPS times, the two setups alternating
  const tw = await Promise.all(SETUPS.map((s, i) => open(`ntr${i}`, s.target)));
  const trades = await makeTrades(N_TRADES, { t0: recentT0() });
  for (const w of tw) await produceAll(w.bus, [{ topic: TOPICS.trades, messages: tradeMessages(w.serde, trades) }]);
  const tradeRuns: DrainResult[][] = SETUPS.map(() => []);
  for (let rep = 0; rep < REPS; rep++) {
    for (const [i, s] of SETUPS.entries()) {
      if (rep > 0) await tw[i]!.rewind();
      const p = processor(tw[i]!, `trades-${rep}`);
      await p.start();
      const r = await watchProcessors([p], N_TRADES, { progress: rowsOf('trades_by_symbol'), timeoutMs: 900_000, servers: s.servers });
      await p.stop();
      tradeRuns[i]!.push(r);
      console.log(`[bench] trades ${s.label}, rep ${rep + 1}/${REPS}: ${fmt(r.perSecond)}/s; CPU ${Object.entries(r.cpu.percentOfMachine).map(([k, v]) => `${k} ${v}%`).join(', ')}`);
    }
  }

  // posts (+ mentions re-published and aggregated)
  const pw = await Promise.all(SETUPS.map((s, i) => open(`npo${i}`, s.target)));
  const posts = await makePosts(N_POSTS, { t0: recentT0() });
  for (const w of pw) await produceAll(w.bus, postMessages(w.serde, posts));
  const postRuns: DrainResult[][] = SETUPS.map(() => []);
  for (let rep = 0; rep < REPS; rep++) {
    for (const [i, s] of SETUPS.entries()) {
      if (rep > 0) await pw[i]!.rewind(PROCESSOR_GROUP, [TOPICS.mentions]);
      const p = processor(pw[i]!, `posts-${rep}`);
      await p.start();
      const r = await watchProcessors([p], N_POSTS, {
        progress: rowsOf('posts'), timeoutMs: 900_000, servers: s.servers,
        extraDone: (ms) => recordsIn(TOPICS.mentions)(ms) >= produced(TOPICS.mentions)(ms) && produced(TOPICS.mentions)(ms) > 0,
      });
      await p.stop();
      postRuns[i]!.push(r);
      console.log(`[bench] posts ${s.label}, rep ${rep + 1}/${REPS}: ${fmt(r.perSecond)}/s; CPU ${Object.entries(r.cpu.percentOfMachine).map(([k, v]) => `${k} ${v}%`).join(', ')}`);
    }
  }

  // latency at a steady 1,000 trades/s, one setup after the other
  const latency: (LatencyStats & { missing: number })[] = [];
  for (const [i, s] of SETUPS.entries()) {
    const w = await open(`nlat${i}`, s.target);
    const p = processor(w, 'latency');
    await p.start();
    latency.push(await steadyLatency(w, LATENCY_S));
    await p.stop();
    console.log(`[bench] latency ${s.label}: p50 ${latency[i]!.p50} ms, p99 ${latency[i]!.p99} ms`);
  }

  for (const [i, s] of SETUPS.entries()) {
    const mid = (runs: DrainResult[]) => [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)]!;
    const tr = mid(tradeRuns[i]!);
    const po = mid(postRuns[i]!);
    out[s.label] = {
      trades_per_s: Math.round(median(tradeRuns[i]!.map((r) => r.perSecond))), trades_runs: tradeRuns[i]!.map((r) => Math.round(r.perSecond)),
      posts_per_s: Math.round(median(postRuns[i]!.map((r) => r.perSecond))), posts_runs: postRuns[i]!.map((r) => Math.round(r.perSecond)),
      cpu_percent_trades: tr.cpu.percentOfMachine, cpu_us_per_trade: perRecord(tr.cpu, N_TRADES),
      cpu_percent_posts: po.cpu.percentOfMachine, cpu_us_per_post: perRecord(po.cpu, N_POSTS),
      latency_ms: latency[i],
    };
    rows.push(
      [`${s.label}: trades → 3 tables`, `${fmt(out[s.label]!.trades_per_s as number)}/s (runs ${tradeRuns[i]!.map((r) => fmt(r.perSecond)).join(', ')})`],
      [`${s.label}: CPU while draining trades`, Object.entries(tr.cpu.percentOfMachine).map(([k, v]) => `${k} ${v}%`).join(', ')],
      [`${s.label}: CPU µs per trade`, Object.entries(perRecord(tr.cpu, N_TRADES)).map(([k, v]) => `${k} ${v}`).join(', ')],
      [`${s.label}: posts → 5 tables`, `${fmt(out[s.label]!.posts_per_s as number)}/s (runs ${postRuns[i]!.map((r) => fmt(r.perSecond)).join(', ')})`],
      [`${s.label}: CPU µs per post`, Object.entries(perRecord(po.cpu, N_POSTS)).map(([k, v]) => `${k} ${v}`).join(', ')],
      [`${s.label}: send → readable at ${fmt(LATENCY_RATE)}/s`, `p50 ${latency[i]!.p50} ms, p90 ${latency[i]!.p90} ms, p99 ${latency[i]!.p99} ms, max ${latency[i]!.max} ms over ${fmt(latency[i]!.n)} trades (${latency[i]!.missing} not seen)`],
    );
  }
} finally {
  for (const w of worlds) await w.close().catch((e: unknown) => console.warn(`[bench] closing ${w.prefix}: ${(e as Error).message}`));
  await stopStarted();
  if (startedThree) {
    console.log('[bench] stopping the three-node stack (this run started it)');
    await nodesScript('down.sh');
  }
  release();
}

printTable(`One node against three (BENCH_SCALE=${SCALE}, ${REPS} reps alternating; medians): ${fmt(N_TRADES)} trades, ${fmt(N_POSTS)} posts, 6 partitions`, rows);
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(RESULTS, `${JSON.stringify({ conditions: conditions(), scale: SCALE, reps: REPS, trades: N_TRADES, posts: N_POSTS, seconds: Math.round((Date.now() - t0) / 1000), ...out }, null, 2)}\n`);
console.log(`  total ${Math.round((Date.now() - t0) / 1000)} s; figures in ${RESULTS}`);
