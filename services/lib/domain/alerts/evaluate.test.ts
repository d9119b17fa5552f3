import { describe, expect, it } from 'vitest';
import type { Candle, SentimentWindow } from '../types.ts';
import { evaluateRules, mentionsIn, snapshotNeeds, stateFromFirings, type AlertFiring, type AlertSnapshot, type AlertState } from './evaluate.ts';
import { parseAlertRules, type AlertRule } from './rules.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 14, 0);

const rules = (...raw: object[]): readonly AlertRule[] => parseAlertRules({ rules: raw }, 'test');
const empty: AlertSnapshot = { prices: [], candles: [], sentiment: [], mentions: [] };
const price = (symbol: string, p: number, timestamp: number): AlertSnapshot => ({ ...empty, prices: [{ symbol, price: p, timestamp }] });

/** A fake clock walking through evaluations, carrying the state as the alerter does. */
function run(rs: readonly AlertRule[], steps: [now: number, snapshot: AlertSnapshot][], initial: AlertState = new Map()) {
  let state = initial;
  const fired: AlertFiring[] = [];
  const suppressed: AlertFiring[] = [];
  for (const [now, snapshot] of steps) {
    const e = evaluateRules(rs, snapshot, now, state);
    state = e.state;
    fired.push(...e.firings);
    suppressed.push(...e.suppressed);
  }
  return { fired, suppressed, state };
}

describe('price crosses a level', () => {
  const up = rules({ id: 'aapl-200', kind: 'price_cross', tickers: ['AAPL'], level: 200, direction: 'up', cooldownMinutes: 0 });

  it('fires once per crossing, not on every tick above the level', () => {
    const { fired } = run(up, [
      [T0, price('AAPL', 199, T0)],
      [T0 + 5_000, price('AAPL', 201.5, T0 + 5_000)],
      [T0 + 10_000, price('AAPL', 203, T0 + 10_000)],
      [T0 + 15_000, price('AAPL', 205, T0 + 15_000)],
    ]);
    expect(fired).toEqual([{
      ruleId: 'aapl-200', ticker: 'AAPL', kind: 'price_cross', firedAt: T0 + 5_000,
      message: 'AAPL crossed above 200 at 201.5', value: 201.5, threshold: 200,
    }]);
  });

  it('fires again after the price went back below and crossed once more', () => {
    const { fired } = run(up, [199, 201, 198, 202].map((p, i) => [T0 + i * MIN, price('AAPL', p, T0 + i * MIN)]));
    expect(fired.map((f) => f.firedAt)).toEqual([T0 + MIN, T0 + 3 * MIN]);
  });

  it('the first price seen only arms the rule: nobody knows where it came from', () => {
    expect(run(up, [[T0, price('AAPL', 250, T0)]]).fired).toEqual([]);
  });

  it('honours the direction', () => {
    const path = [201, 199, 201, 199].map((p, i): [number, AlertSnapshot] => [T0 + i * MIN, price('AAPL', p, T0 + i * MIN)]);
    const with_ = (direction: string) => run(rules({ id: 'r', kind: 'price_cross', tickers: ['AAPL'], level: 200, direction, cooldownMinutes: 0 }), path).fired;
    expect(with_('down').map((f) => f.message)).toEqual(['AAPL crossed below 200 at 199', 'AAPL crossed below 200 at 199']);
    expect(with_('up')).toHaveLength(1);
    expect(with_('either')).toHaveLength(3);
  });

  it('a ticker with no price yet neither fires nor arms', () => {
    expect(run(up, [[T0, price('MSFT', 500, T0)], [T0 + MIN, price('AAPL', 250, T0 + MIN)]]).fired).toEqual([]);
  });

  it('watches each ticker of a rule separately', () => {
    const both = rules({ id: 'r', kind: 'price_cross', tickers: ['AAPL', 'MSFT'], level: 200 });
    const snap = (a: number, m: number, t: number): AlertSnapshot => ({ ...empty, prices: [{ symbol: 'AAPL', price: a, timestamp: t }, { symbol: 'MSFT', price: m, timestamp: t }] });
    const { fired } = run(both, [[T0, snap(199, 199, T0)], [T0 + MIN, snap(201, 199, T0 + MIN)], [T0 + 2 * MIN, snap(201, 201, T0 + 2 * MIN)]]);
    expect(fired.map((f) => [f.ticker, f.firedAt])).toEqual([['AAPL', T0 + MIN], ['MSFT', T0 + 2 * MIN]]);
  });
});

describe('cooldown', () => {
  const flappy = rules({ id: 'flap', kind: 'price_cross', tickers: ['AAPL'], level: 200, direction: 'up', cooldownMinutes: 10 });
  // the price flaps around the level every minute for half an hour
  const flapping = Array.from({ length: 30 }, (_, i): [number, AlertSnapshot] => [T0 + i * MIN, price('AAPL', i % 2 === 0 ? 199 : 201, T0 + i * MIN)]);

  it('a flapping rule mails at most once per cooldown per ticker', () => {
    const { fired, suppressed } = run(flappy, flapping);
    expect(fired.map((f) => (f.firedAt - T0) / MIN)).toEqual([1, 11, 21]);
    expect(suppressed.length).toBeGreaterThan(0);
  });

  it('a crossing during the cooldown does not fire late when the cooldown ends', () => {
    const { fired } = run(flappy, [
      [T0, price('AAPL', 199, T0)],
      [T0 + MIN, price('AAPL', 201, T0 + MIN)], // fires
      [T0 + 2 * MIN, price('AAPL', 199, T0 + 2 * MIN)],
      [T0 + 3 * MIN, price('AAPL', 201, T0 + 3 * MIN)], // suppressed
      [T0 + 20 * MIN, price('AAPL', 202, T0 + 20 * MIN)], // still above: no new crossing
    ]);
    expect(fired).toHaveLength(1);
  });

  it('the cooldown is per ticker: one flapping ticker does not silence another', () => {
    const r = rules({ id: 'r', kind: 'price_cross', tickers: ['AAPL', 'MSFT'], level: 200, direction: 'up', cooldownMinutes: 60 });
    const snap = (a: number, m: number, t: number): AlertSnapshot => ({ ...empty, prices: [{ symbol: 'AAPL', price: a, timestamp: t }, { symbol: 'MSFT', price: m, timestamp: t }] });
    const { fired } = run(r, [[T0, snap(199, 199, T0)], [T0 + MIN, snap(201, 199, T0 + MIN)], [T0 + 2 * MIN, snap(199, 201, T0 + 2 * MIN)], [T0 + 3 * MIN, snap(201, 201, T0 + 3 * MIN)]]);
    expect(fired.map((f) => f.ticker)).toEqual(['AAPL', 'MSFT']);
  });

  it('survives a restart through the stored firings', () => {
    const restored = stateFromFirings([{ ruleId: 'flap', ticker: 'AAPL', firedAt: T0 - 5 * MIN }, { ruleId: 'flap', ticker: 'AAPL', firedAt: T0 - 50 * MIN }]);
    const { fired, suppressed } = run(flappy, [[T0, price('AAPL', 199, T0)], [T0 + MIN, price('AAPL', 201, T0 + MIN)]], restored);
    expect(fired).toEqual([]);
    expect(suppressed).toHaveLength(1);
  });
});

describe('move of more than X % within N minutes', () => {
  const candle = (minute: number, low: number, high: number, close: number): Candle =>
    ({ symbol: 'TSLA', minute, open: close, high, low, close, volume: 10, trades: 3 });
  const move = (direction = 'either') => rules({ id: 'tsla-move', kind: 'price_move', tickers: ['TSLA'], percent: 3, withinMinutes: 15, direction, cooldownMinutes: 30 });

  it('fires on a rise from the low of the window to the latest price', () => {
    const now = T0 + 20 * MIN;
    const snap: AlertSnapshot = {
      ...empty,
      candles: [candle(T0, 150, 151, 150) /* older than 15 minutes: ignored */, candle(T0 + 8 * MIN, 200, 201, 200), candle(T0 + 19 * MIN, 203, 206.5, 206)],
      prices: [{ symbol: 'TSLA', price: 206.5, timestamp: now - 1_000 }],
    };
    const { fired } = run(move(), [[now, snap]]);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.message).toBe('TSLA rose 3.3% within 15 minutes, from 200 to 206.5');
    expect(fired[0]!.value).toBeCloseTo(3.25);
    expect(fired[0]!.threshold).toBe(3);
  });

  it('fires on a fall, with a negative value, and not for an "up" rule', () => {
    const now = T0 + 10 * MIN;
    const snap: AlertSnapshot = { ...empty, candles: [candle(T0 + 2 * MIN, 199, 200, 200)], prices: [{ symbol: 'TSLA', price: 190, timestamp: now }] };
    const down = run(move('down'), [[now, snap]]).fired;
    expect(down.map((f) => [f.message, Math.round(f.value), f.threshold])).toEqual([['TSLA fell 5.0% within 15 minutes, from 200 to 190', -5, -3]]);
    expect(run(move('up'), [[now, snap]]).fired).toEqual([]);
  });

  it('a move that persists fires once; it fires again only after the window calmed down', () => {
    const at = (m: number, c: Candle[], p: number): [number, AlertSnapshot] => [T0 + m * MIN, { ...empty, candles: c, prices: [{ symbol: 'TSLA', price: p, timestamp: T0 + m * MIN }] }];
    const base = candle(T0, 100, 100, 100);
    const { fired } = run(move(), [
      at(1, [base], 105), // +5%: fires
      at(2, [base], 106), // still moved: same episode
      at(20, [], 106), // the window has slid past the low: calm
      at(60, [candle(T0 + 59 * MIN, 106, 106, 106)], 110), // +3.8% again, past the cooldown
    ]);
    expect(fired.map((f) => (f.firedAt - T0) / MIN)).toEqual([1, 60]);
  });

  it('no trade within the window means no data, not "no move"', () => {
    expect(run(move(), [[T0 + 60 * MIN, price('TSLA', 100, T0)]]).fired).toEqual([]);
  });
});

describe('mean sentiment over a window crossing a threshold', () => {
  const w = (minute: number, count: number, mean: number): SentimentWindow =>
    ({ ticker: 'GME', minute, count, sum: count * mean, sumSquares: count * mean * mean, pos: 0, neg: 0, neu: count });
  const gloom = rules({ id: 'gme-gloom', kind: 'sentiment', tickers: ['GME'], windowMinutes: 30, threshold: -0.25, direction: 'below', minMentions: 5, cooldownMinutes: 0 });

  it('uses the count-weighted mean over the window and fires when it drops below', () => {
    const now = T0 + 40 * MIN;
    // 4 mentions at +0.5 and 12 at -0.7 inside the window: mean -0.4; the old -1 minute is outside
    const snap: AlertSnapshot = { ...empty, sentiment: [w(T0, 100, -1), w(T0 + 20 * MIN, 4, 0.5), w(T0 + 39 * MIN, 12, -0.7)] };
    const { fired } = run(gloom, [[now, snap]]);
    expect(fired).toHaveLength(1);
    expect(fired[0]!.value).toBeCloseTo(-0.4);
    expect(fired[0]!.message).toBe('GME mean sentiment -0.40 over the last 30 minutes is below -0.25 (16 mentions)');
  });

  it('fires once while the mood stays low, and again after it recovered and fell again', () => {
    const s = (mean: number, m: number): [number, AlertSnapshot] => [T0 + m * MIN, { ...empty, sentiment: [w(T0 + m * MIN, 10, mean)] }];
    const { fired } = run(gloom, [s(-0.5, 0), s(-0.4, 1), s(-0.6, 2), s(0.1, 3), s(-0.3, 4)]);
    expect(fired.map((f) => (f.firedAt - T0) / MIN)).toEqual([0, 4]);
  });

  it('too few mentions is no data: neither fires nor re-arms', () => {
    const s = (mean: number, n: number, m: number): [number, AlertSnapshot] => [T0 + m * MIN, { ...empty, sentiment: [w(T0 + m * MIN, n, mean)] }];
    const { fired } = run(gloom, [s(-0.5, 10, 0), s(0.9, 1, 1), s(-0.5, 10, 2)]);
    expect(fired).toHaveLength(1);
  });

  it('"above" fires on a mean above the threshold', () => {
    const cheer = rules({ id: 'cheer', kind: 'sentiment', tickers: ['GME'], windowMinutes: 10, threshold: 0.3, direction: 'above' });
    expect(run(cheer, [[T0, { ...empty, sentiment: [w(T0, 3, 0.4)] }]]).fired[0]?.message).toBe('GME mean sentiment 0.40 over the last 10 minutes is above 0.3 (3 mentions)');
    expect(run(cheer, [[T0, { ...empty, sentiment: [w(T0, 3, 0.3)] }]]).fired).toEqual([]);
  });
});

describe('mention count in the last hour above K times the trailing average', () => {
  const spike = rules({ id: 'buzz', kind: 'mention_spike', tickers: ['*'], factor: 3, trailingHours: 4, minMentions: 10, cooldownMinutes: 60 });
  const h = (ticker: string, hour: number, count: number) => ({ ticker, hour, count });

  it('reads the last 60 minutes from hourly rows, the hour in progress counting up to now', () => {
    const now = T0 + 15 * MIN; // a quarter into the 14:00 hour
    const rows = [h('GME', T0 - HOUR, 40), h('GME', T0, 30)];
    // all 30 of this hour, plus the last 45 minutes' share of the previous hour's 40
    expect(mentionsIn(rows, now - HOUR, now, now)).toBeCloseTo(30 + 30);
  });

  it('fires for any ticker whose chatter jumps, once per spike', () => {
    const now = T0 + 30 * MIN;
    const trailing = [1, 2, 3, 4].flatMap((k) => [h('GME', T0 - (k + 1) * HOUR, 5), h('AAPL', T0 - (k + 1) * HOUR, 50)]);
    const snap: AlertSnapshot = { ...empty, mentions: [...trailing, h('GME', T0 - HOUR, 20), h('GME', T0, 40), h('AAPL', T0 - HOUR, 50), h('AAPL', T0, 25)] };
    const { fired } = run(spike, [[now, snap], [now + MIN, snap], [now + 2 * MIN, snap]]);
    expect(fired.map((f) => f.ticker)).toEqual(['GME']);
    const f = fired[0]!;
    // last hour: 40 + 20/2 = 50; trailing 4 hours (13:30 back to 09:30): 10 + 5 + 5 + 5 + 2.5 = 27.5 → 6.875/h
    expect(f.value).toBeCloseTo(50);
    expect(f.threshold).toBeCloseTo(3 * 6.875);
    expect(f.message).toBe('GME had 50 mentions in the last hour, 7.3x the 4-hour average of 6.875 per hour');
  });

  // data from before the trailing 4 hours: the store has been collecting long enough to compare
  const old = h('XOM', T0 - 4 * HOUR, 1);

  it('needs minMentions: three mentions after none is not a spike', () => {
    expect(run(spike, [[T0 + 30 * MIN, { ...empty, mentions: [old, h('PLTR', T0, 3)] }]]).fired).toEqual([]);
    const fired = run(spike, [[T0 + 30 * MIN, { ...empty, mentions: [old, h('PLTR', T0, 12)] }]]).fired;
    expect(fired[0]?.message).toBe('PLTR had 12 mentions in the last hour, none in the 4 hours before');
  });

  it('waits until the store holds data from before the trailing window: a fresh start fires nothing', () => {
    const fresh = [h('PLTR', T0 - HOUR, 30), h('GME', T0, 40), h('AMD', T0 - 3 * HOUR, 2)];
    expect(run(spike, [[T0 + 30 * MIN, { ...empty, mentions: fresh }], [T0 + 31 * MIN, { ...empty, mentions: fresh }]]).fired).toEqual([]);
    // an hour later the data reaches back far enough
    const later = T0 + 90 * MIN;
    expect(run(spike, [[later, { ...empty, mentions: [...fresh, h('GME', T0 + HOUR, 60)] }]]).fired.map((f) => f.ticker)).toEqual(['GME']);
  });
});

describe('snapshotNeeds', () => {
  it('asks for the longest window per ticker and nothing a rule does not read', () => {
    const now = T0 + 30_500;
    const needs = snapshotNeeds(rules(
      { id: 'a', kind: 'price_move', tickers: ['TSLA'], percent: 3, withinMinutes: 15 },
      { id: 'b', kind: 'price_move', tickers: ['TSLA', 'AMD'], percent: 3, withinMinutes: 60 },
      { id: 'c', kind: 'sentiment', tickers: ['GME'], windowMinutes: 30, threshold: 0, direction: 'above' },
    ), now);
    expect(needs).toEqual({
      prices: true,
      candles: [{ symbol: 'TSLA', fromMs: T0 - 60 * MIN, toMs: now + MIN }, { symbol: 'AMD', fromMs: T0 - 60 * MIN, toMs: now + MIN }],
      sentiment: [{ ticker: 'GME', fromMs: T0 - 30 * MIN, toMs: now + MIN }],
      mentions: null,
      windows: [],
    });
    expect(snapshotNeeds(rules({ id: 'd', kind: 'mention_spike', tickers: ['*'], factor: 2, trailingHours: 6 }), now))
      .toMatchObject({ prices: false, candles: [], sentiment: [], mentions: { fromMs: T0 - 7 * HOUR, toMs: now + HOUR } });
  });
});
