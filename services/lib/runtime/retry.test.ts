import { describe, expect, it } from 'vitest';
import { withRetry } from './retry.ts';
import { StockstreamerError } from './errors.ts';
import { createMetrics } from './metrics.ts';
import { silentLogger } from './logger.ts';

const opts = (signal: AbortSignal) => ({ logger: silentLogger(), metrics: createMetrics(), signal, maxDelayMs: 20 });

describe('withRetry', () => {
  it('retries retriable failures until the operation succeeds', async () => {
    let n = 0;
    const result = await withRetry('write', async () => {
      if (++n < 3) throw new StockstreamerError('STORE_UNAVAILABLE', 'down');
      return 'ok';
    }, opts(new AbortController().signal));
    expect(result).toBe('ok');
    expect(n).toBe(3);
  });

  it('never retries a programming error or a non-retriable code', async () => {
    let n = 0;
    await expect(withRetry('write', async () => { n++; throw new TypeError('bug'); }, opts(new AbortController().signal))).rejects.toThrow(TypeError);
    await expect(withRetry('write', async () => { n++; throw new StockstreamerError('STORE_WRITE_FAILED', 'no'); }, opts(new AbortController().signal))).rejects.toThrow('no');
    expect(n).toBe(2);
  });

  it('an operation that succeeds while shutdown begins is reported as a success, not as aborted', async () => {
    const ac = new AbortController();
    const result = await withRetry('write', async () => {
      ac.abort(); // SIGTERM arrives while the write is in flight
      await new Promise((r) => setTimeout(r, 5));
      return 'written';
    }, opts(ac.signal));
    expect(result).toBe('written');
  });

  it('stops retrying once shutdown began, surfacing the last error', async () => {
    const ac = new AbortController();
    let n = 0;
    await expect(withRetry('write', async () => {
      n++;
      ac.abort();
      throw new StockstreamerError('STORE_UNAVAILABLE', 'down');
    }, opts(ac.signal))).rejects.toThrow('down');
    expect(n).toBe(1);
  });
});
