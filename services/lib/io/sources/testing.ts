/**
 * Helpers for the source tests (not a test file itself): a logger whose lines
 * land in memory, so tests can assert what an operator would read, and a
 * fake clock whose sleep moves time instead of waiting.
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../runtime/logger.ts';
import type { Clock, Sleep } from './source.ts';

export function memoryLogger(level = 'debug'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line !== '') lines.push(line);
      callback();
    },
  });
  return { logger: createLogger({ level, destination, name: 'test' }), lines };
}

export function fakeTime(start = Date.parse('2025-03-03T15:00:00Z')): { clock: Clock; sleep: Sleep; sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    clock: { now: () => now },
    sleeps,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

export async function waitFor(condition: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
