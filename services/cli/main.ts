#!/usr/bin/env node
/**
 * The `stockstreamer` command. Each subcommand validates the configuration
 * once, builds its parts through factories and runs until done or signalled.
 */
import { Command, InvalidArgumentError } from 'commander';
import ms from 'ms';
import { loadConfig, type Config } from '../lib/runtime/config.ts';
import { loadCredentials, type Credentials } from '../lib/runtime/credentials.ts';
import { createLogger, type Logger } from '../lib/runtime/logger.ts';
import { StockstreamerError } from '../lib/runtime/errors.ts';
import { systemClock } from '../lib/runtime/clock.ts';

function parseDuration(value: string): number {
  const n = ms(value as ms.StringValue);
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a duration such as 30s, 5m or 1h');
  return n;
}

interface Startup { config: Config; credentials: Credentials; logger: Logger }

/** Config and credentials are read once, here; a bad one stops with one line. */
async function startup(component: string): Promise<Startup> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: component });
  const credentials = await loadCredentials(config.credentialsFile);
  if (!credentials.fileFound) logger.info(`${config.credentialsFile} not found: every source runs on its synthetic feed (see secrets/credentials.ini.example)`);
  return { config, credentials, logger };
}

/**
 * The store `dashboard`, `alerter` and `reprocess` use: the embedded SQLite
 * file, or Cassandra in the cluster. A command that writes to the embedded
 * file (`writer`) first takes the home lock: one writer per home.
 */
async function openStore(s: Startup, writer?: string) {
  if (s.config.store === 'cassandra') {
    const { cassandraStore } = await import('./services.ts');
    return cassandraStore(s.config, s.logger);
  }
  const [{ createSqliteStore }, { acquireHomeLock }, { join }] = await Promise.all([
    import('../lib/io/store/sqlite.ts'), import('../lib/io/store/home-lock.ts'), import('node:path'),
  ]);
  const lock = writer === undefined ? undefined : acquireHomeLock(s.config.home, writer);
  const store = createSqliteStore({ path: join(s.config.home, 'stockstreamer.sqlite') });
  return { ...store, close: async () => { await store.close(); lock?.release(); } };
}

/** SIGINT/SIGTERM abort the run; a second signal exits at once. */
function shutdownSignal(logger: Logger, forMs?: number): AbortSignal {
  const ac = new AbortController();
  let signals = 0;
  const stop = (why: string) => {
    if (++signals > 1) process.exit(130);
    logger.info(`${why}: shutting down cleanly (again to force)`);
    ac.abort();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  if (forMs !== undefined) setTimeout(() => stop(`--for ${ms(forMs)} elapsed`), forMs).unref();
  return ac.signal;
}

const program = new Command()
  .name('stockstreamer')
  .description('Live stock trades and Reddit chatter, scored and aggregated into dashboards')
  .showHelpAfterError();

program.command('run')
  .description('the whole pipeline in one process (embedded, no servers)')
  .option('--for <duration>', 'stop by itself after this long (e.g. 30s, 5m)', parseDuration)
  .option('--quiet', 'no live terminal summary')
  .option('--no-dashboard', 'do not serve the web dashboard')
  .action(async (opts: { for?: number; quiet?: boolean; dashboard: boolean }) => {
    const { runCommand } = await import('./run.ts');
    const s = await startup('run');
    await runCommand({ ...s, clock: systemClock, signal: shutdownSignal(s.logger, opts.for), quiet: opts.quiet ?? false, out: process.stdout, dashboard: opts.dashboard });
  });

program.command('dashboard')
  .description('serve the live web dashboard over the store')
  .action(async () => {
    const { startDashboard } = await import('../dashboard/index.ts');
    const s = await startup('dashboard');
    const store = await openStore(s);
    // Loopback unless STOCKSTREAMER_LISTEN_ADDRESS says otherwise (the cluster's pod sets 0.0.0.0).
    const dash = await startDashboard({ config: s.config, store, logger: s.logger });
    s.logger.info(`dashboard: ${dash.url}`);
    const signal = shutdownSignal(s.logger);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await dash.close();
    await store.close();
  });

program.command('analyze')
  .description('score sentiment and find tickers of JSON lines on stdin')
  .option('--explain', 'add "why": the words, phrases, rules and context behind each answer')
  .action(async (opts: { explain?: boolean }) => {
    const [{ analyzeStream }, { createSentimentScorer }, { createTickerExtractor }, { loadUniverse }] = await Promise.all([
      import('./analyze.ts'), import('../lib/domain/sentiment/index.ts'), import('../lib/domain/tickers/index.ts'), import('../lib/io/universe.ts'),
    ]);
    loadConfig();
    const extractor = createTickerExtractor({ securities: await loadUniverse() });
    await analyzeStream(process.stdin, process.stdout, createSentimentScorer(), extractor, { explain: opts.explain === true });
  });

program.command('produce')
  .description('stream `prices` (Finnhub) or `reddit` into Kafka')
  .argument('<source>', 'prices | reddit')
  .action(async (source: string) => {
    if (source !== 'prices' && source !== 'reddit') throw new InvalidArgumentError('expected `prices` or `reddit`');
    const { produceService } = await import('./services.ts');
    const s = await startup(source === 'prices' ? 'price-producer' : 'reddit-producer');
    await produceService({ ...s, signal: shutdownSignal(s.logger) }, source);
  });

program.command('process')
  .description('the streaming job: Kafka → score, aggregate → Cassandra')
  .action(async () => {
    const { processService } = await import('./services.ts');
    const s = await startup('processor');
    await processService({ ...s, signal: shutdownSignal(s.logger) });
  });

program.command('migrate')
  .description('create the keyspace, apply the versioned CQL (idempotent)')
  .action(async () => {
    const { migrateCommand } = await import('./services.ts');
    await migrateCommand(await startup('migrate'));
  });

program.command('alerter')
  .description('evaluate alert rules; store and e-mail each firing')
  .action(async () => {
    const [{ createConfiguredAlerter }, { createMetrics }] = await Promise.all([import('../alerter/index.ts'), import('../lib/runtime/metrics.ts')]);
    const s = await startup('alerter');
    // it stores the alerts it fires: a writer of the embedded file
    const store = await openStore(s, 'alerter');
    const alerter = await createConfiguredAlerter({ config: s.config, credentials: s.credentials, store, logger: s.logger, metrics: createMetrics(), clock: systemClock });
    await alerter.run(shutdownSignal(s.logger));
    await store.close();
  });

program.command('reprocess')
  .description('rebuild the aggregates of a time range from the raw rows')
  .requiredOption('--from <time>', 'start: ISO 8601 (2026-12-01T14:00Z) or a duration ago (2h, 3d)')
  .option('--to <time>', 'end, exclusive (default: now)')
  .option('--only <what>', 'candles | mentions (default: both)')
  .action(async (opts: { from: string; to?: string; only?: string }) => {
    const { reprocess, parseTime } = await import('./reprocess.ts');
    const now = systemClock.now();
    const duration = (t: string) => { const n = ms(t as ms.StringValue); return typeof n === 'number' ? n : undefined; };
    let fromMs: number;
    let toMs: number;
    try {
      fromMs = parseTime(opts.from, now, duration);
      toMs = opts.to === undefined ? now : parseTime(opts.to, now, duration);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
    if (!(toMs > fromMs)) throw new InvalidArgumentError(`--to (${new Date(toMs).toISOString()}) must be after --from (${new Date(fromMs).toISOString()})`);
    const families = opts.only === undefined ? (['trades', 'mentions'] as const)
      : opts.only === 'candles' ? (['trades'] as const) : opts.only === 'mentions' ? (['mentions'] as const) : undefined;
    if (!families) throw new InvalidArgumentError('--only takes candles or mentions');
    const s = await startup('reprocess');
    const store = await openStore(s, 'reprocess');
    try {
      s.logger.info(`reprocess: rebuilding ${families.join(' and ')} aggregates of [${new Date(fromMs).toISOString()}, ${new Date(toMs).toISOString()}) from the raw rows`);
      // Cassandra expires raw trades (STOCKSTREAMER_TRADE_TTL_S); the embedded store keeps them.
      const keptSinceMs = s.config.store === 'cassandra' && s.config.tradeTtlSeconds > 0 ? now - s.config.tradeTtlSeconds * 1000 : undefined;
      const summary = await reprocess({ store, logger: s.logger, clock: systemClock, out: process.stderr }, {
        fromMs, toMs, families: [...families], ...(keptSinceMs !== undefined ? { keptSinceMs } : {}),
      });
      s.logger.info({ summary }, `reprocess: done in ${ms(summary.ms)}: ${summary.keys.trades} symbols, ${summary.keys.mentions} tickers, `
        + `${summary.written} rows written, ${summary.deleted} deleted, ${summary.retried} hours read again`);
    } finally {
      await store.close();
    }
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  // One line a person can act on; the stack only when it is our bug.
  if (err instanceof StockstreamerError) {
    process.stderr.write(`stockstreamer: ${err.message}\n  ${err.hint}\n`);
    process.exit(2);
  }
  process.stderr.write(`stockstreamer: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
