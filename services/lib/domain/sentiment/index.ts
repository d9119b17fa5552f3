/**
 * Finance-aware sentiment for Reddit and StockTwits-style posts.
 *
 *   const scorer = createSentimentScorer();            // or { neutralBand: 0.1 }
 *   scorer.score('TSLA to the moon 🚀')                 // { score: 0.8…, label: 'pos' }
 *
 * Pure and deterministic: same text, same result, no I/O.
 */
export { createSentimentScorer } from './scorer.ts';
export type { SentimentExplanation, SentimentScorer, SentimentScorerOptions, SentimentStep } from './scorer.ts';
