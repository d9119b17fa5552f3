import type { BusRecord, OutgoingMessage } from '../lib/io/bus/bus.ts';
import type { DeadLetterRow } from '../lib/io/store/repository.ts';
import { StockstreamerError } from '../lib/runtime/errors.ts';

/** bytes of the rejected value kept in the table; the DLQ topic keeps all of it */
const PAYLOAD_PREVIEW_BYTES = 256;

export interface DeadLetter {
  /** to `<topic>.dlq`: the original key and value, the reason and coordinates in headers */
  message: OutgoingMessage;
  row: DeadLetterRow;
}

/**
 * A record that cannot be decoded or validated is set aside with everything
 * needed to find and replay it, and the stream goes on (invariant 4).
 */
export function toDeadLetter(record: BusRecord, err: StockstreamerError, at: number): DeadLetter {
  const reason = err.message.slice(0, 500);
  return {
    message: {
      key: record.key,
      value: record.value,
      headers: {
        ...record.headers,
        'dlq.error.code': err.code,
        'dlq.error.message': reason,
        'dlq.source.topic': record.topic,
        'dlq.source.partition': String(record.partition),
        'dlq.source.offset': String(record.offset),
        'dlq.at': String(at),
      },
    },
    row: {
      // Keyed by the record's own coordinates and time, so a replay rewrites the same row.
      topic: record.topic, partition: record.partition, offset: record.offset, code: err.code, reason, at: record.timestamp,
      payloadHex: record.value.subarray(0, PAYLOAD_PREVIEW_BYTES).toString('hex'),
    },
  };
}

/** Only poison errors are dead-lettered; anything else is a fault of ours or of a server and must not be swallowed. */
export function asPoison(err: unknown): StockstreamerError | undefined {
  return err instanceof StockstreamerError && err.poison ? err : undefined;
}
