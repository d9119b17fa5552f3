/**
 * `make build`: compiles services/ to dist/ (or the folder given) and copies
 * what tsc does not emit but the services read at run time (the dashboard's
 * static page), so that the built `stockstreamer` runs like the sources.
 *   node scripts/build.ts [outDir]
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? join(ROOT, 'dist'));

// From scratch: a module deleted from the sources must not linger in dist/.
rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const built = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out], { cwd: ROOT, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

// Every file under services/ that is not TypeScript (and so not compiled) is a run-time asset.
let copied = 0;
for (const entry of readdirSync(join(ROOT, 'services'), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const from = join(entry.parentPath, entry.name);
  cpSync(from, join(out, relative(ROOT, from)));
  copied++;
}
chmodSync(join(out, 'services/cli/bin.js'), 0o755);
chmodSync(join(out, 'services/cli/main.js'), 0o755);
console.log(`built ${relative(process.cwd(), out) || '.'}: tsc output plus ${copied} asset files; run it with npx stockstreamer --help`);
