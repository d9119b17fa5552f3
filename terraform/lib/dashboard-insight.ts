/**
 * The insight panels of the Grafana dashboard (issue 11), read from the crowd
 * tallies (k8s/cassandra/004_crowd_tallies.cql) with bounded reads: fixed
 * lists of hour or day partitions computed in CQL, or the ticker's own slice
 * of the range's day partitions. Grafana sums and ranks what the partitions
 * hold; CQL cannot add across partitions. The built-in page and /api/rankings
 * slide to the minute; these slide by the whole hour (24 h) or the UTC day
 * (7 and 30 days). The lead-lag analysis needs code Grafana does not run: it
 * is on the built-in page and /api/leadlag.
 */
import type { FieldColorModeId, Panel, ThresholdsConfig, ThresholdsMode } from '@grafana/schema';

/** what dashboard.ts hands in: its panel and query builders */
export interface Builders {
  panel(p: Record<string, unknown>): Panel;
  q(refId: string, cql: string, alias?: string): unknown;
  /** `day IN (${variable:singlequote})` of a hidden day variable */
  inDays(variable: 'sentiment_days'): string;
}

/** the UTC days ending with the range's end, computed in CQL: a fixed number of partitions */
const lastDays = (n: number): string =>
  Array.from({ length: n }, (_, i) => (i === 0 ? 'to_date((timestamp)$__timeTo)' : `to_date((timestamp)$__timeTo - ${i}d)`)).join(', ');
/** the whole hours ending with the range's end */
const lastHours = (n: number): string =>
  Array.from({ length: n }, (_, i) => (i === 0 ? 'floor((timestamp)$__timeTo, 1h)' : `floor((timestamp)$__timeTo - ${i}h, 1h)`)).join(', ');

const sentimentThresholds: ThresholdsConfig = {
  mode: 'absolute' as ThresholdsMode,
  steps: [{ color: 'red', value: null }, { color: 'text', value: -0.05 }, { color: 'green', value: 0.05 }],
};
const rank = (field: string, limit: number) => [
  { id: 'merge', options: {} },
  { id: 'groupBy', options: { fields: { ticker: { operation: 'groupby', aggregations: [] }, [field]: { operation: 'aggregate', aggregations: ['sum'] } } } },
  { id: 'sortBy', options: { sort: [{ field: `${field} (sum)`, desc: true }] } },
  { id: 'limit', options: { limitField: limit } },
];
const onlyScope = (keep: boolean) => ({
  id: 'filterByValue',
  options: { type: keep ? 'include' : 'exclude', match: 'any', filters: [{ fieldName: 'scope', config: { id: 'equal', options: { value: '*' } } }] },
});
const bars = (field: string) => ({
  fieldConfig: { defaults: { unit: 'short', decimals: 0, displayName: '${__data.fields.ticker}', color: { mode: 'continuous-BlPu' as FieldColorModeId } }, overrides: [] },
  options: { reduceOptions: { calcs: [], fields: `/^${field} \\(sum\\)$/`, values: true }, orientation: 'horizontal', displayMode: 'gradient', showUnfilled: true },
});

export function insightPanels(b: Builders, y: number): Panel[] {
  return [
    b.panel({
      type: 'bargauge', title: 'Top tickers — last 24 hours', gridPos: { x: 0, y, w: 8, h: 9 },
      description: 'mentions_by_hour: the 24 whole hours ending with the range, summed per ticker (the page and /api/rankings slide to the minute)',
      targets: [b.q('A', `SELECT ticker, count, hour FROM mentions_by_hour WHERE hour IN (${lastHours(24)})`)],
      transformations: rank('count', 15),
      ...bars('count'),
    }),
    b.panel({
      type: 'bargauge', title: 'Top tickers — last 7 days, upvote-weighted', gridPos: { x: 8, y, w: 8, h: 9 },
      description: 'mention_days: the 7 UTC days ending with the range, every subreddit; each mention counts its post\'s score (at least once)',
      targets: [b.q('A', `SELECT ticker, scope, weighted, CAST(day AS timestamp) AS day FROM mention_days WHERE day IN (${lastDays(7)})`)],
      transformations: [onlyScope(true), ...rank('weighted', 15)],
      ...bars('weighted'),
    }),
    b.panel({
      type: 'piechart', title: 'Where $ticker is talked about — last 7 days', gridPos: { x: 16, y, w: 8, h: 9 },
      description: 'mention_days of the ticker per subreddit, the 7 UTC days ending with the range',
      targets: [b.q('A', `SELECT scope, count, CAST(day AS timestamp) AS day FROM mention_days WHERE day IN (${lastDays(7)}) AND ticker = '$ticker'`)],
      transformations: [
        onlyScope(false),
        { id: 'merge', options: {} },
        { id: 'groupBy', options: { fields: { scope: { operation: 'groupby', aggregations: [] }, count: { operation: 'aggregate', aggregations: ['sum'] } } } },
      ],
      fieldConfig: { defaults: { unit: 'short', decimals: 0, displayName: 'r/${__data.fields.scope}' }, overrides: [] },
      options: { reduceOptions: { calcs: [], fields: '/^count \\(sum\\)$/', values: true }, pieType: 'donut', legend: { showLegend: true, displayMode: 'table', placement: 'right', values: ['value', 'percent'] } },
    }),
    b.panel({
      type: 'timeseries', title: 'Mentions and upvote-weighted mentions per hour — $ticker', gridPos: { x: 0, y: y + 9, w: 12, h: 8 },
      description: 'mention_hours of the ticker, every subreddit, within the range',
      targets: [
        b.q('A', `SELECT ticker, count, hour FROM mention_hours WHERE ${b.inDays('sentiment_days')} AND ticker = '$ticker' AND scope = '*' AND hour >= $__timeFrom AND hour <= $__timeTo`, 'mentions'),
        b.q('B', `SELECT ticker, weighted, hour FROM mention_hours WHERE ${b.inDays('sentiment_days')} AND ticker = '$ticker' AND scope = '*' AND hour >= $__timeFrom AND hour <= $__timeTo`, 'upvote-weighted'),
      ],
      transformations: [{ id: 'sortBy', options: { sort: [{ field: 'hour' }] } }],
      fieldConfig: {
        defaults: { unit: 'short', decimals: 0, custom: { drawStyle: 'bars', fillOpacity: 50, lineWidth: 1 } },
        overrides: [{ matcher: { id: 'byFrameRefID', options: 'B' }, properties: [{ id: 'custom.drawStyle', value: 'line' }, { id: 'custom.axisPlacement', value: 'right' }] }],
      },
      options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    }),
    b.panel({
      type: 'timeseries', title: 'History — $ticker, daily mentions and mean sentiment (30 days)', gridPos: { x: 12, y: y + 9, w: 12, h: 8 },
      description: 'mention_days of the ticker, every subreddit, the 30 UTC days ending with the range',
      targets: [
        b.q('A', `SELECT ticker, count, CAST(day AS timestamp) AS day FROM mention_days WHERE day IN (${lastDays(30)}) AND ticker = '$ticker' AND scope = '*'`, 'mentions'),
        b.q('B', `SELECT ticker, sentiment_sum / count AS mean, CAST(day AS timestamp) AS day FROM mention_days WHERE day IN (${lastDays(30)}) AND ticker = '$ticker' AND scope = '*'`, 'mean sentiment'),
      ],
      transformations: [{ id: 'sortBy', options: { sort: [{ field: 'day' }] } }],
      fieldConfig: {
        defaults: { custom: { drawStyle: 'bars', fillOpacity: 50 } },
        overrides: [{ matcher: { id: 'byFrameRefID', options: 'B' }, properties: [
          { id: 'custom.drawStyle', value: 'line' }, { id: 'custom.axisPlacement', value: 'right' }, { id: 'min', value: -1 }, { id: 'max', value: 1 },
          { id: 'decimals', value: 2 }, { id: 'thresholds', value: sentimentThresholds }, { id: 'color', value: { mode: 'thresholds' } },
        ] }],
      },
      options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    }),
  ];
}
