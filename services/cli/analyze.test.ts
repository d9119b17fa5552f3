import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { analyzeLine, analyzeStream } from './analyze.ts';
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

describe('stockstreamer analyze --explain', () => {
  it('adds, per line, the candidates and rules behind the tickers and the words and rules behind the score', async () => {
    const extractor = createTickerExtractor({ securities: await loadUniverse() });
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (c: Buffer) => chunks.push(c.toString()));
    input.end([
      JSON.stringify({ text: 'Named my cat after Ford. F is a disaster, puts printing (DD)' }),
      JSON.stringify({ text: 'agreed', title: '$NVDA earnings thread' }),
      'nope',
    ].join('\n') + '\n');
    await analyzeStream(input, output, createSentimentScorer(), extractor, { explain: true });
    const [first, second, third] = chunks.join('').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, any>);

    expect(first).toMatchObject({ tickers: ['F'], label: 'neg' });
    const tickerWhy = (first!.why.tickers as string[]).join('\n');
    expect(tickerWhy).toMatch(/^Ford → F: counted, name/m);
    expect(tickerWhy).toMatch(/^F → F: counted, symbol/m);
    expect(tickerWhy).toMatch(/^DD → DD: not counted, symbol: a tag in parentheses/m);
    const sentimentWhy = (first!.why.sentiment as string[]).join('\n');
    expect(sentimentWhy).toMatch(/^disaster -\d/m);
    expect(sentimentWhy).toMatch(/bearish option position/);
    expect(sentimentWhy).toMatch(/→ neg$/m);

    expect(second).toMatchObject({ tickers: ['NVDA'] });
    expect((second!.why.tickers as string[]).join('\n')).toMatch(/submission title/);
    expect(third).toHaveProperty('error');
  });

  it('answers exactly as without --explain, only with "why" added', async () => {
    const extractor = createTickerExtractor({ securities: await loadUniverse() });
    const scorer = createSentimentScorer();
    for (const line of [JSON.stringify({ text: 'zoom earnings were decent, stock up 6%' }), JSON.stringify({ text: 'GME 🚀🚀', subreddit: 'wallstreetbets' })]) {
      const { why, ...rest } = JSON.parse(analyzeLine(line, scorer, extractor, { explain: true })) as Record<string, unknown>;
      expect(why).toBeDefined();
      expect(rest).toEqual(JSON.parse(analyzeLine(line, scorer, extractor)));
    }
  });
});
