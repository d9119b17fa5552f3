import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cassandra from 'cassandra-driver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dashboard } from '@grafana/schema';
import { createEmbeddedPipeline } from '../../services/cli/embedded.ts';
import { createCassandraStore } from '../../services/lib/io/store/cassandra.ts';
import { migrate } from '../../services/lib/io/store/migrate.ts';
import type { Store } from '../../services/lib/io/store/repository.ts';
import { loadConfig } from '../../services/lib/runtime/config.ts';
import { silentLogger } from '../../services/lib/runtime/logger.ts';
import { renderPanelQueries, renderVariableQueries, type RenderContext } from '../../terraform/lib/grafana-queries.ts';
import { DAY_VARIABLES, DAYS_MAX } from '../../terraform/lib/dashboard.ts';

/**
 * Every panel of the provisioned Grafana dashboard, its CQL rendered as Grafana
 * and the Cassandra plugin would send it, run against the real Cassandra 5 of
 * the local stack (`make up`) holding the output of the real pipeline (the
 * recorded sample replayed through producers and processor into the Cassandra
 * store). Each must run and return rows of the shape the plugin reads: first
 * column the series name (text), a number, a timestamp.
 */
const contactPoints = (process.env.STOCKSTREAMER_CASSANDRA_CONTACT_POINTS ?? `127.0.0.1:${process.env.CASSANDRA_PORT ?? 9042}`).split(',');
const localDataCenter = process.env.STOCKSTREAMER_CASSANDRA_DC ?? 'datacenter1';
const keyspace = `ss_grafana_${randomBytes(4).toString('hex')}`;
const logger = silentLogger();
const dashboard = JSON.parse(readFileSync('k8s/grafana/dashboards/stockstreamer.json', 'utf8')) as Dashboard;
const HOUR = 3_600_000;

const T = cassandra.types.dataTypes;
const TEXT = new Set<number>([T.text, T.varchar, T.ascii]);
const NUMBER = new Set<number>([T.double, T.float, T.int, T.bigint, T.decimal, T.varint, T.smallint, T.tinyint, T.counter]);

let admin: cassandra.Client;
let reader: cassandra.Client;
let store: Store;
let ctx: RenderContext;

beforeAll(async () => {
  admin = new cassandra.Client({ contactPoints, localDataCenter });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`Cassandra is not reachable at ${contactPoints.join(',')} (start it with \`make up\`): ${(err as Error).message}`, { cause: err });
  }
  await migrate({ contactPoints, localDataCenter, keyspace, replicationFactor: 1, logger, seedCompanies: false });
  store = createCassandraStore({ contactPoints, localDataCenter, keyspace, logger, tradeTtlSeconds: 0 });

  const home = mkdtempSync(join(tmpdir(), 'ss-grafana-'));
  const config = loadConfig({
    STOCKSTREAMER_HOME: home,
    STOCKSTREAMER_CREDENTIALS: join(home, 'absent.ini'),
    STOCKSTREAMER_SOURCE: 'replay',
    STOCKSTREAMER_REPLAY_DIR: 'data/recorded',
    STOCKSTREAMER_REPLAY_SPEED: '0',
    STOCKSTREAMER_CANDLE_LATENESS_MS: String(HOUR),
    STOCKSTREAMER_SENTIMENT_LATENESS_MS: String(24 * HOUR),
  });
  const pipeline = await createEmbeddedPipeline({ config, credentials: { reddit: null, finnhubToken: null }, logger, store, drainTimeoutMs: 60_000 });
  await pipeline.run(new AbortController().signal);

  // The dashboard's default view: the ticker with the most mentions, the range ending just after the data.
  const prices = await store.latestPrices();
  const hours = await store.mentionsHours(0, 8_640_000_000_000);
  const tracked = new Set(prices.map((p) => p.symbol));
  const counts = new Map<string, number>();
  for (const h of hours) if (tracked.has(h.ticker)) counts.set(h.ticker, (counts.get(h.ticker) ?? 0) + h.count);
  const ticker = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  expect(ticker, 'a tracked symbol that the posts mention').toBeDefined();
  const newest = Math.max(...prices.map((p) => p.timestamp));
  ctx = { ticker: ticker!, from: newest - 6 * HOUR, to: newest + 60_000 };

  // what the Grafana datasource does: a session on the keyspace of the provisioning file
  reader = new cassandra.Client({ contactPoints, localDataCenter, keyspace });
  await reader.connect();
}, 240_000);

afterAll(async () => {
  await store?.close();
  await reader?.shutdown();
  await admin?.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => {});
  await admin?.shutdown();
});

describe('Grafana panels against Cassandra holding pipeline output', () => {
  it('fills the ticker picker from price_board and the hidden day lists from day_index, newest first', async () => {
    const vars = renderVariableQueries(dashboard, ctx);
    const tickers = (await reader.execute(vars.find((v) => v.name === 'ticker')!.cql)).rows.map((r) => r.values()[0]);
    expect(tickers).toContain(ctx.ticker);
    expect([...tickers].sort()).toEqual((await store.latestPrices()).map((p) => p.symbol));
    const days: Record<string, string[]> = {};
    for (const name of Object.keys(DAY_VARIABLES)) {
      days[name] = (await reader.execute(vars.find((v) => v.name === name)!.cql)).rows.map((r) => r.values()[0] as string);
      expect(days[name]!.length, name).toBeGreaterThan(0);
      expect(days[name]!.length, name).toBeLessThanOrEqual(DAYS_MAX);
      for (const d of days[name]!) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(days[name], name).toEqual([...days[name]!].sort().reverse());
    }
    ctx = { ...ctx, days };
  });

  it('runs every panel query and returns rows of the shape the panel reads', async () => {
    const queries = renderPanelQueries(dashboard, ctx);
    expect(queries.length).toBeGreaterThanOrEqual(15);
    const empty: string[] = [];
    for (const q of queries) {
      const where = `${q.panelTitle} [${q.refId}] ${q.cql}`;
      const rs = await reader.execute(q.cql).catch((err: unknown) => { throw new Error(`${where}\n→ ${(err as Error).message}`); });
      const types = rs.columns.map((c) => c.type.code as number);
      expect(TEXT.has(types[0]!), `${where}: first column is the series name`).toBe(true);
      expect(types.some((t) => NUMBER.has(t)), `${where}: a numeric value`).toBe(true);
      expect(types.includes(T.timestamp), `${where}: a timestamp`).toBe(true);
      const rows = rs.rows.filter((r) => r.values()[0] !== null); // an aggregate over no rows answers one row of nulls
      if (rows.length === 0) empty.push(`${q.panelTitle} [${q.refId}]`);
      for (const r of rows) {
        const values = r.values();
        expect(typeof values[0], where).toBe('string');
        const ts = values[types.indexOf(T.timestamp)] as Date;
        expect(ts.getTime(), `${where}: newest row within the range`).toBeLessThanOrEqual(ctx.to);
      }
    }
    // With the sample loaded, only the longer sentiment windows may legitimately be empty; every panel shows data.
    expect(empty.filter((e) => !/Sentiment now/.test(e))).toEqual([]);
  });

  it('answers the latest rows newest first and the range in order', async () => {
    const [price] = renderPanelQueries(dashboard, ctx).filter((q) => q.panelTitle === 'Latest price');
    const rows = (await reader.execute(price!.cql)).rows;
    expect(rows).toHaveLength(1);
    const latest = (await store.latestPrices()).find((p) => p.symbol === ctx.ticker)!;
    expect(rows[0]!.get('price')).toBe(latest.price);

    const comments = renderPanelQueries(dashboard, ctx).find((q) => q.panelType === 'table')!;
    const created = (await reader.execute(comments.cql)).rows.map((r) => (r.get('created') as Date).getTime());
    expect(created.length).toBeGreaterThan(0);
    // within each day bucket, clustering order gives newest first (the panel sorts across buckets)
    const byDay = new Map<number, number[]>();
    for (const c of created) byDay.set(Math.floor(c / 86_400_000), [...(byDay.get(Math.floor(c / 86_400_000)) ?? []), c]);
    for (const list of byDay.values()) expect(list).toEqual([...list].sort((a, b) => b - a));

    const candles = renderPanelQueries(dashboard, ctx).find((q) => q.panelType === 'candlestick')!;
    const fromStore = await store.candles(ctx.ticker, ctx.from, ctx.to + 1);
    expect((await reader.execute(candles.cql)).rows.length).toBe(fromStore.length);

    // the long-range panels read the roll-ups the processor kept: every hour and day with trades in their window
    const hourly = renderPanelQueries(dashboard, ctx).find((q) => q.panelTitle.startsWith('Hourly candles'))!;
    const hours = await store.candleRollups('hour', ctx.ticker, ctx.to - 30 * 86_400_000 + 1, ctx.to + 1);
    expect(hours.length).toBeGreaterThan(0);
    expect((await reader.execute(hourly.cql)).rows.map((r) => r.get('close'))).toEqual(hours.map((h) => h.close).reverse());
    const minutes = await store.candles(ctx.ticker, hours[0]!.minute, hours[0]!.minute + HOUR);
    expect(hours[0]!.close).toBe(minutes.at(-1)!.close);
  });
});
