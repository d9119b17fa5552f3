/**
 * The read benchmark's load generator, run as its own process (so its CPU is
 * not the server's): `node bench/lib/read-load.ts <plan.json>`. For each
 * target of the plan, in order, it sends requests open-loop at `rate` per
 * second for `seconds` (after `warmupSeconds` not counted), request i due at
 * start + i / rate whatever the earlier ones did, and prints one JSON line of
 * latency figures (bench/lib/latency.ts) per target.
 *
 * Target kinds:
 *   http     GET one of `urls` (round robin) from the dashboard; a non-200 is an error
 *   cql      one of `queries` (round robin) on Cassandra, prepared, as Grafana's
 *            Cassandra plugin sends a panel's query
 *   alerter  one evaluation of the alerter's rules (`rulesFile`) over the
 *            Cassandra store: the alerter's reads, its writes dropped
 *   compute  one computation of an endpoint's answer, the dashboard API called
 *            in this process over the store (SQLite file or Cassandra), one at
 *            a time (closed loop, not at `rate`): what a view costs when
 *            nothing is shared
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import cassandra from 'cassandra-driver';
import { latencyStats } from './latency.ts';

export type LoadTarget =
  | { name: string; kind: 'http'; urls: string[] }
  | { name: string; kind: 'cql'; queries: string[] }
  | { name: string; kind: 'alerter'; rulesFile: string }
  | { name: string; kind: 'compute'; store: { sqlite: string } | { cassandra: true }; symbols: string[]; path: string; queries: string[] };

export interface LoadPlan {
  rate: number;
  seconds: number;
  warmupSeconds: number;
  /** requests in flight at most; a request due beyond that counts as an error (the server fell behind) */
  maxInFlight: number;
  cassandra?: { contactPoints: string[]; keyspace: string };
  targets: LoadTarget[];
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function get(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode} for ${url}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function alerterTick(plan: LoadPlan, rulesFile: string): Promise<() => Promise<void>> {
  const [{ createCassandraStore }, { createAlerter, loadAlertRulesFile }, { silentLogger }, { createMetrics }, { systemClock }] = await Promise.all([
    import('../../services/lib/io/store/cassandra.ts'), import('../../services/alerter/index.ts'),
    import('../../services/lib/runtime/logger.ts'), import('../../services/lib/runtime/metrics.ts'), import('../../services/lib/runtime/clock.ts'),
  ]);
  const logger = silentLogger();
  const store = createCassandraStore({ contactPoints: plan.cassandra!.contactPoints, localDataCenter: 'datacenter1', keyspace: plan.cassandra!.keyspace, logger, tradeTtlSeconds: 0 });
  // Reads as the alerter makes them; firings are not stored (the benchmark measures reads).
  const readOnly = { ...store, writeAlerts: async () => {} };
  const { rules } = await loadAlertRulesFile(rulesFile);
  const alerter = createAlerter({ store: readOnly, rules, mailer: null, clock: systemClock, logger, metrics: createMetrics(), intervalMs: 5000 });
  return async () => {
    await alerter.tick();
  };
}

/** the endpoint as the server computes it (services/dashboard/server.ts ROUTES), without the shared views */
async function computeOnce(plan: LoadPlan, target: Extract<LoadTarget, { kind: 'compute' }>): Promise<() => Promise<void>> {
  const [{ createCassandraStore }, { createSqliteStore }, { createDashboardApi }, { silentLogger }, { systemClock }] = await Promise.all([
    import('../../services/lib/io/store/cassandra.ts'), import('../../services/lib/io/store/sqlite.ts'), import('../../services/dashboard/api.ts'),
    import('../../services/lib/runtime/logger.ts'), import('../../services/lib/runtime/clock.ts'),
  ]);
  const store = 'sqlite' in target.store
    ? createSqliteStore({ path: target.store.sqlite })
    : createCassandraStore({ contactPoints: plan.cassandra!.contactPoints, localDataCenter: 'datacenter1', keyspace: plan.cassandra!.keyspace, logger: silentLogger(), tradeTtlSeconds: 0 });
  const api = createDashboardApi({ store, clock: systemClock, symbols: target.symbols });
  const routes: Record<string, (q: URLSearchParams) => Promise<unknown>> = {
    '/api/symbols': (q) => api.symbols(q), '/api/prices': (q) => api.prices(q), '/api/candles': (q) => api.candles(q),
    '/api/sentiment': (q) => api.sentiment(q), '/api/mentions/top': (q) => api.topMentions(q), '/api/posts': (q) => api.posts(q), '/api/alerts': (q) => api.alerts(q),
  };
  const route = routes[target.path];
  if (!route) throw new Error(`no route ${target.path}`);
  let i = 0;
  return async () => {
    JSON.stringify(await route(new URLSearchParams(target.queries[i++ % target.queries.length])));
  };
}

async function main(): Promise<void> {
  const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadPlan;
  const cql = plan.cassandra
    ? new cassandra.Client({ contactPoints: plan.cassandra.contactPoints, localDataCenter: 'datacenter1', keyspace: plan.cassandra.keyspace, socketOptions: { readTimeout: 30_000 } })
    : undefined;
  for (const target of plan.targets) {
    let i = 0;
    if (target.kind === 'compute') {
      // closed loop: one computation at a time, each timed from its start
      const once = await computeOnce(plan, target);
      for (const until = performance.now() + plan.warmupSeconds * 1000; performance.now() < until;) await once();
      const latencies: number[] = [];
      const t0 = performance.now();
      while (performance.now() - t0 < plan.seconds * 1000) {
        const s = performance.now();
        await once();
        latencies.push(performance.now() - s);
      }
      process.stdout.write(`${JSON.stringify({ name: target.name, ...latencyStats(latencies, (performance.now() - t0) / 1000) })}\n`);
      continue;
    }
    const send: () => Promise<void> = target.kind === 'http'
      ? () => get(target.urls[i++ % target.urls.length]!)
      : target.kind === 'cql'
        ? () => cql!.execute(target.queries[i++ % target.queries.length]!, [], { prepare: true, fetchSize: 5000 }).then(() => undefined)
        : await alerterTick(plan, target.rulesFile);
    const run = async (seconds: number): Promise<{ latencies: number[]; errors: number; firstError?: string; wall: number }> => {
      const latencies: number[] = [];
      let errors = 0;
      let firstError: string | undefined;
      let inFlight = 0;
      const n = Math.round(seconds * plan.rate);
      const t0 = performance.now();
      const pending: Promise<void>[] = [];
      for (let k = 0; k < n; k++) {
        const due = t0 + (k * 1000) / plan.rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        if (inFlight >= plan.maxInFlight) {
          errors++;
          firstError ??= `more than ${plan.maxInFlight} requests in flight`;
          continue;
        }
        inFlight++;
        pending.push(send().then(
          () => { latencies.push(performance.now() - due); },
          (err: unknown) => { errors++; firstError ??= (err as Error).message; },
        ).finally(() => { inFlight--; }));
      }
      await Promise.all(pending);
      return { latencies, errors, ...(firstError ? { firstError } : {}), wall: (performance.now() - t0) / 1000 };
    };
    if (plan.warmupSeconds > 0) await run(plan.warmupSeconds);
    const r = await run(plan.seconds);
    process.stdout.write(`${JSON.stringify({ name: target.name, ...latencyStats(r.latencies, r.wall, r.errors), ...(r.firstError ? { firstError: r.firstError } : {}) })}\n`);
  }
  await cql?.shutdown();
  agent.destroy();
  process.exit(0);
}

await main();
