import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { startServiceServer, type ReadinessCheck } from './health.ts';

/** Kubernetes waits terminationGracePeriodSeconds (30 s); we must be out before it kills us. */
export const SHUTDOWN_DEADLINE_MS = 25_000;

/**
 * Runs one long-lived service: serves /healthz, /readyz and /metrics, runs the
 * work until the signal aborts (SIGTERM), then gives it SHUTDOWN_DEADLINE_MS to
 * finish in-flight writes, commit and leave the group before closing the rest.
 */
export async function runService(deps: {
  name: string;
  port: number;
  logger: Logger;
  metrics: Metrics;
  checks: ReadinessCheck[];
  signal: AbortSignal;
  work(signal: AbortSignal): Promise<void>;
  /** closed in order after the work stopped (producers, stores, clients) */
  close: (() => Promise<void>)[];
  deadlineMs?: number;
}): Promise<void> {
  let stopping = false;
  const server = await startServiceServer({ port: deps.port, metrics: deps.metrics, checks: deps.checks, logger: deps.logger, alive: () => !stopping });
  const deadline = deps.deadlineMs ?? SHUTDOWN_DEADLINE_MS;
  const onAbort = () => {
    stopping = true;
    deps.logger.info(`${deps.name}: stopping (at most ${deadline / 1000} s)`);
    setTimeout(() => {
      deps.logger.error(`${deps.name}: did not stop within ${deadline / 1000} s; exiting`);
      process.exit(1);
    }, deadline).unref();
  };
  deps.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await deps.work(deps.signal);
  } finally {
    stopping = true;
    for (const close of deps.close) {
      await close().catch((err: unknown) => deps.logger.warn({ err }, `${deps.name}: error while closing`));
    }
    await server.close();
    deps.logger.info(`${deps.name}: stopped`);
  }
}
