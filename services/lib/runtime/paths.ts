import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The folder holding this package's package.json: data/, schemas/ and
 * k8s/cassandra/ are found from it, the same from services/ (source) or
 * dist/services/ (compiled), whatever the working directory.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'package.json'))) return (root = dir);
    if (dirname(dir) === dir) return (root = process.cwd());
  }
}

export const fromRoot = (...parts: string[]): string => resolve(packageRoot(), ...parts);
