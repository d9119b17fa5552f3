/**
 * Scoring: sentiment + ticker extraction on the 675 FiQA posts, one core, and
 * side by side in the same run `vader-sentiment`, the scorer the original
 * Spark pipeline ran per row. Bars: ≥ 100,000 posts/s and ≥ 15× VADER.
 *   node bench/scoring.ts
 */
import { readFileSync } from 'node:fs';
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
printTable('Scoring: FiQA posts, one core (medians of tinybench samples)', [
  ['posts', String(posts.length)],
  ['stockstreamer posts/s', Math.round(ours!).toLocaleString('en-US')],
  ['vader-sentiment posts/s', Math.round(theirs!).toLocaleString('en-US')],
  ['ratio', `${ratio.toFixed(1)}×  (bar: ≥ 15×, ≥ 100,000 posts/s)`],
]);
recordResults('scoring', { scoring_posts_per_s: Math.round(ours!), scoring_vs_vader: Number(ratio.toFixed(2)), vader_posts_per_s: Math.round(theirs!) }, { posts: posts.length, checksum: sink !== 0 });
