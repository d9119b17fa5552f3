/**
 * What the scorer remembers while it reads one post, in one mutable record
 * reused from post to post (scoring allocates nothing per word).
 *
 * The record has three layers, each reset at its own boundary:
 *   - the post: the running total and the emoji;
 *   - the sentence: sums of the evidence so far, split by kind (finance
 *     words, general English, outcomes of an option position), the sums when
 *     the current clause began (so a hedge damps its own clause), and what
 *     the sentence has said about options, hedges and listings;
 *   - the words in flight: negation, boosters, an entry verb waiting for its
 *     option, a quantity waiting for its move.
 */

/** Which sum a contribution went to, so a later rule can take it back. */
export const KIND_FIN = 0;
export const KIND_GEN = 1;
export const KIND_PNL = 2;

/** How praise is read (irony.ts): as written, left out (to see whether the rest is bad news), or turned round. */
export const PRAISE_KEPT = 0;
export const PRAISE_LEFT_OUT = 1;
export const PRAISE_TURNED = 2;

/** One contribution to a score, for `analyze --explain`. */
export interface SentimentStep {
  /** the words, phrase, percentage or emoji, or the sentence a rule applied to */
  text: string;
  /** what it added to the raw score (0 for a rule that only scales or swallows) */
  value: number;
  rule: string;
}

export interface ScoreState {
  /** when every word is in capitals the post is shouting throughout; capitals then say nothing extra */
  capsMeaningful: boolean;
  /** PRAISE_*: how general-English praise and happy emoji count in this pass */
  praise: number;
  /** where an irony phrase ("what a shocker") was read, or -1 */
  ironyAt: number;
  total: number;
  emoji: number;

  // the sentence being read: finance evidence, general-English words, outcomes of an option position
  fin: number;
  gen: number;
  pnl: number;
  /** +1 once a call is named in the sentence, -1 for a put */
  optionDir: number;
  /** a hedge in the current clause */
  hedged: boolean;
  // the sums when the current clause began
  clauseFin: number;
  clauseGen: number;
  clausePnl: number;
  /** price moves of this sentence, which a question does not damp as much */
  moves: number;
  /** a hedge that stands in a clause of its own hedges the whole sentence */
  sentenceHedged: boolean;
  /** "Positions: …": the rest of the sentence states facts */
  listing: boolean;
  sentenceWords: number;
  /** 1 outside a contrast, CONTRAST_AFTER after "but" */
  contrast: number;
  /** the sums before a contrast damped them, and right after: when nothing follows the contrast, it decided nothing */
  preFin: number;
  preGen: number;
  prePnl: number;
  postFin: number;
  postGen: number;
  postPnl: number;
  /** "could", "might" read in this sentence */
  modals: number;
  /** "is it just me or …?": the sentence's question asserts */
  rhetorical: boolean;
  /** a concession ("although …") in the current clause: it counts less */
  conceded: boolean;
  /** buying said as intent in this sentence, and the price falls read before it (words.ts priceFall) */
  buyIntent: boolean;
  falls: number;

  negationLeft: number;
  boost: number;
  boostLeft: number;

  // an entry verb waiting to see whether an option word follows ("bought … puts")
  entryLeft: number;
  entryValue: number;
  entryKind: number;
  entryWrite: boolean;
  entryMine: boolean;
  /** where the entry verb is (token index and phrase span), for explain only */
  entryAt: number;
  entrySpan: number;

  // a quantity waiting for its move ("losses … narrowed")
  badLeft: number;
  badValue: number;
  badKind: number;
  badAt: number;
  badSpan: number;
  /** -1 for a bad quantity ("losses"), +1 for a good one ("sales growth") */
  quantitySign: number;
  /** the move word a bad quantity flipped, so its percentage follows ("costs rose 10%") */
  flipAt: number;
  flipSign: number;
  /** the bears' side named in this clause: outcomes after it are theirs */
  bearSide: boolean;
}

export function createState(): ScoreState {
  // every field in one literal, so the record keeps one shape with its fields in the object itself
  return {
    capsMeaningful: true, praise: PRAISE_KEPT, ironyAt: -1, total: 0, emoji: 0,
    fin: 0, gen: 0, pnl: 0, optionDir: 0, hedged: false, clauseFin: 0, clauseGen: 0, clausePnl: 0, moves: 0,
    sentenceHedged: false, listing: false, sentenceWords: 0, contrast: 1,
    preFin: 0, preGen: 0, prePnl: 0, postFin: 0, postGen: 0, postPnl: 0,
    rhetorical: false, conceded: false, buyIntent: false, falls: 0, modals: 0,
    negationLeft: 0, boost: 1, boostLeft: 0,
    entryLeft: 0, entryValue: 0, entryKind: 0, entryWrite: false, entryMine: false, entryAt: 0, entrySpan: 0,
    badLeft: 0, badValue: 0, badKind: 0, badAt: 0, badSpan: 0, quantitySign: 0, flipAt: -1, flipSign: 0, bearSide: false,
  };
}

export function resetPost(s: ScoreState, capsMeaningful: boolean, praise: number): void {
  s.capsMeaningful = capsMeaningful;
  s.praise = praise;
  s.ironyAt = -1;
  s.total = 0;
  s.emoji = 0;
  resetSentence(s);
  s.flipAt = -1;
  s.flipSign = 0;
  s.entryValue = 0;
  s.entryKind = 0;
  s.entryWrite = false;
  s.entryMine = false;
  s.entryAt = 0;
  s.entrySpan = 0;
  s.badValue = 0;
  s.badKind = 0;
  s.badAt = 0;
  s.badSpan = 0;
  s.quantitySign = 0;
}

/** Everything a sentence end forgets. */
export function resetSentence(s: ScoreState): void {
  s.fin = 0; s.gen = 0; s.pnl = 0; s.optionDir = 0; s.hedged = false; s.listing = false; s.sentenceWords = 0;
  s.clauseFin = 0; s.clauseGen = 0; s.clausePnl = 0; s.moves = 0; s.sentenceHedged = false;
  s.negationLeft = 0; s.boost = 1; s.boostLeft = 0; s.contrast = 1; s.entryLeft = 0; s.badLeft = 0; s.bearSide = false;
  s.preFin = 0; s.preGen = 0; s.prePnl = 0; s.postFin = 0; s.postGen = 0; s.postPnl = 0;
  s.conceded = false; s.buyIntent = false; s.falls = 0; s.rhetorical = false; s.modals = 0;
}

/** Takes back a contribution from the sum it went to. */
export function takeBack(s: ScoreState, kind: number, value: number): void {
  if (kind === KIND_FIN) s.fin -= value;
  else if (kind === KIND_GEN) s.gen -= value;
  else s.pnl -= value;
}
