/**
 * Clauses and sentences: how the evidence of one sentence is weighed once its
 * words are read. Each rule is one a trader would state:
 *   - "but"/"however" make the clause after them count more than the one
 *     before ("weak quarter but raised guidance" is bullish);
 *   - a hedged clause ("maybe", "not sure") is damped, and a hedge standing
 *     alone ("…, idk") damps the whole sentence;
 *   - facts beat feelings: general English that disagrees with the finance
 *     evidence of its sentence counts half;
 *   - "!" adds emphasis, and a question is damped (it asks, it does not
 *     assert), though a price move it mentions is still a fact.
 */
import { resetSentence, type ScoreState, type SentimentStep } from './state.ts';

/** "beat on revenue but guidance weak": the clause after "but" decides. */
const CONTRAST_BEFORE = 0.3;
const CONTRAST_AFTER = 1.5;
/** A question asks rather than asserts: "should I buy calls?" is not a bullish call. */
const QUESTION_FACTOR = 0.08;
/** …but a price move it mentions is still a fact: "why is it down 10% today?" */
const QUESTION_MOVE_FACTOR = 0.5;
/** A hedged clause ("maybe", "not sure if") is damped like a question; the other clauses of its sentence are not. */
const HEDGE_FACTOR = 0.2;
/** General English that disagrees with the finance evidence in its sentence counts half (sarcasm, politeness). */
const GENERAL_AGAINST_FACTS = 0.5;
/** "nice earnings, although the guide was soft": the conceded clause counts this much. */
const CONCESSION_FACTOR = 0.3;
/** Raw-score emphasis per "!" at a sentence end, up to four. */
const EXCLAMATION_STEP = 0.3;
const MAX_EXCLAMATIONS = 4;

/** The current clause (since its start) scaled by `factor`. */
function dampClause(s: ScoreState, factor: number): void {
  s.fin = s.clauseFin + (s.fin - s.clauseFin) * factor;
  s.gen = s.clauseGen + (s.gen - s.clauseGen) * factor;
  s.pnl = s.clausePnl + (s.pnl - s.clausePnl) * factor;
}

/** Nothing was added since the clause began. */
function clauseEmpty(s: ScoreState): boolean {
  return s.fin === s.clauseFin && s.gen === s.clauseGen && s.pnl === s.clausePnl;
}

/** "but", "however": what came before is damped, what follows is weighed up. */
export function contrastAt(s: ScoreState, word: string, trace: SentimentStep[] | null): void {
  const before = s.hedged ? CONTRAST_BEFORE * HEDGE_FACTOR : CONTRAST_BEFORE;
  s.preFin = s.fin; s.preGen = s.gen; s.prePnl = s.pnl;
  s.fin *= before; s.gen *= before; s.pnl *= before;
  s.postFin = s.fin; s.postGen = s.gen; s.postPnl = s.pnl;
  if (trace !== null) trace.push({ text: word, value: 0, rule: `contrast: what came before ×${before}, what follows ×${CONTRAST_AFTER}` });
  s.hedged = false;
  s.clauseFin = s.fin; s.clauseGen = s.gen; s.clausePnl = s.pnl;
  s.contrast = CONTRAST_AFTER;
  s.negationLeft = 0;
}

/**
 * "dipped, still above 70% though": the clause that ends on "though" decides;
 * what came before it in the sentence is damped as before a "but".
 */
export function decidingClause(s: ScoreState, word: string, trace: SentimentStep[] | null): void {
  s.fin = s.clauseFin * CONTRAST_BEFORE + (s.fin - s.clauseFin) * CONTRAST_AFTER;
  s.gen = s.clauseGen * CONTRAST_BEFORE + (s.gen - s.clauseGen) * CONTRAST_AFTER;
  s.pnl = s.clausePnl * CONTRAST_BEFORE + (s.pnl - s.clausePnl) * CONTRAST_AFTER;
  if (trace !== null) trace.push({ text: word, value: 0, rule: `"… though" ends the clause that decides: before it ×${CONTRAST_BEFORE}, the clause ×${CONTRAST_AFTER}` });
}

/** The clause began with a concession ("although …"): damp it when it ends. */
function endConcession(s: ScoreState, trace: SentimentStep[] | null): void {
  if (!s.conceded) return;
  dampClause(s, CONCESSION_FACTOR);
  if (trace !== null) trace.push({ text: 'the clause', value: 0, rule: `a concession ("although …") ×${CONCESSION_FACTOR}` });
  s.conceded = false;
}

/** A comma, semicolon, colon or dash: the clause ends, and with it what words in flight were waiting for. */
export function endClause(s: ScoreState, trace: SentimentStep[] | null): void {
  endConcession(s, trace);
  if (s.hedged) {
    if (clauseEmpty(s)) s.sentenceHedged = true;
    else {
      dampClause(s, HEDGE_FACTOR);
      if (trace !== null) trace.push({ text: 'the clause', value: 0, rule: `hedged ("maybe", "not sure") ×${HEDGE_FACTOR}` });
    }
    s.hedged = false;
  }
  s.clauseFin = s.fin; s.clauseGen = s.gen; s.clausePnl = s.pnl;
  s.bearSide = false;
  s.badLeft = 0;
  s.entryLeft = 0;
  s.negationLeft = 0;
  s.boost = 1;
  s.boostLeft = 0;
}

/**
 * The sentence ends: its evidence is weighed into one number, added to the
 * post's total, and the sentence state is reset. `last` names the implicit
 * end of the text, for explain.
 */
export function closeSentence(s: ScoreState, exclamations: number, question: boolean, last: boolean, trace: SentimentStep[] | null): void {
  const label = last ? 'the last sentence' : 'the sentence';
  if (s.contrast !== 1 && !s.hedged && s.fin === s.postFin && s.gen === s.postGen && s.pnl === s.postPnl) {
    // "margins shrank, but hey, robots": nothing followed the contrast, so it decided nothing
    s.fin = s.preFin; s.gen = s.preGen; s.pnl = s.prePnl;
    if (trace !== null) trace.push({ text: label, value: 0, rule: 'nothing after the contrast: what came before counts in full' });
  }
  endConcession(s, trace);
  if (s.hedged && clauseEmpty(s)) s.sentenceHedged = true;
  // "could work out, could go bankrupt", "might rip, might dump": possibilities side by side
  if (s.modals >= 2 && !s.sentenceHedged) {
    s.sentenceHedged = true;
    s.hedged = false;
  }
  if (s.sentenceHedged) {
    // "…, not sure yet": a hedge on its own hedges everything the sentence said
    s.fin *= HEDGE_FACTOR; s.gen *= HEDGE_FACTOR; s.pnl *= HEDGE_FACTOR;
    if (trace !== null) trace.push({ text: label, value: 0, rule: `hedged ("…, idk", "…, not sure") ×${HEDGE_FACTOR}` });
  } else if (s.hedged) {
    // the last clause was hedged: damp it alone
    dampClause(s, HEDGE_FACTOR);
    if (trace !== null) trace.push({ text: 'the clause', value: 0, rule: `hedged ("maybe", "not sure") ×${HEDGE_FACTOR}` });
  }
  const flip = s.optionDir < 0 ? -1 : 1;
  const facts = s.fin + s.pnl * flip;
  let general = s.gen;
  if (trace !== null && s.pnl !== 0 && flip < 0) trace.push({ text: label, value: 0, rule: 'outcome of a bearish option position: its sign flips for the stock' });
  // facts beat feelings: "thanks Jerome, my portfolio loves you, -15% this week"
  if (facts !== 0 && general !== 0 && Math.sign(general) !== Math.sign(facts)) {
    general *= GENERAL_AGAINST_FACTS;
    if (trace !== null) trace.push({ text: label, value: 0, rule: `general words against the finance evidence ×${GENERAL_AGAINST_FACTS}` });
  }
  let sum = facts + general;
  if (sum !== 0) {
    if (exclamations > 0) {
      const emphasis = EXCLAMATION_STEP * (exclamations > MAX_EXCLAMATIONS ? MAX_EXCLAMATIONS : exclamations);
      sum = sum > 0 ? sum + emphasis : sum - emphasis;
      if (trace !== null) trace.push({ text: '!'.repeat(exclamations), value: sum > 0 ? emphasis : -emphasis, rule: 'exclamation emphasis' });
    } else if (question && !s.rhetorical) {
      // a question asks, it does not assert; a price move it mentions is still a fact
      const movesHere = Math.abs(s.moves) <= Math.abs(sum) && Math.sign(s.moves) === Math.sign(sum) ? s.moves : 0;
      sum = (sum - movesHere) * QUESTION_FACTOR + movesHere * QUESTION_MOVE_FACTOR;
      if (trace !== null) trace.push({ text: label, value: 0, rule: `a question: words ×${QUESTION_FACTOR}, price moves ×${QUESTION_MOVE_FACTOR}` });
    }
  }
  s.total += sum;
  resetSentence(s);
}
