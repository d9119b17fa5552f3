/**
 * Does the chatter move before the price? For one ticker and range: the
 * cross-correlation of per-minute changes in mentions and in sentiment with
 * the price's per-minute returns, at lags from −maxLag to +maxLag minutes.
 *
 *   x_t  mentions: m_t − m_{t−1} (m = mentions in minute t, 0 when none);
 *        sentiment: s_t − s_{t−1}, s = the mean score of the latest minute
 *        with mentions, carried forward (a quiet minute is no change of mood)
 *   r_t  ln(close_t / close_{t−1}), only where both minutes traded: a closed
 *        market or a gap is left out, not counted as a flat minute
 *   corr(k) = Pearson's r of the pairs (x_t, r_{t+k}) where both exist;
 *        k > 0: the chatter of minute t against the price k minutes later
 *
 * Stated plainly: a correlation is not a cause, and 2·maxLag + 1 lags tried
 * on the same data will find one that looks strong by chance. So the verdict
 * needs the strongest |r| to clear what chance gives on this very data: the
 * 95th percentile of the strongest |r| over all lags when the returns are
 * rotated in time against the chatter by SHIFTS offsets of at least an hour
 * (a rotation keeps both series' own autocorrelation and breaks only their
 * alignment), and never less than the Bonferroni bound for independent
 * series (z = 3.34 for 5 % over 61 lags, against r's 1/√n spread). It also
 * needs at least MIN_PAIRS minutes with at least MIN_ACTIVE of them moving on
 * both sides; otherwise it says there is too little data, or no clear lead.
 */
export interface LagPoint {
  /** minutes; > 0: the chatter leads the price */
  lag: number;
  /** Pearson's r, null when a side does not vary */
  r: number | null;
  /** pairs it rests on */
  n: number;
}

export type LeadVerdict = 'too_little_data' | 'no_clear_lead' | 'chatter_leads' | 'price_leads' | 'together';

export interface LeadLag {
  series: 'mentions' | 'sentiment';
  lags: LagPoint[];
  /** the lag of the strongest |r|, or null when no lag has one */
  best: LagPoint | null;
  /**
   * |r| the best lag must exceed to count: the Bonferroni bound z / √n, raised
   * to what the rotations give when the best |r| clears that bound (below it the
   * verdict is no clear lead whatever they give, so they are not computed)
   */
  threshold: number | null;
  verdict: LeadVerdict;
  /** one sentence a trader can read */
  summary: string;
}

export interface LeadLagInput {
  /** epoch ms of the first minute (inclusive) and the end (exclusive); whole minutes */
  fromMs: number;
  toMs: number;
  /** per-minute mention counts and score sums (minutes without mentions may be absent) */
  mentions: ReadonlyMap<number, { count: number; sum: number }>;
  /** per-minute closing prices (minutes without trades absent) */
  closes: ReadonlyMap<number, number>;
  maxLag?: number;
}

const MINUTE = 60_000;
export const MAX_LAG = 30;
/** fewer pairs than this and r means little whatever its size */
export const MIN_PAIRS = 60;
/** minutes that must move (x ≠ 0 and r ≠ 0) among the pairs */
export const MIN_ACTIVE = 10;
/** two-sided 5 % over 61 lags, Bonferroni: Φ⁻¹(1 − 0.025 / 61) */
const Z = 3.34;
/** rotations of the returns for the chance threshold; its 95th percentile is the second strongest of 39 */
const SHIFTS = 39;
const MIN_SHIFT = 60; // minutes

/** x_t for mentions and sentiment, and r_t, on the minute grid; undefined where a value does not exist */
export function minuteSeries(input: LeadLagInput): { mentions: (number | undefined)[]; sentiment: (number | undefined)[]; returns: (number | undefined)[] } {
  const n = Math.max(0, Math.round((input.toMs - input.fromMs) / MINUTE));
  const mentions: (number | undefined)[] = [];
  const sentiment: (number | undefined)[] = [];
  const returns: (number | undefined)[] = [];
  let lastMood: number | undefined;
  for (let i = 0; i < n; i++) {
    const t = input.fromMs + i * MINUTE;
    const m = input.mentions.get(t);
    const prev = input.mentions.get(t - MINUTE);
    mentions.push(i === 0 ? undefined : (m?.count ?? 0) - (prev?.count ?? 0));
    const mood = m !== undefined && m.count > 0 ? m.sum / m.count : lastMood;
    sentiment.push(i === 0 || lastMood === undefined || mood === undefined ? undefined : mood - lastMood);
    lastMood = mood;
    const c = input.closes.get(t);
    const c0 = input.closes.get(t - MINUTE);
    returns.push(c !== undefined && c0 !== undefined && c > 0 && c0 > 0 ? Math.log(c / c0) : undefined);
  }
  return { mentions, sentiment, returns };
}

/** a series on the minute grid as numbers, NaN where a value does not exist: the lag loops below allocate nothing */
function grid(values: readonly (number | undefined)[]): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] ?? NaN;
  return out;
}

/**
 * Pearson's r of the pairs (x_t, r_{t+k}) where both exist, with the moving
 * pairs: the two passes of a textbook Pearson (means, then centred sums),
 * without building the pair arrays. A 3-day range is
 * 40 rotations × 61 lags × 4,320 minutes per series, so this loop is the
 * lead-lag's whole cost. Fewer than three pairs say nothing.
 */
function lagPoint(xs: Float64Array, rs: Float64Array, k: number): { point: LagPoint; moving: number } {
  const from = Math.max(0, -k);
  const to = Math.min(xs.length, rs.length - k);
  let n = 0;
  let mx = 0;
  let my = 0;
  let moving = 0;
  for (let t = from; t < to; t++) {
    const x = xs[t]!;
    const r = rs[t + k]!;
    if (x !== x || r !== r) continue; // NaN: missing
    n++;
    mx += x;
    my += r;
    if (x !== 0 && r !== 0) moving++;
  }
  if (n < 3) return { point: { lag: k, r: null, n }, moving };
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let t = from; t < to; t++) {
    const x = xs[t]!;
    const r = rs[t + k]!;
    if (x !== x || r !== r) continue;
    const dx = x - mx;
    const dy = r - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return { point: { lag: k, r: sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy), n }, moving };
}

function correlateGrid(xs: Float64Array, rs: Float64Array, maxLag: number): { lags: LagPoint[]; active: Map<number, number> } {
  const lags: LagPoint[] = [];
  const active = new Map<number, number>();
  for (let k = -maxLag; k <= maxLag; k++) {
    const { point, moving } = lagPoint(xs, rs, k);
    lags.push(point);
    active.set(k, moving);
  }
  return { lags, active };
}

export function crossCorrelate(xs: readonly (number | undefined)[], rs: readonly (number | undefined)[], maxLag = MAX_LAG): { lags: LagPoint[]; active: Map<number, number> } {
  return correlateGrid(grid(xs), grid(rs), maxLag);
}

const pct = (r: number): string => r.toFixed(2);

/** the strongest |r| over the lags, with the returns rotated by `shift` minutes */
function strongestRotated(xs: Float64Array, rs: Float64Array, shift: number, maxLag: number): number {
  const n = rs.length;
  const rotated = new Float64Array(n);
  for (let t = 0; t < n; t++) rotated[t] = rs[(t + shift) % n]!;
  let strongest = 0;
  for (let k = -maxLag; k <= maxLag; k++) {
    const r = lagPoint(xs, rotated, k).point.r;
    if (r !== null && Math.abs(r) > strongest) strongest = Math.abs(r);
  }
  return strongest;
}

/** what chance gives on this data: the 95th percentile of the strongest |r| under rotations (null when the range is too short to rotate) */
export function chanceThreshold(xs: readonly (number | undefined)[], rs: readonly (number | undefined)[], maxLag: number): number | null {
  return chanceOnGrid(grid(xs), grid(rs), maxLag);
}

function chanceOnGrid(xs: Float64Array, rs: Float64Array, maxLag: number): number | null {
  const n = rs.length;
  if (n < 2 * MIN_SHIFT + SHIFTS) return null;
  const span = n - 2 * MIN_SHIFT;
  const strongest: number[] = [];
  for (let i = 0; i < SHIFTS; i++) strongest.push(strongestRotated(xs, rs, MIN_SHIFT + Math.floor((i * span) / SHIFTS), maxLag));
  strongest.sort((a, b) => a - b);
  return strongest[Math.ceil(0.95 * SHIFTS) - 1]!;
}

export function leadLag(input: LeadLagInput): LeadLag[] {
  const maxLag = input.maxLag ?? MAX_LAG;
  const s = minuteSeries(input);
  const returns = grid(s.returns);
  return (['mentions', 'sentiment'] as const).map((series): LeadLag => {
    const xs = grid(s[series]);
    const { lags, active } = correlateGrid(xs, returns, maxLag);
    let best: LagPoint | null = null;
    for (const p of lags) if (p.r !== null && (best === null || Math.abs(p.r) > Math.abs(best.r!))) best = p;
    const what = series === 'mentions' ? 'changes in mentions' : 'changes in sentiment';
    if (best === null || best.n < MIN_PAIRS || (active.get(best.lag) ?? 0) < MIN_ACTIVE) {
      const n = best?.n ?? Math.max(0, ...lags.map((p) => p.n));
      return {
        series, lags, best, threshold: null, verdict: 'too_little_data',
        summary: `Too little data: ${n} minutes with both ${what} and trades (at least ${MIN_PAIRS}, ${MIN_ACTIVE} of them moving, are needed).`,
      };
    }
    const r = best.r!;
    // The rotations (39 × the lags) cost 40 times the lags themselves, and they can
    // only raise the bar: a best |r| under the Bonferroni bound is no clear lead
    // whatever they give, so they run only for an |r| that clears it.
    const bonferroni = Z / Math.sqrt(best.n);
    const threshold = Math.abs(r) < bonferroni ? bonferroni : Math.max(bonferroni, chanceOnGrid(xs, returns, maxLag) ?? 0);
    if (Math.abs(r) < threshold) {
      return {
        series, lags, best, threshold, verdict: 'no_clear_lead',
        summary: `No clear lead: the strongest correlation of ${what} with returns is r = ${pct(r)} at ${best.lag} min over ${best.n} minutes, within what chance gives (|r| < ${pct(threshold)}).`,
      };
    }
    const verdict: LeadVerdict = best.lag > 0 ? 'chatter_leads' : best.lag < 0 ? 'price_leads' : 'together';
    const lead = best.lag > 0 ? `${what} lead the price by ${best.lag} min`
      : best.lag < 0 ? `the price leads ${what} by ${-best.lag} min` : `${what} and the price move in the same minute`;
    return {
      series, lags, best, threshold, verdict,
      summary: `In this range ${lead}: r = ${pct(r)} over ${best.n} minutes (chance stays below ${pct(threshold)}). A correlation, not a cause.`,
    };
  });
}
