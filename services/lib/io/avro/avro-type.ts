import avsc from 'avsc';
import type { Type } from 'avsc';
// @ts-expect-error avsc's internals have no typings
import avscUtils from 'avsc/lib/utils.js';

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
 *
 * and, for speed, strings (FastStringType): the same string Buffer#toString
 * gives, but without a call into Node's C++ per field where avoidable: short
 * ASCII via String.fromCharCode, and on a TextTap (one latin1 view of the
 * whole body) ASCII runs as substrings and well-formed multi-byte characters
 * decoded in JS. `timestamp-millis` reads its long without LogicalType's
 * indirection.
 */

/** The part of avsc's internal Tap the safe collections use. */
export interface Tap {
  buf: Buffer & { utf8Slice(start: number, end: number): string; latin1Slice(start: number, end: number): string };
  pos: number;
  readLong(): number;
  skipLong(): void;
  readString(): string;
  skipString(): void;
  _invalidate(): void;
  isValid(): boolean;
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

  /**
   * The long straight off the tap, with LongType's precision check, instead of
   * LogicalType's underlyingType._read + _fromValue indirection (the hot path
   * reads one per record).
   */
  _read(tap: Tap): number {
    const n = tap.readLong();
    if (!(n >= -MAX_SAFE_LONG && n <= MAX_SAFE_LONG)) throw new Error('potential precision loss');
    return n;
  }
}

/** avsc's bound for longs read as numbers (isSafeLong) */
const MAX_SAFE_LONG = 9007199254740990;

/**
 * A tap over one whole Avro body that also holds the body as a latin1 string
 * (one byte, one char): one Buffer→string call per record instead of one per
 * string field. An ASCII string field is then a substring of it; a field with
 * a byte ≥ 0x80 is decoded as UTF-8 from the buffer as usual. Only for a
 * forward read of a whole record (the serde's no-resolver path).
 */
export interface TextTap extends Tap {
  /** buf from `base` on, as latin1 */
  readonly text: string;
  readonly base: number;
}

// avsc's Tap is internal (no typings); the serde's fast path builds TextTaps from it.
const TapBase = (avscUtils as { Tap: new (buf: Buffer, pos: number) => Tap }).Tap;

class TextTapImpl extends (TapBase as new (buf: Buffer, pos: number) => Tap) {
  readonly text: string;
  readonly base: number;
  constructor(buf: Buffer, pos: number) {
    super(buf, pos);
    this.base = pos;
    this.text = (buf as Tap['buf']).latin1Slice(pos, buf.length);
  }
}

export function createTap(buf: Buffer, pos: number): Tap {
  return new TapBase(buf, pos);
}

export function createTextTap(buf: Buffer, pos: number): TextTap {
  return new TextTapImpl(buf, pos) as unknown as TextTap;
}

/**
 * Tap#readString, reading ASCII strings off a TextTap as substrings. Same
 * bytes, same string, same truncation behaviour.
 */
function readString(tap: Tap & Partial<TextTap>): string | undefined {
  const len = tap.readLong();
  if (len < 0) {
    tap._invalidate();
    return '';
  }
  const buf = tap.buf;
  const pos = tap.pos;
  const end = pos + len;
  tap.pos = end;
  if (end > buf.length) return undefined; // the tap is now invalid: truncated
  let i = pos;
  // four bytes a step while they are ASCII, then byte by byte to the first that is not
  while (i + 4 <= end && (buf[i]! | buf[i + 1]! | buf[i + 2]! | buf[i + 3]!) < 0x80) i += 4;
  while (i < end && buf[i]! < 0x80) i++;
  const text = tap.text;
  if (i === end) {
    // ASCII: one char per byte
    if (text !== undefined) return text.substring(pos - tap.base!, end - tap.base!);
    return len <= 8 ? shortAscii(buf, pos, len) : buf.utf8Slice(pos, end);
  }
  if (text !== undefined) {
    const s = mostlyAscii(buf, text, tap.base!, pos, i, end);
    if (s !== undefined) return s;
  }
  return buf.utf8Slice(pos, end);
}

/** Past this many multi-byte characters a string is decoded by utf8Slice. */
const MAX_MULTIBYTE_CHARS = 8;

/**
 * Text with a few non-ASCII characters (an emoji in a comment or a title):
 * ASCII runs as substrings of the latin1 text, each multi-byte character
 * decoded here. Only well-formed UTF-8 (no overlong forms, no surrogates, at
 * most U+10FFFF) is decoded, where every decoder agrees; anything else, and
 * text with many non-ASCII characters, returns undefined for utf8Slice to
 * decode with its replacement rules.
 */
function mostlyAscii(buf: Buffer, text: string, base: number, pos: number, i: number, end: number): string | undefined {
  let s = text.substring(pos - base, i - base);
  let multibyte = 0;
  while (i < end) {
    const b = buf[i]!;
    if (b < 0x80) {
      let j = i + 1;
      while (j < end && buf[j]! < 0x80) j++;
      s += text.substring(i - base, j - base);
      i = j;
      continue;
    }
    if (++multibyte > MAX_MULTIBYTE_CHARS) return undefined;
    if (b >= 0xc2 && b <= 0xdf) {
      if (i + 1 >= end) return undefined;
      const c1 = buf[i + 1]!;
      if ((c1 & 0xc0) !== 0x80) return undefined;
      s += String.fromCharCode(((b & 0x1f) << 6) | (c1 & 0x3f));
      i += 2;
    } else if (b >= 0xe0 && b <= 0xef) {
      if (i + 2 >= end) return undefined;
      const c1 = buf[i + 1]!;
      const c2 = buf[i + 2]!;
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return undefined;
      const cp = ((b & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
      s += String.fromCharCode(cp);
      i += 3;
    } else if (b >= 0xf0 && b <= 0xf4) {
      if (i + 3 >= end) return undefined;
      const c1 = buf[i + 1]!;
      const c2 = buf[i + 2]!;
      const c3 = buf[i + 3]!;
      if ((c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80 || (c3 & 0xc0) !== 0x80) return undefined;
      const cp = ((b & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
      if (cp < 0x10000 || cp > 0x10ffff) return undefined;
      const u = cp - 0x10000;
      s += String.fromCharCode(0xd800 + (u >> 10), 0xdc00 + (u & 0x3ff));
      i += 4;
    } else {
      return undefined;
    }
  }
  return s;
}

/** String.fromCharCode with the bytes as arguments: a V8 builtin, no call into Node's C++ */
function shortAscii(b: Buffer, p: number, len: number): string {
  switch (len) {
    case 0: return '';
    case 1: return String.fromCharCode(b[p]!);
    case 2: return String.fromCharCode(b[p]!, b[p + 1]!);
    case 3: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!);
    case 4: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!);
    case 5: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!);
    case 6: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!);
    case 7: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!);
    default: return String.fromCharCode(b[p]!, b[p + 1]!, b[p + 2]!, b[p + 3]!, b[p + 4]!, b[p + 5]!, b[p + 6]!, b[p + 7]!);
  }
}

class FastStringType extends avsc.types.StringType {
  _read(tap: Tap): string | undefined {
    return readString(tap);
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
  if (schema === 'string') return new FastStringType();
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return undefined;
  const s = schema as { type?: unknown; logicalType?: unknown };
  if (s.logicalType !== undefined) return undefined; // avsc builds the logical type, then calls back for the underlying one
  if (s.type === 'array') return new SafeArrayType(schema as never, opts);
  if (s.type === 'map') return new SafeMapType(schema as never, opts);
  if (s.type === 'string') return new FastStringType();
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
