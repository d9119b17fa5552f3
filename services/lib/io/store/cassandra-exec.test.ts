import cassandra from 'cassandra-driver';
import { describe, expect, it } from 'vitest';
import { forEachBounded, groupBy, toStoreError } from './cassandra-exec.ts';
import { priceWriteTimestamp } from './cassandra-rows.ts';

const { errors, types } = cassandra;

describe('toStoreError', () => {
  it('maps an unreachable or overloaded cluster to STORE_UNAVAILABLE, retriable, with the cause', () => {
    const transient = [
      new errors.NoHostAvailableError({}),
      new errors.OperationTimedOutError('timed out', '127.0.0.1:9042'),
      new errors.ResponseError(types.responseErrorCodes.unavailableException, 'Cannot achieve consistency level'),
      new errors.ResponseError(types.responseErrorCodes.writeTimeout, 'Operation timed out'),
      Object.assign(new Error('socket closed'), { isSocketError: true }),
    ];
    for (const cause of transient) {
      const err = toStoreError(cause, 'a write to candles_1m');
      expect(err).toMatchObject({ code: 'STORE_UNAVAILABLE', retriable: true });
      expect(err.cause).toBe(cause);
    }
  });

  it('maps a refused statement to STORE_WRITE_FAILED, not retriable, and points at migrate for a missing table', () => {
    const cause = new errors.ResponseError(types.responseErrorCodes.invalid, 'unconfigured table candles_1m');
    const err = toStoreError(cause, 'a write to candles_1m');
    expect(err).toMatchObject({ code: 'STORE_WRITE_FAILED', retriable: false });
    expect(err.message).toMatch(/run `stockstreamer migrate`/);
    expect(toStoreError(new TypeError('bad value'), 'x')).toMatchObject({ code: 'STORE_WRITE_FAILED', retriable: false });
  });
});

describe('forEachBounded', () => {
  it('never runs more than the limit at once, and settles only after in-flight work on failure', async () => {
    let inFlight = 0;
    let peak = 0;
    const finished: number[] = [];
    const run = forEachBounded([...Array(20).keys()], 4, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, i === 5 ? 1 : 5));
      inFlight--;
      if (i === 5) throw new Error('boom');
      finished.push(i);
    });
    await expect(run).rejects.toThrow('boom');
    expect(peak).toBe(4);
    expect(inFlight).toBe(0);
    expect(finished.length).toBeLessThan(19); // stopped starting new items
  });
});

describe('groupBy', () => {
  it('keeps rows of one partition together, in chunks of at most the size', () => {
    expect(groupBy(['a1', 'b1', 'a2', 'a3'], (s) => s[0]!, 2)).toEqual([['a1', 'a2'], ['b1'], ['a3']]);
  });
});

describe('priceWriteTimestamp', () => {
  it('orders by event time, then seq, and never lets seq reach the next millisecond', () => {
    expect(priceWriteTimestamp({ timestamp: 1000, seq: 3 })).toBe(1_000_003);
    expect(priceWriteTimestamp({ timestamp: 1000, seq: 5000 })).toBeLessThan(priceWriteTimestamp({ timestamp: 1001, seq: 0 }));
  });
});
