import { describe, expect, it } from 'vitest';
import {
  alertKindLabel, candleColumns, changeClass, fmtAgo, fmtClock, fmtHourMinute, fmtCompact, fmtPct, fmtPrice, fmtSigned, mergeRows, safeHref, sentimentClass,
  sentimentColumns, sentimentRange, alertDelivery, axisLabel, fmtClockZ, fmtDateTime, fmtRankChange, fmtVotes, referenceLabel, statusText,
} from './format.js';

describe('page formatting', () => {
  it('prints prices with cents, separators, and more digits for pennies', () => {
    expect(fmtPrice(230.5)).toBe('230.50');
    expect(fmtPrice(1234567.891)).toBe('1,234,567.89');
    expect(fmtPrice(0.01234)).toBe('0.0123');
    expect(fmtPrice(null)).toBe('—');
  });

  it('signs changes with a true minus and never shows −0.00', () => {
    expect(fmtSigned(1.234)).toBe('+1.23');
    expect(fmtSigned(-0.4)).toBe('\u22120.40');
    expect(fmtSigned(-0.0001)).toBe('0.00');
    expect(fmtPct(0.0123)).toBe('+1.23%');
    expect(fmtPct(-0.5, 0)).toBe('\u221250%');
    expect(fmtPct(null)).toBe('—');
  });

  it('colours changes and sentiment, with a neutral band around zero', () => {
    expect([changeClass(1), changeClass(-1), changeClass(0), changeClass(null)]).toEqual(['up', 'down', 'flat', 'flat']);
    expect([sentimentClass(0.3), sentimentClass(-0.3), sentimentClass(0.01), sentimentClass(undefined)]).toEqual(['pos', 'neg', 'neu', 'neu']);
  });

  it('shortens volumes and says how long ago', () => {
    expect([fmtCompact(950), fmtCompact(12_345), fmtCompact(4_560_000), fmtCompact(2.5e9)]).toEqual(['950', '12.3k', '4.56M', '2.50B']);
    const now = Date.UTC(2026, 0, 1, 12);
    expect([fmtAgo(now - 2000, now), fmtAgo(now - 42_000, now), fmtAgo(now - 5 * 60_000, now), fmtAgo(now - 3 * 3_600_000, now)])
      .toEqual(['just now', '42 s ago', '5 min ago', '3 h ago']);
    expect(fmtClock(Date.UTC(2026, 0, 1, 14, 5, 9), 'UTC')).toBe('14:05:09');
    expect(fmtHourMinute(Date.UTC(2026, 0, 1, 9, 5, 9), 'UTC')).toBe('09:05');
  });

  it('names alert kinds in words', () => {
    expect([alertKindLabel('price_cross'), alertKindLabel('mention_spike'), alertKindLabel('new_kind')]).toEqual(['price level', 'mention spike', 'new kind']);
  });

  it('lets only http(s) links through', () => {
    expect(safeHref('https://www.reddit.com/r/x')).toBe('https://www.reddit.com/r/x');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(undefined)).toBeNull();
  });
});

describe('live updates in the page', () => {
  const c = (minute: number, close: number) => ({ minute, open: close, high: close, low: close, close, volume: 1 });

  it('upserts by key, drops what slid out of the window and keeps time order', () => {
    const rows = [c(1, 10), c(2, 20), c(3, 30)];
    const out = mergeRows(rows, [c(3, 31), c(4, 40)], { key: (x) => x.minute, time: (x) => x.minute, from: 2 });
    expect(out.map((x) => [x.minute, x.close])).toEqual([[2, 20], [3, 31], [4, 40]]);
    expect(rows).toHaveLength(3); // the input is left alone
  });

  it('replaces the whole list on a full update and keeps the newest when limited', () => {
    expect(mergeRows([c(1, 1)], [c(5, 5)], { key: (x) => x.minute, time: (x) => x.minute, replace: true })).toEqual([c(5, 5)]);
    const posts = [{ id: 'a', t: 1 }, { id: 'b', t: 3 }];
    const out = mergeRows(posts, [{ id: 'c', t: 2 }, { id: 'd', t: 4 }], { key: (p) => p.id, time: (p) => p.t, limit: 3, newestFirst: true });
    expect(out.map((p) => p.id)).toEqual(['d', 'b', 'c']);
  });

  it('turns rows into uPlot columns with x in seconds', () => {
    expect(candleColumns([{ minute: 60_000, open: 1, high: 3, low: 0.5, close: 2, volume: 9 }])).toEqual([[60], [1], [3], [0.5], [2], [9]]);
    expect(sentimentColumns([{ minute: 120_000, mean: 0.1, movingAverage: 0.2, upper: 0.3, lower: 0.1 }])).toEqual([[120], [0.1], [0.2], [0.3], [0.1]]);
  });

  it('keeps the sentiment axis around zero and inside [-1, 1]', () => {
    expect(sentimentRange(null, null)).toEqual([-1, 1]);
    const [lo, hi] = sentimentRange(0.1, 0.4);
    expect(lo).toBeLessThan(0);
    expect(hi).toBeGreaterThan(0.4);
    expect(sentimentRange(-1, 1)).toEqual([-1, 1]);
  });
});

describe('times with zones and dates (issue 11)', () => {
  const fri = Date.UTC(2026, 10, 20, 21); // 16:00 in New York, winter time
  it('says the zone of every time, and the date on multi-day axes', () => {
    expect(fmtClockZ(fri, 'America/New_York')).toBe('16:00:00 EST');
    expect(fmtClockZ(Date.UTC(2026, 6, 1, 20), 'America/New_York')).toBe('16:00:00 EDT');
    expect(fmtDateTime(fri, 'America/New_York')).toBe('Fri 20 Nov 16:00 EST');
    expect(axisLabel(fri, 3_600_000, 'UTC')).toBe('21:00');
    expect(axisLabel(fri, 3 * 86_400_000, 'UTC')).toBe('20 Nov 21:00');
    expect(referenceLabel({ kind: 'previous_close', at: fri, timeZone: 'America/New_York' })).toBe('vs close Fri 20 Nov 16:00 EST');
    expect(referenceLabel(null)).toBe('no previous close stored yet');
  });

  it('the pill says replay or stale rather than live when that is the truth', () => {
    const base = { now: fri, dataTime: { trades: fri - 5000, mentions: fri }, stale: false };
    expect(statusText({ ...base, mode: 'live' }, 'UTC')).toEqual({ kind: 'live', text: 'live · 21:00:00 UTC' });
    expect(statusText({ ...base, mode: 'replay' }, 'UTC')).toEqual({ kind: 'replay', text: 'replay · Fri 20 Nov 21:00 UTC' });
    expect(statusText({ ...base, mode: 'live', stale: true }, 'UTC').kind).toBe('stale');
  });

  it('shows "pending" only for an alert with somewhere to go', () => {
    expect(alertDelivery({ delivered: false, channels: [] })).toBeNull();
    expect(alertDelivery({ delivered: false })).toBeNull(); // stored before channels were recorded
    expect(alertDelivery({ delivered: false, channels: ['mail'] })).toEqual({ kind: 'pending', text: '✉ pending' });
    expect(alertDelivery({ delivered: true, channels: ['mail', 'webhook'] })?.kind).toBe('sent');
    expect(fmtVotes(1234)).toBe('▲ 1.23k');
    expect(fmtVotes(-4)).toBe('▼ 4');
    expect(fmtRankChange(3)).toBe('▲3');
    expect(fmtRankChange(null)).toBe('new');
  });
});
