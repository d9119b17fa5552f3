/**
 * The read path on 30 days of data (issue 13): every endpoint of the built-in
 * dashboard, every Grafana panel query and the alerter's reads, under load
 * from a second process, on SQLite and on the real Cassandra of the local
 * stack; the live page's query rate with 1 and 50 pages open; frozen against
 * non-frozen collections.
 *
 *   node bench/read.ts        BENCH_SCALE (1 = 30 days, 2,000,000 posts), BENCH_REPS (3),
 *                             BENCH_READ_RATE (100 requests/s), BENCH_READ_SECONDS (10 per target and rep),
 *                             BENCH_READ_ONLY (collections,fill,sqlite,cassandra,live),
 *                             BENCH_READ_KEYSPACE + BENCH_READ_HOME reuse a filled store (and keep it)
 *
 * The history is written straight through the stores' writers (no Kafka),
 * with aggregates folded by the domain's own bucket specs (bench/lib/read-data.ts).
 * The dashboard is the real `stockstreamer dashboard` process; the load
 * generator (bench/lib/read-load.ts) is another process, open-loop.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import cassandra from 'cassandra-driver';
import type { Dashboard } from '@grafana/schema';
import { createCassandraStore } from '../services/lib/io/store/cassandra.ts';
import { migrate } from '../services/lib/io/store/migrate.ts';
import type { Store } from '../services/lib/io/store/repository.ts';
import { createSqliteStore } from '../services/lib/io/store/sqlite.ts';
import { loadUniverse } from '../services/lib/io/universe.ts';
import { silentLogger } from '../services/lib/runtime/logger.ts';
import { fromRoot } from '../services/lib/runtime/paths.ts';
import { renderPanelQueries, renderVariableQueries } from '../terraform/lib/grafana-queries.ts';
import { compareCollections, type CollectionFigures } from './lib/collections.ts';
import type { LatencyStats } from './lib/latency.ts';
import type { LoadPlan, LoadTarget } from './lib/read-load.ts';
import { hoursOf, readHistory, universeOrder, type HourOfData } from './lib/read-data.ts';
import { median, printTable, recordResults } from './lib/results.ts';
import { CASSANDRA, Child, LOG_DIR, freePort, procStats, scenario, serverPid, sleep, stopStarted } from './lib/stack.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? 3));
const RATE = Number(process.env.BENCH_READ_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_READ_SECONDS ?? 10);
const only = new Set((process.env.BENCH_READ_ONLY ?? 'collections,fill,sqlite,cassandra,live').split(','));
const DAYS = SCALE >= 1 ? 30 : Math.max(2, Math.ceil(30 * SCALE));
/** 2,000,000 posts over 30 days: the density stays when a smoke run shortens the history */
const POSTS = Math.round((2_000_000 * DAYS) / 30);
const BAR_P99_MS = 50;
const run = randomBytes(3).toString('hex');
const reuse = process.env.BENCH_READ_KEYSPACE !== undefined;
const keyspace = process.env.BENCH_READ_KEYSPACE ?? `bench_read_${run}`;
const home = process.env.BENCH_READ_HOME ?? join(LOG_DIR, `read-${run}`);
const logger = silentLogger();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const log = (line: string) => console.log(line);
const HOUR = 3_600_000;
const DAY = 86_400_000;

const figures: Record<string, unknown> = {};
const details: Record<string, unknown> = { scale: SCALE, reps: REPS, rate: RATE, secondsPerTarget: SECONDS, days: DAYS, posts: POSTS };
const rows: [string, string][] = [];

const universe = await loadUniverse();
const { symbols, tickers } = universeOrder(universe);
/** tickers the endpoints are asked about: the busiest, and a spread of quieter ones */
const askTickers = [...tickers.slice(0, 20), ...Array.from({ length: 80 }, (_, i) => tickers[20 + Math.floor((i * 2980) / 80)]!)];
const history = () => readHistory({ days: DAYS, posts: POSTS, symbols, tickers, endMs: Date.now() });
const cql = new cassandra.Client({ contactPoints: [CASSANDRA], localDataCenter: 'datacenter1', socketOptions: { readTimeout: 60_000 } });

/** partition reads, read requests and range scans Cassandra counted for a keyspace (system_views) */
async function serverCounts(ks: string): Promise<{ requests: number; partitions: number; scans: number }> {
  const sum = async (table: string) => (await cql.execute(`SELECT count FROM system_views.${table} WHERE keyspace_name = ?`, [ks], { prepare: true }))
    .rows.reduce((s, r) => s + Number(r.count), 0);
  return { requests: await sum('coordinator_read_latency'), partitions: await sum('local_read_latency'), scans: await sum('coordinator_scan_latency') };
}

/** compactions of the keyspace still running or queued (system_views.sstable_tasks) */
async function compactionsPending(ks: string): Promise<number> {
  const rs = await cql.execute('SELECT keyspace_name FROM system_views.sstable_tasks');
  return rs.rows.filter((r) => r.keyspace_name === ks).length;
}

// ------------------------------------------------------------------ frozen or not
async function collections(): Promise<void> {
  const ks = `bench_coll_${run}`;
  await migrateKeyspace(ks, false);
  try {
    const trades: HourOfData['trades'] = [];
    const posts: HourOfData['posts'] = [];
    const nTrades = Math.max(20_000, Math.round(400_000 * Math.min(1, SCALE)));
    const nPosts = Math.max(10_000, Math.round(150_000 * Math.min(1, SCALE)));
    for (const h of readHistory({ days: 10, posts: 2_000_000 / 3, symbols, tickers, endMs: Date.now(), seed: 7 })) {
      if (trades.length < nTrades) trades.push(...h.trades.slice(0, nTrades - trades.length));
      if (posts.length < nPosts) posts.push(...h.posts.slice(0, nPosts - posts.length));
      if (trades.length >= nTrades && posts.length >= nPosts) break;
    }
    const out = await compareCollections({ cql, keyspace: ks, trades, posts, reps: REPS, reads: RATE * SECONDS, rate: RATE, log });
    const summary = (f: CollectionFigures) => ({
      writePerS: median(f.writePerS), writeRuns: f.writePerS, cassandraCpuSPer100k: median(f.cassandraCpuPer100k),
      readP50Ms: f.read.p50, readP99Ms: f.read.p99, tombstonesP99: f.tombstonesP99, tombstonesMax: f.tombstonesMax, diskMiB: f.diskMiB, rows: f.rows,
    });
    const table: Record<string, Record<string, unknown>> = {};
    for (const f of out) table[`${f.table} ${f.variant}`] = summary(f);
    figures.collections = table;
    for (const t of ['trades', 'posts'] as const) {
      const nf = out.find((f) => f.table === t && f.variant === 'non-frozen')!;
      const fr = out.find((f) => f.table === t && f.variant === 'frozen')!;
      figures[`${t}_frozen_vs_nonfrozen_write`] = Number((median(fr.writePerS) / median(nf.writePerS)).toFixed(2));
      rows.push([`${t}: non-frozen / frozen list`, `write ${fmt(median(nf.writePerS))} / ${fmt(median(fr.writePerS))} rows/s; Cassandra CPU ${median(nf.cassandraCpuPer100k)} / ${median(fr.cassandraCpuPer100k)} s per 100k rows; `
        + `read p50 ${nf.read.p50} / ${fr.read.p50} ms, p99 ${nf.read.p99} / ${fr.read.p99} ms; tombstones per read p99 ${nf.tombstonesP99} / ${fr.tombstonesP99} (max ${nf.tombstonesMax} / ${fr.tombstonesMax}); disk ${nf.diskMiB} / ${fr.diskMiB} MiB`]);
    }
  } finally {
    await cql.execute(`DROP KEYSPACE IF EXISTS ${ks}`, [], { readTimeout: 120_000 }).catch(() => {});
  }
}

async function migrateKeyspace(ks: string, seed: boolean): Promise<void> {
  await migrate({ contactPoints: [CASSANDRA], localDataCenter: 'datacenter1', keyspace: ks, replicationFactor: 1, logger, seedCompanies: seed });
}

// ------------------------------------------------------------------ 30 days through the writers
async function fill(): Promise<void> {
  mkdirSync(home, { recursive: true });
  await migrateKeyspace(keyspace, true);
  const sqlite = createSqliteStore({ path: join(home, 'stockstreamer.sqlite') });
  await sqlite.seedCompanies(universe);
  const cass = createCassandraStore({ contactPoints: [CASSANDRA], localDataCenter: 'datacenter1', keyspace, logger, tradeTtlSeconds: 0, postTextTtlSeconds: 0 });
  const write = async (s: Store, h: HourOfData) => {
    await s.writeTrades(h.trades);
    await s.writeCandles(h.candles, 1);
    await s.writeCandleRollups('hour', h.hourCandles, 1);
    await s.writeCandleRollups('day', h.dayCandles, 1);
    await s.writePosts(h.posts, h.mentions);
    await s.writeSentimentWindows(h.windows, 1);
    await s.writeMentionsHours(h.mentionHours, 1);
    await s.writeMentionTallies(h.tallies, 1);
    await s.writeDeadLetters(h.dead);
    await s.writeAlerts(h.alerts);
  };
  const totals = { hours: 0, trades: 0, candles: 0, posts: 0, mentions: 0, windows: 0, mentionHours: 0, tallies: 0 };
  const tickersSeen = new Set<string>();
  let sqliteMs = 0;
  const cassPid = serverPid('cassandra');
  const cpu0 = cassPid ? procStats(cassPid)?.cpuS ?? 0 : 0;
  const t0 = performance.now();
  const inFlight = new Set<Promise<void>>();
  const all = hoursOf({ days: DAYS, posts: POSTS, symbols, tickers, endMs: Date.now() }).length;
  for (const h of history()) {
    const s0 = performance.now();
    await write(sqlite, h);
    sqliteMs += performance.now() - s0;
    const p: Promise<void> = write(cass, h).finally(() => inFlight.delete(p));
    inFlight.add(p);
    // a few hours in flight keep Cassandra busy without holding the whole history in memory
    if (inFlight.size >= 4) await Promise.race(inFlight);
    totals.hours++;
    totals.trades += h.trades.length;
    totals.candles += h.candles.length;
    totals.posts += h.posts.length;
    totals.mentions += h.mentions.length;
    totals.windows += h.windows.length;
    totals.mentionHours += h.mentionHours.length;
    totals.tallies += h.tallies.length;
    for (const m of h.mentions) tickersSeen.add(m.ticker);
    if (totals.hours % 48 === 0) log(`[bench] fill: ${totals.hours}/${all} hours, ${fmt(totals.posts)} posts, ${Math.round((performance.now() - t0) / 1000)} s`);
  }
  await Promise.all(inFlight);
  const fillS = (performance.now() - t0) / 1000;
  const cassCpu = cassPid ? (procStats(cassPid)?.cpuS ?? 0) - cpu0 : NaN;
  await sqlite.close();
  await cass.close();
  // Reads are measured on a settled store, as a deployment that has run for a month would be.
  const c0 = performance.now();
  while ((await compactionsPending(keyspace)) > 0 && performance.now() - c0 < 15 * 60_000) await sleep(5000);
  const compactS = (performance.now() - c0) / 1000;
  details.fill = { ...totals, tickersMentioned: tickersSeen.size, seconds: Math.round(fillS), sqliteSeconds: Math.round(sqliteMs / 1000), cassandraCpuSeconds: Math.round(cassCpu), compactionWaitSeconds: Math.round(compactS) };
  rows.push(['history', `${DAYS} days ending now: ${fmt(totals.posts)} posts, ${fmt(totals.mentions)} mentions of ${fmt(tickersSeen.size)} tickers, ${fmt(totals.trades)} trades of ${symbols.length} symbols, `
    + `${fmt(totals.candles)} candles, ${fmt(totals.windows)} sentiment minutes, ${fmt(totals.mentionHours)} mention hours, ${fmt(totals.tallies)} crowd tallies written`]);
  rows.push(['fill', `${Math.round(fillS)} s through both writers (SQLite ${Math.round(sqliteMs / 1000)} s of it; Cassandra ${Math.round(cassCpu)} CPU-s), then ${Math.round(compactS)} s of compaction`]);
  log(`[bench] filled in ${Math.round(fillS)} s; compactions settled after ${Math.round(compactS)} s more`);
}

// ------------------------------------------------------------------ the dashboard process and the load
async function startDashboard(store: 'sqlite' | 'cassandra'): Promise<{ child: Child; base: string }> {
  const port = await freePort();
  const child = new Child(`read-dashboard-${store}-${run}`, ['services/cli/main.ts', 'dashboard'], {
    STOCKSTREAMER_STORE: store,
    STOCKSTREAMER_HOME: home,
    STOCKSTREAMER_CASSANDRA_CONTACT_POINTS: CASSANDRA,
    STOCKSTREAMER_CASSANDRA_KEYSPACE: keyspace,
    STOCKSTREAMER_SYMBOLS: symbols.join(','),
    STOCKSTREAMER_DASHBOARD_PORT: String(port),
    STOCKSTREAMER_CREDENTIALS: join(LOG_DIR, 'no-credentials.ini'),
    STOCKSTREAMER_LOG_LEVEL: 'warn',
  });
  await child.start({ waitReady: false });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${base}/api/symbols`).then((r) => r.ok, () => false);
    if (ok) break;
    if (child.exitCode !== undefined) throw new Error(`the dashboard exited with ${child.exitCode}; see ${child.logFile}`);
    if (Date.now() > deadline) throw new Error(`the dashboard did not answer in 60 s; see ${child.logFile}`);
    await sleep(250);
  }
  return { child, base };
}

interface Endpoint { name: string; path: string; queries: string[] }

/**
 * The endpoints as the page asks them (the bar), and longer ranges and
 * heavier variants (figures beside it). Each rotates over symbols or tickers,
 * the busiest and a spread of quieter ones.
 */
function endpoints(now: number): { bar: Endpoint[]; ranges: Endpoint[] } {
  const e = (name: string, path: string, queries: string[] = ['']): Endpoint => ({ name, path, queries });
  return {
    bar: [
      e('/api/symbols', '/api/symbols'),
      e('/api/prices', '/api/prices'),
      e('/api/candles (1 h)', '/api/candles', symbols.map((s) => `symbol=${s}`)),
      e('/api/sentiment (1 h)', '/api/sentiment', askTickers.map((t) => `ticker=${t}`)),
      e('/api/mentions/top (1 h)', '/api/mentions/top'),
      e('/api/posts', '/api/posts'),
      e('/api/posts?ticker', '/api/posts', askTickers.map((t) => `ticker=${t}`)),
      e('/api/alerts (24 h)', '/api/alerts'),
      // issue 11's views, as the page asks them
      e('/api/status', '/api/status'),
      e('/api/rankings (1 h)', '/api/rankings', ['window=1h']),
      e('/api/crowd (1 h)', '/api/crowd', askTickers.map((t) => `ticker=${t}&window=1h`)),
      e('/api/history (30 days)', '/api/history', askTickers.map((t) => `ticker=${t}&days=30`)),
      e('/api/leadlag (3 days)', '/api/leadlag', symbols.map((s) => `ticker=${s}&from=${now - 3 * DAY}&to=${now}`)),
    ],
    ranges: [
      e('/api/mentions/top (24 h)', '/api/mentions/top', ['hours=24']),
      e('/api/rankings (24 h)', '/api/rankings', ['window=24h']),
      e('/api/rankings (7 d)', '/api/rankings', ['window=7d']),
      e('/api/crowd (7 d)', '/api/crowd', askTickers.slice(0, 20).map((t) => `ticker=${t}&window=7d`)),
      e('/api/candles (1 day)', '/api/candles', symbols.map((s) => `symbol=${s}&from=${now - DAY}&to=${now}`)),
      e('/api/candles (7 days)', '/api/candles', symbols.map((s) => `symbol=${s}&from=${now - 7 * DAY}&to=${now}`)),
      // the same week at minute grain, side by side with the hourly roll-up the range now reads
      e('/api/candles (7 days, grain=1m)', '/api/candles', symbols.map((s) => `symbol=${s}&grain=1m&from=${now - 7 * DAY}&to=${now}`)),
      e('/api/candles (30 days)', '/api/candles', symbols.map((s) => `symbol=${s}&from=${now - 30 * DAY}&to=${now}`)),
      e('/api/sentiment (7 days)', '/api/sentiment', askTickers.slice(0, 20).map((t) => `ticker=${t}&from=${now - 7 * DAY}&to=${now}`)),
      e('/api/sentiment (7 days, grain=1m)', '/api/sentiment', askTickers.slice(0, 20).map((t) => `ticker=${t}&grain=1m&from=${now - 7 * DAY}&to=${now}`)),
      e('/api/sentiment (30 days)', '/api/sentiment', askTickers.slice(0, 20).map((t) => `ticker=${t}&from=${now - 30 * DAY}&to=${now}`)),
      e('/api/alerts (30 days)', '/api/alerts', ['hours=720']),
    ],
  };
}
const httpTarget = (base: string, x: Endpoint): LoadTarget => ({ name: x.name, kind: 'http', urls: x.queries.map((q) => `${base}${x.path}${q ? `?${q}` : ''}`) });
/** the core routes the load process can compute itself (read-load.ts computeOnce) */
const COMPUTABLE = new Set(['/api/symbols', '/api/prices', '/api/candles', '/api/sentiment', '/api/mentions/top', '/api/posts', '/api/alerts']);

/** Grafana: the variables, and each distinct panel query, over the 50 symbols, at the dashboard's default range (6 h) and at 30 days */
async function grafanaTargets(now: number): Promise<{ bar: LoadTarget[]; ranges: LoadTarget[] }> {
  const dashboard = JSON.parse(readFileSync(fromRoot('k8s', 'grafana', 'dashboards', 'stockstreamer.json'), 'utf8')) as Dashboard;
  const session = new cassandra.Client({ contactPoints: [CASSANDRA], localDataCenter: 'datacenter1', keyspace });
  const build = async (fromMs: number, label: string) => {
    const variables = new Map<string, string[]>();
    const panels = new Map<string, string[]>();
    for (const ticker of symbols) {
      const base = { ticker, from: fromMs, to: now };
      const days: Record<string, string[]> = {};
      for (const v of renderVariableQueries(dashboard, base)) {
        variables.set(v.name, [...(variables.get(v.name) ?? []), v.cql]);
        if (v.name !== 'ticker') days[v.name] = (await session.execute(v.cql)).rows.map((r) => r.values()[0] as string);
      }
      for (const q of renderPanelQueries(dashboard, { ...base, days })) {
        // panels sharing a query are one target: Grafana sends it once per panel, the cost per query is the same
        const name = `grafana${label}: ${q.panelTitle.replace(/ — \$ticker$/, '')} [${q.refId}]`;
        const key = [...panels.keys()].find((k) => panels.get(k)![0] === q.cql) ?? name;
        panels.set(key, [...(panels.get(key) ?? []), q.cql]);
      }
    }
    return [
      ...[...variables].map(([name, queries]): LoadTarget => ({ name: `grafana${label}: variable ${name}`, kind: 'cql', queries })),
      ...[...panels].map(([name, queries]): LoadTarget => ({ name, kind: 'cql', queries })),
    ];
  };
  try {
    const bar = await build(now - 6 * HOUR, '');
    // the panels whose day list follows the range: at 30 days they name at most 8 partitions
    const month = (await build(now - 30 * DAY, ' (30 days)')).filter((t) => t.kind === 'cql' && t.queries.some((q) => / day IN \('/.test(q)) && !/variable/.test(t.name));
    return { bar, ranges: month };
  } finally {
    await session.shutdown();
  }
}

/** Runs a plan REPS times (a load process each), returns per target the runs' figures */
async function load(plan: Omit<LoadPlan, 'targets'>, targets: LoadTarget[], name: string): Promise<Map<string, LatencyStats[]>> {
  const file = join(LOG_DIR, `read-plan-${name}-${run}.json`);
  writeFileSync(file, JSON.stringify({ ...plan, targets }));
  const out = new Map<string, LatencyStats[]>();
  for (let rep = 0; rep < REPS; rep++) {
    const child = new Child(`read-load-${name}-${run}-${rep}`, ['bench/lib/read-load.ts', file], {});
    await child.start({ waitReady: false });
    await child.exited;
    if (child.exitCode !== 0) throw new Error(`the load generator exited with ${child.exitCode}; see ${child.logFile}`);
    for (const line of child.lines) {
      const r = JSON.parse(line) as LatencyStats & { name: string; firstError?: string };
      out.set(r.name, [...(out.get(r.name) ?? []), r]);
      log(`[bench] ${name} rep ${rep + 1}: ${r.name.padEnd(48)} p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms, ${r.perSecond}/s${r.errors ? `, ${r.errors} errors (${r.firstError})` : ''}`);
    }
  }
  rmSync(file, { force: true });
  return out;
}

interface Summary { p50: number; p99: number; max: number; errors: number; runsP99: number[] }
const summarize = (runs: LatencyStats[]): Summary => ({
  p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), max: Math.max(...runs.map((r) => r.max)),
  errors: runs.reduce((s, r) => s + r.errors, 0), runsP99: runs.map((r) => r.p99),
});

async function measureEndpoints(store: 'sqlite' | 'cassandra'): Promise<void> {
  const { child, base } = await startDashboard(store);
  try {
    const now = Date.now();
    const api = endpoints(now);
    const grafana = store === 'cassandra' ? await grafanaTargets(now) : { bar: [], ranges: [] };
    const plan = { rate: RATE, seconds: SECONDS, warmupSeconds: 2, maxInFlight: 500, cassandra: { contactPoints: [CASSANDRA], keyspace } };
    const served = await load(plan, [...api.bar.map((x) => httpTarget(base, x)), ...grafana.bar, ...api.ranges.map((x) => httpTarget(base, x)), ...grafana.ranges], store);
    // what one answer costs when nothing is shared: the API called in the load process, one at a time
    const computed = await load({ ...plan, seconds: Math.max(3, SECONDS / 2), warmupSeconds: 1 },
      [...api.bar, ...api.ranges].filter((x) => COMPUTABLE.has(x.path)).map((x): LoadTarget => ({
        name: `${x.name} [one computation]`, kind: 'compute', path: x.path, queries: x.queries, symbols,
        store: store === 'sqlite' ? { sqlite: join(home, 'stockstreamer.sqlite') } : { cassandra: true },
      })), `${store}-compute`);
    const results: Record<string, Summary> = {};
    for (const [name, runs] of [...served, ...computed]) results[name] = summarize(runs);
    if (store === 'cassandra') {
      // the alerter evaluates its rules every 5 s (STOCKSTREAMER_ALERT_INTERVAL_MS); measured at 5/s, 25 times that
      const alerter = await load({ ...plan, rate: 5, seconds: Math.max(10, SECONDS) }, [{ name: 'alerter: one evaluation of config/alerts.example.json', kind: 'alerter', rulesFile: fromRoot('config', 'alerts.example.json') }], 'alerter');
      for (const [name, runs] of alerter) results[name] = summarize(runs);
    }
    const barNames = new Set(api.bar.map((x) => x.name));
    const prior = (figures.read_endpoints ?? {}) as Record<string, Record<string, Summary>>;
    for (const [name, s] of Object.entries(results)) prior[name] = { ...(prior[name] ?? {}), [store]: s };
    figures.read_endpoints = prior;
    if (store === 'cassandra') {
      const bar = Object.entries(results).filter(([name]) => barNames.has(name));
      const worst = bar.reduce((w, x) => (x[1].p99 > w[1].p99 ? x : w));
      figures.read_p99_ms = worst[1].p99;
      figures.read_p99_endpoint = worst[0];
      const grafanaBar = Object.entries(results).filter(([name]) => grafana.bar.some((t) => t.name === name));
      if (grafanaBar.length > 0) {
        const g = grafanaBar.reduce((w, x) => (x[1].p99 > w[1].p99 ? x : w));
        figures.grafana_p99_ms = g[1].p99;
        figures.grafana_p99_query = g[0];
      }
    }
    for (const [name, s] of Object.entries(results)) {
      const mark = barNames.has(name) && store === 'cassandra' ? (s.p99 <= BAR_P99_MS ? '  (bar met)' : '  (bar MISSED)') : '';
      rows.push([`${store}: ${name}`, `p50 ${s.p50} ms, p99 ${s.p99} ms (runs ${s.runsP99.join(', ')}), max ${s.max} ms${s.errors ? `, ${s.errors} errors` : ''}${mark}`]);
    }
  } finally {
    await child.stop();
  }
}

// ------------------------------------------------------------------ the live page: query rate with 1 and 50 pages
async function live(): Promise<void> {
  const { child, base } = await startDashboard('cassandra');
  const pages: { destroy(): void }[] = [];
  const open = (symbol: string) => new Promise<void>((resolve, reject) => {
    const req = httpGet(`${base}/api/stream?symbol=${symbol}`, (res) => {
      if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
      res.on('data', () => {});
      resolve();
    });
    req.on('error', () => {});
    pages.push({ destroy: () => req.destroy() });
  });
  const windowS = Math.max(10, SECONDS * 2);
  const measure = async (label: string, symbolsOpen: string[]) => {
    for (const p of pages.splice(0)) p.destroy();
    await sleep(1500);
    await Promise.all(symbolsOpen.map(open));
    await sleep(3000); // first full answers sent; the loop is in its steady state
    const a = await serverCounts(keyspace);
    const dashCpu0 = procStats(child.pid!)?.cpuS ?? 0;
    await sleep(windowS * 1000);
    const b = await serverCounts(keyspace);
    const dashCpu = (procStats(child.pid!)?.cpuS ?? 0) - dashCpu0;
    const rate = { requestsPerS: Math.round(((b.requests - a.requests) / windowS) * 10) / 10, partitionsPerS: Math.round(((b.partitions - a.partitions) / windowS) * 10) / 10, scansPerS: Math.round(((b.scans - a.scans) / windowS) * 10) / 10, dashboardCpuPercent: Math.round((dashCpu / windowS) * 1000) / 10 };
    log(`[bench] live, ${label}: ${rate.requestsPerS} read requests/s, ${rate.partitionsPerS} partitions/s, ${rate.scansPerS} scans/s (Cassandra's counts); dashboard CPU ${rate.dashboardCpuPercent} %`);
    return rate;
  };
  try {
    const out = {
      noPage: await measure('no page open', []),
      onePage: await measure('1 page', [symbols[0]!]),
      fiftyPagesOneSymbol: await measure('50 pages, one symbol', Array.from({ length: 50 }, () => symbols[0]!)),
      fiftyPagesTenSymbols: await measure('50 pages over 10 symbols', Array.from({ length: 50 }, (_, i) => symbols[i % 10]!)),
    };
    figures.live_queries_per_s_1_page = out.onePage.requestsPerS;
    figures.live_queries_per_s_50_pages = out.fiftyPagesOneSymbol.requestsPerS;
    details.live = { windowS, ...out };
    rows.push(['live poll (1 s), read requests/s', `no page ${out.noPage.requestsPerS}; 1 page ${out.onePage.requestsPerS}; 50 pages on one symbol ${out.fiftyPagesOneSymbol.requestsPerS}; 50 pages over 10 symbols ${out.fiftyPagesTenSymbols.requestsPerS}`]);
    rows.push(['live poll (1 s), partitions/s', `no page ${out.noPage.partitionsPerS}; 1 page ${out.onePage.partitionsPerS}; 50 pages on one symbol ${out.fiftyPagesOneSymbol.partitionsPerS}; 50 pages over 10 symbols ${out.fiftyPagesTenSymbols.partitionsPerS}; range scans ${out.fiftyPagesTenSymbols.scansPerS}/s`]);
  } finally {
    for (const p of pages) p.destroy();
    await child.stop();
  }
}

try {
  log(`[bench] read: ${DAYS} days, ${fmt(POSTS)} posts, ${symbols.length} symbols; ${RATE} requests/s for ${SECONDS} s per target, ${REPS} reps; keyspace ${keyspace}, SQLite in ${home}`);
  details.loadAverageAtStart = loadavg().map((x) => Math.round(x * 100) / 100);
  if (only.has('collections')) await scenario(collections);
  if (only.has('fill') && !reuse) await scenario(fill);
  if (!existsSync(join(home, 'stockstreamer.sqlite')) && (only.has('sqlite') || only.has('cassandra') || only.has('live'))) throw new Error(`no filled store in ${home}: run with fill, or point BENCH_READ_HOME and BENCH_READ_KEYSPACE at one`);
  if (only.has('sqlite')) await scenario(() => measureEndpoints('sqlite'));
  if (only.has('cassandra')) await scenario(() => measureEndpoints('cassandra'));
  if (only.has('live')) await scenario(live);
  details.loadAverageAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  recordResults('read', figures, details);
  printTable(`read path (${DAYS} days, ${RATE} requests/s per target, median of ${REPS} runs; bar: p99 ≤ ${BAR_P99_MS} ms per endpoint on Cassandra)`, rows);
  if (typeof figures.read_p99_ms === 'number') console.log(`\n  read_p99_ms ${figures.read_p99_ms} (${String(figures.read_p99_endpoint)}): ${figures.read_p99_ms <= BAR_P99_MS ? 'met' : 'MISSED'}`);
} finally {
  if (!reuse && process.env.BENCH_READ_KEEP !== '1') {
    await cql.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`, [], { readTimeout: 120_000 }).catch(() => {});
    rmSync(home, { recursive: true, force: true });
  } else console.log(`[bench] kept: BENCH_READ_KEYSPACE=${keyspace} BENCH_READ_HOME=${home}`);
  await cql.shutdown();
  await stopStarted();
}
