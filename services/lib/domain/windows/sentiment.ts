import type { SentimentWindow, TickerMention } from '../types.ts';
import type { WindowSpec } from './aggregator.ts';
import { MINUTE_MS } from './candles.ts';
import { checkLateness } from './options.ts';

export const HOUR_MS = 3_600_000;

/** Sentiment per ticker and minute; the state is the row itself, copied out on toRow. */
export function sentimentSpec(options: { latenessMs: number }): WindowSpec<TickerMention, SentimentWindow, SentimentWindow> {
  const latenessMs = checkLateness(options, 'sentimentSpec');
  return {
    sizeMs: MINUTE_MS,
    latenessMs,
    keyOf: (m) => m.ticker,
    timeOf: (m) => m.created,
    init: (ticker, minute) => ({ ticker, minute, count: 0, sum: 0, sumSquares: 0, pos: 0, neg: 0, neu: 0 }),
    add(s, m) {
      s.count++;
      s.sum += m.sentiment;
      s.sumSquares += m.sentiment * m.sentiment;
      s[m.label]++;
    },
    toRow: (s) => ({ ...s }),
  };
}

/** Mentions of one ticker in one hour: the row behind "top tickers per hour". */
export interface MentionsHour {
  ticker: string;
  /** epoch milliseconds of the hour start (UTC) */
  hour: number;
  count: number;
  /** sum of sentiment scores; mean = sentimentSum / count, kept as a sum so hours merge exactly */
  sentimentSum: number;
  pos: number;
  neg: number;
  neu: number;
}

export function mentionsHourSpec(options: { latenessMs: number }): WindowSpec<TickerMention, MentionsHour, MentionsHour> {
  const latenessMs = checkLateness(options, 'mentionsHourSpec');
  return {
    sizeMs: HOUR_MS,
    latenessMs,
    keyOf: (m) => m.ticker,
    timeOf: (m) => m.created,
    init: (ticker, hour) => ({ ticker, hour, count: 0, sentimentSum: 0, pos: 0, neg: 0, neu: 0 }),
    add(s, m) {
      s.count++;
      s.sentimentSum += m.sentiment;
      s[m.label]++;
    },
    toRow: (s) => ({ ...s }),
  };
}
