/**
 * The Grafana dashboard, typed against @grafana/schema. k8s/grafana/dashboards/
 * stockstreamer.json is this module's output and what Grafana loads; a test
 * keeps the two equal. After a change here:
 *
 *   node terraform/lib/dashboard.ts > k8s/grafana/dashboards/stockstreamer.json
 *
 * Every query is raw CQL for the hadesarchitect-cassandra-datasource plugin:
 * first column the series name, then a number, then a timestamp. Time ranges use
 * the plugin's $__timeFrom / $__timeTo (epoch milliseconds). Time series are
 * bucketed by day (invariant 5), so range queries name their day partitions:
 * `day IN (${candle_days:singlequote})`, where a hidden variable per table lists
 * the day_index buckets holding the ticker's rows within the range, newest
 * first and at most DAYS_MAX of them: a panel reads a bounded number of
 * partitions whatever range is picked (a 30-day range shows its newest week of
 * 1-minute rows). Queries for a fixed window compute their buckets in CQL
 * (to_date, floor). Where a panel takes the latest row, the table's clustering
 * order (newest first) with LIMIT / PER PARTITION LIMIT does it. The ticker
 * picker reads price_board's one partition, not a scan of latest_prices.
 */
import type {
  DataSourceRef, Dashboard, FieldColorModeId, Panel, ThresholdsConfig, ThresholdsMode, VariableHide, VariableModel, VariableRefresh, VariableSort,
} from '@grafana/schema';

import { insightPanels } from './dashboard-insight.ts';

export const DATASOURCE: DataSourceRef = { type: 'hadesarchitect-cassandra-datasource', uid: 'stockstreamer-cassandra' };

export interface CassandraTarget {
  refId: string;
  datasource: DataSourceRef;
  queryType: 'query';
  rawQuery: true;
  /** the CQL */
  target: string;
  alias?: string;
  [key: string]: unknown;
}

const q = (refId: string, cql: string, alias?: string): CassandraTarget => ({
  refId, datasource: DATASOURCE, queryType: 'query', rawQuery: true, target: cql.replace(/\s+/g, ' ').trim(), ...(alias ? { alias } : {}),
});

/**
 * Day partitions a range panel reads at most: the newest 8 buckets of the range
 * that hold rows, a week and the day it starts in (the built-in page's longest
 * range, too). Longer ranges show their newest week of 1-minute rows.
 */
export const DAYS_MAX = 8;
/** the hidden variable of each day-bucketed table's partitions, by the day_index scope that lists them */
export const DAY_VARIABLES = { candle_days: 'candles', sentiment_days: 'sentiment', post_days: 'posts' } as const;
const inDays = (variable: keyof typeof DAY_VARIABLES) => `day IN (\${${variable}:singlequote})`;
const candlesInRange = (cols: string) =>
  `SELECT symbol, ${cols}, minute FROM candles_1m WHERE symbol = '$ticker' AND ${inDays('candle_days')} AND minute >= $__timeFrom AND minute <= $__timeTo`;
const sentimentInRange = (cols: string) =>
  `SELECT ticker, ${cols}, minute FROM ticker_sentiment_1m WHERE ticker = '$ticker' AND ${inDays('sentiment_days')} AND minute >= $__timeFrom AND minute <= $__timeTo`;
/** count-weighted mean sentiment of the window ending at the range's end; its day buckets computed in CQL */
const sentimentMean = (label: string, window: string) =>
  `SELECT (text)'${label}' AS window, sum(sum) / sum(count) AS mean, max(minute) AS minute FROM ticker_sentiment_1m
   WHERE ticker = '$ticker' AND day IN (to_date((timestamp)$__timeTo), to_date((timestamp)$__timeTo - ${window}))
   AND minute > (timestamp)$__timeTo - ${window} AND minute <= $__timeTo`;

/** a candlestick panel of a roll-up table over a fixed window ending with the range */
const rollupCandles = (title: string, table: 'candles_1h' | 'candles_1d', column: 'hour' | 'day', window: string, x: number, y: number, description: string): Panel => panel({
  type: 'candlestick', title, gridPos: { x, y, w: 12, h: 9 }, description,
  targets: [q('A', `SELECT symbol, open, high, low, close, volume, ${column} FROM ${table}
                    WHERE symbol = '$ticker' AND ${column} > (timestamp)$__timeTo - ${window} AND ${column} <= $__timeTo`)],
  transformations: [sortByTime(column)],
  fieldConfig: { defaults: { unit: 'currencyUSD' }, overrides: [{ matcher: { id: 'byName', options: 'volume' }, properties: [{ id: 'unit', value: 'short' }] }] },
  options: {
    mode: 'candles+volume', candleStyle: 'candles', colorStrategy: 'open-close', includeAllFields: false,
    fields: { open: 'open', high: 'high', low: 'low', close: 'close', volume: 'volume' },
    colors: { up: 'green', down: 'red' }, legend: { showLegend: false, displayMode: 'list', placement: 'bottom' },
  },
});

/** hourly candles of the 30 days and daily candles of the year ending with the range: what minute rows cannot show in a bounded read */
function longRangePanels(y: number): Panel[] {
  return [
    rollupCandles('Hourly candles — $ticker, 30 days', 'candles_1h', 'hour', '30d', 0, y,
      'candles_1h: the 30 days ending with the range (720 rows at most), rolled up from the 1-minute candles'),
    rollupCandles('Daily candles — $ticker, 1 year', 'candles_1d', 'day', '366d', 12, y,
      'candles_1d: the UTC days of the year ending with the range, rolled up from the hourly candles'),
  ];
}

// The schema's enums are TypeScript enums; their string values are what the JSON holds.
const ABSOLUTE = 'absolute' as ThresholdsMode;
const byThresholds = { mode: 'thresholds' as FieldColorModeId };
const sentimentThresholds: ThresholdsConfig = {
  mode: ABSOLUTE,
  steps: [{ color: 'red', value: null }, { color: 'text', value: -0.05 }, { color: 'green', value: 0.05 }],
};
const sortByTime = (field: string, desc = false) => ({ id: 'sortBy', options: { sort: [{ field, desc }] } });

type P = Omit<Panel, 'datasource' | 'targets'> & { targets: CassandraTarget[] };
let nextId = 1;
const panel = (p: Omit<P, 'id'>): Panel => ({ id: nextId++, datasource: DATASOURCE, ...p } as Panel);

export function buildDashboard(): Dashboard {
  nextId = 1;
  const panels: Panel[] = [
    panel({
      type: 'stat', title: 'Latest price', gridPos: { x: 0, y: 0, w: 6, h: 4 },
      description: 'latest_prices: the newest trade by event time',
      targets: [q('A', "SELECT symbol, price, ts FROM latest_prices WHERE symbol = '$ticker'")],
      fieldConfig: { defaults: { unit: 'currencyUSD', decimals: 2 }, overrides: [] },
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '/^price$/', values: false }, colorMode: 'none', graphMode: 'none', textMode: 'value' },
    }),
    panel({
      type: 'stat', title: 'Change over the range', gridPos: { x: 6, y: 0, w: 6, h: 4 },
      description: 'last 1-minute close against the first close in the time range',
      targets: [q('A', candlesInRange('close'))],
      transformations: [sortByTime('minute')],
      fieldConfig: {
        defaults: { unit: 'percent', decimals: 2, color: byThresholds, thresholds: { mode: ABSOLUTE, steps: [{ color: 'red', value: null }, { color: 'green', value: 0 }] } },
        overrides: [],
      },
      options: { reduceOptions: { calcs: ['diffperc'], fields: '/^close$/', values: false }, colorMode: 'value', graphMode: 'area', textMode: 'value' },
    }),
    panel({
      type: 'stat', title: 'Mentions in the range', gridPos: { x: 12, y: 0, w: 6, h: 4 },
      targets: [q('A', sentimentInRange('count'))],
      fieldConfig: { defaults: { unit: 'short', decimals: 0 }, overrides: [] },
      options: { reduceOptions: { calcs: ['sum'], fields: '/^count$/', values: false }, colorMode: 'none', graphMode: 'none', textMode: 'value' },
    }),
    panel({
      type: 'stat', title: 'Sentiment in the range', gridPos: { x: 18, y: 0, w: 6, h: 4 },
      description: 'mean of the per-minute means (minutes with mentions only)',
      targets: [q('A', sentimentInRange('mean'))],
      fieldConfig: { defaults: { decimals: 3, min: -1, max: 1, color: byThresholds, thresholds: sentimentThresholds }, overrides: [] },
      options: { reduceOptions: { calcs: ['mean'], fields: '/^mean$/', values: false }, colorMode: 'value', graphMode: 'none', textMode: 'value' },
    }),
    panel({
      type: 'timeseries', title: 'Price — $ticker', gridPos: { x: 0, y: 4, w: 12, h: 9 },
      targets: [q('A', candlesInRange('close'), 'close')],
      transformations: [sortByTime('minute')],
      fieldConfig: { defaults: { unit: 'currencyUSD', custom: { lineWidth: 2, fillOpacity: 8, showPoints: 'never' } }, overrides: [] },
      options: { legend: { showLegend: false, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'single' } },
    }),
    panel({
      type: 'candlestick', title: '1-minute candles and volume — $ticker', gridPos: { x: 12, y: 4, w: 12, h: 9 },
      targets: [q('A', candlesInRange('open, high, low, close, volume'))],
      transformations: [sortByTime('minute')],
      fieldConfig: { defaults: { unit: 'currencyUSD' }, overrides: [{ matcher: { id: 'byName', options: 'volume' }, properties: [{ id: 'unit', value: 'short' }] }] },
      options: {
        mode: 'candles+volume', candleStyle: 'candles', colorStrategy: 'open-close', includeAllFields: false,
        fields: { open: 'open', high: 'high', low: 'low', close: 'close', volume: 'volume' },
        colors: { up: 'green', down: 'red' }, legend: { showLegend: true, displayMode: 'list', placement: 'bottom' },
      },
    }),
    panel({
      type: 'gauge', title: 'Sentiment now — $ticker', gridPos: { x: 0, y: 13, w: 10, h: 8 },
      description: 'latest minute, then count-weighted means of the last 30 min, 1 h, 2 h and 4 h before the end of the range',
      targets: [
        q('A', `SELECT (text)'latest' AS window, mean, minute FROM ticker_sentiment_1m
                WHERE ticker = '$ticker' AND day IN (to_date((timestamp)$__timeTo), to_date((timestamp)$__timeTo - 1d))
                AND minute <= $__timeTo PER PARTITION LIMIT 1`, 'latest'),
        q('B', sentimentMean('30 min', '30m'), '30 min'),
        q('C', sentimentMean('1 h', '1h'), '1 h'),
        q('D', sentimentMean('2 h', '2h'), '2 h'),
        q('E', sentimentMean('4 h', '4h'), '4 h'),
      ],
      transformations: [sortByTime('minute')],
      fieldConfig: { defaults: { min: -1, max: 1, decimals: 2, color: byThresholds, thresholds: sentimentThresholds }, overrides: [] },
      options: { reduceOptions: { calcs: ['lastNotNull'], fields: '/^mean$/', values: false }, showThresholdMarkers: true, showThresholdLabels: false },
    }),
    panel({
      type: 'timeseries', title: 'Sentiment, moving average and volatility — $ticker', gridPos: { x: 10, y: 13, w: 14, h: 8 },
      description: 'per-minute mean; moving average and standard deviation over the last 10 minutes with mentions (STOCKSTREAMER_SENTIMENT_SPAN_MIN)',
      targets: [q('A', sentimentInRange('mean'), 'sentiment')],
      transformations: [
        sortByTime('minute'),
        { id: 'calculateField', options: { mode: 'windowFunctions', alias: 'moving average', window: { field: 'mean', reducer: 'mean', windowSize: 10, windowSizeMode: 'fixed', windowAlignment: 'trailing' } } },
        { id: 'calculateField', options: { mode: 'windowFunctions', alias: 'volatility', window: { field: 'mean', reducer: 'stdDev', windowSize: 10, windowSizeMode: 'fixed', windowAlignment: 'trailing' } } },
      ],
      fieldConfig: {
        defaults: { min: -1, max: 1, decimals: 3, custom: { showPoints: 'never', lineWidth: 1 } },
        overrides: [
          { matcher: { id: 'byName', options: 'moving average' }, properties: [{ id: 'custom.lineWidth', value: 3 }, { id: 'color', value: { mode: 'fixed', fixedColor: 'blue' } }] },
          { matcher: { id: 'byName', options: 'volatility' }, properties: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [6, 4] } }, { id: 'color', value: { mode: 'fixed', fixedColor: 'orange' } }, { id: 'min', value: 0 }] },
        ],
      },
      options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    }),
    panel({
      type: 'timeseries', title: 'Mentions per minute — $ticker', gridPos: { x: 0, y: 21, w: 12, h: 8 },
      targets: [q('A', sentimentInRange('count'), 'mentions')],
      transformations: [sortByTime('minute')],
      fieldConfig: { defaults: { unit: 'short', decimals: 0, custom: { drawStyle: 'bars', fillOpacity: 60, lineWidth: 1 } }, overrides: [] },
      options: { legend: { showLegend: false, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'single' } },
    }),
    panel({
      type: 'bargauge', title: 'Top tickers — this hour and the last', gridPos: { x: 12, y: 21, w: 12, h: 8 },
      description: 'mentions_by_hour: the hour holding the end of the range and the one before, summed per ticker',
      targets: [q('A', `SELECT ticker, count, hour FROM mentions_by_hour
                        WHERE hour IN (floor((timestamp)$__timeTo, 1h), floor((timestamp)$__timeTo - 1h, 1h))`)],
      transformations: [
        { id: 'merge', options: {} },
        { id: 'groupBy', options: { fields: { ticker: { operation: 'groupby', aggregations: [] }, count: { operation: 'aggregate', aggregations: ['sum'] } } } },
        { id: 'sortBy', options: { sort: [{ field: 'count (sum)', desc: true }] } },
        { id: 'limit', options: { limitField: 10 } },
      ],
      fieldConfig: { defaults: { unit: 'short', decimals: 0, displayName: '${__data.fields.ticker}', color: { mode: 'continuous-BlPu' as FieldColorModeId } }, overrides: [] },
      options: { reduceOptions: { calcs: [], fields: '/^count \\(sum\\)$/', values: true }, orientation: 'horizontal', displayMode: 'gradient', showUnfilled: true },
    }),
    panel({
      type: 'table', title: 'Latest comments on $ticker', gridPos: { x: 0, y: 29, w: 24, h: 10 },
      description: 'newest first: posts_by_ticker rows of the range, at most 50 per day bucket',
      targets: [q('A', `SELECT ticker, created, subreddit, author, text, sentiment, label, permalink FROM posts_by_ticker
                        WHERE ticker = '$ticker' AND ${inDays('post_days')} AND created >= $__timeFrom AND created <= $__timeTo PER PARTITION LIMIT 50`)],
      transformations: [
        { id: 'merge', options: {} },
        sortByTime('created', true),
        { id: 'limit', options: { limitField: 50 } },
        { id: 'organize', options: { excludeByName: { ticker: true }, indexByName: { created: 0, subreddit: 1, author: 2, sentiment: 3, label: 4, text: 5, permalink: 6 } } },
      ],
      fieldConfig: {
        defaults: { custom: { cellOptions: { type: 'auto' }, inspect: true } },
        overrides: [
          { matcher: { id: 'byName', options: 'sentiment' }, properties: [
            { id: 'decimals', value: 2 }, { id: 'thresholds', value: sentimentThresholds }, { id: 'color', value: { mode: 'thresholds' } },
            { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } }, { id: 'custom.width', value: 100 },
          ] },
          { matcher: { id: 'byName', options: 'permalink' }, properties: [
            { id: 'links', value: [{ title: 'open on Reddit', url: '${__value.raw}', targetBlank: true }] }, { id: 'custom.width', value: 120 },
            { id: 'displayName', value: 'link' },
          ] },
          { matcher: { id: 'byName', options: 'text' }, properties: [{ id: 'custom.cellOptions', value: { type: 'auto', wrapText: true } }] },
          { matcher: { id: 'byName', options: 'created' }, properties: [{ id: 'unit', value: 'dateTimeAsLocal' }, { id: 'custom.width', value: 170 }] },
        ],
      },
      options: { showHeader: true, cellHeight: 'sm', sortBy: [{ displayName: 'created', desc: true }] },
    }),
    panel({
      type: 'timeseries', title: 'Price against sentiment — $ticker', gridPos: { x: 0, y: 39, w: 24, h: 9 },
      targets: [q('A', candlesInRange('close'), 'price'), q('B', sentimentInRange('mean'), 'sentiment')],
      transformations: [sortByTime('minute')],
      fieldConfig: {
        defaults: { custom: { showPoints: 'never', lineWidth: 2 } },
        overrides: [
          { matcher: { id: 'byFrameRefID', options: 'A' }, properties: [{ id: 'unit', value: 'currencyUSD' }, { id: 'custom.axisPlacement', value: 'left' }, { id: 'custom.axisLabel', value: 'price' }] },
          { matcher: { id: 'byFrameRefID', options: 'B' }, properties: [
            { id: 'custom.axisPlacement', value: 'right' }, { id: 'custom.axisLabel', value: 'sentiment' }, { id: 'min', value: -1 }, { id: 'max', value: 1 },
            { id: 'custom.drawStyle', value: 'points' }, { id: 'custom.pointSize', value: 4 },
          ] },
        ],
      },
      options: { legend: { showLegend: true, displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    }),
    // issue 11: rankings, crowd and history from the crowd tallies (dashboard-insight.ts)
    ...insightPanels({ panel: panel as (p: Record<string, unknown>) => Panel, q, inDays }, 48),
    // issue 13: long ranges from the candle roll-ups (006_candle_rollups.cql), one slice of one partition each
    ...longRangePanels(65),
  ];

  const templating: VariableModel[] = [
    {
      name: 'ticker', label: 'Ticker', type: 'query', datasource: DATASOURCE,
      description: 'the tracked symbols (price_board: one partition)',
      query: { query: 'SELECT symbol FROM price_board WHERE board = 0' },
      refresh: 1 as VariableRefresh, sort: 1 as VariableSort, multi: false, includeAll: false,
      options: [],
    },
    ...Object.entries(DAY_VARIABLES).map(([name, scope]): VariableModel => ({
      name, label: `Day buckets (${scope})`, type: 'query', datasource: DATASOURCE, hide: 2 as VariableHide,
      description: `the newest ${DAYS_MAX} day partitions (UTC) of the range that hold ${scope} rows for the ticker (day_index, newest first)`,
      query: {
        query: `SELECT CAST(day AS text) FROM day_index WHERE scope = '${scope}/$ticker' AND day >= to_date((timestamp)\${__from}) AND day <= to_date((timestamp)\${__to}) LIMIT ${DAYS_MAX}`,
      },
      refresh: 2 as VariableRefresh, sort: 0 as VariableSort, multi: true, includeAll: true,
      current: { text: ['All'], value: ['$__all'], selected: true }, options: [],
    })),
  ];

  return {
    uid: 'stockstreamer',
    title: 'stockstreamer',
    description: 'Live prices, 1-minute candles, Reddit sentiment and mentions per ticker (Cassandra)',
    tags: ['stockstreamer', 'cassandra'],
    editable: false,
    graphTooltip: 1,
    timezone: 'browser',
    refresh: '10s',
    schemaVersion: 41,
    time: { from: 'now-6h', to: 'now' },
    timepicker: { refresh_intervals: ['5s', '10s', '30s', '1m', '5m'] },
    fiscalYearStartMonth: 0,
    liveNow: false,
    weekStart: '',
    links: [],
    annotations: { list: [] },
    templating: { list: templating },
    panels,
  } as Dashboard;
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(buildDashboard(), null, 2)}\n`);
}
