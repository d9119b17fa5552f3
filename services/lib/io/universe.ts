import { readFile } from 'node:fs/promises';
import { fromRoot } from '../runtime/paths.ts';
import type { Security } from '../domain/types.ts';
import { parseUniverseCsv } from '../domain/tickers/index.ts';
import { StockstreamerError } from '../runtime/errors.ts';

/** data/us-listed-securities.csv of this package, wherever it runs from. */
export const DEFAULT_UNIVERSE_PATH = fromRoot('data', 'us-listed-securities.csv');

/**
 * The I/O edge of the ticker universe: reads the listing file and hands the
 * pure parser its text. A missing file stops start-up with the path in the
 * message; a malformed one with the parser's message.
 */
export async function loadUniverse(path: string = DEFAULT_UNIVERSE_PATH): Promise<Security[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new StockstreamerError('CONFIG_INVALID', `cannot read the ticker universe at ${path}: ${(err as Error).message}`, {
      cause: err,
      details: { path },
    });
  }
  return parseUniverseCsv(text);
}
