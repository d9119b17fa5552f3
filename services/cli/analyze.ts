import { createInterface } from 'node:readline';
import type { SentimentScorer } from '../lib/domain/sentiment/index.ts';
import type { TickerExtractor, TickerInput } from '../lib/domain/tickers/index.ts';

/**
 * `stockstreamer analyze`: one JSON line in, one JSON line out, in order. A bad
 * line yields {"error": …} in its place and the run goes on, so a caller can
 * zip inputs and outputs by line number.
 *
 * With `explain`, each answer also carries `why`: in reading order, the
 * words, phrases and rules behind the score, and every ticker candidate with
 * the context that kept or dropped it, as short sentences a person can read
 * (still one JSON line, so `jq .why` shows them).
 */
export interface AnalyzeOptions {
  explain?: boolean;
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000;
const signed = (x: number): string => (x > 0 ? `+${x.toFixed(2)}` : x.toFixed(2));

function why(text: string, input: TickerInput, scorer: SentimentScorer, extractor: TickerExtractor): { tickers: string[]; sentiment: string[] } {
  const t = extractor.explain(input);
  const tickers = t.evidence.map((e) => `${e.text} → ${e.symbol}: ${e.counted ? 'counted' : 'not counted'}, ${e.kind}: ${e.why}`);
  if (t.source === 'parent title') tickers.push('the text names no stock: tickers from the submission title');
  if (t.evidence.length === 0) tickers.push('no cashtag, symbol or company name');
  const s = scorer.explain(text);
  const sentiment = s.steps.map((step) => `${step.text}${step.value !== 0 ? ` ${signed(step.value)}` : ''}: ${step.rule}`);
  sentiment.push(`raw ${signed(s.raw)} → score ${signed(s.score)} (x / sqrt(x² + 16)) → ${s.label}`);
  return { tickers, sentiment };
}

export function analyzeLine(line: string, scorer: SentimentScorer, extractor: TickerExtractor, options: AnalyzeOptions = {}): string {
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
  const tickerInput: TickerInput = { text, ...(subreddit ? { subreddit } : {}), ...(title ? { parentTitle: title } : {}) };
  const tickers = extractor.extract(tickerInput);
  const answer = { tickers, sentiment: round(score), label };
  return JSON.stringify(options.explain === true ? { ...answer, why: why(text, tickerInput, scorer, extractor) } : answer);
}

export async function analyzeStream(
  input: NodeJS.ReadableStream, output: NodeJS.WritableStream, scorer: SentimentScorer, extractor: TickerExtractor, options: AnalyzeOptions = {},
): Promise<number> {
  let n = 0;
  const rl = createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) {
    // An empty line is still a line: answer it so outputs stay aligned with inputs.
    const ok = output.write(`${analyzeLine(line, scorer, extractor, options)}\n`);
    n++;
    if (!ok) await new Promise((r) => output.once('drain', r));
  }
  return n;
}
