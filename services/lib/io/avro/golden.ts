import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAvroType } from './avro-type.ts';
import { createMemoryRegistry } from './registry.ts';
import type { SchemaRegistry } from './registry.ts';
import { loadSchema, schemasDir } from './schemas.ts';
import type { RecordTypeName } from './schemas.ts';
import { createSerde } from './serde.ts';
import type { Serde } from './serde.ts';

/**
 * Golden Avro fixtures, one set per record and schema version, in
 * schemas/fixtures/:
 *
 *   <Record>.v<N>.avsc   the schema version N was written with (a snapshot)
 *   <Record>.v<N>.json   the domain value
 *   <Record>.v<N>.hex    its wire bytes with schema id GOLDEN_SCHEMA_ID
 *
 * Version N is the latest while the snapshot has the wire shape of
 * schemas/<Record>.avsc; a change to that shape needs a new version, made on
 * purpose with `node scripts/golden-avro.ts --write`. Old versions stay: they
 * prove today's reader still reads what older producers wrote.
 */

export const GOLDEN_SCHEMA_ID = 1;
export const GOLDEN_TOPIC = 'golden';

export interface GoldenFixture {
  record: RecordTypeName;
  version: number;
  schema: object;
  value: unknown;
  bytes: Buffer;
}

export function fixturesDir(): string {
  return join(schemasDir(), 'fixtures');
}

/** Versions that have fixtures for `record`, ascending. */
export function goldenVersions(record: RecordTypeName): number[] {
  const dir = fixturesDir();
  if (!existsSync(dir)) return [];
  const pattern = new RegExp(`^${record}\\.v(\\d+)\\.hex$`);
  return readdirSync(dir)
    .map((file) => pattern.exec(file)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

export function goldenPaths(record: RecordTypeName, version: number): { schema: string; value: string; hex: string } {
  const base = join(fixturesDir(), `${record}.v${version}`);
  return { schema: `${base}.avsc`, value: `${base}.json`, hex: `${base}.hex` };
}

export function readGolden(record: RecordTypeName, version: number): GoldenFixture {
  const paths = goldenPaths(record, version);
  return {
    record,
    version,
    schema: JSON.parse(readFileSync(paths.schema, 'utf8')) as object,
    value: JSON.parse(readFileSync(paths.value, 'utf8')) as unknown,
    bytes: Buffer.from(readFileSync(paths.hex, 'utf8').replace(/\s+/g, ''), 'hex'),
  };
}

/**
 * What decides the bytes: the normalised schema without docs. Two schemas with
 * the same wire shape encode every value identically.
 */
export function wireShape(schema: object): string {
  return JSON.stringify(parseAvroType(schema).schema({ exportAttrs: true }), (key, value: unknown) =>
    key === 'doc' ? undefined : value,
  );
}

/**
 * A serde whose topic GOLDEN_TOPIC carries `record`, on a fresh registry where
 * `writerSchema` (when given) was registered first and so has id 1.
 */
export async function goldenSerde(
  record: RecordTypeName,
  writerSchema?: object,
): Promise<{ serde: Serde; registry: SchemaRegistry; readerId: number }> {
  const registry = createMemoryRegistry();
  if (writerSchema !== undefined) {
    const id = await registry.register(`${GOLDEN_TOPIC}-value`, writerSchema);
    if (id !== GOLDEN_SCHEMA_ID) throw new Error(`expected the first registered schema to get id ${GOLDEN_SCHEMA_ID}, got ${id}`);
  }
  const serde = createSerde({ registry, topics: { [GOLDEN_TOPIC]: record } });
  await serde.init();
  // registering the schema the serde registered returns its id, no new version
  const readerId = await registry.register(`${GOLDEN_TOPIC}-value`, loadSchema(record));
  return { serde, registry, readerId };
}
