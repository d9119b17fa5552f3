import type { Resolver, Type } from 'avsc';
import { StockstreamerError, isStockstreamerError } from '../../runtime/errors.ts';
import { parseAvroType } from './avro-type.ts';
import type { SchemaRegistry } from './registry.ts';
import { loadSchema } from './schemas.ts';
import type { RecordTypeName } from './schemas.ts';
import { WIRE_HEADER_BYTES, readWireSchemaId, writeWireHeader } from './wire.ts';

export type { RecordTypeName } from './schemas.ts';

/**
 * Values of Kafka records: domain object ⇄ Confluent wire format.
 *
 *   value    => magic(0) schemaId(INT32 BE) body          (see wire.ts)
 *   body     => the record in Avro binary, written with schema `schemaId`
 *
 * Each topic carries one record type and registers its subject `<topic>-value`
 * (TopicNameStrategy) at init. Decoding resolves the writer's schema into our
 * reader schema (Avro schema evolution), so a producer one version ahead or
 * behind is read as today's domain object.
 *
 * The Reddit records leave the domain's `kind` off the wire (the topic says
 * which it is): encode ignores it, decode puts it back.
 */
export interface Serde {
  /** registers each topic's subject `<topic>-value` (TopicNameStrategy) */
  init(): Promise<void>;
  /** sync after init; wire format. A value that does not fit the schema is VALIDATION_FAILED. */
  encode(topic: string, value: unknown): Buffer;
  /**
   * Resolves the writer schema by id (cached), resolves into our reader schema
   * and returns the domain object. Bad bytes reject with a poison error:
   * DECODE_MAGIC_BYTE, DECODE_TRUNCATED or DECODE_UNKNOWN_SCHEMA.
   */
  decode(topic: string, buf: Buffer): Promise<unknown>;
  /** Sync fast path: undefined when the writer schema is not cached yet (then use decode). */
  decodeCached?(topic: string, buf: Buffer): unknown | undefined;
}

export interface SerdeOptions {
  registry: SchemaRegistry;
  /** topic → the record type it carries */
  topics: Record<string, RecordTypeName>;
  /**
   * Reader/writer schema per record type instead of schemas/<name>.avsc: for
   * schema-evolution tests and for rolling out a new version behind a flag.
   */
  schemas?: Partial<Record<RecordTypeName, object>>;
}

/** How to read bodies written with one writer schema. */
type ReadPlan =
  | { readonly ok: true; readonly resolver: Resolver | undefined }
  | { readonly ok: false; readonly error: StockstreamerError };

interface RecordCodec {
  readonly name: RecordTypeName;
  readonly type: Type;
  /** writer schema id → plan (or the plan being built) */
  readonly plans: Map<number, ReadPlan | Promise<ReadPlan>>;
  readonly toDomain: (record: object) => unknown;
  /** the Reddit records: the `kind` the domain value must carry, if it carries one */
  readonly kind: 'submission' | 'comment' | undefined;
}

interface TopicEntry {
  readonly codec: RecordCodec;
  schemaId: number | undefined;
}

const TO_DOMAIN: Record<RecordTypeName, (record: object) => unknown> = {
  Trade: (r) => ({ ...r }),
  RedditSubmission: (r) => ({ kind: 'submission', ...r }),
  RedditComment: (r) => ({ kind: 'comment', ...r }),
  TickerMention: (r) => ({ ...r }),
};

const KIND: Record<RecordTypeName, 'submission' | 'comment' | undefined> = {
  Trade: undefined,
  RedditSubmission: 'submission',
  RedditComment: 'comment',
  TickerMention: undefined,
};

const INITIAL_SCRATCH_BYTES = 16 * 1024;

export function createSerde(options: SerdeOptions): Serde {
  const { registry } = options;
  const codecs = new Map<RecordTypeName, RecordCodec>();
  const topics = new Map<string, TopicEntry>();
  for (const [topic, name] of Object.entries(options.topics)) {
    let codec = codecs.get(name);
    if (codec === undefined) {
      if (!(name in TO_DOMAIN)) throw new TypeError(`topic ${topic}: unknown record type ${String(name)}`);
      const schema = options.schemas?.[name] ?? loadSchema(name);
      codec = { name, type: parseAvroType(schema), plans: new Map(), toDomain: TO_DOMAIN[name], kind: KIND[name] };
      codecs.set(name, codec);
    }
    topics.set(topic, { codec, schemaId: undefined });
  }

  /** writer schema id → its Type, shared by every record type; failed look-ups are not kept */
  const writerTypes = new Map<number, Promise<Type>>();
  let scratch = Buffer.allocUnsafe(INITIAL_SCRATCH_BYTES);

  function entryOf(topic: string): TopicEntry {
    const entry = topics.get(topic);
    if (entry === undefined) throw new TypeError(`serde: topic ${topic} is not configured`);
    return entry;
  }

  function writerType(id: number): Promise<Type> {
    let pending = writerTypes.get(id);
    if (pending === undefined) {
      pending = registry.getSchema(id).then((schema) => parseAvroType(schema));
      writerTypes.set(id, pending);
      // a registry outage or an id registered a moment later must not stick
      pending.catch(() => writerTypes.delete(id));
    }
    return pending;
  }

  async function buildPlan(codec: RecordCodec, id: number): Promise<ReadPlan> {
    let writer: Type;
    try {
      writer = await writerType(id);
    } catch (cause) {
      if (isStockstreamerError(cause)) throw cause; // DECODE_UNKNOWN_SCHEMA, REGISTRY_UNAVAILABLE, …
      throw new StockstreamerError('DECODE_UNKNOWN_SCHEMA', `schema id ${id} is not a usable Avro schema`, {
        cause,
        details: { schemaId: id, reason: 'invalid writer schema' },
      });
    }
    // Same canonical form means the same bytes: read directly, no resolver.
    if (writer.equals(codec.type)) return { ok: true, resolver: undefined };
    try {
      return { ok: true, resolver: codec.type.createResolver(writer) };
    } catch (cause) {
      // Deterministic for this id, so the verdict is cached like a resolver.
      return {
        ok: false,
        error: new StockstreamerError('DECODE_UNKNOWN_SCHEMA', `schema id ${id} cannot be read as ${codec.name}: ${(cause as Error).message}`, {
          cause,
          details: { schemaId: id, record: codec.name, reason: 'writer schema not resolvable into the reader schema' },
        }),
      };
    }
  }

  function planFor(codec: RecordCodec, id: number): ReadPlan | Promise<ReadPlan> {
    let plan = codec.plans.get(id);
    if (plan === undefined) {
      const pending = buildPlan(codec, id);
      codec.plans.set(id, pending);
      pending.then(
        (built) => codec.plans.set(id, built),
        () => codec.plans.delete(id),
      );
      plan = pending;
    }
    return plan;
  }

  function readBody(topic: string, codec: RecordCodec, plan: ReadPlan, schemaId: number, buf: Buffer): unknown {
    if (!plan.ok) throw plan.error;
    let decoded: { value: unknown; offset: number };
    try {
      decoded = codec.type.decode(buf, WIRE_HEADER_BYTES, plan.resolver);
    } catch (cause) {
      // avsc throws on a bad enum or union index, a long past 2^53, …
      throw new StockstreamerError('DECODE_TRUNCATED', `topic ${topic}: corrupt Avro body: ${(cause as Error).message}`, {
        cause,
        details: { topic, schemaId, offset: WIRE_HEADER_BYTES, length: buf.length },
      });
    }
    if (decoded.offset !== buf.length) {
      const truncated = decoded.offset < 0;
      throw new StockstreamerError(
        'DECODE_TRUNCATED',
        truncated
          ? `topic ${topic}: Avro body ends before the ${codec.name} record does`
          : `topic ${topic}: ${buf.length - decoded.offset} bytes left after the ${codec.name} record`,
        { details: { topic, schemaId, offset: truncated ? buf.length : decoded.offset, length: buf.length } },
      );
    }
    return codec.toDomain(decoded.value as object);
  }

  function invalidValue(topic: string, codec: RecordCodec, value: unknown, cause: unknown): StockstreamerError {
    let field = '';
    let reason = cause instanceof Error ? cause.message : String(cause);
    codec.type.isValid(value, {
      errorHook: (path: string[], got: unknown, type: Type) => {
        if (field !== '') return;
        field = path.join('.');
        reason = `expected ${type.typeName}, got ${describe(got)}`;
      },
    });
    return new StockstreamerError('VALIDATION_FAILED', `topic ${topic}: value does not fit ${codec.name}${field ? `.${field}` : ''}: ${reason}`, {
      cause,
      details: { topic, record: codec.name, field, reason },
    });
  }

  return {
    async init() {
      await Promise.all(
        [...topics].map(async ([topic, entry]) => {
          const id = await registry.register(`${topic}-value`, entry.codec.type.schema({ exportAttrs: true }) as object);
          entry.schemaId = id;
          // our own schema needs no registry round trip to be read back
          entry.codec.plans.set(id, { ok: true, resolver: undefined });
        }),
      );
    },

    encode(topic, value) {
      const entry = entryOf(topic);
      const { codec, schemaId } = entry;
      if (schemaId === undefined) throw new Error('serde: encode before init()');
      if (value === null || typeof value !== 'object') {
        throw new StockstreamerError('VALIDATION_FAILED', `topic ${topic}: value is ${describe(value)}, not a ${codec.name}`, {
          details: { topic, record: codec.name, field: '', reason: `expected a record, got ${describe(value)}` },
        });
      }
      if (codec.kind !== undefined) {
        const kind = (value as { kind?: unknown }).kind;
        if (kind !== undefined && kind !== codec.kind) {
          throw new StockstreamerError('VALIDATION_FAILED', `topic ${topic}: a ${String(kind)} cannot go where ${codec.name} records go`, {
            details: { topic, record: codec.name, field: 'kind', reason: `expected ${codec.kind}, got ${describe(kind)}` },
          });
        }
      }
      for (;;) {
        let end: number;
        try {
          end = codec.type.encode(value, scratch, WIRE_HEADER_BYTES);
        } catch (cause) {
          throw invalidValue(topic, codec, value, cause);
        }
        if (end >= 0) {
          writeWireHeader(scratch, schemaId);
          return Buffer.from(scratch.subarray(0, end));
        }
        // avsc returns minus the missing byte count when the buffer is too small
        scratch = Buffer.allocUnsafe(Math.max(scratch.length * 2, scratch.length - end));
      }
    },

    async decode(topic, buf) {
      const { codec } = entryOf(topic);
      const schemaId = readWireSchemaId(buf);
      const plan = await planFor(codec, schemaId);
      return readBody(topic, codec, plan, schemaId, buf);
    },

    decodeCached(topic, buf) {
      const { codec } = entryOf(topic);
      const schemaId = readWireSchemaId(buf);
      const plan = codec.plans.get(schemaId);
      if (plan === undefined || plan instanceof Promise) return undefined;
      return readBody(topic, codec, plan, schemaId, buf);
    },
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} chars` : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
