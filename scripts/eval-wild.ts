/**
 * Every issue-12 set that may be read while tuning, tickers and labels side by
 * side, per class, in a second and without timing:
 *   node scripts/eval-wild.ts [--verbose] [--set NAME]
 * The sets: the two development sets and the sealed sets 1-4, which were
 * scored once each and are spent (set 4 at 2026-12-03 13:36 UTC, after the
 * fourth round); then the guards the rules must not break: FiQA (sign
 * agreement, r, target recall) and the project's first two sets. `--verbose`
 * lists every mistake with its class; `--set dev-2` restricts to one set.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSentimentScorer } from '../services/lib/domain/sentiment/index.ts';
import { half, labelAccuracy, pearson, signAgreement } from '../services/lib/domain/sentiment/metrics.ts';
import { fiqaTargetRecall, parseFiqa, scoreLabelled, type LabelledPost } from '../services/lib/domain/tickers/evaluate.ts';
import { createTickerExtractor, parseUniverseCsv } from '../services/lib/domain/tickers/index.ts';
import {
  FIQA_PATH, loadFiqa, loadRedditLabelled, loadRedditWild, REDDIT_WILD_DEV_2_PATH, REDDIT_WILD_DEV_PATH, REDDIT_WILD_SEALED_2_PATH,
  REDDIT_WILD_SEALED_3_PATH, REDDIT_WILD_SEALED_4_PATH, REDDIT_WILD_SEALED_PATH,
} from '../test/fixtures/sentiment-datasets.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const verbose = process.argv.includes('--verbose');
const only = process.argv.indexOf('--set') >= 0 ? process.argv[process.argv.indexOf('--set') + 1] : undefined;
const extractor = createTickerExtractor({ securities: parseUniverseCsv(readFileSync(resolve(root, 'data/us-listed-securities.csv'), 'utf8')) });
const scorer = createSentimentScorer();

const sets: [string, string][] = [
  ['dev', REDDIT_WILD_DEV_PATH],
  ['dev-2', REDDIT_WILD_DEV_2_PATH],
  ['spent-1', REDDIT_WILD_SEALED_PATH],
  ['spent-2', REDDIT_WILD_SEALED_2_PATH],
  ['spent-3', REDDIT_WILD_SEALED_3_PATH],
  ['spent-4', REDDIT_WILD_SEALED_4_PATH],
];
for (const [name, path] of sets) {
  if (only !== undefined && only !== name) continue;
  const posts = loadRedditWild(path);
  const t = scoreLabelled(extractor, posts);
  const labels = posts.map((p) => scorer.score(p.text).label);
  const accuracy = labelAccuracy(labels, posts.map((p) => p.label));
  console.log(`${name.padEnd(8)} ${String(posts.length).padStart(3)} posts  tickers F1 ${t.f1.toFixed(3)} (P ${t.precision.toFixed(3)} / R ${t.recall.toFixed(3)})  labels ${accuracy.toFixed(3)}`);
  if (!verbose) continue;
  const classes = [...new Set(posts.map((p) => p.class))].sort();
  console.log(`  ${classes.map((k) => {
    const idx = posts.map((p, i) => (p.class === k ? i : -1)).filter((i) => i >= 0);
    return `${k} ${idx.filter((i) => labels[i] === posts[i]!.label).length}/${idx.length}`;
  }).join(' · ')}`);
  for (const m of t.mistakes) console.log(`  tickers [${m.expected.join(',')}] got [${m.got.join(',')}]: ${m.input.text}`);
  posts.forEach((p, i) => {
    if (labels[i] !== p.label) console.log(`  label ${p.label} got ${labels[i]} (${scorer.score(p.text).score.toFixed(2)}) [${p.class}]: ${p.text}`);
  });
}

if (only === undefined) {
  const fiqa = loadFiqa();
  const cells = ([['all', fiqa], ['even', half(fiqa, 0)], ['odd', half(fiqa, 1)]] as const).map(([label, set]) => {
    const predicted = set.map((p) => scorer.score(p.text).score);
    const gold = set.map((p) => p.gold);
    return `${label} ${signAgreement(predicted, gold).toFixed(3)} / ${pearson(predicted, gold).toFixed(3)}`;
  });
  const recall = fiqaTargetRecall(extractor, parseFiqa(JSON.parse(readFileSync(FIQA_PATH, 'utf8'))));
  console.log(`FiQA     sign / r: ${cells.join('   ')}   target recall ${recall.hits}/${recall.total}`);
  const first = loadRedditLabelled();
  const firstAccuracy = labelAccuracy(first.map((c) => scorer.score(c.text).label), first.map((c) => c.label));
  const tickerSet = readFileSync(resolve(root, 'test/fixtures/reddit-tickers-labelled.jsonl'), 'utf8')
    .split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LabelledPost);
  const ts = scoreLabelled(extractor, tickerSet);
  console.log(`first sets: labels ${firstAccuracy.toFixed(3)} (${first.length})   tickers F1 ${ts.f1.toFixed(3)} (P ${ts.precision.toFixed(3)} / R ${ts.recall.toFixed(3)}, ${tickerSet.length})`);
  if (verbose) {
    first.forEach((c) => {
      const got = scorer.score(c.text);
      if (got.label !== c.label) console.log(`  first set: label ${c.label} got ${got.label} (${got.score.toFixed(2)}): ${c.text}`);
    });
    for (const m of ts.mistakes) console.log(`  first ticker set: [${m.expected.join(',')}] got [${m.got.join(',')}]: ${m.input.text}`);
  }
}
