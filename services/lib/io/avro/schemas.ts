import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Type } from 'avsc';
import { parseAvroType } from './avro-type.ts';
import { fromRoot } from '../../runtime/paths.ts';

/**
 * The Avro contracts in schemas/*.avsc, one record per file. Read once, on
 * first use, and kept: they are part of the build, not configuration.
 */

export const RECORD_TYPE_NAMES = ['Trade', 'RedditSubmission', 'RedditComment', 'TickerMention'] as const;
export type RecordTypeName = (typeof RECORD_TYPE_NAMES)[number];

/** The schemas/ directory of this package, from sources or from dist/ alike. */
export function schemasDir(): string {
  return fromRoot('schemas');
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
