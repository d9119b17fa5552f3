import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { analyzeStream } from './analyze.ts';
import { createSentimentScorer } from '../lib/domain/sentiment/index.ts';
import { createTickerExtractor } from '../lib/domain/tickers/index.ts';
import { loadUniverse } from '../lib/io/universe.ts';

async function analyze(lines: string[]): Promise<Record<string, unknown>[]> {
  const extractor = createTickerExtractor({ securities: await loadUniverse() });
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c: Buffer) => chunks.push(c.toString()));
  input.end(lines.join('\n') + '\n');
  await analyzeStream(input, output, createSentimentScorer(), extractor);
  return chunks.join('').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('stockstreamer analyze', () => {
  it('answers each line in order, and a bad line with an error in its place', async () => {
    const out = await analyze([
      JSON.stringify({ text: '$TSLA to the moon 🚀🚀 loading calls' }),
      'this is not json',
      JSON.stringify({ note: 'no text here' }),
      JSON.stringify({ text: 'bagholding puts, total rug pull', subreddit: 'wallstreetbets' }),
      JSON.stringify({ text: 'agreed, great quarter', title: 'NVDA earnings thread' }),
    ]);
    expect(out).toHaveLength(5);
    expect(out[0]).toMatchObject({ tickers: ['TSLA'], label: 'pos' });
    expect(out[0]!.sentiment as number).toBeGreaterThan(0);
    expect(out[1]).toHaveProperty('error');
    expect(String(out[2]!.error)).toContain('text');
    expect(out[3]).toMatchObject({ tickers: [], label: 'neg' });
    expect(out[4]).toMatchObject({ tickers: ['NVDA'], label: 'pos' });
  });
});
