import type { Type } from 'avsc';
import { StockstreamerError } from '../../runtime/errors.ts';
import { normalizedSchema, parseAvroType } from './avro-type.ts';

/**
 * The schema registry port. The Confluent-API adapter (local stack, cluster)
 * and the in-process one below (embedded mode, tests) behave alike:
 *
 * - ids are global: the same schema gets the same id, under any subject;
 * - registering a schema a subject already has returns its id again;
 * - a new version of a subject must be BACKWARD compatible with the latest
 *   one (a reader with the new schema can read data written with the
 *   previous), else SCHEMA_INCOMPATIBLE;
 * - getSchema of an id nobody registered is DECODE_UNKNOWN_SCHEMA, poison for
 *   the record that named it.
 */
export interface SchemaRegistry {
  /** subject per TopicNameStrategy: `<topic>-value` */
  register(subject: string, schema: object): Promise<number>;
  getSchema(id: number): Promise<object>;
}

interface Stored {
  readonly id: number;
  readonly schema: object;
  readonly type: Type;
}

/** An in-process registry with Confluent's semantics (compatibility level BACKWARD). */
export function createMemoryRegistry(): SchemaRegistry {
  const byNormalized = new Map<string, Stored>();
  const byId = new Map<number, Stored>();
  /** subject → ids of its versions, oldest first */
  const subjects = new Map<string, number[]>();
  let nextId = 1;

  return {
    async register(subject, schema) {
      if (typeof subject !== 'string' || subject === '') {
        throw new TypeError('subject must be a non-empty string');
      }
      let type: Type;
      try {
        type = parseAvroType(schema);
      } catch (cause) {
        throw new StockstreamerError('SCHEMA_INCOMPATIBLE', `subject ${subject}: not a valid Avro schema: ${(cause as Error).message}`, {
          cause,
          details: { subject, reason: 'invalid Avro schema' },
        });
      }
      const key = normalizedSchema(type);
      const known = byNormalized.get(key);
      const versions = subjects.get(subject) ?? [];
      if (known !== undefined && versions.includes(known.id)) return known.id;

      const latestId = versions.at(-1);
      if (latestId !== undefined) {
        const latest = byId.get(latestId)!;
        try {
          type.createResolver(latest.type);
        } catch (cause) {
          throw new StockstreamerError(
            'SCHEMA_INCOMPATIBLE',
            `subject ${subject}: new schema cannot read data written with version ${versions.length}: ${(cause as Error).message}`,
            { cause, details: { subject, version: versions.length + 1, latestId, reason: (cause as Error).message } },
          );
        }
      }

      let stored = known;
      if (stored === undefined) {
        stored = { id: nextId++, schema: deepFrozenCopy(schema), type };
        byNormalized.set(key, stored);
        byId.set(stored.id, stored);
      }
      versions.push(stored.id);
      subjects.set(subject, versions);
      return stored.id;
    },

    async getSchema(id) {
      const stored = byId.get(id);
      if (stored === undefined) {
        throw new StockstreamerError('DECODE_UNKNOWN_SCHEMA', `schema id ${id} is not registered`, {
          details: { schemaId: id },
        });
      }
      return stored.schema;
    },
  };
}

function deepFrozenCopy(schema: object): object {
  return JSON.parse(JSON.stringify(schema), (_key, value: unknown) =>
    value !== null && typeof value === 'object' ? Object.freeze(value) : value,
  ) as object;
}
