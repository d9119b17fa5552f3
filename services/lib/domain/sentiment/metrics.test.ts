import { describe, expect, it } from 'vitest';
import { half, labelAccuracy, pearson, signAgreement } from './metrics.ts';

describe('evaluation metrics', () => {
  it('counts a zero prediction as a wrong sign', () => {
    expect(signAgreement([0.5, -0.2, 0], [0.3, -0.9, 0.4])).toBeCloseTo(2 / 3);
    expect(signAgreement([0], [0])).toBe(0);
  });

  it('computes Pearson r, and 0 when one side is constant', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
  });

  it('measures label accuracy', () => {
    expect(labelAccuracy(['pos', 'neg', 'neu', 'neu'], ['pos', 'neu', 'neu', 'neg'])).toBe(0.5);
  });

  it('splits by position parity', () => {
    expect(half(['a', 'b', 'c', 'd', 'e'], 0)).toEqual(['a', 'c', 'e']);
    expect(half(['a', 'b', 'c', 'd', 'e'], 1)).toEqual(['b', 'd']);
  });

  it('refuses arrays of different lengths', () => {
    expect(() => signAgreement([1], [])).toThrow(RangeError);
    expect(() => pearson([1], [])).toThrow(RangeError);
  });
});
