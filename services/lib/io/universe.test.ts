import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStockstreamerError } from '../runtime/errors.ts';
import { loadUniverse } from './universe.ts';

describe('loadUniverse', () => {
  it('loads the shipped listing from the repository root by default', async () => {
    const securities = await loadUniverse();
    expect(securities.length).toBeGreaterThan(7000);
    expect(securities.find((s) => s.symbol === 'AAPL')?.name).toMatch(/^Apple Inc\./);
    // share classes come out dotted, as Finnhub and Reddit write them
    expect(securities.some((s) => s.symbol === 'BRK.B')).toBe(true);
  });

  it('names the path when the file is missing', async () => {
    const path = join(tmpdir(), 'no-such-universe.csv');
    await expect(loadUniverse(path)).rejects.toSatisfy(
      (err: unknown) => isStockstreamerError(err, 'CONFIG_INVALID') && (err as Error).message.includes(path),
    );
  });

  it('reports a bad header instead of returning an empty universe', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'universe-'));
    const path = join(dir, 'bad.csv');
    writeFileSync(path, 'ticker,company\nAAPL,Apple\n');
    await expect(loadUniverse(path)).rejects.toThrow(/lacks column\(s\) "symbol"/);
  });
});
