import type { TickerExtractor, TickerInput } from './extractor.ts';

/**
 * Accuracy measures for ticker extraction, shared by the unit tests (which
 * hold the bars) and scripts/eval-tickers.ts (which prints the figures).
 */

export interface LabelledPost extends TickerInput {
  tickers: string[];
}

export interface SetScores {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  /** posts whose extracted set differs from the label, for reading */
  mistakes: { input: TickerInput; expected: string[]; got: string[] }[];
}

/** Micro-averaged precision, recall and F1 over (post, ticker) pairs. */
export function scoreLabelled(extractor: TickerExtractor, posts: readonly LabelledPost[]): SetScores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const mistakes: SetScores['mistakes'] = [];
  for (const post of posts) {
    const { tickers, ...input } = post;
    const got = extractor.extract(input);
    const expected = new Set(tickers.map((t) => t.toUpperCase()));
    let wrong = false;
    for (const g of got) {
      if (expected.has(g)) tp++;
      else { fp++; wrong = true; }
    }
    for (const e of expected) {
      if (!got.includes(e)) { fn++; wrong = true; }
    }
    if (wrong) mistakes.push({ input, expected: [...expected], got });
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { truePositives: tp, falsePositives: fp, falseNegatives: fn, precision, recall, f1, mistakes };
}

/** One FiQA 2018 task-1 microblog: the sentence and its labelled target(s). */
export interface FiqaPost {
  id: string;
  sentence: string;
  targets: string[];
}

/** The FiQA file is `{ id: { sentence, info: [{ target, … }] } }`. */
export function parseFiqa(json: unknown): FiqaPost[] {
  if (json === null || typeof json !== 'object') throw new TypeError('FiQA data must be an object of posts');
  const out: FiqaPost[] = [];
  for (const [id, value] of Object.entries(json as Record<string, unknown>)) {
    const v = value as { sentence?: unknown; info?: unknown };
    if (typeof v.sentence !== 'string' || !Array.isArray(v.info)) continue;
    const targets = v.info
      .map((i: unknown) => (i as { target?: unknown }).target)
      .filter((t): t is string => typeof t === 'string')
      .map((t) => t.replace(/^\$/, '').toUpperCase());
    out.push({ id, sentence: v.sentence, targets });
  }
  return out;
}

/** Share of posts whose labelled target is among the extracted tickers. */
export function fiqaTargetRecall(extractor: TickerExtractor, posts: readonly FiqaPost[]): { hits: number; total: number; recall: number; misses: FiqaPost[] } {
  let hits = 0;
  const misses: FiqaPost[] = [];
  for (const p of posts) {
    const got = extractor.extract({ text: p.sentence });
    if (p.targets.some((t) => got.includes(t))) hits++;
    else misses.push(p);
  }
  return { hits, total: posts.length, recall: posts.length === 0 ? 1 : hits / posts.length, misses };
}
