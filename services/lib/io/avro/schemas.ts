import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Type } from 'avsc';
import { parseAvroType } from './avro-type.ts';

/**
 * The Avro contracts in schemas/*.avsc, one record per file. Read once, on
 * first use, and kept: they are part of the build, not configuration.
 */

export const RECORD_TYPE_NAMES = ['Trade', 'RedditSubmission', 'RedditComment', 'TickerMention'] as const;
export type RecordTypeName = (typeof RECORD_TYPE_NAMES)[number];

let cachedDir: string | undefined;

/**
 * The schemas/ directory of the checkout. Found by walking up from this file,
 * so it works both from the sources (services/lib/io/avro) and from the
 * compiled dist/ tree one level deeper.
 */
export function schemasDir(): string {
  if (cachedDir !== undefined) return cachedDir;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'schemas');
    if (existsSync(join(candidate, 'Trade.avsc'))) return (cachedDir = candidate);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`schemas/Trade.avsc not found above ${fileURLToPath(import.meta.url)}`);
}

const schemaCache = new Map<RecordTypeName, object>();
const typeCache = new Map<RecordTypeName, Type>();

/** The parsed JSON of schemas/<name>.avsc, deep-frozen. */
export function loadSchema(name: RecordTypeName): object {
  let schema = schemaCache.get(name);
  if (schema === undefined) {
    const file = join(schemasDir(), `${name}.avsc`);
    schema = deepFreeze(JSON.parse(readFileSync(file, 'utf8')) as object);
    schemaCache.set(name, schema);
  }
  return schema;
}

/** The avsc Type of schemas/<name>.avsc (timestamp-millis as epoch-ms numbers). */
export function loadType(name: RecordTypeName): Type {
  let type = typeCache.get(name);
  if (type === undefined) {
    type = parseAvroType(loadSchema(name));
    typeCache.set(name, type);
  }
  return type;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
