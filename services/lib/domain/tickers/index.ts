/**
 * Ticker extraction, pure: the universe comes in as data (see
 * services/lib/io/universe.ts for the file edge), the extractor holds no clock
 * and does no I/O.
 */
export { parseUniverseCsv, normaliseSymbol, UNIVERSE_COLUMNS } from './universe-csv.ts';
export { createTickerExtractor } from './extractor.ts';
export type { TickerEvidence, TickerExplanation, TickerInput, TickerExtractor, TickerExtractorOptions } from './extractor.ts';
