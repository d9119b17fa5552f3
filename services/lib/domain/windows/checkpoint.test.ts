import { describe, expect, it } from 'vitest';
import { decodeWatermarks, encodeWatermarks } from './index.ts';

describe('watermark checkpoint in the commit metadata', () => {
  it('round-trips watermarks, including -Infinity for an aggregator that has seen nothing', () => {
    const marks = { candles: 1_704_205_870_000, sentiment: -Infinity, 'mentions-hour': -12.5 };
    expect(decodeWatermarks(encodeWatermarks(marks))).toEqual(marks);
  });

  it('reads a first start (no metadata) as no watermarks', () => {
    expect(decodeWatermarks('')).toEqual({});
    expect(decodeWatermarks(null)).toEqual({});
    expect(decodeWatermarks(undefined)).toEqual({});
  });

  it('refuses metadata it did not write, instead of replaying without a watermark', () => {
    expect(() => decodeWatermarks('offset-by-someone-else')).toThrow(RangeError);
    expect(() => decodeWatermarks('{"v":2,"wm":{}}')).toThrow(/version-1/);
    expect(() => decodeWatermarks('{"v":1,"wm":{"candles":"12"}}')).toThrow(/candles/);
    expect(() => decodeWatermarks('{"v":1}')).toThrow(/wm/);
  });

  it('refuses to write a watermark that cannot be restored', () => {
    expect(() => encodeWatermarks({ candles: Number.NaN })).toThrow(RangeError);
    expect(() => encodeWatermarks({ candles: Infinity })).toThrow(RangeError);
  });
});
