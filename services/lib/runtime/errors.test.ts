import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, StockstreamerError, isRetriable } from './errors.ts';

describe('error codes', () => {
  it('carry actionable properties and chain the cause', () => {
    const cause = new Error('ECONNREFUSED');
    const err = new StockstreamerError('STORE_UNAVAILABLE', 'cassandra down', { cause });
    expect(err.retriable).toBe(true);
    expect(err.poison).toBe(false);
    expect(err.cause).toBe(cause);
    expect(isRetriable(err)).toBe(true);
  });

  it('never retries programming errors', () => {
    expect(isRetriable(new TypeError('x is undefined'))).toBe(false);
    expect(isRetriable(new RangeError('bad'))).toBe(false);
  });

  it('poison codes are never retriable', () => {
    for (const [code, props] of Object.entries(ERROR_CODES)) if (props.poison) expect(props.retriable, code).toBe(false);
  });

  it('the README lists every code, and no code that does not exist', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('## Error codes'));
    const listed = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(new Set(Object.keys(ERROR_CODES)));
  });

  it('the README table is exactly what scripts/error-docs.ts prints (flags and hints in step too)', () => {
    const table = execFileSync(process.execPath, ['scripts/error-docs.ts'], { encoding: 'utf8' }).trimEnd();
    expect(readFileSync('README.md', 'utf8')).toContain(table);
  });
});
