import { describe, expect, it } from 'vitest';
import { oneEditApart } from './typos.ts';

describe('oneEditApart', () => {
  it('finds one letter added, dropped, changed or two swapped', () => {
    expect(oneEditApart('amazn', 'amazon')).toBe(true);
    expect(oneEditApart('amazoon', 'amazon')).toBe(true);
    expect(oneEditApart('nvidea', 'nvidia')).toBe(true);
    expect(oneEditApart('nvdiia', 'nvidia')).toBe(true);
  });

  it('refuses two edits or more', () => {
    expect(oneEditApart('amzn', 'amazon')).toBe(false);
    expect(oneEditApart('nivdea', 'nvidia')).toBe(false);
    expect(oneEditApart('tesla', 'tesla motors')).toBe(false);
  });
});
