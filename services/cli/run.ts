import type { Config } from '../lib/runtime/config.ts';
import type { Credentials } from '../lib/runtime/credentials.ts';
import type { Clock } from '../lib/runtime/clock.ts';
import type { Logger } from '../lib/runtime/logger.ts';
import { createEmbeddedPipeline } from './embedded.ts';
import { startSummary } from './summary.ts';
import { startDashboard } from '../dashboard/index.ts';
import { createConfiguredAlerter } from '../alerter/index.ts';
import { acquireHomeLock } from '../lib/io/store/home-lock.ts';

/** `stockstreamer run`: the embedded pipeline with the live terminal summary. */
export async function runCommand(deps: {
  config: Config; credentials: Credentials; logger: Logger; clock: Clock; signal: AbortSignal; quiet: boolean; out: NodeJS.WriteStream;
  /** false: no web dashboard */
  dashboard?: boolean;
}): Promise<void> {
  const { config } = deps;
  // One writer per home: a second `run` (or a reprocess) on the same folder stops here with one line.
  const lock = acquireHomeLock(config.home, 'run', () => deps.clock.now());
  try {
    await runLocked(deps);
  } finally {
    lock.release();
  }
}

async function runLocked(deps: Parameters<typeof runCommand>[0]): Promise<void> {
  const { config, logger } = deps;
  const pipeline = await createEmbeddedPipeline({ config, credentials: deps.credentials, logger, clock: deps.clock });
  // Built before anything runs: a broken rules file stops start-up with one line.
  const alerter = await createConfiguredAlerter({
    config, credentials: deps.credentials, store: pipeline.store, logger: logger.child({ component: 'alerter' }), metrics: pipeline.metrics, clock: deps.clock,
  });
  for (const line of pipeline.sources.describe) logger.info(line);
  logger.info(`embedded store: ${config.home}/stockstreamer.sqlite`);
  const dashboard = deps.dashboard === false ? undefined : await startDashboard({ config, store: pipeline.store, logger, clock: deps.clock });
  if (dashboard) logger.info(`dashboard: ${dashboard.url}`);

  const totals = { trades: 0, posts: 0, mentions: 0, dead: 0 };
  const refresh = async () => {
    const values = async (c: { get(): Promise<{ values: { value: number; labels: Record<string, string | number> }[] }> }) => (await c.get()).values;
    const recIn = await values(pipeline.metrics.recordsIn);
    const sum = (pred: (t: string) => boolean) => recIn.filter((v) => pred(String(v.labels.topic))).reduce((a, v) => a + v.value, 0);
    totals.trades = sum((t) => t === 'stock-trades');
    totals.posts = sum((t) => t.startsWith('reddit-'));
    totals.mentions = sum((t) => t === 'ticker-mentions');
    totals.dead = (await values(pipeline.metrics.errors)).filter((v) => String(v.labels.code).startsWith('DECODE_') || v.labels.code === 'VALIDATION_FAILED').reduce((a, v) => a + v.value, 0);
  };
  const ticker = setInterval(() => void refresh(), 500);
  ticker.unref();
  const summary = deps.quiet ? undefined : startSummary({
    store: pipeline.store, clock: deps.clock, out: deps.out,
    counters: { trades: () => totals.trades, posts: () => totals.posts, mentions: () => totals.mentions, deadLetters: () => totals.dead },
  });
  try {
    await Promise.all([pipeline.run(deps.signal), alerter.run(deps.signal)]);
  } finally {
    clearInterval(ticker);
    summary?.stop();
    await refresh();
    if (summary) deps.out.write(`${await summary.render()}\n`);
    await dashboard?.close();
    await pipeline.store.close();
    logger.info(`stopped: ${totals.trades} trades, ${totals.posts} posts, ${totals.mentions} mentions processed; nothing left in flight`);
  }
}
