import avsc from 'avsc';
import type { Type } from 'avsc';

/**
 * Every avsc Type in stockstreamer is built here, for readers and writers
 * alike, so both sides agree on two things avsc leaves open:
 *
 * - `timestamp-millis` is a real logical type whose values are epoch
 *   milliseconds as plain numbers (the domain never sees a Date);
 * - array and map block counts are checked against the bytes left before
 *   anything is allocated or looped over. avsc trusts the count, so a corrupt
 *   body claiming 2^50 items would spin or exhaust the heap instead of failing
 *   as a poison record. Every item of our schemas takes at least one byte, so a
 *   count larger than the remaining bytes can only mean corruption.
 */

/** The part of avsc's internal Tap the safe collections use. */
interface Tap {
  buf: Buffer;
  pos: number;
  readLong(): number;
  skipLong(): void;
  readString(): string;
  skipString(): void;
  _invalidate(): void;
}
interface ItemReader {
  _read(tap: Tap): unknown;
  _skip(tap: Tap): void;
}

/** the longs avsc encodes exactly: its zigzag step runs through a double */
const MIN_EXACT_LONG = -(2 ** 52);
const MAX_EXACT_LONG = 2 ** 53 - 2;

function identity(value: number): number {
  return value;
}

export class TimestampMillisType extends avsc.types.LogicalType {
  constructor(schema: object, opts?: object) {
    super(schema as never, opts);
    if (!avsc.Type.isType(this.underlyingType, 'long')) {
      // Per the Avro spec an invalid logical type falls back to its underlying
      // type; avsc does that when the constructor throws.
      throw new Error('timestamp-millis must annotate a long');
    }
  }

  protected override _fromValue(value: number): number {
    return value;
  }

  /**
   * Integers in [-2^52, 2^53 - 2]: outside it avsc would change the value on
   * the way through (or refuse it). No timestamp of ours comes near either end.
   */
  protected override _toValue(value: unknown): number | undefined {
    return typeof value === 'number' && Number.isInteger(value) && value >= MIN_EXACT_LONG && value <= MAX_EXACT_LONG ? value : undefined;
  }

  /** Data written as a plain long or int (or as timestamp-millis) reads as epoch ms. */
  protected override _resolve(writer: Type): ((value: number) => number) | undefined {
    return avsc.Type.isType(writer, 'long', 'int', 'logical:timestamp-millis') ? identity : undefined;
  }
}

/** A block count the bytes left cannot hold marks the tap invalid (read as "truncated"). */
function blockCount(tap: Tap): number {
  let n = tap.readLong();
  if (n < 0) {
    n = -n;
    tap.skipLong(); // block size in bytes, unused when reading item by item
  }
  if (n > tap.buf.length - tap.pos) {
    tap._invalidate();
    return 0;
  }
  return n;
}

/** Skips blocks of items; `skipItem` is called once per item. */
function skipBlocks(tap: Tap, skipItem: () => void): void {
  for (;;) {
    let n = tap.readLong();
    if (n === 0) return;
    if (n < 0) {
      const size = tap.readLong();
      if (size < 0 || size > tap.buf.length - tap.pos) {
        tap._invalidate();
        return;
      }
      tap.pos += size;
      continue;
    }
    if (n > tap.buf.length - tap.pos) {
      tap._invalidate();
      return;
    }
    while (n-- > 0) skipItem();
  }
}

/*
 * `_read` also serves as the resolver's read function (avsc copies it onto the
 * resolver, where `itemsType` / `valuesType` are the item resolvers), so it only
 * touches `this.itemsType` / `this.valuesType`.
 */
class SafeArrayType extends avsc.types.ArrayType {
  _read(this: { itemsType: ItemReader }, tap: Tap): unknown[] {
    const items = this.itemsType;
    const out: unknown[] = [];
    let n: number;
    while ((n = blockCount(tap)) > 0) {
      while (n-- > 0) out.push(items._read(tap));
    }
    return out;
  }

  _skip(this: { itemsType: ItemReader }, tap: Tap): void {
    const items = this.itemsType;
    skipBlocks(tap, () => items._skip(tap));
  }
}

class SafeMapType extends avsc.types.MapType {
  _read(this: { valuesType: ItemReader }, tap: Tap): Record<string, unknown> {
    const values = this.valuesType;
    const out: Record<string, unknown> = {};
    let n: number;
    while ((n = blockCount(tap)) > 0) {
      while (n-- > 0) {
        const key = tap.readString();
        out[key] = values._read(tap);
      }
    }
    return out;
  }

  _skip(this: { valuesType: ItemReader }, tap: Tap): void {
    const values = this.valuesType;
    skipBlocks(tap, () => {
      tap.skipString();
      values._skip(tap);
    });
  }
}

function safeCollections(schema: unknown, opts: object): Type | undefined {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const s = schema as { type?: unknown; logicalType?: unknown };
  if (s.logicalType !== undefined) return undefined; // avsc builds the logical type, then calls back for the underlying one
  if (s.type === 'array') return new SafeArrayType(schema as never, opts);
  if (s.type === 'map') return new SafeMapType(schema as never, opts);
  return undefined;
}

/** Builds the avsc Type of a schema; throws avsc's Error when the schema is invalid. */
export function parseAvroType(schema: object): Type {
  return avsc.Type.forSchema(schema as never, {
    logicalTypes: { 'timestamp-millis': TimestampMillisType as never },
    typeHook: safeCollections as never,
    // decoded records are plain data; the serde copies them into domain objects anyway
    omitRecordMethods: true,
  });
}

/**
 * The schema as avsc normalises it, with docs, defaults and logical types
 * kept: two schemas are "the same" for the registry exactly when these strings
 * are equal (key order and shorthand like "string" vs {"type":"string"} do not
 * matter; a changed doc or default does, as in Confluent's registry).
 */
export function normalizedSchema(type: Type): string {
  return JSON.stringify(type.schema({ exportAttrs: true }));
}
