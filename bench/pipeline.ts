/**
 * The pipeline on real servers (issue 6, items 3–7): Kafka ceiling, end-to-end
 * throughput against the naive processor, latency, memory and scaling, with
 * the real `process` service as a child process on the local stack.
 *
 *   node bench/pipeline.ts            (BENCH_SCALE=0.05 for a smoke run, BENCH_REPS=3)
 *   BENCH_PROFILE=1 node bench/pipeline.ts   also writes processor CPU profiles (.reports/bench/profiles)
 *
 * Every scenario runs in its own namespace (topic prefix, consumer groups,
 * keyspace), dropped at the end; the stack is started only if it is down.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TOPICS } from '../services/lib/io/bus/topics.ts';
import { PROCESSOR_GROUP } from '../services/processor/processor.ts';
import { PROCESSOR_NODE_OPTIONS } from '../services/lib/runtime/config.ts';
import { median, printTable, recordResults } from './lib/results.ts';
import { Child, LOG_DIR, acquireStackLock, createWorld, metricSum, procStats, processorArgs, scenario, stopStarted, type World } from './lib/stack.ts';
import { makePosts, makeTrades, postMessages, produceAll, recentT0, tradeMessages } from './lib/data.ts';
import { watchConsumer, watchProcessors, type CpuShare, type DrainResult } from './lib/drain.ts';
import { summarizeProfile } from './lib/profile.ts';
import { readableProbe } from './lib/readable.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? 3));
const PROFILE = process.env.BENCH_PROFILE === '1';
const only = new Set((process.env.BENCH_ONLY ?? 'throughput,posts,latency,memory,scaling').split(','));
const scaled = (n: number, min = 1000) => Math.max(min, Math.round(n * SCALE));
const N_TRADES = scaled(500_000);
const N_POSTS = scaled(100_000);
const N_NAIVE = scaled(20_000, 500);
const N_MEMORY = scaled(1_000_000);
const STEADY_S = Math.max(5, Math.round(30 * Math.min(1, SCALE * 4)));
const BURST_S = Math.max(3, Math.round(10 * Math.min(1, SCALE * 4)));
const PROFILE_DIR = join(LOG_DIR, 'profiles');
/** the processor's settings in every scenario (BENCH_BATCH_MAX tries another batch size) */
/** Kafka fetch sizes of the processor and the reference consumers alike (BENCH_FETCH_MAX_BYTES, BENCH_FETCH_PARTITION_MAX_BYTES try others) */
const FETCH_ENV: Record<string, string> = {
  ...(process.env.BENCH_FETCH_MAX_BYTES ? { STOCKSTREAMER_KAFKA_FETCH_MAX_BYTES: process.env.BENCH_FETCH_MAX_BYTES } : {}),
  ...(process.env.BENCH_FETCH_PARTITION_MAX_BYTES ? { STOCKSTREAMER_KAFKA_FETCH_PARTITION_MAX_BYTES: process.env.BENCH_FETCH_PARTITION_MAX_BYTES } : {}),
};
const PROCESSOR_ENV: Record<string, string> = {
  STOCKSTREAMER_LOG_LEVEL: 'warn',
  ...FETCH_ENV,
  ...(process.env.BENCH_BATCH_MAX ? { STOCKSTREAMER_BATCH_MAX: process.env.BENCH_BATCH_MAX } : {}),
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rowsOf = (table: string) => (ms: Map<string, number>[]) => ms.reduce((s, m) => s + metricSum(m, 'stockstreamer_rows_written_total', { table }), 0);
const recordsIn = (topic: string) => (ms: Map<string, number>[]) => ms.reduce((s, m) => s + metricSum(m, 'stockstreamer_records_in_total', { topic }), 0);
const cpuLine = (c: CpuShare) => Object.entries(c.percentOfMachine).map(([k, v]) => `${k} ${v}%`).join(', ');

function processor(world: World, name: string, extra: Record<string, string> = {}, profile = false): Child {
  if (profile) mkdirSync(PROFILE_DIR, { recursive: true });
  // the heap bounds the processor pod runs with; BENCH_NODE_ARGS replaces them (e.g. "--trace-gc", or "" for V8's defaults)
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? PROCESSOR_NODE_OPTIONS).split(' ').filter(Boolean);
  return new Child(`${world.prefix}${name}`, processorArgs, world.env({ ...PROCESSOR_ENV, ...extra }),
    [...nodeArgs, ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [])]);
}

const figures: Record<string, unknown> = {};
const details: Record<string, unknown> = { scale: SCALE, reps: REPS };
const rows: [string, string][] = [];
const worlds: World[] = [];
const open = async (name: string) => {
  const w = await createWorld(name);
  worlds.push(w);
  return w;
};

try {
  // ------------------------------------------------------------ throughput: trades (ceiling, processor, naive)
  if (only.has('throughput')) await scenario(async () => {
    const world = await open('tp');
    const t0 = recentT0();
    const trades = await makeTrades(N_TRADES, { t0 });
    const messages = tradeMessages(world.serde, trades);
    const bytes = messages.reduce((s, m) => s + m.value.length, 0);
    const produceRate = await produceAll(world.bus, [{ topic: TOPICS.trades, messages }]);
    details.trades = { count: N_TRADES, avgAvroBytes: Math.round(bytes / N_TRADES), produceMsgsPerS: Math.round(produceRate) };
    console.log(`[bench] ${fmt(N_TRADES)} trades produced (${(bytes / N_TRADES).toFixed(1)} B each) at ${fmt(produceRate)}/s`);

    const ceiling: number[] = [];
    const cassandraCeiling: number[] = [];
    const e2e: DrainResult[] = [];
    const naive: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      const c = new Child(`${world.prefix}ceiling-${rep}`, ['bench/lib/consumer.ts', 'ceiling'], world.env({ ...FETCH_ENV, BENCH_GROUP: `bench-ceiling-${rep}` }));
      await c.start({ waitReady: false });
      ceiling.push((await watchConsumer(c, N_TRADES, 300_000)).perSecond);
      await c.stop();

      // Cassandra's ceiling: the processor's trade writes alone (bench/lib/cassandra-ceiling.ts), same rows
      await world.truncate();
      const cw = new Child(`${world.prefix}cassandra-${rep}`, ['bench/lib/cassandra-ceiling.ts'], world.env({ ...PROCESSOR_ENV, BENCH_T0: String(t0), BENCH_TRADES: String(N_TRADES) }));
      await cw.start({ waitReady: false });
      cassandraCeiling.push((await watchConsumer(cw, N_TRADES, 900_000)).perSecond);
      await cw.stop();

      if (rep > 0) await world.rewind();
      else await world.truncate();
      const p = processor(world, `trades-${rep}`, {}, PROFILE && rep === 0);
      await p.start();
      e2e.push(await watchProcessors([p], N_TRADES, { progress: rowsOf('trades_by_symbol'), timeoutMs: 900_000 }));
      await p.stop();

      const nv = new Child(`${world.prefix}naive-${rep}`, ['bench/lib/consumer.ts', 'naive'], world.env({ ...FETCH_ENV, BENCH_GROUP: `bench-naive-${rep}` }));
      await nv.start({ waitReady: false });
      naive.push((await watchConsumer(nv, N_NAIVE, 600_000)).perSecond);
      await nv.stop();
      console.log(`[bench] rep ${rep + 1}/${REPS}: ceiling ${fmt(ceiling.at(-1)!)}/s, Cassandra ceiling ${fmt(cassandraCeiling.at(-1)!)}/s, processor ${fmt(e2e.at(-1)!.perSecond)}/s, naive ${fmt(naive.at(-1)!)}/s; cpu ${cpuLine(e2e.at(-1)!.cpu)}`);
    }
    const e2eMedian = median(e2e.map((r) => r.perSecond));
    figures.kafka_consume_decode_per_s = Math.round(median(ceiling));
    figures.e2e_trades_per_s = Math.round(e2eMedian);
    figures.e2e_trades_vs_ceiling = Number((e2eMedian / median(ceiling)).toFixed(3));
    figures.cassandra_write_ceiling_per_s = Math.round(median(cassandraCeiling));
    figures.e2e_trades_vs_cassandra = Number((e2eMedian / median(cassandraCeiling)).toFixed(3));
    figures.e2e_vs_naive = Number((e2eMedian / median(naive)).toFixed(1));
    figures.naive_trades_per_s = Math.round(median(naive));
    details.throughput = {
      ceiling: ceiling.map(Math.round), cassandraCeiling: cassandraCeiling.map(Math.round), processor: e2e.map((r) => Math.round(r.perSecond)), naive: naive.map(Math.round),
      processorRssMaxMb: e2e.map((r) => r.rssMaxMb), cpu: e2e.map((r) => r.cpu),
    };
    rows.push(
      ['trades backlog', `${fmt(N_TRADES)} trades, ${(bytes / N_TRADES).toFixed(1)} B Avro each, 6 partitions; produced at ${fmt(produceRate)}/s`],
      ['kafka_consume_decode_per_s', `${fmt(median(ceiling))}  (runs: ${ceiling.map(fmt).join(', ')})`],
      ['e2e_trades_per_s', `${fmt(e2eMedian)}  (runs: ${e2e.map((r) => fmt(r.perSecond)).join(', ')}; bar ≥ 20,000)`],
      ['e2e_trades_vs_ceiling', `${figures.e2e_trades_vs_ceiling}  (Kafka consume + decode alone; information)`],
      ['cassandra_write_ceiling_per_s', `${fmt(median(cassandraCeiling))}  (the processor's trade writes alone, same rows, batches, concurrency; runs: ${cassandraCeiling.map(fmt).join(', ')})`],
      ['e2e_trades_vs_cassandra', `${figures.e2e_trades_vs_cassandra}  (bar ≥ 0.8)`],
      ['naive processor trades/s', `${fmt(median(naive))}  (first ${fmt(N_NAIVE)} of the backlog; runs: ${naive.map(fmt).join(', ')})`],
      ['e2e_vs_naive', `${figures.e2e_vs_naive}×  (bar ≥ 10×)`],
      ['CPU while the processor drains trades', cpuLine(e2e[Math.floor(e2e.length / 2)]!.cpu)],
    );
  });

  // ------------------------------------------------------------ throughput: posts (+ mentions re-published and aggregated)
  if (only.has('posts')) await scenario(async () => {
    const world = await open('posts');
    const posts = await makePosts(N_POSTS, { t0: recentT0() });
    const batches = postMessages(world.serde, posts);
    const bytes = batches.reduce((s, b) => s + b.messages.reduce((x, m) => x + m.value.length, 0), 0);
    const produceRate = await produceAll(world.bus, batches);
    details.posts = { count: N_POSTS, submissions: batches[0]!.messages.length, comments: batches[1]!.messages.length, avgAvroBytes: Math.round(bytes / N_POSTS), produceMsgsPerS: Math.round(produceRate) };
    console.log(`[bench] ${fmt(N_POSTS)} posts produced (${(bytes / N_POSTS).toFixed(1)} B each) at ${fmt(produceRate)}/s`);
    const runs: DrainResult[] = [];
    const mentions: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      // mentions published by an earlier rep are skipped: each rep does the same work
      if (rep > 0) await world.rewind(PROCESSOR_GROUP, [TOPICS.mentions]);
      const p = processor(world, `posts-${rep}`, {}, PROFILE && rep === 0);
      await p.start();
      const posted = (ms: Map<string, number>[]) => ms.reduce((s, m) => s + metricSum(m, 'stockstreamer_records_produced_total', { topic: TOPICS.mentions }), 0);
      const r = await watchProcessors([p], N_POSTS, {
        progress: rowsOf('posts'),
        // done when every mention this run re-published was aggregated too
        extraDone: (ms) => recordsIn(TOPICS.mentions)(ms) >= posted(ms) && posted(ms) > 0,
        timeoutMs: 900_000,
      });
      mentions.push(posted(await Promise.all([p.metrics()])));
      runs.push(r);
      await p.stop();
      console.log(`[bench] posts rep ${rep + 1}/${REPS}: ${fmt(r.perSecond)} posts/s (${fmt(mentions.at(-1)!)} mentions); cpu ${cpuLine(r.cpu)}`);
    }
    figures.e2e_posts_per_s = Math.round(median(runs.map((r) => r.perSecond)));
    details.postsRuns = { perSecond: runs.map((r) => Math.round(r.perSecond)), mentions, cpu: runs.map((r) => r.cpu) };
    rows.push(
      ['posts backlog', `${fmt(N_POSTS)} posts (${batches[0]!.messages.length} submissions), ${(bytes / N_POSTS).toFixed(0)} B Avro each; ~${fmt(median(mentions))} mentions re-published and aggregated`],
      ['e2e_posts_per_s', `${fmt(figures.e2e_posts_per_s as number)}  (runs: ${runs.map((r) => fmt(r.perSecond)).join(', ')}; bar ≥ 5,000)`],
      ['CPU while the processor drains posts', cpuLine(runs[Math.floor(runs.length / 2)]!.cpu)],
    );
  });

  // ------------------------------------------------------------ latency: send → row readable, steady and burst
  if (only.has('latency')) await scenario(async () => {
    const world = await open('lat');
    const p = processor(world, 'latency');
    await p.start();
    const lat = await measureLatency(world, p);
    await p.stop();
    figures.latency_p50_ms = lat.steady.p50;
    figures.latency_p99_ms = lat.steady.p99;
    figures.latency_burst_p99_ms = lat.burst.p99;
    figures.processor_rss_mb_steady = lat.rssSteadyMb;
    details.latency = lat;
    rows.push(
      ['latency, steady 1,000 msgs/s', `p50 ${lat.steady.p50} ms, p99 ${lat.steady.p99} ms, max ${lat.steady.max} ms over ${fmt(lat.steady.n)} trades, ${STEADY_S} s (bar p99 ≤ 250 ms)`],
      ['latency, 5× burst 5,000 msgs/s', `p50 ${lat.burst.p50} ms, p99 ${lat.burst.p99} ms, max ${lat.burst.max} ms over ${fmt(lat.burst.n)} trades, ${BURST_S} s`],
      ['latency: not seen', `${lat.missing} (poll round median ${lat.pollRoundMs} ms: resolution of the reading)`],
      ['processor_rss_mb_steady', `${lat.rssSteadyMb} MB (median of ${lat.rssSamples} samples at 1,000 msgs/s)`],
    );
  });

  // ------------------------------------------------------------ memory: RSS while draining a 1,000,000-trade backlog
  if (only.has('memory')) await scenario(async () => {
    const world = await open('mem');
    const trades = await makeTrades(N_MEMORY, { t0: recentT0(), seed: 7 });
    await produceAll(world.bus, [{ topic: TOPICS.trades, messages: tradeMessages(world.serde, trades) }]);
    trades.length = 0;
    const p = processor(world, 'memory');
    await p.start();
    const idleMb = Math.round(procStats(p.pid!)?.rssMb ?? 0);
    const r = await watchProcessors([p], N_MEMORY, { progress: rowsOf('trades_by_symbol'), timeoutMs: 1_200_000, pollMs: 500 });
    await p.stop();
    const at = (f: number) => r.rssTrail.find(([x]) => x >= f)?.[1] ?? r.rssMaxMb;
    const quartiles = [0.25, 0.5, 0.75, 1].map(at);
    figures.processor_rss_mb_backlog = r.rssMaxMb;
    details.memory = { backlog: N_MEMORY, perSecond: Math.round(r.perSecond), rssAtStartMb: idleMb, rssAtQuartilesMb: quartiles, rssMaxMb: r.rssMaxMb, cpu: r.cpu };
    rows.push(
      ['processor_rss_mb_backlog', `${r.rssMaxMb} MB max while draining ${fmt(N_MEMORY)} trades at ${fmt(r.perSecond)}/s (bar ≤ 300 MB, flat)`],
      ['RSS at 25/50/75/100 % of the backlog', `${quartiles.join(' / ')} MB (at start ${idleMb} MB)`],
    );
  });

  // ------------------------------------------------------------ scaling: 1, 2, 3 processors in one group
  if (only.has('scaling')) await scenario(async () => {
    const world = worlds.find((w) => w.prefix.startsWith('bench.tp.')) ?? (await (async () => {
      const w = await open('scale');
      await produceAll(w.bus, [{ topic: TOPICS.trades, messages: tradeMessages(w.serde, await makeTrades(N_TRADES, { t0: recentT0() })) }]);
      return w;
    })());
    const scaling: { processors: number; trades_per_s: number; cpu_percent: Record<string, number> }[] = [];
    for (const k of [1, 2, 3]) {
      await world.rewind();
      const procs = Array.from({ length: k }, (_, i) => processor(world, `scale${k}-${i}`));
      await Promise.all(procs.map((p) => p.start()));
      const r = await watchProcessors(procs, N_TRADES, { progress: rowsOf('trades_by_symbol'), timeoutMs: 900_000 });
      await Promise.all(procs.map((p) => p.stop()));
      scaling.push({ processors: k, trades_per_s: Math.round(r.perSecond), cpu_percent: r.cpu.percentOfMachine });
      console.log(`[bench] scaling ${k}: ${fmt(r.perSecond)} trades/s; cpu ${cpuLine(r.cpu)}`);
    }
    figures.scaling = scaling;
    for (const s of scaling) rows.push([`scaling: ${s.processors} processor${s.processors > 1 ? 's' : ''}`, `${fmt(s.trades_per_s)} trades/s; CPU ${Object.entries(s.cpu_percent).map(([k, v]) => `${k} ${v}%`).join(', ')}`]);
  });

  if (PROFILE) details.profiles = await summarizeProfiles();
} finally {
  const release = await acquireStackLock();
  try {
    for (const w of worlds) await w.close();
    await stopStarted();
  } finally {
    release();
  }
}

printTable(`Pipeline on the local stack (BENCH_SCALE=${SCALE}, ${REPS} reps; medians)`, rows);
recordResults('pipeline', figures, details);

// ---------------------------------------------------------------------------------------------

interface Percentiles { n: number; p50: number; p99: number; max: number }

function percentiles(xs: number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f: number) => s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? NaN;
  return { n: s.length, p50: Math.round(q(0.5)), p99: Math.round(q(0.99)), max: Math.round(s.at(-1) ?? NaN) };
}

/**
 * Send → readable at a steady 1,000/s, then 5,000/s for the burst (bench/lib/readable.ts),
 * with the processor's RSS sampled every 500 ms of the steady phase.
 */
async function measureLatency(world: World, p: Child) {
  const probe = readableProbe(world);
  const rss: number[] = [];
  let nextRss = performance.now();
  const sampleRss = () => {
    if (performance.now() < nextRss) return;
    rss.push(procStats(p.pid!)?.rssMb ?? 0);
    nextRss += 500;
  };
  await probe.send(1000, 3);
  nextRss = performance.now();
  await probe.send(1000, STEADY_S, 'steady', sampleRss);
  await probe.send(5000, BURST_S, 'burst');
  const { latencies, missing, pollRoundMs } = await probe.finish();
  return {
    steady: percentiles(latencies.get('steady') ?? []),
    burst: percentiles(latencies.get('burst') ?? []),
    missing,
    pollRoundMs,
    rssSteadyMb: Math.round(median(rss)),
    rssSamples: rss.length,
  };
}

async function summarizeProfiles() {
  const { readdirSync } = await import('node:fs');
  const out: Record<string, unknown> = {};
  for (const f of readdirSync(PROFILE_DIR).filter((x) => x.endsWith('.cpuprofile'))) {
    out[f] = summarizeProfile(join(PROFILE_DIR, f));
    console.log(`\nprofile ${f}:`);
    console.log(JSON.stringify(out[f], null, 1));
  }
  return out;
}
