// The two charts of the page, on uPlot (loaded as a classic script: globalThis.uPlot).
// uPlot draws axes, lines, bars, the band and the legend; the candle glyphs are a
// small draw hook over its scales.
import { axisLabel, candleColumns, fmtClockZ, fmtCompact, fmtDay, fmtPrice, fmtSigned, sentimentColumns, sentimentRange } from './format.js';

const COLORS = {
  axis: '#9aa4b2',
  grid: 'rgba(154,164,178,0.12)',
  up: '#26a269',
  down: '#e5484d',
  close: 'rgba(122,162,247,0.9)',
  volume: 'rgba(122,162,247,0.45)',
  mean: 'rgba(200,200,210,0.55)',
  average: '#f5a524',
  band: 'rgba(245,165,36,0.16)',
  bandEdge: 'rgba(245,165,36,0.35)',
};

const axis = (extra = {}) => ({
  stroke: COLORS.axis,
  grid: { stroke: COLORS.grid, width: 1 },
  ticks: { stroke: COLORS.grid, width: 1 },
  font: '12px system-ui, sans-serif',
  ...extra,
});

/**
 * The time zone every chart labels its times in (the page's choice); set by
 * app.js. Axes say the date too once a range spans more than a day.
 */
export const view = { timeZone: 'America/New_York' };

/** The x axis in 24-hour time in the page's zone, with dates on multi-day ranges. */
const timeAxis = () => axis({
  values: (u, splits) => {
    const span = (u.scales.x.max - u.scales.x.min) * 1000;
    return splits.map((v) => axisLabel(v * 1000, span, view.timeZone));
  },
});

const timeValue = (_u, v) => (v === null || v === undefined ? '—' : fmtClockZ(v * 1000, view.timeZone));

/** Keeps a chart as wide as its box; uPlot needs pixel sizes. */
function fitWidth(u, el, height) {
  const ro = new ResizeObserver(() => {
    const width = Math.max(200, Math.floor(el.clientWidth));
    if (width !== u.width) u.setSize({ width, height });
  });
  ro.observe(el);
  return ro;
}

/** Candle bodies and wicks at each minute, coloured by direction, clipped to the plot area. */
function drawCandles(u) {
  const [xs, open, high, low, close] = u.data;
  if (!xs || xs.length === 0) return;
  const ctx = u.ctx;
  const dpr = globalThis.devicePixelRatio || 1;
  const { left, top, width, height } = u.bbox;
  const minutePx = Math.abs(u.valToPos(xs[0] + 60, 'x', true) - u.valToPos(xs[0], 'x', true));
  const bodyW = Math.max(1, Math.min(minutePx * 0.62, 14 * dpr));
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  ctx.lineWidth = Math.max(1, dpr);
  for (let i = 0; i < xs.length; i++) {
    if (open[i] === null || close[i] === null) continue;
    const x = Math.round(u.valToPos(xs[i], 'x', true));
    const yO = u.valToPos(open[i], 'price', true);
    const yC = u.valToPos(close[i], 'price', true);
    const yH = u.valToPos(high[i], 'price', true);
    const yL = u.valToPos(low[i], 'price', true);
    const color = close[i] >= open[i] ? COLORS.up : COLORS.down;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.beginPath();
    ctx.moveTo(x + 0.5, yH);
    ctx.lineTo(x + 0.5, yL);
    ctx.stroke();
    ctx.fillRect(Math.round(x - bodyW / 2), Math.min(yO, yC), Math.round(bodyW), Math.max(Math.abs(yC - yO), Math.max(1, dpr)));
  }
  ctx.restore();
}

/**
 * Price: close line, 1-minute candles and volume bars along the bottom.
 * setData(candles, fromMs, toMs) redraws; the x axis always spans the chosen
 * range, so a quiet symbol shows as a short line at the right, not a stretched one.
 */
export function createPriceChart(el, height = 300) {
  const U = globalThis.uPlot;
  let win = null;
  const price = (_u, v) => (v === null || v === undefined ? '—' : fmtPrice(v));
  const hidden = (label) => ({ label, scale: 'price', stroke: 'transparent', width: 0, points: { show: false }, value: price });
  const u = new U({
    width: Math.max(200, el.clientWidth), height,
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    legend: { live: true },
    scales: {
      x: { time: true, range: (_u, min, max) => (win ? win : [min, max]) },
      price: { auto: true },
      // Volume uses the bottom quarter: its scale runs to four times the highest bar.
      vol: { range: (_u, _min, max) => [0, Math.max(1, max || 0) * 4] },
    },
    axes: [
      timeAxis(),
      axis({ scale: 'price', size: 72, values: (_u, splits) => splits.map((v) => fmtPrice(v)) }),
    ],
    series: [
      { value: timeValue },
      hidden('Open'),
      hidden('High'),
      hidden('Low'),
      { label: 'Close', scale: 'price', stroke: COLORS.close, width: 1, points: { show: false }, value: price },
      {
        label: 'Volume', scale: 'vol', stroke: COLORS.volume, fill: COLORS.volume, width: 0,
        paths: U.paths.bars({ size: [0.62, 14] }), points: { show: false },
        value: (_u, v) => (v === null || v === undefined ? '—' : fmtCompact(v)),
      },
    ],
    hooks: { draw: [drawCandles] },
  }, candleColumns([]), el);
  fitWidth(u, el, height);
  return {
    uplot: u,
    setData(candles, fromMs, toMs) {
      win = [fromMs / 1000, toMs / 1000];
      u.setData(candleColumns(candles));
    },
  };
}

/** Sentiment: per-minute mean, its moving average and the ± volatility band around it. */
export function createSentimentChart(el, height = 220) {
  const U = globalThis.uPlot;
  let win = null;
  const score = (_u, v) => (v === null || v === undefined ? '—' : fmtSigned(v, 3));
  const u = new U({
    width: Math.max(200, el.clientWidth), height,
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    legend: { live: true },
    scales: {
      x: { time: true, range: (_u, min, max) => (win ? win : [min, max]) },
      y: { range: (_u, min, max) => sentimentRange(min, max) },
    },
    axes: [timeAxis(), axis({ size: 56, values: (_u, splits) => splits.map((v) => fmtSigned(v, 2)) })],
    series: [
      { value: timeValue },
      { label: 'Mean', stroke: COLORS.mean, width: 1, points: { show: true, size: 4, fill: COLORS.mean }, value: score },
      { label: 'Moving avg', stroke: COLORS.average, width: 2, points: { show: false }, value: score },
      { label: '+1σ', stroke: COLORS.bandEdge, width: 1, points: { show: false }, value: score },
      { label: '−1σ', stroke: COLORS.bandEdge, width: 1, points: { show: false }, value: score },
    ],
    bands: [{ series: [3, 4], fill: COLORS.band }],
  }, sentimentColumns([]), el);
  fitWidth(u, el, height);
  return {
    uplot: u,
    setData(points, fromMs, toMs) {
      win = [fromMs / 1000, toMs / 1000];
      u.setData(sentimentColumns(points));
    },
  };
}

/**
 * History: mentions per day as bars, the session close as a line on its own
 * scale. One point per UTC day; the axis says the date.
 */
export function createHistoryChart(el, height = 200) {
  const U = globalThis.uPlot;
  const u = new U({
    width: Math.max(200, el.clientWidth), height,
    cursor: { drag: { x: false, y: false }, points: { size: 6 } },
    legend: { live: true },
    scales: { x: { time: true }, n: { range: (_u, _min, max) => [0, Math.max(1, max || 0) * 1.15] }, price: { auto: true } },
    axes: [
      axis({ values: (_u, splits) => splits.map((v) => fmtDay(v * 1000)) }),
      axis({ scale: 'n', size: 48, values: (_u, splits) => splits.map((v) => fmtCompact(v)) }),
      axis({ scale: 'price', side: 1, size: 64, grid: { show: false }, values: (_u, splits) => splits.map((v) => fmtPrice(v)) }),
    ],
    series: [
      { value: (_u, v) => (v === null || v === undefined ? '—' : fmtDay(v * 1000)) },
      { label: 'Mentions', scale: 'n', stroke: COLORS.volume, fill: COLORS.volume, width: 0, paths: U.paths.bars({ size: [0.7, 40] }), points: { show: false } },
      { label: 'Close', scale: 'price', stroke: COLORS.average, width: 2, spanGaps: true, points: { show: true, size: 4, fill: COLORS.average }, value: (_u, v) => (v === null || v === undefined ? '—' : fmtPrice(v)) },
    ],
  }, [[], [], []], el);
  fitWidth(u, el, height);
  return {
    uplot: u,
    setData(days) {
      // bars centred on the day
      u.setData([days.map((d) => d.day / 1000 + 43_200), days.map((d) => d.mentions), days.map((d) => d.close)]);
    },
  };
}

/**
 * Sentiment against price: the correlation at each lag (minutes; right of 0:
 * the chatter leads), mentions and sentiment as two series, and the band
 * chance stays within (±threshold) drawn around zero.
 */
export function createLagChart(el, height = 180) {
  const U = globalThis.uPlot;
  let band = null;
  const r = (_u, v) => (v === null || v === undefined ? '—' : fmtSigned(v, 2));
  const drawBand = (u) => {
    if (band === null) return;
    const { left, width } = u.bbox;
    const ctx = u.ctx;
    const top = u.valToPos(band, 'y', true);
    const bottom = u.valToPos(-band, 'y', true);
    ctx.save();
    ctx.fillStyle = 'rgba(154,164,178,0.12)';
    ctx.fillRect(left, top, width, bottom - top);
    ctx.restore();
  };
  const u = new U({
    width: Math.max(200, el.clientWidth), height,
    cursor: { drag: { x: false, y: false }, points: { size: 5 } },
    legend: { live: true },
    scales: { x: { time: false }, y: { range: (_u, min, max) => { const m = Math.max(0.1, Math.abs(min ?? 0), Math.abs(max ?? 0), band ?? 0) * 1.15; return [-m, m]; } } },
    axes: [
      axis({ values: (_u, splits) => splits.map((v) => `${v > 0 ? '+' : ''}${v} min`) }),
      axis({ size: 48, values: (_u, splits) => splits.map((v) => fmtSigned(v, 2)) }),
    ],
    series: [
      { label: 'lag', value: (_u, v) => (v === null || v === undefined ? '—' : `${v > 0 ? '+' : ''}${v} min`) },
      { label: 'Mentions r', stroke: COLORS.close, width: 2, points: { show: false }, value: r },
      { label: 'Sentiment r', stroke: COLORS.average, width: 2, points: { show: false }, value: r },
    ],
    hooks: { drawAxes: [drawBand] },
  }, [[], [], []], el);
  fitWidth(u, el, height);
  return {
    uplot: u,
    setData(body) {
      const lags = body.mentions.lags.map((p) => p.lag);
      band = Math.max(body.mentions.threshold ?? 0, body.sentiment.threshold ?? 0) || null;
      u.setData([lags, body.mentions.lags.map((p) => p.r), body.sentiment.lags.map((p) => p.r)]);
    },
  };
}
