import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseAlertRules } from './rules.ts';
import { StockstreamerError } from '../../runtime/errors.ts';

const FILE = 'config/alerts.json';

function errorOf(doc: unknown): StockstreamerError {
  try {
    parseAlertRules(doc, FILE);
  } catch (err) {
    return err as StockstreamerError;
  }
  throw new Error('expected parseAlertRules to fail');
}

const cross = { id: 'aapl-200', kind: 'price_cross', tickers: ['AAPL'], level: 200, direction: 'up', cooldownMinutes: 30 };

describe('alert rules file', () => {
  it('reads every kind of rule and fills the defaults', () => {
    const rules = parseAlertRules({
      rules: [
        cross,
        { id: 'tsla-move', kind: 'price_move', tickers: ['TSLA', 'NVDA'], percent: 3, withinMinutes: 15 },
        { id: 'gme-mood', kind: 'sentiment', tickers: ['GME'], windowMinutes: 30, threshold: -0.2, direction: 'below' },
        { id: 'buzz', kind: 'mention_spike', tickers: ['*'], factor: 3 },
      ],
    }, FILE);
    expect(rules.map((r) => r.kind)).toEqual(['price_cross', 'price_move', 'sentiment', 'mention_spike']);
    expect(rules[1]).toMatchObject({ direction: 'either', cooldownMinutes: 30 });
    expect(rules[2]).toMatchObject({ minMentions: 1 });
    expect(rules[3]).toMatchObject({ trailingHours: 24, minMentions: 10, tickers: ['*'] });
    expect(Object.isFrozen(rules)).toBe(true);
  });

  it('the shipped example is valid', () => {
    const rules = parseAlertRules(JSON.parse(readFileSync('config/alerts.example.json', 'utf8')), 'config/alerts.example.json');
    expect(new Set(rules.map((r) => r.kind)).size).toBe(5);
  });

  it('an empty list means no alerts', () => {
    expect(parseAlertRules({ rules: [] }, FILE)).toEqual([]);
  });

  it.each([
    [{ rules: [{ ...cross, level: 'high' }] }, `${FILE}: rule "aapl-200" (rules[0]) field "level" must be a number (a price), got "high"`],
    [{ rules: [{ ...cross, level: undefined }] }, `${FILE}: rule "aapl-200" (rules[0]) field "level" is missing`],
    [{ rules: [{ ...cross, level: -1 }] }, `${FILE}: rule "aapl-200" (rules[0]) field "level" must be greater than 0 (a price), got -1`],
    [{ rules: [{ ...cross, treshold: 1 }] }, `${FILE}: rule "aapl-200" (rules[0]) field "treshold" is not a known field of a price_cross rule`],
    [{ rules: [{ ...cross, direction: 'sideways' }] }, `${FILE}: rule "aapl-200" (rules[0]) field "direction" must be "up", "down" or "either", got "sideways"`],
    [{ rules: [{ ...cross, kind: 'price_crosss' }] }, `${FILE}: rule "aapl-200" (rules[0]) field "kind" "price_crosss" is not one of price_cross, price_move, sentiment, mention_spike, unusual_buzz`],
    [{ rules: [{ ...cross, tickers: ['*'] }] }, `${FILE}: rule "aapl-200" (rules[0]) field "tickers[0]" must hold ticker symbols such as "AAPL" ("*" is only for mention_spike and unusual_buzz), got "*"`],
    [{ rules: [{ ...cross, tickers: [] }] }, `${FILE}: rule "aapl-200" (rules[0]) field "tickers" must name at least one ticker, got a list`],
    [{ rules: [cross, { ...cross, id: 'x', kind: 'sentiment', threshold: 2 }] }, `${FILE}: rule "x" (rules[1]) field "level" is not a known field of a sentiment rule`],
    [{ rules: [cross, { id: 'x', kind: 'sentiment', tickers: ['GME'], windowMinutes: 30, direction: 'above', threshold: 2 }] }, `${FILE}: rule "x" (rules[1]) field "threshold" must be between -1 and 1, got 2`],
    [{ rules: [cross, { ...cross }] }, `${FILE}: rule "aapl-200" (rules[1]) has the same id as rules[0]`],
    [{ rules: [{ ...cross, id: undefined }] }, `${FILE}: rules[0] field "id" is missing`],
    [{ rules: [{ ...cross, id: 'has space' }] }, `${FILE}: rules[0] field "id" must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit`],
    [{ rules: [42] }, `${FILE}: rules[0] must be an object, got 42`],
    [{ rule: [] }, `${FILE}: field "rule" is not known (the document holds only "rules")`],
    [{}, `${FILE}: field "rules" is missing`],
    [[cross], `${FILE}: the document must be an object: { "rules": [ … ] }`],
  ])('rejects a broken rule with one line naming the rule and field (%#)', (doc, message) => {
    const err = errorOf(doc);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toBe(message);
    expect(err.message.split('\n')).toHaveLength(1);
  });
});
