import { createInterface } from 'node:readline';
import type { SentimentScorer } from '../lib/domain/sentiment/index.ts';
import type { TickerExtractor } from '../lib/domain/tickers/index.ts';

/**
 * `stockstreamer analyze`: one JSON line in, one JSON line out, in order. A bad
 * line yields {"error": …} in its place and the run goes on, so a caller can
 * zip inputs and outputs by line number.
 */
export function analyzeLine(line: string, scorer: SentimentScorer, extractor: TickerExtractor): string {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch (err) {
    return JSON.stringify({ error: `not valid JSON: ${(err as Error).message}` });
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return JSON.stringify({ error: 'expected a JSON object with a "text" string' });
  const { text, subreddit, title } = input as Record<string, unknown>;
  if (typeof text !== 'string') return JSON.stringify({ error: 'missing "text" (a string)' });
  if (subreddit !== undefined && typeof subreddit !== 'string') return JSON.stringify({ error: '"subreddit" must be a string' });
  if (title !== undefined && typeof title !== 'string') return JSON.stringify({ error: '"title" must be a string' });
  const { score, label } = scorer.score(text);
  const tickers = extractor.extract({ text, ...(subreddit ? { subreddit } : {}), ...(title ? { parentTitle: title } : {}) });
  return JSON.stringify({ tickers, sentiment: Math.round(score * 10_000) / 10_000, label });
}

export async function analyzeStream(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, scorer: SentimentScorer, extractor: TickerExtractor): Promise<number> {
  let n = 0;
  const rl = createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) {
    // An empty line is still a line: answer it so outputs stay aligned with inputs.
    const ok = output.write(`${analyzeLine(line, scorer, extractor)}\n`);
    n++;
    if (!ok) await new Promise((r) => output.once('drain', r));
  }
  return n;
}
