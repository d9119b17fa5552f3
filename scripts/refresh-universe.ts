/**
 * Refreshes (and optionally trims) the ticker universe:
 *
 *   node scripts/refresh-universe.ts --from <path-or-https-url>
 *        [--min-market-cap N]          drop securities below N USD (an empty cap counts as 0)
 *        [--exchanges NASDAQ,NYSE]     keep only these exchanges (the listing says AMEX for NYSE American)
 *        [--out data/us-listed-securities.csv]
 *
 * The source must have the listing's columns (any order); the header is
 * checked with the same parser the platform loads the file with, so a file
 * this script writes always loads. Rows are written as published (symbols
 * keep their "/" share classes), columns in the canonical order, sorted by
 * symbol so a refresh diffs cleanly.
 */
import { readFile, writeFile, rename } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UNIVERSE_COLUMNS, formatCsvField, parseCsvRows, parseUniverseCsv } from '../services/lib/domain/tickers/universe-csv.ts';

export interface RefreshOptions {
  /** USD; securities with a smaller market cap are dropped */
  minMarketCap?: number;
  /** exchange names as the listing writes them, any case */
  exchanges?: string[];
}

export interface RefreshResult {
  csv: string;
  read: number;
  written: number;
  droppedByMarketCap: number;
  droppedByExchange: number;
  duplicates: number;
}

/** Pure: listing text in, trimmed and sorted listing text out. */
export function refreshUniverse(source: string, options: RefreshOptions = {}): RefreshResult {
  parseUniverseCsv(source); // throws on a bad header or a ragged row
  const rows = parseCsvRows(source);
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const index = UNIVERSE_COLUMNS.map((c) => header.indexOf(c));
  const iSymbol = header.indexOf('symbol');
  const iExchange = header.indexOf('exchange');
  const iCap = header.indexOf('market_cap_usd');
  const exchanges = options.exchanges?.map((e) => e.trim().toUpperCase()).filter((e) => e !== '');
  let droppedByMarketCap = 0;
  let droppedByExchange = 0;
  let duplicates = 0;
  const seen = new Set<string>();
  const kept: string[][] = [];
  for (const row of rows.slice(1)) {
    const symbol = row[iSymbol]!.trim();
    if (symbol === '') continue;
    if (seen.has(symbol)) { duplicates++; continue; }
    seen.add(symbol);
    if (exchanges !== undefined && exchanges.length > 0 && !exchanges.includes(row[iExchange]!.trim().toUpperCase())) {
      droppedByExchange++;
      continue;
    }
    const cap = Number(row[iCap]!.trim() || '0');
    if (options.minMarketCap !== undefined && !(cap >= options.minMarketCap)) {
      droppedByMarketCap++;
      continue;
    }
    kept.push(index.map((i) => row[i]!.trim()));
  }
  kept.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  const lines = [UNIVERSE_COLUMNS.join(','), ...kept.map((r) => r.map(formatCsvField).join(','))];
  return {
    csv: lines.join('\n') + '\n',
    read: rows.length - 1,
    written: kept.length,
    droppedByMarketCap,
    droppedByExchange,
    duplicates,
  };
}

function parseArgs(argv: string[]): { from: string; out: string; options: RefreshOptions } {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  let from: string | undefined;
  let out = resolve(root, 'data/us-listed-securities.csv');
  const options: RefreshOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--from') from = value();
    else if (arg === '--out') out = resolve(value());
    else if (arg === '--min-market-cap') {
      const v = value();
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new Error(`--min-market-cap must be a non-negative number of USD, got "${v}"`);
      options.minMarketCap = n;
    } else if (arg === '--exchanges') options.exchanges = value().split(',');
    else throw new Error(`unknown argument "${arg}"`);
  }
  if (from === undefined) throw new Error('usage: node scripts/refresh-universe.ts --from <path-or-https-url> [--min-market-cap N] [--exchanges NASDAQ,NYSE] [--out file]');
  return { from, out, options };
}

async function readSource(from: string): Promise<string> {
  if (/^https:\/\//i.test(from)) {
    const res = await fetch(from);
    if (!res.ok) throw new Error(`GET ${from} answered ${res.status} ${res.statusText}`);
    return await res.text();
  }
  if (/^[a-z]+:\/\//i.test(from)) throw new Error(`only https URLs or file paths are accepted, got ${from}`);
  return await readFile(from, 'utf8');
}

async function main(): Promise<void> {
  const { from, out, options } = parseArgs(process.argv.slice(2));
  const result = refreshUniverse(await readSource(from), options);
  // write beside the target and rename, so a reader never sees half a file
  const tmp = `${out}.tmp-${process.pid}`;
  await writeFile(tmp, result.csv);
  await rename(tmp, out);
  console.log(
    `read ${result.read} securities, wrote ${result.written} to ${out} ` +
      `(dropped ${result.droppedByExchange} by exchange, ${result.droppedByMarketCap} by market cap, ${result.duplicates} duplicate symbols)`,
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(`refresh-universe: ${(err as Error).message}`);
    process.exitCode = 1;
  });
}
