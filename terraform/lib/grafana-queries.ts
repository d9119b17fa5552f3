/**
 * Renders the CQL of every panel the way Grafana and the Cassandra datasource
 * plugin would send it: template variables substituted ($ticker, and the hidden
 * day variables as quoted lists), the plugin's $__timeFrom / $__timeTo and Grafana's
 * ${__from} / ${__to} as epoch milliseconds. Used by the offline dashboard
 * test and by test/integration/grafana-panels.test.ts, which runs each one
 * against a real Cassandra.
 */
import type { Dashboard, Panel, VariableModel } from '@grafana/schema';

export interface RenderContext {
  ticker: string;
  /** epoch milliseconds */
  from: number;
  /** epoch milliseconds */
  to: number;
  /**
   * values of the hidden day variables (candle_days, sentiment_days, post_days),
   * one list for all or one per variable; default what the variables answer
   * when every day holds rows: the newest DAYS_MAX UTC days from `from` to `to`
   */
  days?: string[] | Record<string, string[]>;
}

export interface RenderedQuery {
  panelId: number;
  panelTitle: string;
  panelType: string;
  refId: string;
  alias?: string;
  cql: string;
}

const DAY_MS = 86_400_000;
/** the day variables' LIMIT (terraform/lib/dashboard.ts DAYS_MAX; a test keeps them equal) */
export const DEFAULT_DAYS_MAX = 8;

/** The UTC day buckets (YYYY-MM-DD) a [from, to] range touches, oldest first. */
export function utcDaysBetween(from: number, to: number): string[] {
  const days: string[] = [];
  for (let d = Math.floor(from / DAY_MS) * DAY_MS; d <= to; d += DAY_MS) days.push(new Date(d).toISOString().slice(0, 10));
  return days;
}

const TICKER = /^[A-Z0-9.-]{1,12}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Substitutes every macro and variable; throws if anything starting with $ is left. */
export function renderCql(template: string, ctx: RenderContext): string {
  if (!TICKER.test(ctx.ticker)) throw new Error(`not a ticker: ${ctx.ticker}`);
  const daysOf = (variable: string): string[] => {
    const days = ctx.days === undefined ? utcDaysBetween(ctx.from, ctx.to).slice(-DEFAULT_DAYS_MAX).reverse()
      : Array.isArray(ctx.days) ? ctx.days : ctx.days[variable];
    if (days === undefined) throw new Error(`no values for the day variable ${variable}`);
    if (!days.every((d) => DAY.test(d))) throw new Error(`not a day: ${days.join(',')}`);
    return days;
  };
  const from = String(Math.trunc(ctx.from));
  const to = String(Math.trunc(ctx.to));
  const cql = template
    .replace(/\$\{(\w+):singlequote\}/g, (_, variable: string) => daysOf(variable).map((d) => `'${d}'`).join(', '))
    .replaceAll('$__timeFrom', from)
    .replaceAll('$__timeTo', to)
    .replaceAll('${__from}', from)
    .replaceAll('${__to}', to)
    .replaceAll('${ticker}', ctx.ticker)
    .replace(/\$ticker\b/g, ctx.ticker);
  const left = /\$[{\w]+/.exec(cql);
  if (left) throw new Error(`unrendered macro or variable ${left[0]} in: ${cql}`);
  return cql;
}

const targetsOf = (panel: Panel): { refId: string; target: string; alias?: string }[] =>
  ((panel.targets ?? []) as { refId?: string; target?: unknown; alias?: string }[]).map((t) => {
    if (typeof t.target !== 'string' || !t.refId) throw new Error(`panel ${panel.id} "${panel.title}": a target without CQL`);
    return { refId: t.refId, target: t.target, ...(t.alias ? { alias: t.alias } : {}) };
  });

export function renderPanelQueries(dashboard: Dashboard, ctx: RenderContext): RenderedQuery[] {
  const out: RenderedQuery[] = [];
  for (const p of (dashboard.panels ?? []) as Panel[]) {
    for (const t of targetsOf(p)) {
      out.push({ panelId: p.id ?? 0, panelTitle: p.title ?? '', panelType: p.type, refId: t.refId, ...(t.alias ? { alias: t.alias } : {}), cql: renderCql(t.target, ctx) });
    }
  }
  return out;
}

/** The dashboard's variable queries, rendered the same way (`days` depends on `ticker` and the range). */
export function renderVariableQueries(dashboard: Dashboard, ctx: RenderContext): { name: string; cql: string }[] {
  return ((dashboard.templating?.list ?? []) as VariableModel[])
    .filter((v) => v.type === 'query')
    .map((v) => {
      const query = typeof v.query === 'string' ? v.query : (v.query as { query?: unknown } | undefined)?.query;
      if (typeof query !== 'string') throw new Error(`variable ${v.name} has no CQL`);
      return { name: v.name, cql: renderCql(query, ctx) };
    });
}
