import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buzzWindows, evaluateRules, snapshotNeeds, type AlertSnapshot, type WindowCount } from './evaluate.ts';
import { parseAlertRules, type AlertRule } from './rules.ts';

const MIN = 60_000;
const DAY = 86_400_000;
// Thursday 2026-11-26 14:30:20 UTC, the New York morning rush
const NOW = Date.UTC(2026, 10, 26, 14, 30, 20);
const rules = (...raw: object[]): readonly AlertRule[] => parseAlertRules({ rules: raw }, 'test');
const buzz = rules({ id: 'buzz', kind: 'unusual_buzz', tickers: ['*'], factor: 3, windowMinutes: 60, baselineDays: 7, minBaselineDays: 3, minMentions: 10 });
const empty: AlertSnapshot = { prices: [], candles: [], sentiment: [], mentions: [] };

/** the snapshot the alerter would read: exact counts per window, the current one and `history` days of the same minutes before */
function snapshot(current: Record<string, number>, daily: Record<string, number>, history: number): AlertSnapshot {
  const w = buzzWindows(buzz[0] as Extract<AlertRule, { kind: 'unusual_buzz' }>, NOW);
  const windows: WindowCount[] = [{ ...w.current, counts: new Map(Object.entries(current)) }];
  w.baseline.forEach((b, i) => windows.push({ ...b, counts: new Map(i < history ? Object.entries(daily) : []) }));
  return { ...empty, windows };
}

describe('unusual buzz: mentions against the usual for the same time of day', () => {
  it('compares the last hour, sliding to the minute, with the same hour on each day before', () => {
    const w = buzzWindows({ windowMinutes: 60, baselineDays: 7 }, NOW);
    expect(w.current).toEqual({ fromMs: Date.UTC(2026, 10, 26, 13, 31), toMs: Date.UTC(2026, 10, 26, 14, 31) });
    expect(w.baseline[0]).toEqual({ fromMs: w.current.fromMs - DAY, toMs: w.current.toMs - DAY });
    expect(w.baseline).toHaveLength(7);
    expect(snapshotNeeds(buzz, NOW).windows).toHaveLength(8);
  });

  it('fires for a ticker at three times its usual, not for one at its usual morning rush', () => {
    const s = snapshot({ GME: 95, AAPL: 120 }, { GME: 20, AAPL: 100 }, 7);
    const e = evaluateRules(buzz, s, NOW, new Map());
    expect(e.firings.map((f) => [f.ticker, f.value, f.threshold])).toEqual([['GME', 95, 60]]);
    expect(e.firings[0]!.message).toBe('GME had 95 mentions in the last 60 minutes, 4.8x the usual 20 at this time of day (7 days of history)');
    // once per spike
    expect(evaluateRules(buzz, s, NOW + MIN, e.state).firings).toEqual([]);
  });

  it('needs a warm-up: nothing fires until enough days of history hold data, however loud the hour', () => {
    for (const days of [0, 1, 2]) expect(evaluateRules(buzz, snapshot({ GME: 500 }, { GME: 1 }, days), NOW, new Map()).firings).toEqual([]);
    expect(evaluateRules(buzz, snapshot({ GME: 500 }, { GME: 1 }, 3), NOW, new Map()).firings.map((f) => f.ticker)).toEqual(['GME']);
  });

  it('needs minMentions: a rare ticker going from none to four is not buzz', () => {
    expect(evaluateRules(buzz, snapshot({ XYZ: 4 }, { AAPL: 50 }, 7), NOW, new Map()).firings).toEqual([]);
    const f = evaluateRules(buzz, snapshot({ XYZ: 12 }, { AAPL: 50 }, 7), NOW, new Map()).firings[0]!;
    expect(f.message).toBe('XYZ had 12 mentions in the last 60 minutes; usually none at this time of day (7 days of history)');
  });

  it('refuses a warm-up longer than the baseline, naming the field', () => {
    expect(() => rules({ id: 'b', kind: 'unusual_buzz', tickers: ['GME'], baselineDays: 2, minBaselineDays: 5 }))
      .toThrow('test: rule "b" (rules[0]) field "minBaselineDays" must not be more than baselineDays, got 5');
  });
});

describe('the shipped example rules', () => {
  it('fire nothing in the first hour of a fresh store, however busy the chatter (issue 11: a spike for every ticker within 90 s)', () => {
    const example = parseAlertRules(JSON.parse(readFileSync('config/alerts.example.json', 'utf8')), 'config/alerts.example.json');
    const tickers = ['GME', 'AMC', 'TSLA', 'NVDA', 'AAPL', 'PLTR'];
    let state = new Map();
    const start = NOW - 60 * MIN;
    for (let m = 1; m <= 60; m++) {
      const now = start + m * MIN;
      const needs = snapshotNeeds(example, now);
      // everything the store holds began at `start`: busy mentions, steady prices, mildly bearish GME
      const hour = Math.floor(start / 3_600_000) * 3_600_000;
      const snapshotAt: AlertSnapshot = {
        prices: tickers.map((symbol) => ({ symbol, price: 100 + m * 0.01, timestamp: now - 1000 })),
        candles: [],
        sentiment: [{ ticker: 'GME', minute: now - MIN, count: 3, sum: -0.6, sumSquares: 0.2, pos: 0, neg: 3, neu: 0 }],
        mentions: tickers.flatMap((ticker) => [{ ticker, hour, count: 40 * m }, { ticker, hour: hour + 3_600_000, count: 10 * m }]),
        windows: needs.windows.map((w) => ({ ...w, counts: new Map(w.toMs > start ? tickers.map((t): [string, number] => [t, 40 * m]) : []) })),
      };
      const e = evaluateRules(example, snapshotAt, now, state);
      expect(e.firings, `minute ${m}`).toEqual([]);
      state = e.state as Map<string, never>;
    }
  });
});
