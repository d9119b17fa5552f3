import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createTradeSequencer, parseFinnhubFrame } from './finnhub-frames.ts';
import { backoffDelayMs } from './backoff.ts';

describe('parseFinnhubFrame', () => {
  it('turns a trade frame into trades, conditions as strings', () => {
    const frame = parseFinnhubFrame(
      '{"data":[{"c":["1","12"],"p":231.5,"s":"AAPL","t":1700000000123,"v":100},{"c":null,"p":250,"s":"TSLA","t":1700000000124,"v":0},{"c":[37],"p":1,"s":"GME","t":1700000000125,"v":5}],"type":"trade"}',
    );
    expect(frame).toEqual({
      kind: 'trades',
      rejected: [],
      trades: [
        { symbol: 'AAPL', price: 231.5, volume: 100, timestamp: 1700000000123, conditions: ['1', '12'] },
        { symbol: 'TSLA', price: 250, volume: 0, timestamp: 1700000000124, conditions: [] },
        { symbol: 'GME', price: 1, volume: 5, timestamp: 1700000000125, conditions: ['37'] },
      ],
    });
  });

  it('keeps the good items of a frame and names what is wrong with the bad ones', () => {
    const frame = parseFinnhubFrame('{"type":"trade","data":[{"s":"AAPL","p":-1,"t":1,"v":1},{"s":"MSFT","p":420,"t":1700000000000,"v":10},{"p":1,"t":1,"v":1},"x"]}');
    expect(frame.kind).toBe('trades');
    if (frame.kind !== 'trades') return;
    expect(frame.trades.map((t) => t.symbol)).toEqual(['MSFT']);
    expect(frame.rejected).toHaveLength(3);
    expect(frame.rejected[0]).toContain('price');
  });

  it('recognises pings, error frames and other types', () => {
    expect(parseFinnhubFrame('{"type":"ping"}')).toEqual({ kind: 'ping' });
    expect(parseFinnhubFrame('{"type":"error","msg":"Subscribing to too many symbols"}')).toEqual({ kind: 'error', message: 'Subscribing to too many symbols' });
    expect(parseFinnhubFrame('{"type":"news","data":[]}')).toEqual({ kind: 'ignored', type: 'news' });
  });

  it('reports malformed frames instead of throwing', () => {
    for (const text of ['', 'not json', '[]', 'null', '{"data":[]}', '{"type":"trade"}', '{"type":"trade","data":{}}', '{"type":1}']) {
      expect(parseFinnhubFrame(text).kind).toBe('malformed');
    }
  });

  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.string(), (text) => { parseFinnhubFrame(text); }));
    fc.assert(fc.property(fc.json(), (text) => { parseFinnhubFrame(text); }));
  });
});

describe('createTradeSequencer', () => {
  it('numbers trades of one symbol and millisecond in arrival order, even interleaved', () => {
    const seq = createTradeSequencer();
    const t = (symbol: string, timestamp: number) => seq.assign({ symbol, timestamp, price: 1, volume: 1, conditions: [] }).seq;
    expect([t('A', 1), t('A', 1), t('B', 1), t('A', 2), t('A', 1), t('A', 2)]).toEqual([0, 1, 0, 0, 2, 1]);
  });

  it('stays bounded and still gives distinct ids for recent milliseconds', () => {
    const seq = createTradeSequencer({ maxTimestampsPerSymbol: 4 });
    for (let ts = 0; ts < 100; ts++) seq.assign({ symbol: 'A', timestamp: ts, price: 1, volume: 1, conditions: [] });
    expect(seq.assign({ symbol: 'A', timestamp: 99, price: 1, volume: 1, conditions: [] }).seq).toBe(1);
  });
});

describe('backoffDelayMs', () => {
  it('doubles up to the cap, with jitter in the upper half', () => {
    const opts = { initialMs: 100, maxMs: 1000 };
    expect(backoffDelayMs(0, opts, () => 0)).toBe(50);
    expect(backoffDelayMs(0, opts, () => 0.999999)).toBe(100);
    expect(backoffDelayMs(3, opts, () => 0.999999)).toBe(800);
    expect(backoffDelayMs(10, opts, () => 0.999999)).toBe(1000);
    expect(backoffDelayMs(1000, opts, () => 0)).toBe(500);
  });
});
