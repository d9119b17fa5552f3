import { readFile } from 'node:fs/promises';
import { parseAlertRules, type AlertRule } from '../lib/domain/alerts/index.ts';
import { StockstreamerError } from '../lib/runtime/errors.ts';

/**
 * Reads the alert rules file (STOCKSTREAMER_ALERT_RULES). A missing file is
 * not an error: it means "no alerts". A file that is there but broken stops
 * start-up with one line naming the file, the rule and the field.
 */
export async function loadAlertRulesFile(file: string): Promise<{ rules: readonly AlertRule[]; found: boolean }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { rules: [], found: false };
    throw new StockstreamerError('CONFIG_INVALID', `${file}: cannot be read (${code})`, { details: { file, key: 'STOCKSTREAMER_ALERT_RULES' } });
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new StockstreamerError('CONFIG_INVALID', `${file}: is not valid JSON (${(err as Error).message})`, { details: { file } });
  }
  return { rules: parseAlertRules(doc, file), found: true };
}
