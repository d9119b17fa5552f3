import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StockstreamerError } from '../../runtime/errors.ts';
import { WIRE_HEADER_BYTES, decodeWireHeader, encodeWire, readWireSchemaId } from './wire.ts';

function codeOf(fn: () => unknown): { code: string; details: Record<string, unknown> } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StockstreamerError);
    const e = err as StockstreamerError;
    return { code: e.code, details: { ...e.details } };
  }
  throw new Error('expected a throw');
}

describe('Confluent wire format', () => {
  it('frames a body behind magic byte 0 and the big-endian schema id', () => {
    const framed = encodeWire(0x01020304, Buffer.from([0xaa, 0xbb]));
    expect(framed.toString('hex')).toBe('0001020304aabb');
    expect(decodeWireHeader(framed)).toEqual({ schemaId: 0x01020304, body: Buffer.from([0xaa, 0xbb]) });
  });

  it('round-trips any id and body', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), fc.uint8Array({ maxLength: 64 }), (id, bytes) => {
        const body = Buffer.from(bytes);
        const framed = encodeWire(id, body);
        expect(framed.length).toBe(WIRE_HEADER_BYTES + body.length);
        const back = decodeWireHeader(framed);
        expect(back.schemaId).toBe(id);
        expect(back.body.equals(body)).toBe(true);
      }),
    );
  });

  it('rejects a value that is not in the wire format with DECODE_MAGIC_BYTE', () => {
    expect(codeOf(() => readWireSchemaId(Buffer.from('{"symbol":"AAPL"}')))).toEqual({
      code: 'DECODE_MAGIC_BYTE',
      details: { offset: 0, length: 17 },
    });
    expect(codeOf(() => decodeWireHeader(Buffer.from([1, 0, 0, 0, 1, 2]))).code).toBe('DECODE_MAGIC_BYTE');
  });

  it('rejects an empty value or a cut header with DECODE_TRUNCATED', () => {
    expect(codeOf(() => decodeWireHeader(Buffer.alloc(0)))).toEqual({ code: 'DECODE_TRUNCATED', details: { offset: 0, length: 0 } });
    for (let n = 1; n < WIRE_HEADER_BYTES; n++) {
      expect(codeOf(() => decodeWireHeader(Buffer.alloc(n)))).toEqual({ code: 'DECODE_TRUNCATED', details: { offset: n, length: n } });
    }
  });

  it('accepts a header with an empty body (the Avro decoder judges the body)', () => {
    expect(decodeWireHeader(Buffer.from([0, 0, 0, 0, 7]))).toEqual({ schemaId: 7, body: Buffer.alloc(0) });
  });

  it('treats a bad schema id on encode as a bug, not as bad input', () => {
    expect(() => encodeWire(-1, Buffer.alloc(0))).toThrow(RangeError);
    expect(() => encodeWire(1.5, Buffer.alloc(0))).toThrow(RangeError);
  });
});
