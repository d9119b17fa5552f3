/**
 * Scoring: sentiment + ticker extraction on the 675 FiQA posts, one core, and
 * side by side in the same run `vader-sentiment`, the scorer the original
 * Spark pipeline ran per row. Bars: ≥ 100,000 posts/s and ≥ 15× VADER
 * (issue 12: ≥ 150,000 posts/s).
 *   node bench/scoring.ts
 *
 * Besides tinybench's wall-clock medians it prints posts per CPU-second of
 * this process (median of rounds), which other processes on a shared machine
 * disturb less, and the load average the run saw.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { Bench } from 'tinybench';
import { createSentimentScorer } from '../services/lib/domain/sentiment/index.ts';
import { createTickerExtractor } from '../services/lib/domain/tickers/index.ts';
import { loadUniverse } from '../services/lib/io/universe.ts';
import { fixture, printTable, recordResults } from './lib/results.ts';

const require = createRequire(import.meta.url);
const vader = require('vader-sentiment') as { SentimentIntensityAnalyzer: { polarity_scores(t: string): { compound: number } } };

const fiqa = JSON.parse(readFileSync(fixture('fiqa-2018-task1-microblogs.json'), 'utf8')) as Record<string, { sentence: string }>;
const posts = Object.values(fiqa).map((p) => p.sentence);
const scorer = createSentimentScorer();
const extractor = createTickerExtractor({ securities: await loadUniverse() });

let sink = 0; // keeps the work observable so nothing is optimised away
const bench = new Bench({ time: 1500, warmupTime: 300 });
bench
  .add('stockstreamer: sentiment + tickers', () => {
    for (const text of posts) sink += scorer.score(text).score + extractor.extract({ text }).length;
  })
  .add('vader-sentiment (original pipeline)', () => {
    for (const text of posts) sink += vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
  });
await bench.run();

const [ours, theirs] = bench.tasks.map((t) => {
  const r = t.result as unknown as { throughput: { p50: number }; latency: { samplesCount?: number } };
  return r.throughput.p50 * posts.length;
});
const ratio = ours! / theirs!;

/** Posts per CPU-second of this process: the median of rounds of at least 300 ms of CPU each. */
function perCpuSecond(score: (text: string) => number): number {
  const rates: number[] = [];
  for (let round = 0; round < 7; round++) {
    const start = process.cpuUsage();
    let scored = 0;
    let used = 0;
    do {
      for (const text of posts) sink += score(text);
      scored += posts.length;
      const u = process.cpuUsage(start);
      used = (u.user + u.system) / 1e6;
    } while (used < 0.3);
    rates.push(scored / used);
  }
  return rates.sort((a, b) => a - b)[3]!;
}
const oursCpu = perCpuSecond((text) => scorer.score(text).score + extractor.extract({ text }).length);
printTable('Scoring: FiQA posts, one core (medians of tinybench samples)', [
  ['posts', String(posts.length)],
  ['stockstreamer posts/s', Math.round(ours!).toLocaleString('en-US')],
  ['vader-sentiment posts/s', Math.round(theirs!).toLocaleString('en-US')],
  ['ratio', `${ratio.toFixed(1)}×  (bar: ≥ 15×, ≥ 100,000 posts/s; issue 12: ≥ 150,000)`],
  ['stockstreamer posts per CPU-second', `${Math.round(oursCpu).toLocaleString('en-US')}  (median of 7 rounds)`],
  ['load average (1 / 5 min)', loadavg().slice(0, 2).map((l) => l.toFixed(2)).join(' / ')],
]);
recordResults('scoring', { scoring_posts_per_s: Math.round(ours!), scoring_vs_vader: Number(ratio.toFixed(2)), vader_posts_per_s: Math.round(theirs!) }, { posts: posts.length, checksum: sink !== 0 });
