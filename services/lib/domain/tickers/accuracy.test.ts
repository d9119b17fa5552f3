import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fiqaTargetRecall, parseFiqa, scoreLabelled, type LabelledPost } from './evaluate.ts';
import { createTickerExtractor, parseUniverseCsv } from './index.ts';
import { loadRedditWild, REDDIT_WILD_DEV_2_PATH } from '../../../../test/fixtures/sentiment-datasets.ts';

const root = resolve(import.meta.dirname, '../../../..');
const extractor = createTickerExtractor({
  securities: parseUniverseCsv(readFileSync(resolve(root, 'data/us-listed-securities.csv'), 'utf8')),
});

describe('accuracy bars', () => {
  it('finds the labelled target of at least 95% of the FiQA 2018 microblogs', () => {
    const posts = parseFiqa(JSON.parse(readFileSync(resolve(root, 'test/fixtures/fiqa-2018-task1-microblogs.json'), 'utf8')));
    expect(posts).toHaveLength(675);
    expect(fiqaTargetRecall(extractor, posts).recall).toBeGreaterThanOrEqual(0.95);
  });

  it('reaches micro F1 of at least 0.95 on the hand-labelled Reddit set', () => {
    const posts = readFileSync(resolve(root, 'test/fixtures/reddit-tickers-labelled.jsonl'), 'utf8')
      .split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LabelledPost);
    expect(posts.length).toBeGreaterThanOrEqual(200);
    const scores = scoreLabelled(extractor, posts);
    expect(scores.f1, JSON.stringify(scores.mistakes, null, 1)).toBeGreaterThanOrEqual(0.95);
  });

  it('reaches micro F1 of at least 0.96 on the fourth round\'s dev set (word-names in lower case, shops, products, word-tickers, typos)', () => {
    const scores = scoreLabelled(extractor, loadRedditWild(REDDIT_WILD_DEV_2_PATH));
    expect(scores.f1, JSON.stringify(scores.mistakes, null, 1)).toBeGreaterThanOrEqual(0.96);
  });

  it('reaches micro F1 of at least 0.97 on the Reddit-style dev set of issue 12 (brands, lower case, one letter)', () => {
    const posts = loadRedditWild();
    const scores = scoreLabelled(extractor, posts);
    expect(scores.f1, JSON.stringify(scores.mistakes, null, 1)).toBeGreaterThanOrEqual(0.97);
  });
});
