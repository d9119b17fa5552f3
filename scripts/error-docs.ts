/** Prints the README's error-code table from the closed set in errors.ts. */
import { ERROR_CODES } from '../services/lib/runtime/errors.ts';

console.log('| code | retriable | poison | what to do |');
console.log('|---|---|---|---|');
for (const [code, p] of Object.entries(ERROR_CODES)) console.log(`| \`${code}\` | ${p.retriable ? 'yes' : 'no'} | ${p.poison ? 'yes' : 'no'} | ${p.hint} |`);
