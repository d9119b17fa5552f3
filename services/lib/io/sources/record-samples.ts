/**
 * Regenerates data/recorded/{finnhub,reddit}-sample.jsonl from the synthetic
 * feeds through the recorder, with fixed seeds and a fixed clock so the files
 * only change when the generators do.
 *
 *   node services/lib/io/sources/record-samples.ts
 */
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createSeededRandom } from '../../domain/sources/prng.ts';
import { createRecorder } from './recording.ts';
import { createSyntheticRedditSource, createSyntheticTradeSource } from './synthetic.ts';
import type { Clock, Sleep } from './source.ts';

const root = fileURLToPath(new URL('../../../../data/recorded/', import.meta.url));
const start = Date.parse('2025-03-03T15:30:00Z'); // a Monday, US session open
let now = start;
const clock: Clock = { now: () => now };
const sleep: Sleep = async (ms) => {
  now += ms;
};
const signal = new AbortController().signal;

const finnhubPath = join(root, 'finnhub-sample.jsonl');
rmSync(finnhubPath, { force: true });
const tradeRecorder = createRecorder(finnhubPath, { clock });
await createSyntheticTradeSource({
  symbols: ['AAPL', 'TSLA', 'NVDA', 'MSFT', 'GME', 'PLTR'], ratePerSecond: 1.5, random: createSeededRandom(20250303), clock, sleep,
  maxRecords: 450, onRaw: tradeRecorder.finnhub,
}).run(async () => {}, signal);
await tradeRecorder.close();

now = start;
const redditPath = join(root, 'reddit-sample.jsonl');
rmSync(redditPath, { force: true });
const redditRecorder = createRecorder(redditPath, { clock });
await createSyntheticRedditSource({
  subreddits: ['wallstreetbets', 'stocks', 'investing'],
  tickers: { AAPL: 'Apple', TSLA: 'Tesla', NVDA: 'Nvidia', MSFT: 'Microsoft', GME: 'GameStop', PLTR: 'Palantir' },
  ratePerSecond: 2, random: createSeededRandom(20250304), clock, sleep, maxRecords: 240, onRaw: redditRecorder.reddit,
}).run(async () => {}, signal);
await redditRecorder.close();
