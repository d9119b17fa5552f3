import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isStockstreamerError } from '../../runtime/errors.ts';
import { isRebalanceError, toBusError } from './kafka-client.ts';

/** kafkajs' own error classes, built as kafkajs builds them. */
const { createErrorFromCode } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as { createErrorFromCode: (code: number) => Error };
const errors = kafkajs as unknown as Record<string, new (...args: unknown[]) => Error>;
const protocol = (type: string, retriable: boolean) => new errors.KafkaJSProtocolError!({ type, retriable, message: type, code: 1 });

describe('kafkajs errors → the closed set', () => {
  it('maps an unreachable broker to BUS_UNAVAILABLE, retriable, with the kafkajs error as cause', () => {
    const refused = new errors.KafkaJSConnectionError!('Connection error: connect ECONNREFUSED 127.0.0.1:9092', { broker: '127.0.0.1:9092', code: 'ECONNREFUSED' });
    const exhausted = new errors.KafkaJSNumberOfRetriesExceeded!(refused, { retryCount: 3, retryTime: 800 });
    for (const err of [refused, exhausted, new errors.KafkaJSRequestTimeoutError!('Request Produce timed out'), protocol('NOT_LEADER_FOR_PARTITION', true)]) {
      const mapped = toBusError(err, 'produce');
      expect(isStockstreamerError(mapped, 'BUS_UNAVAILABLE')).toBe(true);
      expect((mapped as Error).cause).toBe(err);
      expect((mapped as { retriable: boolean }).retriable).toBe(true);
    }
  });

  it('turns what a retry cannot fix into BUS_REJECTED (not retriable), and leaves programming errors as they are', () => {
    for (const err of [protocol('MESSAGE_TOO_LARGE', false), protocol('TOPIC_AUTHORIZATION_FAILED', false)]) {
      const mapped = toBusError(err, 'produce') as { code: string; retriable: boolean; cause: unknown };
      expect(mapped.code).toBe('BUS_REJECTED');
      expect(mapped.retriable).toBe(false);
      expect(mapped.cause).toBe(err);
    }
    const bug = new TypeError('bug');
    expect(toBusError(bug, 'produce')).toBe(bug);
  });

  it('recognises a group that moved on, also wrapped by kafkajs retries', () => {
    const rebalance = protocol('REBALANCE_IN_PROGRESS', false);
    expect(isRebalanceError(rebalance)).toBe(true);
    expect(isRebalanceError(new errors.KafkaJSNonRetriableError!(rebalance, { cause: rebalance }))).toBe(true);
    expect(isRebalanceError(protocol('ILLEGAL_GENERATION', false))).toBe(true);
    expect(isRebalanceError(protocol('UNKNOWN_MEMBER_ID', false))).toBe(true);
    expect(isRebalanceError(protocol('NOT_LEADER_FOR_PARTITION', true))).toBe(false);
    expect(isRebalanceError(new errors.KafkaJSConnectionError!('Connection error: connect ECONNREFUSED 127.0.0.1:9092'))).toBe(false);
  });

  it('counts a coordinator that moved as a group that moved on: only a rejoin finds the new one', () => {
    // the error kafkajs builds from the broker's answer, code 16 ("This is not the correct coordinator for this group")
    const moved = createErrorFromCode(16);
    expect(isRebalanceError(moved)).toBe(true);
    expect(isRebalanceError(new errors.KafkaJSNumberOfRetriesExceeded!(moved, { retryCount: 5, retryTime: 800 }))).toBe(true);
  });
});
