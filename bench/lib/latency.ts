/**
 * Latency figures of an open-loop load run: every request is due at a fixed
 * time (start + i / rate) and its latency is counted from that time, not
 * from when it was sent, so a stalled server cannot hide its stall by making
 * the load generator wait (no coordinated omission).
 */
export interface LatencyStats {
  n: number;
  errors: number;
  /** milliseconds, nearest-rank percentiles */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** requests completed per second over the run */
  perSecond: number;
}

/** nearest-rank percentile of sorted values */
const rank = (sorted: readonly number[], p: number): number => sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
const ms = (x: number): number => Math.round(x * 10) / 10;

export function latencyStats(latenciesMs: readonly number[], seconds: number, errors = 0): LatencyStats {
  const s = [...latenciesMs].sort((a, b) => a - b);
  return { n: s.length, errors, p50: ms(rank(s, 50)), p90: ms(rank(s, 90)), p99: ms(rank(s, 99)), max: ms(s.at(-1) ?? NaN), perSecond: Math.round((s.length / seconds) * 10) / 10 };
}
