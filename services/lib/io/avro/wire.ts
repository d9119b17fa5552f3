import { StockstreamerError } from '../../runtime/errors.ts';

/**
 * Confluent wire format, the framing every Kafka record value carries:
 *
 *   WireRecord => magic schemaId body
 *     magic    => INT8    always 0
 *     schemaId => INT32   big-endian, the registry's id of the writer schema
 *     body     => BYTES   Avro binary encoding of the value, to the end of the buffer
 *
 * Pure functions: no registry, no Avro. The body is only framed here; whether
 * it is well-formed is for the Avro decoder to say.
 */

export const WIRE_MAGIC_BYTE = 0;
/** magic byte + 4-byte schema id */
export const WIRE_HEADER_BYTES = 5;

/** Frames an Avro body with the header naming its writer schema. */
export function encodeWire(schemaId: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(WIRE_HEADER_BYTES + body.length);
  writeWireHeader(out, schemaId);
  body.copy(out, WIRE_HEADER_BYTES);
  return out;
}

/**
 * Writes the 5-byte header at the start of `out`. The serde encodes the Avro
 * body straight after it, saving the copy encodeWire makes.
 */
export function writeWireHeader(out: Buffer, schemaId: number): void {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) {
    // An id comes from our own registry lookup: a bad one is a bug, not bad input.
    throw new RangeError(`schema id must be an integer in [0, 2^31-1], got ${schemaId}`);
  }
  out[0] = WIRE_MAGIC_BYTE;
  out.writeUInt32BE(schemaId, 1);
}

/**
 * Reads the schema id of a framed record, leaving the body where it is (the
 * hot path decodes in place from offset WIRE_HEADER_BYTES).
 * Throws DECODE_TRUNCATED when the header is cut short and DECODE_MAGIC_BYTE
 * when the record is not in the wire format at all.
 */
export function readWireSchemaId(buf: Buffer): number {
  // the per-record fast path: a well-formed header, read without readInt32BE's own checks
  if (buf.length >= WIRE_HEADER_BYTES && buf[0] === WIRE_MAGIC_BYTE) return (buf[1]! << 24) | (buf[2]! << 16) | (buf[3]! << 8) | buf[4]!;
  if (buf.length < 1) {
    throw new StockstreamerError('DECODE_TRUNCATED', 'empty record value: no Confluent wire header', {
      details: { offset: 0, length: buf.length },
    });
  }
  if (buf[0] !== WIRE_MAGIC_BYTE) {
    throw new StockstreamerError('DECODE_MAGIC_BYTE', `expected magic byte 0, got ${buf[0]}`, {
      details: { offset: 0, length: buf.length },
    });
  }
  if (buf.length < WIRE_HEADER_BYTES) {
    throw new StockstreamerError('DECODE_TRUNCATED', `wire header needs ${WIRE_HEADER_BYTES} bytes, got ${buf.length}`, {
      details: { offset: buf.length, length: buf.length },
    });
  }
  // Confluent ids are signed INT32; only non-negative ones are ever issued.
  return buf.readInt32BE(1);
}

/** Splits a framed record into its writer schema id and Avro body (a view, not a copy). */
export function decodeWireHeader(buf: Buffer): { schemaId: number; body: Buffer } {
  const schemaId = readWireSchemaId(buf);
  return { schemaId, body: buf.subarray(WIRE_HEADER_BYTES) };
}
