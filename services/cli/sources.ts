import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RedditPost, Trade } from '../lib/domain/types.ts';
import { createSeededRandom } from '../lib/domain/sources/prng.ts';
import {
  createFinnhubSource, createRecorder, createRedditSource, createReplaySource, createSyntheticRedditSource,
  createSyntheticTradeSource, realSleep, type ObservableSource, type Recorder,
} from '../lib/io/sources/index.ts';
import type { Config } from '../lib/runtime/config.ts';
import type { Credentials } from '../lib/runtime/credentials.ts';
import type { Clock } from '../lib/runtime/clock.ts';
import type { Logger } from '../lib/runtime/logger.ts';
import { StockstreamerError } from '../lib/runtime/errors.ts';

export interface SelectedSources {
  trades: ObservableSource<Trade>;
  reddit: ObservableSource<RedditPost>;
  /** one line per source saying what feeds it, for the start-up log */
  describe: string[];
  /** flushes recordings; call after the sources stopped */
  close(): Promise<void>;
}

/** Symbols the synthetic Reddit feed talks about: the tracked ones plus the crowd favourites. */
const CHATTER_EXTRA = ['GME', 'AMC', 'PLTR', 'SPY', 'NVDA', 'TSLA', 'AAPL', 'AMD', 'SOFI', 'RIVN'];

/**
 * Chooses each feed once at start-up. `auto` takes the live source where
 * secrets/credentials.ini has it and the synthetic one otherwise, and says so
 * once; `live` insists on credentials; `replay` reads recordings.
 */
export function selectSources(deps: {
  config: Config; credentials: Credentials; logger: Logger; clock: Clock;
  companyName: (symbol: string) => string | undefined;
}): SelectedSources {
  const { config, credentials, logger, clock } = deps;
  const seed = config.seed || (clock.now() & 0x7fffffff);
  const random = createSeededRandom(seed);
  const describe: string[] = [];
  const recorders: Recorder[] = [];
  const recorder = (name: string): Recorder | undefined => {
    if (!config.recordDir) return undefined;
    const r = createRecorder(join(config.recordDir, `${name}-${new Date(clock.now()).toISOString().replace(/[:.]/g, '-')}.jsonl`), { clock });
    recorders.push(r);
    return r;
  };

  if (config.source === 'live' && (!credentials.finnhubToken || !credentials.reddit)) {
    const key = !credentials.finnhubToken ? '[FINNHUB] FINNHUB_TOKEN' : '[RedditCredentials]';
    throw new StockstreamerError('CREDENTIALS_INVALID', `${config.credentialsFile}: ${key} is needed for STOCKSTREAMER_SOURCE=live`, { details: { file: config.credentialsFile, key } });
  }

  let trades: ObservableSource<Trade>;
  let reddit: ObservableSource<RedditPost>;
  if (config.source === 'replay') {
    const pick = (prefix: string) => {
      const file = readdirSync(config.replayDir).filter((f) => f.startsWith(prefix) && f.endsWith('.jsonl')).sort()[0];
      if (!file) throw new StockstreamerError('CONFIG_INVALID', `STOCKSTREAMER_REPLAY_DIR=${config.replayDir} has no ${prefix}*.jsonl recording`, { details: { key: 'STOCKSTREAMER_REPLAY_DIR' } });
      return join(config.replayDir, file);
    };
    trades = createReplaySource({ path: pick('finnhub'), source: 'finnhub', speed: config.replaySpeed, logger });
    reddit = createReplaySource({ path: pick('reddit'), source: 'reddit', speed: config.replaySpeed, logger });
    describe.push(`trades: replaying ${pick('finnhub')}`, `reddit: replaying ${pick('reddit')}`);
  } else {
    const useLive = config.source !== 'synthetic';
    if (useLive && credentials.finnhubToken) {
      const rec = recorder('finnhub');
      trades = createFinnhubSource({
        url: config.finnhubUrl, token: credentials.finnhubToken, symbols: config.symbols, logger,
        backoff: { initialMs: 1000, maxMs: 60_000 }, ...(rec ? { onRaw: rec.finnhub } : {}),
      });
      describe.push(`trades: Finnhub WebSocket, ${config.symbols.length} symbols`);
    } else {
      const rec = recorder('finnhub');
      trades = createSyntheticTradeSource({
        symbols: config.symbols, ratePerSecond: config.syntheticTradesPerSecond, random, clock, sleep: realSleep,
        ...(rec ? { onRaw: rec.finnhub } : {}),
      });
      describe.push(useLive
        ? `trades: synthetic feed (no FINNHUB_TOKEN in ${config.credentialsFile})`
        : 'trades: synthetic feed (STOCKSTREAMER_SOURCE=synthetic)');
    }
    if (useLive && credentials.reddit) {
      const rec = recorder('reddit');
      reddit = createRedditSource({
        credentials: credentials.reddit, subreddits: config.subreddits, baseUrl: config.redditBaseUrl,
        pollIntervalMs: config.redditPollMs, logger, clock, ...(rec ? { onRaw: rec.reddit } : {}),
      });
      describe.push(`reddit: snoowrap, r/${config.subreddits.join('+')}`);
    } else {
      const rec = recorder('reddit');
      const tickers: Record<string, string> = {};
      for (const s of [...config.symbols, ...CHATTER_EXTRA]) tickers[s.toUpperCase()] = deps.companyName(s.toUpperCase()) ?? s.toUpperCase();
      reddit = createSyntheticRedditSource({
        subreddits: config.subreddits, tickers, ratePerSecond: config.syntheticPostsPerSecond, random, clock, sleep: realSleep,
        ...(rec ? { onRaw: rec.reddit } : {}),
      });
      describe.push(useLive
        ? `reddit: synthetic feed ([RedditCredentials] empty in ${config.credentialsFile})`
        : 'reddit: synthetic feed (STOCKSTREAMER_SOURCE=synthetic)');
    }
  }
  if (config.recordDir) describe.push(`recording raw source messages under ${config.recordDir}`);
  return { trades, reddit, describe, close: async () => { await Promise.all(recorders.map((r) => r.close())); } };
}
