import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { startServiceServer, type ReadinessCheck } from './health.ts';

/** Kubernetes waits terminationGracePeriodSeconds (30 s); we must be out before it kills us. */
export const SHUTDOWN_DEADLINE_MS = 25_000;

/** What a service has once its dependencies are wired. */
export interface StartedService {
  /** /readyz is 200 only when all of these answer */
  checks: ReadinessCheck[];
  work(signal: AbortSignal): Promise<void>;
  /** closed in order after the work stopped (producers, stores, clients) */
  close: (() => Promise<void>)[];
}

/**
 * Runs one long-lived service: serves /healthz, /readyz and /metrics, wires
 * its dependencies, runs the work until the signal aborts (SIGTERM), then
 * gives it SHUTDOWN_DEADLINE_MS to finish in-flight writes, commit and leave
 * the group before closing the rest.
 *
 * The port is bound before anything else: a port another service holds is
 * reported at once, not after start-up has waited for Kafka and the registry
 * (which it does for as long as they are away). /readyz answers 503
 * ("starting") until the service is wired.
 */
export async function runService(deps: {
  name: string;
  /** metrics and health port (0 = any free port) */
  port: number;
  /** address to listen on (STOCKSTREAMER_LISTEN_ADDRESS) */
  host: string;
  logger: Logger;
  metrics: Metrics;
  signal: AbortSignal;
  /** connects what the work needs; may wait (with retries) for dependencies */
  start(signal: AbortSignal): Promise<StartedService>;
  deadlineMs?: number;
}): Promise<void> {
  let stopping = false;
  const checks: ReadinessCheck[] = [{ name: 'starting', check: async () => false }];
  const server = await startServiceServer({ port: deps.port, host: deps.host, metrics: deps.metrics, checks, logger: deps.logger, alive: () => !stopping });
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
  let started: StartedService | undefined;
  try {
    try {
      started = await deps.start(deps.signal);
    } catch (err) {
      // SIGTERM while waiting for Kafka or the registry ends the waiting: a clean stop, not a failure.
      if (!deps.signal.aborted) throw err;
      deps.logger.info(`${deps.name}: stopped before it was ready (${(err as Error).message})`);
      return;
    }
    checks.splice(0, checks.length, ...started.checks);
    await started.work(deps.signal);
  } finally {
    stopping = true;
    for (const close of started?.close ?? []) {
      await close().catch((err: unknown) => deps.logger.warn({ err }, `${deps.name}: error while closing`));
    }
    await server.close();
    deps.logger.info(`${deps.name}: stopped`);
  }
}
