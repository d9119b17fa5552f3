/**
 * Alert rules: the rules-file grammar and validation, and the pure evaluation
 * of rules over a snapshot of stored data. The alerter service (services/alerter)
 * does the reading, storing and mailing.
 */
export { ALL_TICKERS, RULE_KINDS, parseAlertRules, tickersOf } from './rules.ts';
export type { AlertRule, MentionSpikeRule, PriceCrossRule, PriceMoveRule, RuleKind, SentimentRule } from './rules.ts';
export { evaluateRules, mentionsIn, snapshotNeeds, stateFromFirings, stateKey } from './evaluate.ts';
export type { AlertFiring, AlertSnapshot, AlertState, Evaluation, MentionCount, PricePoint, SnapshotNeeds, TrackState } from './evaluate.ts';
