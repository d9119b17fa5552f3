/**
 * Capped exponential backoff with "equal jitter": half of the delay is fixed,
 * half is random. The fixed half means a flapping upstream is never hammered
 * in a tight loop; the random half spreads a fleet of producers that lost the
 * same server at the same instant. `random` is injected so tests are exact.
 */
export interface BackoffOptions {
  /** delay before the first retry, milliseconds */
  initialMs: number;
  /** no delay ever exceeds this, milliseconds */
  maxMs: number;
}

export function backoffDelayMs(attempt: number, options: BackoffOptions, random: () => number): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
