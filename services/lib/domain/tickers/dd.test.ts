import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTickerExtractor, parseUniverseCsv } from './index.ts';

/**
 * "DD" (due diligence) showed as a top-mentioned ticker (issue 11). The
 * issue-12 rules read it as the tag it is; this keeps the rankings free of it:
 * every way the Reddit feeds and the shipped recording use it, and DuPont
 * (NYSE: DD) still counts where it is named as a stock.
 */
const securities = parseUniverseCsv(readFileSync(resolve(import.meta.dirname, '../../../../data/us-listed-securities.csv'), 'utf8'));
const extractor = createTickerExtractor({ securities });
const x = (text: string): string[] => extractor.extract({ text, subreddit: 'wallstreetbets' });

describe('DD is due diligence, not DuPont', () => {
  it('as a tag, a noun, a heading or a question', () => {
    for (const text of ['Why GME is massively undervalued rn (DD)', 'Great DD, thanks for sharing', 'Here is my DD', 'DD: NVDA is undervalued',
      '[DD] AMD deep dive', 'Any DD on this?', 'Solid DD as always', 'DD inside, TSLA puts', 'DD', 'did my own DD on PLTR']) {
      expect(x(text), text).not.toContain('DD');
    }
  });

  it('as the stock when it is named as one', () => {
    expect(x('$DD is cheap')).toEqual(['DD']);
    expect(x('Dupont DD shares up 3%')).toContain('DD');
  });

  it('never in the shipped recording', () => {
    const lines = readFileSync(resolve(import.meta.dirname, '../../../../data/recorded/reddit-sample.jsonl'), 'utf8').trim().split('\n');
    for (const line of lines) {
      const d = (JSON.parse(line) as { raw: { kind: string; data: Record<string, string> } }).raw;
      const text = d.kind === 't3' ? `${d.data.title}\n${d.data.selftext ?? ''}` : d.data.body ?? '';
      expect(x(text), text).not.toContain('DD');
    }
  });
});
