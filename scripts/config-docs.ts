/** Prints the README's configuration table from the one source of truth, CONFIG_SPEC. */
import { CONFIG_SPEC } from '../services/lib/runtime/config.ts';

console.log('| variable | default | meaning |');
console.log('|---|---|---|');
for (const [name, spec] of Object.entries(CONFIG_SPEC)) {
  console.log(`| \`${name}\` | \`${spec.default === '' ? '(empty)' : spec.default}\` | ${spec.doc} |`);
}
