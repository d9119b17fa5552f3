import { expect, it } from 'vitest';
import type { Candle, TickerMention } from '../../services/lib/domain/types.ts';
import type { MentionTally } from '../../services/lib/domain/windows/crowd.ts';
import type { Store } from '../../services/lib/io/store/repository.ts';

/**
 * The insight views' part of the store contract (issue 11): crowd tallies
 * written with versions and read per grain, ranking reads without a ticker,
 * the raw rows they are rebuilt from (with the post's score), the price as of
 * an instant, the data's own time and the channels of an alert. Called inside
 * describeStoreContract, so both stores run it.
 */
export function insightContract(store: () => Store, D1: number): void {
  const MIN = 60_000;
  const HOUR = 3_600_000;
  const DAY = 86_400_000;
  const tally = (over: Partial<MentionTally> & Pick<MentionTally, 'grain' | 'start'>): MentionTally => ({
    ticker: 'GME', scope: '*', count: 3, sentimentSum: 0.75, pos: 2, neg: 1, neu: 0, upvotes: 40, weighted: 42, authors: ['a', 'b'],
    authorCount: (over.authors ?? ['a', 'b']).length,
    top: { postId: 't3_x', created: over.start + 5, score: 30, permalink: '/r/stocks/comments/x/', text: 'GME 🚀 to the moon' },
    ...over,
  });

  it('writes crowd tallies with versions and reads them per grain: a ticker with every scope, a ranking with counts only', async () => {
    const s = store();
    const rows = [
      tally({ grain: 'minute', start: D1 - MIN }), tally({ grain: 'minute', start: D1 - MIN, scope: 'stocks', count: 1, authors: ['a'] }),
      tally({ grain: 'minute', start: D1 + MIN, ticker: 'AMC', top: null, authors: [] }),
      tally({ grain: 'hour', start: D1 - HOUR }), tally({ grain: 'hour', start: D1 }),
      tally({ grain: 'day', start: D1 - DAY }), tally({ grain: 'day', start: D1, scope: 'options' }),
    ];
    await s.writeMentionTallies(rows, 10);
    const sortRows = (xs: MentionTally[]) => [...xs].sort((a, b) => a.grain.localeCompare(b.grain) || a.start - b.start || a.ticker.localeCompare(b.ticker) || a.scope.localeCompare(b.scope));
    expect(sortRows(await s.mentionTallies({ grain: 'minute', ticker: 'GME', fromMs: D1 - HOUR, toMs: D1 + HOUR }))).toEqual(sortRows(rows.slice(0, 2)));
    expect(await s.mentionTallies({ grain: 'minute', ticker: 'GME', scope: 'stocks', fromMs: D1 - HOUR, toMs: D1 + HOUR })).toEqual([rows[1]]);
    // a ranking read: every ticker of one scope, counts only, across the hour (and day) boundary
    const ranking = sortRows(await s.mentionTallies({ grain: 'minute', fromMs: D1 - HOUR, toMs: D1 + HOUR }));
    expect(ranking).toEqual([{ ...rows[0]!, authors: [], top: null }, { ...rows[2]!, authors: [], top: null }]);
    expect(await s.mentionTallies({ grain: 'minute', fromMs: D1, toMs: D1 + MIN })).toEqual([]); // [from, to) by start
    expect(sortRows(await s.mentionTallies({ grain: 'hour', ticker: 'GME', fromMs: D1 - DAY, toMs: D1 + DAY }))).toEqual(sortRows(rows.slice(3, 5)));
    expect(await s.mentionTallies({ grain: 'day', scope: 'options', fromMs: D1 - DAY, toMs: D1 + DAY })).toEqual([{ ...rows[6]!, authors: [], top: null }]);
    // a ticker's tallies counts only (a day of its history): how many authors, not who
    expect(sortRows(await s.mentionTallies({ grain: 'minute', ticker: 'GME', scope: '*', fromMs: D1 - HOUR, toMs: D1 + HOUR, countsOnly: true })))
      .toEqual([{ ...rows[0]!, authors: [], top: null, authorCount: 2 }]);
    // a lower version never replaces a higher one; a delete with a lower version is ignored too
    await s.writeMentionTallies([{ ...rows[0]!, count: 99 }], 5);
    await s.deleteMentionTallies('GME', [{ grain: 'hour', start: D1, scope: '*' }], 5);
    expect((await s.mentionTallies({ grain: 'minute', ticker: 'GME', scope: '*', fromMs: D1 - HOUR, toMs: D1 }))[0]!.count).toBe(3);
    await s.deleteMentionTallies('GME', [{ grain: 'hour', start: D1, scope: '*' }, { grain: 'day', start: D1 - DAY, scope: '*' }], 11);
    expect(await s.mentionTallies({ grain: 'hour', ticker: 'GME', fromMs: D1, toMs: D1 + DAY })).toEqual([]);
    expect(await s.mentionTallies({ grain: 'day', ticker: 'GME', fromMs: D1 - DAY, toMs: D1 + DAY })).toEqual([rows[6]]);
    expect(await s.versionHorizon()).toBe(11);
  });

  it('reads back the raw rows of the crowd with the post\'s score, author, subreddit, link and text', async () => {
    const s = store();
    const mention = (n: number, created: number, score: number): TickerMention => ({
      postId: `t1_${n}`, ticker: 'GME', kind: 'comment', subreddit: 'Stocks', author: `u${n}`, text: `post ${n} 🚀`,
      permalink: `/r/Stocks/comments/${n}/`, sentiment: 0.25, label: 'pos', created, score,
    });
    await s.writePosts([], [mention(1, D1 - MIN, -3), mention(2, D1 + MIN, 250), mention(3, D1 + DAY, 1)]);
    const back = (await s.loadCrowd('GME', D1 - HOUR, D1 + HOUR)).sort((a, b) => a.created - b.created);
    expect(back).toEqual([mention(1, D1 - MIN, -3), mention(2, D1 + MIN, 250)].map(({ kind: _kind, ...m }) => m));
    expect(await s.dataTime()).toEqual({ trades: null, mentions: D1 + DAY });
  });

  it('finds the price as of an instant: the last candle before it, within the days asked', async () => {
    const s = store();
    const candle = (minute: number, close: number): Candle => ({ symbol: 'AAPL', minute, open: close, high: close, low: close, close, volume: 1, trades: 1 });
    await s.writeCandles([candle(D1 - 3 * DAY, 100), candle(D1 - 2 * HOUR, 101), candle(D1 - MIN, 102), candle(D1 + 10 * MIN, 103)], 1);
    expect((await s.lastCandleBefore('AAPL', D1 + 10 * MIN, D1 - DAY))?.close).toBe(102);
    expect((await s.lastCandleBefore('AAPL', D1 + 11 * MIN, D1 - DAY))?.close).toBe(103);
    expect((await s.lastCandleBefore('AAPL', D1 - 2 * HOUR, D1 - 4 * DAY))?.close).toBe(100); // across empty days
    expect(await s.lastCandleBefore('AAPL', D1 - 2 * HOUR, D1 - DAY)).toBeNull();
    expect(await s.lastCandleBefore('MSFT', D1, D1 - DAY)).toBeNull();
  });

  it('keeps the channels an alert was to be delivered on; a replayed write that does not say keeps them', async () => {
    const s = store();
    const base = { ruleId: 'r', ticker: 'GME', kind: 'unusual_buzz', message: 'GME buzz', value: 40, threshold: 10 };
    await s.writeAlerts([{ ...base, firedAt: D1, delivered: false, channels: ['mail', 'webhook'] }, { ...base, firedAt: D1 + 1, delivered: false, channels: [] }]);
    await s.writeAlerts([{ ...base, firedAt: D1, delivered: true }]);
    const got = await s.alerts(D1 - HOUR, D1 + HOUR, 10);
    expect(got).toEqual([{ ...base, firedAt: D1 + 1, delivered: false, channels: [] }, { ...base, firedAt: D1, delivered: true, channels: ['mail', 'webhook'] }]);
  });
}
