/**
 * The yardsticks the scorer is held to, as pure functions so the unit tests
 * and scripts/eval-sentiment.ts measure the same thing.
 */
import type { SentimentLabel } from '../types.ts';

/**
 * Share of items whose predicted score has the sign of the gold score. A
 * predicted 0 is always wrong: a scorer that abstains must not score as if it
 * had guessed right.
 */
export function signAgreement(predicted: readonly number[], gold: readonly number[]): number {
  if (predicted.length !== gold.length) throw new RangeError('signAgreement: arrays differ in length');
  if (predicted.length === 0) return 0;
  let agree = 0;
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i]!;
    const g = gold[i]!;
    if (p !== 0 && Math.sign(p) === Math.sign(g)) agree++;
  }
  return agree / predicted.length;
}

/** Pearson correlation; 0 when either side has no variance. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) throw new RangeError('pearson: arrays differ in length');
  const n = xs.length;
  if (n === 0) return 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}

export function labelAccuracy(predicted: readonly SentimentLabel[], gold: readonly SentimentLabel[]): number {
  if (predicted.length !== gold.length) throw new RangeError('labelAccuracy: arrays differ in length');
  if (predicted.length === 0) return 0;
  let right = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === gold[i]) right++;
  return right / predicted.length;
}

/** Items at even (0, 2, 4 …) or odd positions: the development / held-out split. */
export function half<T>(items: readonly T[], parity: 0 | 1): T[] {
  return items.filter((_, i) => i % 2 === parity);
}
