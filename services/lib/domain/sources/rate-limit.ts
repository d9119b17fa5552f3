/**
 * Reddit's rate-limit headers → how long to wait. Pure: headers and "now" in.
 *
 *   x-ratelimit-remaining: requests left in this window (a float, "598.0")
 *   x-ratelimit-reset:     seconds until the window resets
 *   x-ratelimit-used:      requests used (informational)
 *   Retry-After:           on 429/503, seconds or an HTTP date
 *
 * Retry-After wins when present: it is the server's explicit instruction.
 * Otherwise an exhausted window (remaining < 1) means waiting for its reset.
 */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface RateLimitInfo {
  remaining?: number;
  /** milliseconds until the current window resets */
  resetAfterMs?: number;
  /** milliseconds the server asked us to wait before the next request */
  retryAfterMs?: number;
}

function header(headers: HeaderBag, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    const single = Array.isArray(value) ? value[0] : value;
    return typeof single === 'string' ? single.trim() : undefined;
  }
  return undefined;
}

function nonNegativeNumber(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function parseRateLimitHeaders(headers: HeaderBag, nowMs: number): RateLimitInfo {
  const info: RateLimitInfo = {};
  const remaining = nonNegativeNumber(header(headers, 'x-ratelimit-remaining'));
  if (remaining !== undefined) info.remaining = remaining;
  const reset = nonNegativeNumber(header(headers, 'x-ratelimit-reset'));
  if (reset !== undefined) info.resetAfterMs = Math.ceil(reset * 1000);
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = nonNegativeNumber(retryAfter);
    if (seconds !== undefined) info.retryAfterMs = Math.ceil(seconds * 1000);
    else {
      const at = Date.parse(retryAfter);
      if (Number.isFinite(at)) info.retryAfterMs = Math.max(0, at - nowMs);
    }
  }
  return info;
}

/**
 * Milliseconds to hold off before the next request: what the server asked
 * for, or until the window resets when it is spent (`needed` requests must
 * fit in what is left; one poll makes two listing calls).
 */
export function rateLimitWaitMs(info: RateLimitInfo, needed = 1): number {
  if (info.retryAfterMs !== undefined) return info.retryAfterMs;
  if (info.remaining !== undefined && info.remaining < needed) return info.resetAfterMs ?? 0;
  return 0;
}
