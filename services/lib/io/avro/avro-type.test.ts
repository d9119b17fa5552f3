import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Type } from 'avsc';
import { createTap, createTextTap, parseAvroType } from './avro-type.ts';
import type { Tap } from './avro-type.ts';

/*
 * The string reader takes shortcuts (substrings of a latin1 view, short ASCII
 * via String.fromCharCode, well-formed multi-byte characters decoded in JS):
 * whatever the bytes, it must give what Buffer#toString('utf8') gives.
 */
const record = parseAvroType({
  type: 'record',
  name: 'Strings',
  fields: [
    { name: 'a', type: 'string' },
    { name: 'b', type: 'string' },
    { name: 'n', type: 'long' },
    { name: 'c', type: 'string' },
  ],
});
const long = parseAvroType({ type: 'long' });

function stringBytes(bytes: Uint8Array): Buffer {
  return Buffer.concat([long.toBuffer(bytes.length), Buffer.from(bytes)]);
}

function read(type: Type, tap: Tap): unknown {
  return (type as unknown as { _read(tap: Tap): unknown })._read(tap);
}

// mostly text with a few multi-byte characters, the shape the shortcuts are for; plus any bytes at all
const textBytes = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => new Uint8Array(Buffer.from(s))),
  fc.array(fc.oneof(fc.constantFrom('a', 'Z', ' ', '💎', 'é', '€', '🚀', '\u0000', '\u07ff', '\uffff'), fc.string({ maxLength: 5 })), { maxLength: 12 }).map((p) => new Uint8Array(Buffer.from(p.join('')))),
  fc.uint8Array({ maxLength: 40 }),
);

describe('string decoding', () => {
  it('gives what Buffer#toString gives, for any bytes, on every kind of tap', () => {
    fc.assert(
      fc.property(textBytes, textBytes, textBytes, fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), (a, b, c, n) => {
        const body = Buffer.concat([stringBytes(a), stringBytes(b), long.toBuffer(n), stringBytes(c)]);
        const expected = { a: Buffer.from(a).toString('utf8'), b: Buffer.from(b).toString('utf8'), n, c: Buffer.from(c).toString('utf8') };
        for (const offset of [0, 3]) {
          const buf = Buffer.concat([Buffer.alloc(offset, 0xc3), body]);
          for (const tap of [createTap(buf, offset), createTextTap(buf, offset)]) {
            expect({ ...(read(record, tap) as object) }).toStrictEqual(expected);
            expect(tap.pos).toBe(buf.length);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves malformed UTF-8 to the replacement rules of Buffer#toString', () => {
    const malformed = [
      [0xc0, 0xaf], [0xc1, 0xbf], [0xe0, 0x80, 0xaf], [0xe0, 0x9f, 0xbf], [0xf0, 0x8f, 0xbf, 0xbf], // overlong
      [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], // surrogates
      [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xff], [0xfe], // past U+10FFFF, never a lead
      [0x80], [0xbf], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x92], [0xc3, 0x41], [0xe2, 0x41, 0x82], // lone, cut short, broken
    ];
    const valid = [[0xc2, 0x80], [0xdf, 0xbf], [0xe0, 0xa0, 0x80], [0xed, 0x9f, 0xbf], [0xee, 0x80, 0x80], [0xef, 0xbf, 0xbf], [0xf0, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf]];
    for (const seq of [...malformed, ...valid]) {
      for (const bytes of [seq, [0x61, ...seq], [...seq, 0x62], [0x61, ...seq, 0x62, ...seq]]) {
        const b = new Uint8Array(bytes);
        const buf = Buffer.concat([stringBytes(Buffer.from('id')), stringBytes(b), long.toBuffer(7), stringBytes(b)]);
        const expected = { a: 'id', b: Buffer.from(b).toString('utf8'), n: 7, c: Buffer.from(b).toString('utf8') };
        for (const tap of [createTap(buf, 0), createTextTap(buf, 0)]) {
          expect({ ...(read(record, tap) as object) }, Buffer.from(b).toString('hex')).toStrictEqual(expected);
        }
      }
    }
  });

  it('reads a string cut short as truncated on every kind of tap', () => {
    const body = Buffer.concat([stringBytes(Buffer.from('ok')), stringBytes(Buffer.from('Ünïcödé 💎 text')), long.toBuffer(1), stringBytes(Buffer.from('x'))]);
    for (let n = 0; n < body.length; n++) {
      const cut = body.subarray(0, n);
      for (const tap of [createTap(cut, 0), createTextTap(cut, 0)]) {
        read(record, tap);
        expect(tap.isValid(), `cut at ${n}`).toBe(false);
      }
    }
  });
});
