/**
 * The port every feed implements: Finnhub, Reddit, the synthetic feeds and
 * replays of recordings. Producers depend on this and nothing else, so which
 * feed runs is a start-up decision, not a code path in the producer.
 */
export interface Source<T> {
  readonly name: string;
  /** Runs until `signal` aborts (or a finite replay ends). `emit` returning a promise is the back-pressure: do not call emit again until it resolves. */
  run(emit: (items: T[]) => Promise<void>, signal: AbortSignal): Promise<void>;
}

export interface SourceStats {
  /** raw units received: Finnhub frames, Reddit listing children, replay lines */
  received: number;
  /** records handed to `emit` and accepted */
  emitted: number;
  /** raw units (or items inside a frame) that could not be parsed and were skipped */
  malformed: number;
  /** connections (or pollers) re-created after a failure */
  reconnects: number;
  /** the last failure, already free of secrets */
  lastError?: string;
}

/** Every concrete source exposes its counters for metrics and health. */
export interface ObservableSource<T> extends Source<T> {
  stats(): SourceStats;
}

// One Clock for the whole code base: the runtime's.
export type { Clock } from '../../runtime/clock.ts';
export { systemClock } from '../../runtime/clock.ts';

export type { Sleep } from '../../runtime/clock.ts';
/** The wall-clock sleep the live sources use; tests hand in a fake one. */
export { sleep as realSleep } from '../../runtime/clock.ts';

export function newStats(): SourceStats {
  return { received: 0, emitted: 0, malformed: 0, reconnects: 0 };
}

/**
 * Removes secrets from text bound for a log line or an error message: every
 * literal occurrence of a secret, and any `token=` query parameter whatever
 * its value (a URL may be echoed back by a library in a form we did not
 * build, e.g. percent-encoded).
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length === 0) continue;
    out = out.split(secret).join('[redacted]');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join('[redacted]');
  }
  return out.replace(/([?&]token=)[^&\s"']*/gi, '$1[redacted]');
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
