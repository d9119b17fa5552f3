import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseUniverseCsv } from '../services/lib/domain/tickers/index.ts';
import { refreshUniverse } from './refresh-universe.ts';

const SAMPLE = [
  'symbol,name,exchange,sector,industry,market_cap_usd,country',
  'TSLA,Tesla Inc. Common Stock,NASDAQ,Consumer Discretionary,Auto Manufacturing,1000000000000.00,United States',
  'BRK/B,Berkshire Hathaway Inc.,NYSE,,,1093933303969.00,United States',
  'AAPL,Apple Inc. Common Stock,NASDAQ,Technology,Computer Manufacturing,3000000000000.00,United States',
  'TINY,Tiny Corp Common Stock,AMEX,Finance,Banks,1000000.00,United States',
  'ABR^D,Arbor Realty Trust Preferred Stock,NYSE,,,,United States',
].join('\n');

describe('refresh-universe', () => {
  it('sorts by symbol and trims by market cap and exchange, counting what it dropped', () => {
    const r = refreshUniverse(SAMPLE, { minMarketCap: 1e9, exchanges: ['nasdaq', 'NYSE'] });
    const symbols = r.csv.trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(symbols).toEqual(['AAPL', 'BRK/B', 'TSLA']);
    expect(r).toMatchObject({ read: 5, written: 3, droppedByExchange: 1, droppedByMarketCap: 1 });
    // what it writes loads with the platform's parser
    expect(parseUniverseCsv(r.csv).map((s) => s.symbol)).toEqual(['AAPL', 'BRK.B', 'TSLA']);
  });

  it('rewrites columns in canonical order and quotes names with commas', () => {
    const shuffled = 'name,symbol,country,exchange,sector,industry,market_cap_usd\n"Acme, Inc.",ACME,US,NYSE,,,5\n';
    const r = refreshUniverse(shuffled);
    expect(r.csv).toBe('symbol,name,exchange,sector,industry,market_cap_usd,country\nACME,"Acme, Inc.",NYSE,,,5,US\n');
  });

  it('refuses a file without the listing columns', () => {
    expect(() => refreshUniverse('ticker,company\nAAPL,Apple\n')).toThrow(/lacks column\(s\) "symbol"/);
  });

  it('runs as a command: reads --from, writes --out, prints counts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'refresh-universe-'));
    const from = join(dir, 'listing.csv');
    const out = join(dir, 'universe.csv');
    writeFileSync(from, SAMPLE);
    const script = resolve(import.meta.dirname, 'refresh-universe.ts');
    const stdout = execFileSync(process.execPath, [script, '--from', from, '--out', out, '--exchanges', 'NASDAQ'], { encoding: 'utf8' });
    expect(stdout).toMatch(/read 5 securities, wrote 2/);
    expect(readFileSync(out, 'utf8').split('\n')[1]).toMatch(/^AAPL,/);
  });
});
