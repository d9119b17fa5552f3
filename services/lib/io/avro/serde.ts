import type { Resolver, Type } from 'avsc';
import { StockstreamerError, isStockstreamerError } from '../../runtime/errors.ts';
import { createTap, createTextTap, parseAvroType } from './avro-type.ts';
import type { Tap } from './avro-type.ts';
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
  /** decoded Avro record → domain object (a plain object, `kind` first, re-derived fields filled in) */
  readonly toDomain: (record: object) => unknown;
  /** domain object → the value avsc encodes: derivable fields compacted; the value itself when there are none */
  readonly toWire: (value: object) => object;
  /** reads a body written with `type` itself from the tap into the domain object (as toDomain would give) */
  readonly readDomain: (tap: Tap) => unknown;
  /** the Reddit records: the `kind` the domain value must carry, if it carries one */
  readonly kind: 'submission' | 'comment' | undefined;
  /**
   * Read own-schema bodies on a TextTap: pays one latin1 slice per record to
   * save one per string field, so only for records made of several strings.
   */
  readonly textTap: boolean;
}

const TEXT_TAP_MIN_STRINGS = 3;

interface TopicEntry {
  readonly codec: RecordCodec;
  schemaId: number | undefined;
}

const KIND: Record<RecordTypeName, 'submission' | 'comment' | undefined> = {
  Trade: undefined,
  RedditSubmission: 'submission',
  RedditComment: 'comment',
  TickerMention: undefined,
};

/**
 * Fields a schema may carry in compact form (see schemas/RedditComment.avsc):
 * the field's type is then a union whose extra branch means "derive me from
 * the rest of the record". `toWire` picks the compact branch only when
 * deriving gives back exactly the domain value, so every value round-trips;
 * `toDomain` accepts both branches, and also the plain string a schema
 * without the compact form (v1 data, resolved) yields.
 */
interface CompactRule {
  toWire(value: Record<string, unknown>): unknown;
  toDomain(record: Record<string, unknown>): unknown;
}

/**
 * Part of the wire contract (RedditComment.avsc), deliberately not imported
 * from the Reddit mapping: what compact bytes mean must not move with it.
 */
const REDDIT_WEB_ORIGIN = 'https://www.reddit.com';
const COMMENT_PREFIX = 't1_';
const SUBMISSION_PREFIX = 't3_';

/** `${origin}/r/<subreddit>/comments/<link id>/` + slug + `/<id>/`: Reddit's comment permalink */
function commentPermalinkParts(v: Record<string, unknown>): [string, string] | undefined {
  const { subreddit, linkId, id } = v;
  if (typeof subreddit !== 'string' || typeof linkId !== 'string' || typeof id !== 'string' || !linkId.startsWith(SUBMISSION_PREFIX)) return undefined;
  return [`${REDDIT_WEB_ORIGIN}/r/${subreddit}/comments/${linkId.slice(SUBMISSION_PREFIX.length)}/`, `/${id}/`];
}

/**
 * `${origin}/r/<subreddit>/comments/<link id>/` of the last comment decoded:
 * comments arrive in runs on one submission, and reusing the head halves the
 * concatenations per permalink.
 */
let lastHead = { subreddit: '', linkId: '', head: '' };
function commentPermalinkHead(subreddit: string, linkId: string): string {
  const last = lastHead;
  if (last.subreddit === subreddit && last.linkId === linkId) return last.head;
  const head = `${REDDIT_WEB_ORIGIN}/r/${subreddit}/comments/${linkId.slice(SUBMISSION_PREFIX.length)}/`;
  lastHead = { subreddit, linkId, head };
  return head;
}

const COMPACT: Partial<Record<RecordTypeName, Record<string, CompactRule>>> = {
  RedditComment: {
    fullname: {
      toWire: (v) => (typeof v.id === 'string' && v.fullname === COMMENT_PREFIX + v.id ? null : v.fullname),
      toDomain: (r) => r.fullname ?? COMMENT_PREFIX + (r.id as string),
    },
    permalink: {
      toWire: (v) => {
        const permalink = v.permalink;
        if (typeof permalink !== 'string') return permalink;
        const parts = commentPermalinkParts(v);
        if (parts === undefined) return permalink;
        const [head, tail] = parts;
        if (permalink.length < head.length + tail.length || !permalink.startsWith(head) || !permalink.endsWith(tail)) return permalink;
        return { slug: permalink.slice(head.length, permalink.length - tail.length) };
      },
      toDomain: (r) => {
        const p = r.permalink as string | { slug: string };
        if (typeof p === 'string') return p;
        return `${commentPermalinkHead(r.subreddit as string, r.linkId as string)}${p.slug}/${r.id as string}/`;
      },
    },
    parentId: {
      toWire: (v) => (typeof v.linkId === 'string' && v.parentId === v.linkId ? null : v.parentId),
      toDomain: (r) => r.parentId ?? r.linkId,
    },
  },
};

/**
 * The converters of one record type, generated for the fields of its reader
 * schema: an object literal of known shape is several times cheaper than
 * spreading avsc's record into a new object (`{ kind, ...record }`).
 */
function converters(name: RecordTypeName, type: Type): Pick<RecordCodec, 'toDomain' | 'toWire' | 'readDomain'> {
  const fields = (type as unknown as { fields: { name: string; type: Type }[] }).fields;
  const rules = COMPACT[name] ?? {};
  // a rule applies when the schema has the compact (union) form of its field
  const active = fields.filter((f) => rules[f.name] !== undefined && f.type.typeName.startsWith('union'));
  const args: string[] = [];
  const values: unknown[] = [];
  const props: string[] = [];
  if (KIND[name] !== undefined) props.push(`kind: ${JSON.stringify(KIND[name])}`);
  for (const f of fields) {
    const key = JSON.stringify(f.name);
    if (active.includes(f)) {
      args.push(`d${args.length}`);
      values.push(rules[f.name]!.toDomain);
      props.push(`${key}: ${args.at(-1)!}(r)`);
    } else {
      props.push(`${key}: r[${key}]`);
    }
  }
  const toDomain = new Function(...args, `return function toDomain(r) { return { ${props.join(', ')} }; };`)(...values) as (record: object) => unknown;
  // The own-schema fast path reads straight into the domain object (no avsc
  // record in between), then fills in the derived fields once the tap is known
  // to be valid: on a truncated body the fields they derive from may be missing.
  const typeArgs = fields.map((_, i) => `t${i}`);
  const literal = [
    ...(KIND[name] !== undefined ? [`kind: ${JSON.stringify(KIND[name])}`] : []),
    ...fields.map((f, i) => `${JSON.stringify(f.name)}: t${i}._read(tap)`),
  ];
  const patches = active.map((f) => `o[${JSON.stringify(f.name)}] = ${args[values.indexOf(rules[f.name]!.toDomain)]!}(o);`);
  const readDomain = new Function(
    ...args,
    ...typeArgs,
    `return function readDomain(tap) { const o = { ${literal.join(', ')} }; if (tap.pos > tap.buf.length) return o; ${patches.join(' ')} return o; };`,
  )(...values, ...fields.map((f) => f.type)) as (tap: Tap) => unknown;
  const toWire =
    active.length === 0
      ? (value: object) => value
      : (value: object) => {
          const wire: Record<string, unknown> = { ...value };
          for (const f of active) wire[f.name] = rules[f.name]!.toWire(value as Record<string, unknown>);
          return wire;
        };
  return { toDomain, toWire, readDomain };
}

const INITIAL_SCRATCH_BYTES = 16 * 1024;

export function createSerde(options: SerdeOptions): Serde {
  const { registry } = options;
  const codecs = new Map<RecordTypeName, RecordCodec>();
  const topics = new Map<string, TopicEntry>();
  for (const [topic, name] of Object.entries(options.topics)) {
    let codec = codecs.get(name);
    if (codec === undefined) {
      if (!(name in KIND)) throw new TypeError(`topic ${topic}: unknown record type ${String(name)}`);
      const schema = options.schemas?.[name] ?? loadSchema(name);
      const type = parseAvroType(schema);
      const strings = (type as unknown as { fields: { type: Type }[] }).fields.filter((f) => f.type.typeName === 'string').length;
      codec = { name, type, plans: new Map(), ...converters(name, type), kind: KIND[name], textTap: strings >= TEXT_TAP_MIN_STRINGS };
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
    let value: unknown;
    let offset: number;
    try {
      if (plan.resolver === undefined) {
        const tap = codec.textTap ? createTextTap(buf, WIRE_HEADER_BYTES) : createTap(buf, WIRE_HEADER_BYTES);
        value = codec.readDomain(tap);
        offset = tap.isValid() ? tap.pos : -1;
      } else {
        const decoded = codec.type.decode(buf, WIRE_HEADER_BYTES, plan.resolver);
        offset = decoded.offset;
        value = offset < 0 ? undefined : codec.toDomain(decoded.value as object);
      }
    } catch (cause) {
      // avsc throws on a bad enum or union index, a long past 2^53, …
      throw new StockstreamerError('DECODE_TRUNCATED', `topic ${topic}: corrupt Avro body: ${(cause as Error).message}`, {
        cause,
        details: { topic, schemaId, offset: WIRE_HEADER_BYTES, length: buf.length },
      });
    }
    if (offset !== buf.length) {
      const truncated = offset < 0;
      throw new StockstreamerError(
        'DECODE_TRUNCATED',
        truncated
          ? `topic ${topic}: Avro body ends before the ${codec.name} record does`
          : `topic ${topic}: ${buf.length - offset} bytes left after the ${codec.name} record`,
        { details: { topic, schemaId, offset: truncated ? buf.length : offset, length: buf.length } },
      );
    }
    return value;
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
      const wire = codec.toWire(value);
      for (;;) {
        let end: number;
        try {
          end = codec.type.encode(wire, scratch, WIRE_HEADER_BYTES);
        } catch (cause) {
          throw invalidValue(topic, codec, wire, cause);
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
