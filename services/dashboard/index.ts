import type { DashboardStore } from '../lib/io/store/repository.ts';
import type { Config } from '../lib/runtime/config.ts';
import { systemClock, type Clock } from '../lib/runtime/clock.ts';
import type { Logger } from '../lib/runtime/logger.ts';
import { createDashboardServer, type DashboardServer } from './server.ts';

export { createDashboardServer } from './server.ts';
export type { DashboardServer, DashboardServerOptions } from './server.ts';
export { createDashboardApi } from './api.ts';
export type { DashboardApi } from './api.ts';

/**
 * The dashboard as `stockstreamer run` and `stockstreamer dashboard` start it:
 * symbols, port and moving-average span from the validated config; the store
 * is whichever the mode uses (the embedded pipeline's SQLite, or Cassandra).
 */
export function startDashboard(deps: {
  config: Pick<Config, 'symbols' | 'dashboardPort' | 'sentimentSpanMinutes'> & Partial<Pick<Config, 'listenAddress' | 'source'>>;
  store: DashboardStore;
  logger: Logger;
  clock?: Clock;
  /** STOCKSTREAMER_LISTEN_ADDRESS, loopback by default: the page has no login */
  host?: string;
  /** milliseconds between live polls of the store */
  pollMs?: number;
}): Promise<DashboardServer> {
  return createDashboardServer({
    store: deps.store, clock: deps.clock ?? systemClock, logger: deps.logger, symbols: deps.config.symbols,
    port: deps.config.dashboardPort, host: deps.host ?? deps.config.listenAddress, pollMs: deps.pollMs, sentimentSpanMinutes: deps.config.sentimentSpanMinutes,
    // a recording shows its own time, not the wall clock's (timeline.ts)
    timeMode: deps.config.source === 'replay' ? 'replay' : 'live',
  });
}
