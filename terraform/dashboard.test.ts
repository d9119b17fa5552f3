import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dashboard, Panel } from '@grafana/schema';
import { buildDashboard, DATASOURCE, DAY_VARIABLES, DAYS_MAX } from './lib/dashboard.ts';
import { DEFAULT_DAYS_MAX, renderCql, renderPanelQueries, renderVariableQueries, utcDaysBetween } from './lib/grafana-queries.ts';

const root = resolve(import.meta.dirname, '..');
const file = resolve(root, 'k8s/grafana/dashboards/stockstreamer.json');
const dashboard = JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
const panels = (dashboard.panels ?? []) as Panel[];

/** table → columns, from the migrations the cluster applies */
function schemaTables(): Map<string, Set<string>> {
  const tables = new Map<string, Set<string>>();
  const dir = resolve(root, 'k8s/cassandra');
  for (const f of readdirSync(dir).filter((n) => /^\d{3}_\w+\.cql$/.test(n)).sort()) {
    const text = readFileSync(resolve(dir, f), 'utf8').replace(/--.*$/gm, '');
    for (const m of text.matchAll(/CREATE TABLE IF NOT EXISTS (\w+) \(([\s\S]*?)\n\)/g)) {
      const cols = [...m[2]!.matchAll(/(\w+) (?:text|date|timestamp|int|bigint|double|list<text>|frozen<)/g)].map((c) => c[1]!);
      tables.set(m[1]!, new Set(cols));
    }
  }
  return tables;
}

const ctx = { ticker: 'NVDA', from: Date.UTC(2026, 10, 23, 22), to: Date.UTC(2026, 10, 24, 4) };

describe('Grafana dashboard (k8s/grafana/dashboards/stockstreamer.json)', () => {
  it('is exactly what the typed builder produces (node terraform/lib/dashboard.ts > k8s/grafana/dashboards/stockstreamer.json)', () => {
    expect(dashboard).toEqual(JSON.parse(JSON.stringify(buildDashboard())));
  });

  it('uses the provisioned Cassandra datasource everywhere, with raw CQL', () => {
    const provisioned = readFileSync(resolve(root, 'k8s/grafana/provisioning/datasources/cassandra.yaml'), 'utf8');
    expect(provisioned).toContain(`uid: ${DATASOURCE.uid}`);
    expect(provisioned).toContain(`type: ${DATASOURCE.type}`);
    for (const p of panels) {
      expect(p.datasource, p.title).toEqual(DATASOURCE);
      for (const t of p.targets ?? []) expect(t, p.title).toMatchObject({ datasource: DATASOURCE, rawQuery: true, queryType: 'query', target: expect.stringMatching(/^SELECT /) });
    }
  });

  it('lays panels out on the 24-column grid without overlap, with unique ids', () => {
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const cells = new Set<string>();
    for (const p of panels) {
      const g = p.gridPos!;
      expect(g.x + g.w, p.title).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) for (let y = g.y; y < g.y + g.h; y++) {
        expect(cells.has(`${x},${y}`), `${p.title} overlaps at ${x},${y}`).toBe(false);
        cells.add(`${x},${y}`);
      }
    }
  });

  it('has the panels the issue asks for', () => {
    const types = panels.map((p) => `${p.type}:${p.title}`);
    for (const want of [/^stat:Latest price/, /^stat:Change/, /^timeseries:Price/, /^candlestick:1-minute candles/, /^gauge:Sentiment now/,
      /^timeseries:Sentiment, moving average and volatility/, /^timeseries:Mentions per minute/, /^bargauge:Top tickers/, /^table:Latest comments/, /^timeseries:Price against sentiment/]) {
      expect(types.some((t) => want.test(t)), String(want)).toBe(true);
    }
    const ticker = dashboard.templating!.list!.find((v) => v.name === 'ticker')!;
    // one partition, not a scan of latest_prices
    expect(ticker.query).toEqual({ query: 'SELECT symbol FROM price_board WHERE board = 0' });
    const gauge = panels.find((p) => p.type === 'gauge')!;
    expect((gauge.targets as { alias?: string }[]).map((t) => t.alias)).toEqual(['latest', '30 min', '1 h', '2 h', '4 h']);
    const comments = panels.find((p) => p.type === 'table')!;
    expect(JSON.stringify(comments.fieldConfig)).toContain('color-background');
    expect(JSON.stringify(comments.fieldConfig)).toContain('${__value.raw}');
  });

  it('renders every query with its macros filled, on tables and columns the schema has', () => {
    const tables = schemaTables();
    const queries = [...renderPanelQueries(dashboard, ctx), ...renderVariableQueries(dashboard, ctx).map((v) => ({ panelTitle: `variable ${v.name}`, cql: v.cql, refId: '-' }))];
    expect(queries.length).toBeGreaterThanOrEqual(16);
    for (const q of queries) {
      const where = `${q.panelTitle} ${q.refId}: ${q.cql}`;
      expect(q.cql, where).not.toMatch(/\$/);
      const table = /FROM (\w+)/.exec(q.cql)![1]!;
      expect(tables.has(table), where).toBe(true);
      const cols = tables.get(table)!;
      const select = /^SELECT (.*?) FROM/.exec(q.cql)![1]!;
      const identifiers = select.replace(/'[^']*'/g, '').replace(/\(text\)|\bAS \w+|\b(sum|max|CAST|AS|text|timestamp)\b/g, ' ').match(/[a-z_]+/g) ?? [];
      for (const id of identifiers) expect(cols.has(id), `${where}: column ${id}`).toBe(true);
      for (const [, col] of q.cql.matchAll(/\b(\w+) (?:=|>=|<=|<|>|IN) /g)) if (!['AND', 'WHERE'].includes(col!)) expect(cols.has(col!), `${where}: where ${col}`).toBe(true);
    }
  });

  it('bounds every read of a day-bucketed table by its day and the range (no scan, no ALLOW FILTERING)', () => {
    for (const q of renderPanelQueries(dashboard, ctx)) {
      expect(q.cql).not.toMatch(/ALLOW FILTERING/i);
      if (/FROM (candles_1m|ticker_sentiment_1m|posts_by_ticker|trades_by_symbol)/.test(q.cql)) {
        expect(q.cql, q.panelTitle).toMatch(/ day (IN \(|= )/);
        expect(q.cql, q.panelTitle).toContain(String(ctx.to));
      }
      if (/FROM mentions_by_hour/.test(q.cql)) expect(q.cql).toMatch(/hour IN \(floor\(/);
    }
    // a range panel names at most DAYS_MAX day partitions, however long the range: each day variable
    // reads one day_index partition, newest first, LIMIT DAYS_MAX
    expect(DEFAULT_DAYS_MAX).toBe(DAYS_MAX);
    const variables = renderVariableQueries(dashboard, ctx);
    expect(variables.map((v) => v.name).sort()).toEqual(['ticker', ...Object.keys(DAY_VARIABLES)].sort());
    for (const v of variables.filter((x) => x.name !== 'ticker')) {
      expect(v.cql, v.name).toMatch(new RegExp(`^SELECT CAST\\(day AS text\\) FROM day_index WHERE scope = '\\w+/NVDA' AND .* LIMIT ${DAYS_MAX}$`));
    }
    const month = { ...ctx, from: ctx.to - 30 * 86_400_000 };
    for (const q of renderPanelQueries(dashboard, month)) {
      const list = / day IN \(([^)]*)\)/.exec(q.cql)?.[1];
      if (list !== undefined && !list.includes('to_date')) expect(list.split(',').length, q.panelTitle).toBeLessThanOrEqual(DAYS_MAX);
    }
    // ranges use the plugin's macros, not a fixed time
    const raw = panels.flatMap((p) => (p.targets ?? []).map((t) => (t as { target: string }).target)).join('\n');
    expect(raw).toContain('$__timeFrom');
    expect(raw).toContain('$__timeTo');
  });

  it('renders day buckets as UTC days and refuses what it cannot fill', () => {
    expect(utcDaysBetween(ctx.from, ctx.to)).toEqual(['2026-11-23', '2026-11-24']);
    expect(renderCql("day IN (${candle_days:singlequote}) AND symbol = '$ticker'", { ...ctx, days: ['2026-11-24'] })).toBe("day IN ('2026-11-24') AND symbol = 'NVDA'");
    expect(renderCql('day IN (${post_days:singlequote})', { ...ctx, days: { post_days: ['2026-11-23'] } })).toBe("day IN ('2026-11-23')");
    expect(renderCql('day IN (${post_days:singlequote})', ctx)).toBe("day IN ('2026-11-24', '2026-11-23')");
    expect(() => renderCql('x = $unknown', ctx)).toThrow(/unrendered/);
    expect(() => renderCql("symbol = '$ticker'", { ...ctx, ticker: "X' OR 1=1" })).toThrow(/not a ticker/);
  });
});
