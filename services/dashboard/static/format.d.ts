// Types of format.js for the TypeScript tests; the browser loads the .js as is.
export declare const NEUTRAL_BAND: number;
export declare function fmtPrice(n: number | null | undefined): string;
export declare function fmtSigned(n: number | null | undefined, digits?: number): string;
export declare function fmtPct(fraction: number | null | undefined, digits?: number): string;
export declare function changeClass(n: number | null | undefined): 'up' | 'down' | 'flat';
export declare function sentimentClass(score: number | null | undefined): 'pos' | 'neg' | 'neu';
export declare function fmtCompact(n: number | null | undefined): string;
export declare function fmtClock(ms: number, timeZone?: string): string;
export declare function fmtHourMinute(ms: number, timeZone?: string): string;
export declare function fmtAgo(ms: number, nowMs: number): string;
export declare function mergeRows<T>(rows: readonly T[], items: readonly T[], options: {
  key: (row: T) => string | number;
  time: (row: T) => number;
  replace?: boolean;
  from?: number | null;
  limit?: number;
  newestFirst?: boolean;
}): T[];
export declare function candleColumns(candles: readonly { minute: number; open: number; high: number; low: number; close: number; volume: number }[]): number[][];
export declare function sentimentColumns(points: readonly { minute: number; mean: number; movingAverage: number; upper: number; lower: number }[]): number[][];
export declare function sentimentRange(min: number | null, max: number | null): [number, number];
export declare function safeHref(url: unknown): string | null;
export declare const RANGES: [number, string][];
export declare function alertKey(a: { ruleId: string; ticker: string; firedAt: number }): string;
export declare function alertKindLabel(kind: string | null | undefined): string;
