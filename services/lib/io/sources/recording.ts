/**
 * Record a source's raw messages, and replay them later through the same
 * pure parser/mapper, so a replay yields exactly the records the live run
 * produced. Useful for reproducing a bug from production input and for
 * deterministic protocol tests (the kafkajs habit of recorded fixtures).
 *
 * File format, JSON Lines, one raw message per line:
 *
 *   {"source":"finnhub","at":<epoch ms>,"raw":"<the frame text, as received>"}
 *   {"source":"reddit","at":<epoch ms>,"raw":{"kind":"t3"|"t1","data":{…}}}
 *
 * Finnhub lines hold every frame, pings and malformed ones included (the
 * replay skips them exactly as the live source did). Reddit lines hold the
 * listing children the source emitted, after de-duplication, with a parent
 * title the source had to look up written into `link_title`. One file may
 * hold both sources; a replay reads only the lines of its own.
 */
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { RedditPost, Trade } from '../../domain/types.ts';
import type { Logger } from '../../runtime/logger.ts';
import { silentLogger } from '../../runtime/logger.ts';
import { createTradeSequencer, parseFinnhubFrame } from '../../domain/sources/finnhub-frames.ts';
import { mapRedditChild, type RedditListingChild } from '../../domain/sources/reddit-mapping.ts';
import { createBoundedLru } from '../../domain/sources/lru.ts';
import { newStats, realSleep, systemClock, type Clock, type ObservableSource, type Sleep, type SourceStats } from './source.ts';

export type RecordedSource = 'finnhub' | 'reddit';

export interface RecordedLine {
  source: RecordedSource;
  /** epoch milliseconds when the message arrived */
  at: number;
  raw: unknown;
}

export interface Recorder {
  record(source: RecordedSource, raw: unknown): void;
  /** ready-made `onRaw` hooks */
  readonly finnhub: (raw: string) => void;
  readonly reddit: (child: RedditListingChild) => void;
  /** flushes and closes the file; rejects if any write failed */
  close(): Promise<void>;
}

export function createRecorder(path: string, options: { clock?: Clock } = {}): Recorder {
  const clock = options.clock ?? systemClock;
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path, { flags: 'a', encoding: 'utf8' });
  let failure: Error | undefined;
  out.on('error', (err) => {
    failure ??= err;
  });
  const record = (source: RecordedSource, raw: unknown): void => {
    if (failure !== undefined) return;
    const line: RecordedLine = { source, at: clock.now(), raw };
    out.write(`${JSON.stringify(line)}\n`);
  };
  return {
    record,
    finnhub: (raw) => record('finnhub', raw),
    reddit: (child) => record('reddit', child),
    close: () =>
      new Promise((resolve, reject) => {
        out.end(() => (failure === undefined ? resolve() : reject(failure)));
      }),
  };
}

export interface ReplaySourceOptions {
  path: string;
  /** 0 = as fast as possible, 1 = real time, 10 = ten times faster */
  speed?: number;
  logger?: Logger;
  sleep?: Sleep;
  /** records per emit when speed is 0 */
  batchSize?: number;
}

export function createReplaySource(options: ReplaySourceOptions & { source: 'finnhub' }): ObservableSource<Trade>;
export function createReplaySource(options: ReplaySourceOptions & { source: 'reddit' }): ObservableSource<RedditPost>;
export function createReplaySource(options: ReplaySourceOptions & { source: RecordedSource }): ObservableSource<Trade> | ObservableSource<RedditPost>;
export function createReplaySource(options: ReplaySourceOptions & { source: RecordedSource }): ObservableSource<Trade | RedditPost> {
  const speed = options.speed ?? 0;
  if (!Number.isFinite(speed) || speed < 0) throw new RangeError(`replay speed must be >= 0, got ${speed}`);
  const sleep = options.sleep ?? realSleep;
  const batchSize = options.batchSize ?? 1000;
  const logger = (options.logger ?? silentLogger()).child({ source: `replay-${options.source}` });
  const stats = newStats();

  return {
    name: `replay-${options.source}`,
    stats: (): SourceStats => ({ ...stats }),
    async run(emit, signal) {
      // Fresh state per run, exactly as a live source starts: same input, same seqs.
      const sequencer = createTradeSequencer();
      const seen = createBoundedLru<string, true>(20_000);
      let batch: (Trade | RedditPost)[] = [];
      let batchAt: number | undefined;
      const flush = async (): Promise<void> => {
        if (batch.length === 0) return;
        const out = batch;
        batch = [];
        await emit(out);
        stats.emitted += out.length;
      };
      const skip = (reason: string, lineNumber: number): void => {
        stats.malformed += 1;
        logger.warn({ code: 'MALFORMED_FRAME', reason, line: lineNumber }, 'skipped a malformed recorded message');
      };

      const input = createReadStream(options.path, { encoding: 'utf8' });
      const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
      let lineNumber = 0;
      try {
        for await (const text of lines) {
          if (signal.aborted) break;
          lineNumber += 1;
          if (text.trim() === '') continue;
          let line: RecordedLine;
          try {
            line = JSON.parse(text) as RecordedLine;
          } catch {
            skip('line is not valid JSON', lineNumber);
            continue;
          }
          if (line === null || typeof line !== 'object' || line.source !== options.source) continue;
          stats.received += 1;
          const at = typeof line.at === 'number' && Number.isFinite(line.at) ? line.at : batchAt;

          // Pace by the recorded arrival times: everything that arrived together is emitted together.
          if (speed > 0 && at !== undefined && batchAt !== undefined && at !== batchAt) {
            await flush();
            if (at > batchAt) await sleep((at - batchAt) / speed, signal);
            if (signal.aborted) break;
          }
          if (at !== undefined) batchAt = at;

          if (options.source === 'finnhub') {
            if (typeof line.raw !== 'string') {
              skip('finnhub line has no raw frame text', lineNumber);
              continue;
            }
            const frame = parseFinnhubFrame(line.raw);
            if (frame.kind === 'malformed') stats.malformed += 1;
            if (frame.kind !== 'trades') continue;
            stats.malformed += frame.rejected.length;
            for (const trade of frame.trades) batch.push(sequencer.assign(trade));
          } else {
            const raw = line.raw as { data?: { name?: unknown } } | null;
            const name = typeof raw?.data?.name === 'string' ? raw.data.name : undefined;
            if (name !== undefined && seen.has(name)) continue;
            if (name !== undefined) seen.set(name, true);
            const mapped = mapRedditChild(line.raw);
            if (!mapped.ok) {
              skip(mapped.reason, lineNumber);
              continue;
            }
            batch.push(mapped.post);
          }
          if (speed === 0 && batch.length >= batchSize) await flush();
        }
        if (!signal.aborted) await flush();
      } finally {
        lines.close();
        input.destroy();
      }
    },
  };
}
