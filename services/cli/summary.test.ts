import { describe, expect, it } from 'vitest';
import { renderSummary } from './summary.ts';

describe('terminal summary', () => {
  it('shows price, change against the previous close, top tickers and rates', () => {
    const text = renderSummary({
      at: Date.UTC(2026, 10, 23, 15, 0, 0),
      prices: [{ symbol: 'AAPL', price: 231.5, timestamp: 0, dayOpen: 220, reference: 230 }, { symbol: 'TSLA', price: 240, timestamp: 0, dayOpen: 235, reference: null }],
      top: [{ ticker: 'GME', count: 42, meanSentiment: -0.31 }],
      rates: { trades: 120, posts: 4, mentions: 6 },
      totals: { trades: 5000, posts: 300, deadLetters: 2 },
    });
    expect(text).toContain('2026-11-23 15:00:00 UTC');
    expect(text).toContain('120 trades/s');
    expect(text).toMatch(/AAPL\s+231\.50\s+\+0\.65%\s+GME\s+42\s+-0\.31/);
    expect(text).toMatch(/TSLA\s+240\.00\s+—/);
    expect(text).toContain('2 dead letters');
  });

  it('says it is waiting before the first records', () => {
    expect(renderSummary({ at: 0, prices: [], top: [], rates: { trades: 0, posts: 0, mentions: 0 }, totals: { trades: 0, posts: 0, deadLetters: 0 } }))
      .toContain('waiting for the first records');
  });
});
