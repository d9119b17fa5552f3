import { z } from 'zod';
import { epochMs, intIn, symbol } from './params.ts';

/**
 * Query parameters of the insight routes (issue 11), validated like every
 * other route (params.ts): unknown parameters and bad values are a 400 that
 * names the parameter.
 */
export const WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type WindowName = keyof typeof WINDOWS;

const windowName = z.enum(['1h', '24h', '7d'], { error: 'must be 1h, 24h or 7d' });
/** a subreddit name, matched without regard to case (r/WallStreetBets is r/wallstreetbets) */
const subreddit = z.string()
  .transform((s) => s.trim().replace(/^r\//i, '').toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9_]{1,20}$/, 'must be a subreddit name such as wallstreetbets'));
const offset = z.string().regex(/^\d{1,5}$/, 'must be a whole number of rows').transform(Number);

/** the longest range of the lead-lag chart: its chance threshold rotates the whole range 39 times */
export const MAX_LEADLAG_RANGE_MS = 3 * 86_400_000;
export const MAX_HISTORY_DAYS = 365;

export const INSIGHT_QUERY = {
  rankings: z.strictObject({
    window: windowName.optional(),
    subreddit: subreddit.optional(),
    sort: z.enum(['mentions', 'weighted'], { error: 'must be mentions or weighted' }).optional(),
    limit: intIn(1, 100, 'rows').optional(),
    offset: offset.optional(),
  }),
  crowd: z.strictObject({ ticker: symbol, window: windowName.optional() }),
  history: z.strictObject({ ticker: symbol, days: intIn(1, MAX_HISTORY_DAYS, 'days').optional() }),
  leadlag: z.strictObject({ ticker: symbol, from: epochMs.optional(), to: epochMs.optional() }),
} as const;
