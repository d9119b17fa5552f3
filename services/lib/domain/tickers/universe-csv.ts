import type { Security } from '../types.ts';
import { StockstreamerError } from '../../runtime/errors.ts';

/**
 * The listing file's columns, in the order the published listing and
 * scripts/refresh-universe.ts write them. Readers look columns up by name, so a
 * listing with the same columns in another order is read correctly.
 */
export const UNIVERSE_COLUMNS = ['symbol', 'name', 'exchange', 'sector', 'industry', 'market_cap_usd', 'country'] as const;

/**
 * Splits CSV text (RFC 4180: quoted fields may hold commas, doubled quotes and
 * line breaks) into rows of fields. Blank lines are dropped.
 */
export function parseCsvRows(csv: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = csv.length;
  // a UTF-8 byte-order mark would otherwise glue itself to the first column name
  if (n > 0 && csv.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"') {
        if (csv[i + 1] === '"') { field += '"'; i += 2; continue; }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && csv[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push(row);
  }
  return rows;
}

/** Quotes a field only when it needs it, so a round trip leaves plain files byte-identical. */
export function formatCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * The listing writes share classes with a slash ("BRK/B"); Finnhub trades and
 * Reddit posts write them with a dot ("BRK.B"). The universe uses the dotted
 * form so a mention, a trade and a company row join on the same symbol.
 * Preferred issues ("ABR^D") keep their caret: nothing else spells them.
 */
export function normaliseSymbol(symbol: string): string {
  return symbol.trim().toUpperCase().replaceAll('/', '.');
}

/**
 * Parses the ticker universe (data/us-listed-securities.csv). A missing
 * column is a broken file, not bad luck: it throws, naming the columns, so
 * start-up stops with one clear line. An empty market cap reads as 0.
 */
export function parseUniverseCsv(csv: string): Security[] {
  const rows = parseCsvRows(csv);
  const header = rows[0];
  if (header === undefined) {
    throw new StockstreamerError('INPUT_INVALID', `universe CSV is empty; expected a header "${UNIVERSE_COLUMNS.join(',')}"`);
  }
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = UNIVERSE_COLUMNS.filter((col) => !names.includes(col));
  if (missing.length > 0) {
    throw new StockstreamerError(
      'INPUT_INVALID',
      `universe CSV header lacks column(s) ${missing.map((m) => `"${m}"`).join(', ')}; ` +
        `expected "${UNIVERSE_COLUMNS.join(',')}", got "${header.join(',')}"`,
      { details: { missing, header } },
    );
  }
  const at = (col: (typeof UNIVERSE_COLUMNS)[number]): number => names.indexOf(col);
  const iSymbol = at('symbol');
  const iName = at('name');
  const iExchange = at('exchange');
  const iSector = at('sector');
  const iIndustry = at('industry');
  const iCap = at('market_cap_usd');
  const iCountry = at('country');

  const out: Security[] = [];
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length !== header.length) {
      throw new StockstreamerError(
        'INPUT_INVALID',
        `universe CSV row ${r + 1} has ${row.length} fields, the header has ${header.length}`,
        { details: { row: r + 1 } },
      );
    }
    const symbol = normaliseSymbol(row[iSymbol]!);
    if (symbol === '') continue;
    const capText = row[iCap]!.trim();
    const cap = capText === '' ? 0 : Number(capText);
    out.push({
      symbol,
      name: row[iName]!.trim(),
      exchange: row[iExchange]!.trim(),
      sector: row[iSector]!.trim(),
      industry: row[iIndustry]!.trim(),
      marketCapUsd: Number.isFinite(cap) ? cap : 0,
      country: row[iCountry]!.trim(),
    });
  }
  return out;
}
