/**
 * A sealed issue-12 set, scored once when the tuning is over:
 *   node scripts/eval-sealed.ts [--set 1|2|3|4] [--verbose]      (default: set 4, the latest; all four are spent)
 * It refuses a file whose sha256 differs from the one recorded when it was
 * sealed, so a figure printed here is for the texts written before any rule
 * was tuned. Prints ticker precision / recall / F1 and pos/neg/neu accuracy.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSentimentScorer } from '../services/lib/domain/sentiment/index.ts';
import { labelAccuracy } from '../services/lib/domain/sentiment/metrics.ts';
import { scoreLabelled } from '../services/lib/domain/tickers/evaluate.ts';
import { createTickerExtractor, parseUniverseCsv } from '../services/lib/domain/tickers/index.ts';
import {
  loadRedditWild, REDDIT_WILD_SEALED_2_PATH, REDDIT_WILD_SEALED_2_SHA256, REDDIT_WILD_SEALED_3_PATH, REDDIT_WILD_SEALED_3_SHA256,
  REDDIT_WILD_SEALED_4_PATH, REDDIT_WILD_SEALED_4_SHA256, REDDIT_WILD_SEALED_PATH, REDDIT_WILD_SEALED_SHA256,
} from '../test/fixtures/sentiment-datasets.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const setArg = process.argv.indexOf('--set');
const set = setArg >= 0 ? process.argv[setArg + 1] : '4';
const sets: Record<string, [string, string]> = {
  1: [REDDIT_WILD_SEALED_PATH, REDDIT_WILD_SEALED_SHA256],
  2: [REDDIT_WILD_SEALED_2_PATH, REDDIT_WILD_SEALED_2_SHA256],
  3: [REDDIT_WILD_SEALED_3_PATH, REDDIT_WILD_SEALED_3_SHA256],
  4: [REDDIT_WILD_SEALED_4_PATH, REDDIT_WILD_SEALED_4_SHA256],
};
if (set === undefined || !(set in sets)) throw new Error('--set must be 1, 2, 3 or 4');
const [path, sealedSha] = sets[set]!;
const sha = createHash('sha256').update(readFileSync(path)).digest('hex');
if (sha !== sealedSha) throw new Error(`${path} changed since it was sealed (sha256 ${sha}, sealed ${sealedSha})`);
const posts = loadRedditWild(path);
const extractor = createTickerExtractor({ securities: parseUniverseCsv(readFileSync(resolve(root, 'data/us-listed-securities.csv'), 'utf8')) });
const scorer = createSentimentScorer();

const t = scoreLabelled(extractor, posts);
const accuracy = labelAccuracy(posts.map((p) => scorer.score(p.text).label), posts.map((p) => p.label));
console.log(`sealed set ${set}: ${posts.length} posts, sha256 ${sha.slice(0, 16)}…`);
console.log(`tickers: precision ${t.precision.toFixed(3)}, recall ${t.recall.toFixed(3)}, F1 ${t.f1.toFixed(3)} (TP ${t.truePositives}, FP ${t.falsePositives}, FN ${t.falseNegatives})`);
console.log(`sentiment: label accuracy ${accuracy.toFixed(3)}`);
if (process.argv.includes('--verbose')) {
  for (const m of t.mistakes) console.log(`  tickers expected [${m.expected.join(',')}] got [${m.got.join(',')}]: ${m.input.text}`);
  for (const p of posts) {
    const got = scorer.score(p.text);
    if (got.label !== p.label) console.log(`  label ${p.label} got ${got.label} (${got.score.toFixed(2)}): ${p.text}`);
  }
}
