import pRetry from 'p-retry';
import { isRetriable } from './errors.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

export interface RetryOptions {
  logger: Logger;
  metrics: Metrics;
  signal: AbortSignal;
  /** called between attempts: keeps the consumer's group membership alive during an outage */
  heartbeat?: () => Promise<void>;
  /** milliseconds; the cap of the exponential backoff */
  maxDelayMs?: number;
}

/**
 * Transient failures (a database or broker that went away) are retried with
 * capped exponential backoff for as long as the service runs: giving up would
 * mean skipping records. The consumer does not fetch while this waits, which
 * is the back-pressure. Non-retriable errors and programming errors surface at once.
 *
 * The signal only stops further attempts. It is deliberately not handed to
 * p-retry, which checks it after a *successful* attempt too and would report a
 * write that succeeded during shutdown as aborted (the batch would then not be
 * committed, and a clean stop would exit with an error).
 */
export function withRetry<T>(what: string, fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  return pRetry(fn, {
    retries: Number.POSITIVE_INFINITY,
    minTimeout: 100, // milliseconds
    maxTimeout: options.maxDelayMs ?? 5000, // milliseconds
    factor: 2,
    randomize: true,
    // Not p-retry's own `signal` option: p-retry 9 throws AbortError once the
    // signal is aborted even when the attempt in flight SUCCEEDED. That made
    // every clean SIGTERM of `process` exit 1 ("unexpected error: AbortError",
    // from withRetry('consume', processor.run)) and failed a batch whose writes
    // had just completed, before its commit. A stop lets the attempt in flight
    // finish and only ends the retrying.
    shouldRetry: ({ error }) => isRetriable(error) && !options.signal.aborted,
    onFailedAttempt: async ({ error, attemptNumber }) => {
      const code = (error as { code?: string }).code ?? 'UNKNOWN';
      options.metrics.errors.inc({ code });
      if (isRetriable(error)) {
        options.logger.warn({ code, attempt: attemptNumber, what }, `${what} failed (${error.message}); retrying`);
        await options.heartbeat?.().catch(() => {});
      }
    },
  });
}
