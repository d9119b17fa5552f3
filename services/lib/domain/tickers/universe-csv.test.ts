import { describe, expect, it } from 'vitest';
import { isStockstreamerError } from '../../runtime/errors.ts';
import { normaliseSymbol, parseUniverseCsv } from './index.ts';

const HEADER = 'symbol,name,exchange,sector,industry,market_cap_usd,country';

describe('parseUniverseCsv', () => {
  it('reads every column, with the market cap as a number', () => {
    const [s] = parseUniverseCsv(`${HEADER}\nAAPL,Apple Inc. Common Stock,NASDAQ,Technology,Computer Manufacturing,3000000000000.00,United States\n`);
    expect(s).toEqual({
      symbol: 'AAPL', name: 'Apple Inc. Common Stock', exchange: 'NASDAQ', sector: 'Technology',
      industry: 'Computer Manufacturing', marketCapUsd: 3e12, country: 'United States',
    });
  });

  it('writes share classes the way trades and posts do (BRK/B → BRK.B) and reads an empty cap as 0', () => {
    const [s] = parseUniverseCsv(`${HEADER}\nBRK/B,Berkshire Hathaway Inc.,NYSE,,,,United States\n`);
    expect(s).toMatchObject({ symbol: 'BRK.B', marketCapUsd: 0 });
    expect(normaliseSymbol(' brk/a ')).toBe('BRK.A');
  });

  it('finds columns by name, accepts quoted fields, CRLF and a byte-order mark', () => {
    const csv = '\ufeffname,symbol,country,exchange,sector,industry,market_cap_usd\r\n"Acme, ""The"" Co",ACME,US,NYSE,,,5\r\n';
    expect(parseUniverseCsv(csv)).toEqual([
      { symbol: 'ACME', name: 'Acme, "The" Co', exchange: 'NYSE', sector: '', industry: '', marketCapUsd: 5, country: 'US' },
    ]);
  });

  it('throws a clear error naming the missing columns on a bad header', () => {
    let caught: unknown;
    try {
      parseUniverseCsv('ticker,name,exchange\nAAPL,Apple,NASDAQ\n');
    } catch (err) {
      caught = err;
    }
    expect(isStockstreamerError(caught, 'INPUT_INVALID')).toBe(true);
    expect((caught as Error).message).toMatch(/lacks column\(s\) "symbol", "sector", "industry", "market_cap_usd", "country"/);
    expect(() => parseUniverseCsv('')).toThrow(/empty/);
  });

  it('throws on a ragged row rather than shifting columns', () => {
    expect(() => parseUniverseCsv(`${HEADER}\nAAPL,Apple,NASDAQ\n`)).toThrow(/row 2 has 3 fields/);
  });
});
