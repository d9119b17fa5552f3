/**
 * Lexicon-and-rules sentiment for finance chatter, in the spirit of VADER but
 * on AFINN-165 plus a trading lexicon, and fast enough to score every post on
 * the stream inline (one pass over the tokens, no per-word allocation).
 *
 * How a post becomes a number:
 *   1. tokenize (tokenizer.ts): words, signed percentages, emoji, clause and
 *      sentence ends;
 *   2. walk the tokens once, summing word valences into the current sentence
 *      with these adjustments, each one a rule a trader would state:
 *        - a phrase outranks its words ("short squeeze" is not "short");
 *        - a negator flips the next few words, not the whole post, and a
 *          flipped word is weaker than its opposite ("not bullish" < "bearish");
 *        - boosters scale the next sentiment word ("extremely", "fucking");
 *        - a word in capitals inside a mixed-case post is shouted;
 *        - "but"/"however" make the clause after them count more than the one
 *          before ("weak quarter but raised guidance" is bullish);
 *        - a percentage becomes a price move when its direction is known from
 *          its sign or a neighbouring word ("+5%", "up 3%", "10% lower"),
 *          growing with the log of its size;
 *   3. at each sentence end, "!" adds emphasis and a question is damped (a
 *      question asks, it does not assert);
 *   4. compress the raw sum into (-1, 1) with x / sqrt(x² + α), so one strong
 *      word is about ±0.5 to ±0.6 and agreement between several saturates
 *      towards ±1;
 *   5. label by a symmetric neutral band.
 */
import { StockstreamerError } from '../../runtime/errors.ts';
import type { SentimentLabel, SentimentResult } from '../types.ts';
import { createTokenBuffer, T_CLAUSE, T_EMOJI, T_PERCENT, T_SENTENCE, T_WORD, tokenize } from './tokenizer.ts';
import type { TokenBuffer } from './tokenizer.ts';
import {
  buildVocabulary, F_BOOSTER, F_CALL, F_CONTRAST, F_FINANCE, F_HEAD, F_HEDGE, F_KNOW, F_MOVE_DOWN, F_MOVE_UP, F_NEGATOR,
  F_BAD_QUANTITY, F_BEAR_SIDE, F_GOOD_QUANTITY, F_OPTION_ENTRY, F_OPTION_WRITE, F_PNL, F_PNL_AFTER, F_PUT, F_SHARES, F_SHRINK, F_VALUATION,
} from './vocabulary.ts';
import type { Phrase, Vocabulary } from './vocabulary.ts';

export interface SentimentScorer {
  score(text: string): SentimentResult;
  /** the same result, with every word, phrase, rule and emoji that made it, in reading order */
  explain(text: string): SentimentExplanation;
}

export interface SentimentExplanation extends SentimentResult {
  /** the score before compression into (-1, 1) */
  raw: number;
  steps: SentimentStep[];
}

export interface SentimentScorerOptions {
  /**
   * |score| at or below this is labelled 'neu'; in [0, 1). Default 0.1: a lone
   * mildly-loaded word ("dividend", "holding") still counts, a damped question does not.
   */
  neutralBand?: number;
}

const DEFAULT_NEUTRAL_BAND = 0.1;
/** Words after a negator that it reaches ("not a good buy"); a comma or full stop ends it sooner. */
const NEGATION_SCOPE = 3; // words
/** "not bullish" is bearish, but less so than "bearish". */
const NEGATION_FACTOR = -0.75;
/** Words a booster can reach over before it lapses ("very much a buy"). */
const BOOST_SCOPE = 2; // words
/** Stacked boosters ("very very very") stop adding after this. */
const MAX_BOOST = 3;
const CAPS_FACTOR = 1.3;
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
/** Emoji alone ("earnings tomorrow 😬") count this much: one mild emoji stays neutral, 🚀🚀🚀 does not. */
const EMOJI_ALONE = 0.4;
/** Emoji next to words count this much, and may take at most this share off the words' score. */
const EMOJI_WITH_WORDS = 0.5;
const EMOJI_MAX_WEAKENING = 0.5;
/** Words an entry verb may stand before the option it opens ("bought some AMD puts"). */
const OPTION_ENTRY_SCOPE = 4; // words
/** Writing puts is a bullish bet, writing calls a (mildly) bearish one. */
const WRITE_PUTS_VALENCE = 1.5;
const WRITE_CALLS_VALENCE = -1;
/** "100x earnings": a multiple this rich is a bearish valuation; below it a neutral one. */
const RICH_MULTIPLE = 40;
const RICH_VALUATION = -1.5;
/** Words after a bad quantity within which its move flips ("loss per share shrank"). */
const BAD_QUANTITY_SCOPE = 3; // words
/** "losses narrowed": a shrinking word with no valence of its own, as good news. */
const SHRINKING_BAD_VALENCE = 2;
/** Raw-score emphasis per "!" at a sentence end, up to four. */
const EXCLAMATION_STEP = 0.3;
const MAX_EXCLAMATIONS = 4;
/** Valence of "10x", "5x": a multiple of the stake, always good news on Reddit. */
const MULTIPLE_VALENCE = 1.5;
/**
 * Compression constant of x / sqrt(x² + α). With α = 16 a single clear word
 * (valence 2) maps to 0.45, a strong one (3) to 0.6, two clear ones to 0.71.
 */
const ALPHA = 16;

/** Valence of a price move of |pct| percent: 1% ≈ 1.6, 5% ≈ 2.9, 10%+ saturates at 3.5. */
function moveValence(pct: number): number {
  const v = 0.8 + 0.8 * Math.log2(1 + Math.abs(pct));
  return v > 3.5 ? 3.5 : v;
}

/** "10x", "3.5x": digits followed by a single x. */
function isMultiple(word: string): boolean {
  const last = word.length - 1;
  if (last < 1 || word.charCodeAt(last) !== 120) return false;
  const first = word.charCodeAt(0);
  return first >= 48 && first <= 57;
}

function matchPhrase(buf: TokenBuffer, i: number, phrases: readonly Phrase[]): Phrase | null {
  for (let p = 0; p < phrases.length; p++) {
    const phrase = phrases[p]!;
    const rest = phrase.rest;
    if (i + rest.length >= buf.length) continue;
    let k = 0;
    while (k < rest.length && buf.kind[i + 1 + k] === T_WORD && buf.word[i + 1 + k] === rest[k]) k++;
    if (k === rest.length) return phrase;
  }
  return null;
}

function moveDirectionOf(buf: TokenBuffer, j: number): number {
  if (j < 0 || j >= buf.length || buf.kind[j] !== T_WORD) return 0;
  const entry = buf.entry[j];
  if (entry === undefined) return 0;
  if ((entry.flags & F_MOVE_UP) !== 0) return 1;
  if ((entry.flags & F_MOVE_DOWN) !== 0) return -1;
  return 0;
}

/**
 * The word that gives an unsigned percentage its direction: "up 5%", "down
 * about 10%", "5% higher". -1 when nothing says (a yield, a stake).
 */
function percentDirectionIndex(buf: TokenBuffer, i: number): number {
  if (moveDirectionOf(buf, i - 1) !== 0) return i - 1;
  // one filler word in between: "up about 5%", "down nearly 10%"
  if (i >= 2 && buf.kind[i - 1] === T_WORD && (buf.entry[i - 1]?.valence ?? 0) === 0 && moveDirectionOf(buf, i - 2) !== 0) return i - 2;
  return moveDirectionOf(buf, i + 1) !== 0 ? i + 1 : -1;
}

/** Which sum a contribution went to, so a later rule can take it back. */
const KIND_FIN = 0;
const KIND_GEN = 1;
const KIND_PNL = 2;

/** One contribution to a score, for `analyze --explain`. */
export interface SentimentStep {
  /** the words, phrase, percentage or emoji, or the sentence a rule applied to */
  text: string;
  /** what it added to the raw score (0 for a rule that only scales or swallows) */
  value: number;
  rule: string;
}

function wordAt(buf: TokenBuffer, i: number, len: number): string {
  let out = buf.word[i]!;
  for (let k = 1; k <= len; k++) out += ` ${buf.word[i + k]!}`;
  return out;
}

function isNumberWord(word: string | undefined): boolean {
  if (word === undefined || word.length === 0) return false;
  const c = word.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/**
 * The raw (uncompressed) score of the tokens in buf; `trace` collects the
 * steps when explaining, and costs nothing when null.
 */
function rawScore(buf: TokenBuffer, trace: SentimentStep[] | null): number {
  // When every word is in capitals the post is shouting throughout; capitals then say nothing extra.
  const capsMeaningful = buf.capsWords < buf.letterWords;
  const n = buf.length;
  let total = 0;
  let emoji = 0;
  // the sentence being read: finance evidence, general-English words, outcomes of an option position
  let fin = 0;
  let gen = 0;
  let pnl = 0;
  let optionDir = 0;
  let hedged = false;
  // the sums when the current clause began, so a hedge damps only its own clause
  let clauseFin = 0;
  let clauseGen = 0;
  let clausePnl = 0;
  // price moves of this sentence, which a question does not damp as much
  let moves = 0;
  // a hedge that stands in a clause of its own ("…, not sure yet", "…, idk") hedges the whole sentence
  let sentenceHedged = false;
  let listing = false;
  let sentenceWords = 0;
  let negationLeft = 0;
  let boost = 1;
  let boostLeft = 0;
  let contrast = 1;
  // an entry verb waiting to see whether an option word follows ("bought … puts")
  let entryLeft = 0;
  let entryValue = 0;
  let entryKind = 0;
  let entryWrite = false;
  let entryMine = false;
  // where the entry verb is (token index and phrase span), for explain only
  let entryAt = 0;
  let entrySpan = 0;
  // a bad quantity waiting for its move ("losses … narrowed")
  let badLeft = 0;
  let badValue = 0;
  let badKind = 0;
  let badAt = 0;
  let badSpan = 0;
  // the bears' side named in this clause: outcomes after it are theirs
  let bearSide = false;
  /** -1 for a bad quantity ("losses"), +1 for a good one ("sales growth") */
  let quantitySign = 0;
  // the move word a bad quantity flipped, so its percentage follows ("costs rose 10%")
  let flipAt = -1;
  let flipSign = 0;

  // i === n closes the last sentence, as a sentence end would
  for (let i = 0; i <= n; i++) {
    const kind = i < n ? buf.kind[i] : T_SENTENCE;

    if (kind === T_WORD) {
      sentenceWords++;
      if (listing) continue;
      const entry = buf.entry[i];
      let valence = 0;
      let flags = 0;
      let option = 0;
      let span = 0;
      if (entry !== undefined) {
        const phrase = entry.phrases === null || i + 1 >= n || !entry.seconds!.has(buf.word[i + 1]!) ? null : matchPhrase(buf, i, entry.phrases);
        if (phrase !== null) {
          span = phrase.rest.length;
          i += span;
          if (phrase.boost !== 0) {
            boost = Math.min(MAX_BOOST, boost * phrase.boost);
            boostLeft = BOOST_SCOPE;
            continue;
          }
          valence = phrase.valence;
          flags = phrase.flags;
          option = phrase.option;
          if ((flags & F_HEDGE) !== 0) {
            hedged = true;
            if (trace !== null) trace.push({ text: wordAt(buf, i - span, span), value: 0, rule: 'hedge phrase' });
            continue;
          }
        } else {
          flags = entry.flags;
          if ((flags & F_NEGATOR) !== 0) {
            negationLeft = NEGATION_SCOPE;
            if (entryLeft > 0) entryLeft--;
            if (badLeft > 0) badLeft--;
            continue;
          }
          if ((flags & F_KNOW) !== 0 && negationLeft > 0) {
            // "not sure", "don't really know": a hedge, not a flipped "sure"
            hedged = true;
            negationLeft = 0;
            if (trace !== null) trace.push({ text: buf.word[i]!, value: 0, rule: 'negated certainty: a hedge' });
            continue;
          }
          if ((flags & F_CONTRAST) !== 0) {
            const before = hedged ? CONTRAST_BEFORE * HEDGE_FACTOR : CONTRAST_BEFORE;
            fin *= before; gen *= before; pnl *= before;
            if (trace !== null) trace.push({ text: buf.word[i]!, value: 0, rule: `contrast: what came before ×${before}, what follows ×${CONTRAST_AFTER}` });
            hedged = false;
            clauseFin = fin; clauseGen = gen; clausePnl = pnl;
            contrast = CONTRAST_AFTER;
            negationLeft = 0;
            continue;
          }
          if ((flags & F_BOOSTER) !== 0) {
            boost = Math.min(MAX_BOOST, boost * entry.boost);
            boostLeft = BOOST_SCOPE;
            continue;
          }
          if ((flags & F_HEDGE) !== 0) {
            hedged = true;
            if (trace !== null) trace.push({ text: buf.word[i]!, value: 0, rule: 'hedge word' });
            continue;
          }
          if ((flags & F_HEAD) !== 0 && sentenceWords <= 3 && i + 1 < n && buf.kind[i + 1] === T_CLAUSE && buf.aux[i + 1] === 2) {
            // "Positions: …", "My portfolio: …", "Disclosure: …": a listing of facts
            listing = true;
            fin = 0; gen = 0; pnl = 0;
            if (trace !== null) trace.push({ text: `${buf.word[i]!}:`, value: 0, rule: 'a listing or disclosure: the sentence states facts, no opinion' });
            continue;
          }
          valence = entry.valence;
          // "bought 3 shares": a trade report
          if (valence !== 0 && (flags & F_OPTION_ENTRY) !== 0 && isNumberWord(buf.word[i + 1]) && ((buf.entry[i + 2]?.flags ?? 0) & F_SHARES) !== 0) {
            if (trace !== null) trace.push({ text: wordAt(buf, i, 2), value: 0, rule: 'a quantity of shares bought or sold: a report, not a view' });
            valence = 0;
          }
        }
      } else if (isMultiple(buf.word[i]!)) {
        const next = buf.entry[i + 1];
        flags = F_FINANCE;
        // "100x earnings" is a price, and a rich one, not a 100-bagger
        if (next !== undefined && (next.flags & F_VALUATION) !== 0) valence = Number.parseFloat(buf.word[i]!) >= RICH_MULTIPLE ? RICH_VALUATION : 0;
        else valence = MULTIPLE_VALENCE;
      }

      // "short sellers getting cooked": what then happens in the clause happens to the bears
      if ((flags & F_BEAR_SIDE) !== 0) bearSide = true;

      const isCall = (flags & F_CALL) !== 0;
      if (isCall || (flags & F_PUT) !== 0 || option !== 0) {
        let dir = option !== 0 ? option : isCall ? 1 : -1;
        if (entryLeft > 0) {
          // "bought puts", "loaded up on calls": the option, not the verb, says the direction
          if (entryKind === KIND_FIN) fin -= entryValue;
          else if (entryKind === KIND_GEN) gen -= entryValue;
          else pnl -= entryValue;
          if (trace !== null) trace.push({ text: wordAt(buf, entryAt, entrySpan), value: -entryValue, rule: 'entry verb before an option: the option decides' });
          if (entryWrite && !entryMine && option === 0) {
            dir = -dir;
            valence = dir > 0 ? WRITE_PUTS_VALENCE : WRITE_CALLS_VALENCE;
            if (trace !== null) trace.push({ text: `${wordAt(buf, entryAt, entrySpan)} ${buf.word[i]!}`, value: 0, rule: dir > 0 ? 'selling puts: bullish' : 'selling calls: bearish' });
          }
          entryLeft = 0;
        }
        if (optionDir === 0) optionDir = dir;
      }

      const moves = (flags & (F_MOVE_UP | F_MOVE_DOWN | F_SHRINK)) !== 0;
      const falls = (flags & (F_MOVE_DOWN | F_SHRINK)) !== 0;
      if (badLeft > 0 && quantitySign > 0 && falls) {
        // "sales growth slowing", "margins shrinking": the fall decides, not the noun
        if (badKind === KIND_FIN) fin -= badValue;
        else if (badKind === KIND_GEN) gen -= badValue;
        else pnl -= badValue;
        if (valence === 0) valence = -SHRINKING_BAD_VALENCE;
        flags = (flags | F_FINANCE) & ~(F_PNL | F_PNL_AFTER);
        if (trace !== null) trace.push({ text: wordAt(buf, badAt, badSpan), value: -badValue, rule: 'a good quantity falling: bad news; the noun no longer counts' });
        badLeft = 0;
      } else if (badLeft > 0 && quantitySign < 0 && moves) {
        // "losses narrowed", "debt fell", "costs rose": the quantity's move, signed by what it is
        if (badKind === KIND_FIN) fin -= badValue;
        else if (badKind === KIND_GEN) gen -= badValue;
        else pnl -= badValue;
        const shrinking = (flags & (F_MOVE_DOWN | F_SHRINK)) !== 0;
        const size = valence !== 0 ? Math.abs(valence) : SHRINKING_BAD_VALENCE;
        valence = shrinking ? size : -size;
        flipAt = i;
        flipSign = shrinking ? 1 : -1;
        flags = (flags | F_FINANCE) & ~(F_PNL | F_PNL_AFTER);
        if (trace !== null) trace.push({ text: wordAt(buf, badAt, badSpan), value: -badValue, rule: `a bad quantity ${shrinking ? 'shrinking: good news' : 'growing: bad news'}; the noun no longer counts` });
        badLeft = 0;
      }

      if (valence !== 0) {
        if (boostLeft > 0) valence *= boost;
        if (capsMeaningful && buf.aux[i] === 1) valence *= CAPS_FACTOR;
        if (negationLeft > 0) valence *= NEGATION_FACTOR;
        const v = valence * contrast;
        const outcome = (flags & F_PNL) !== 0 || ((flags & F_PNL_AFTER) !== 0 && optionDir !== 0);
        const theirs = outcome && bearSide;
        const kindOf = theirs ? KIND_FIN : outcome ? KIND_PNL : (flags & F_FINANCE) !== 0 ? KIND_FIN : KIND_GEN;
        if (kindOf === KIND_PNL) pnl += v;
        else if (kindOf === KIND_FIN) fin += theirs ? -v : v;
        else gen += v;
        if (trace !== null) {
          const notes = [
            theirs ? 'what happens to the shorts or bears: flipped for the stock' : outcome ? 'outcome of an option position' : (flags & F_FINANCE) !== 0 ? 'finance lexicon' : 'general English (AFINN-165)',
            ...(boostLeft > 0 && boost !== 1 ? [`boosted ×${boost}`] : []),
            ...(capsMeaningful && buf.aux[i] === 1 ? ['in capitals'] : []),
            ...(negationLeft > 0 ? ['negated'] : []),
            ...(contrast !== 1 ? ['after a contrast'] : []),
          ];
          trace.push({ text: wordAt(buf, i - span, span), value: theirs ? -v : v, rule: notes.join(', ') });
        }
        if ((flags & (F_BAD_QUANTITY | F_GOOD_QUANTITY)) !== 0) {
          badLeft = BAD_QUANTITY_SCOPE + 1;
          badValue = v;
          badKind = kindOf;
          badAt = i - span;
          badSpan = span;
          quantitySign = (flags & F_BAD_QUANTITY) !== 0 ? -1 : 1;
        }
        if ((flags & F_OPTION_ENTRY) !== 0) {
          entryLeft = OPTION_ENTRY_SCOPE + 1;
          entryValue = v;
          entryKind = kindOf;
        }
        boost = 1;
        boostLeft = 0;
      } else {
        if (boostLeft > 0 && --boostLeft === 0) boost = 1;
        if ((flags & F_OPTION_ENTRY) !== 0) {
          // "wrote puts", "got puts": an entry verb with no valence of its own
          entryLeft = OPTION_ENTRY_SCOPE + 1;
          entryValue = 0;
        }
        if ((flags & (F_BAD_QUANTITY | F_GOOD_QUANTITY)) !== 0) {
          badLeft = BAD_QUANTITY_SCOPE + 1;
          badValue = 0;
          badAt = i - span;
          badSpan = span;
          quantitySign = (flags & F_BAD_QUANTITY) !== 0 ? -1 : 1;
        }
        // "sold my puts" closes a position; "sold puts" writes one
        const w = buf.word[i];
        if (entryLeft > 0 && (w === 'my' || w === 'our' || w === 'the')) entryMine = true;
      }
      if ((flags & F_OPTION_ENTRY) !== 0 && entryLeft === OPTION_ENTRY_SCOPE + 1) {
        entryWrite = (flags & F_OPTION_WRITE) !== 0;
        entryMine = false;
        entryAt = i - span;
        entrySpan = span;
      }
      if (entryLeft > 0) entryLeft--;
      if (badLeft > 0) badLeft--;
      if (negationLeft > 0) negationLeft--;
    } else if (kind === T_PERCENT) {
      if (listing) continue;
      let sign = buf.aux[i]!;
      let from = -1;
      if (sign === 0) {
        from = percentDirectionIndex(buf, i);
        if (from >= 0) sign = from === flipAt ? flipSign : (buf.entry[from]!.flags & F_MOVE_UP) !== 0 ? 1 : -1;
      }
      if (sign !== 0) {
        const v = sign * moveValence(buf.value[i]!) * contrast;
        const fromFlags = from >= 0 ? buf.entry[from]!.flags : 0;
        const outcome = (fromFlags & F_PNL) !== 0 || ((fromFlags & F_PNL_AFTER) !== 0 && optionDir !== 0);
        if (outcome) pnl += v;
        else {
          fin += v;
          moves += v;
        }
        if (trace !== null) trace.push({ text: `${sign > 0 ? '+' : '-'}${buf.value[i]!}%`, value: v, rule: outcome ? 'move of an option position' : 'price move' });
      }
    } else if (kind === T_EMOJI) {
      emoji += buf.value[i]!;
      if (trace !== null) trace.push({ text: 'emoji', value: buf.value[i]!, rule: 'emoji (weighed after the words)' });
    } else if (kind === T_CLAUSE) {
      if (hedged) {
        if (fin === clauseFin && gen === clauseGen && pnl === clausePnl) sentenceHedged = true;
        else {
          fin = clauseFin + (fin - clauseFin) * HEDGE_FACTOR;
          gen = clauseGen + (gen - clauseGen) * HEDGE_FACTOR;
          pnl = clausePnl + (pnl - clausePnl) * HEDGE_FACTOR;
          if (trace !== null) trace.push({ text: 'the clause', value: 0, rule: `hedged ("maybe", "not sure") ×${HEDGE_FACTOR}` });
        }
        hedged = false;
      }
      clauseFin = fin; clauseGen = gen; clausePnl = pnl;
      bearSide = false;
      badLeft = 0;
      entryLeft = 0;
      negationLeft = 0;
      boost = 1;
      boostLeft = 0;
    } else if (kind === T_SENTENCE) {
      const exclamations = i < n ? buf.value[i]! : 0;
      const question = i < n && buf.aux[i] === 1;
      const label = i < n ? 'the sentence' : 'the last sentence';
      if (hedged && fin === clauseFin && gen === clauseGen && pnl === clausePnl) sentenceHedged = true;
      if (sentenceHedged) {
        // "…, not sure yet": a hedge on its own hedges everything the sentence said
        fin *= HEDGE_FACTOR; gen *= HEDGE_FACTOR; pnl *= HEDGE_FACTOR;
        if (trace !== null) trace.push({ text: label, value: 0, rule: `hedged ("…, idk", "…, not sure") ×${HEDGE_FACTOR}` });
      } else if (hedged) {
        // the last clause was hedged: damp it alone
        fin = clauseFin + (fin - clauseFin) * HEDGE_FACTOR;
        gen = clauseGen + (gen - clauseGen) * HEDGE_FACTOR;
        pnl = clausePnl + (pnl - clausePnl) * HEDGE_FACTOR;
        if (trace !== null) trace.push({ text: 'the clause', value: 0, rule: `hedged ("maybe", "not sure") ×${HEDGE_FACTOR}` });
      }
      const flip = optionDir < 0 ? -1 : 1;
      const facts = fin + pnl * flip;
      let general = gen;
      if (trace !== null && pnl !== 0 && flip < 0) trace.push({ text: label, value: 0, rule: 'outcome of a bearish option position: its sign flips for the stock' });
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
        } else if (question) {
          // a question asks, it does not assert; a price move it mentions is still a fact
          const movesHere = Math.abs(moves) <= Math.abs(sum) && Math.sign(moves) === Math.sign(sum) ? moves : 0;
          sum = (sum - movesHere) * QUESTION_FACTOR + movesHere * QUESTION_MOVE_FACTOR;
          if (trace !== null) trace.push({ text: label, value: 0, rule: `a question: words ×${QUESTION_FACTOR}, price moves ×${QUESTION_MOVE_FACTOR}` });
        }
      }
      total += sum;
      fin = 0; gen = 0; pnl = 0; optionDir = 0; hedged = false; listing = false; sentenceWords = 0;
      clauseFin = 0; clauseGen = 0; clausePnl = 0; moves = 0; sentenceHedged = false;
      negationLeft = 0; boost = 1; boostLeft = 0; contrast = 1; entryLeft = 0; badLeft = 0; bearSide = false;
    }
  }

  // Emoji colour what the words say: alone they count a little, and they never flip the words' sign.
  if (emoji === 0) return total;
  if (total === 0) {
    if (trace !== null) trace.push({ text: 'emoji', value: emoji * EMOJI_ALONE, rule: `emoji alone ×${EMOJI_ALONE}` });
    return emoji * EMOJI_ALONE;
  }
  let e = emoji * EMOJI_WITH_WORDS;
  if (Math.sign(e) !== Math.sign(total) && Math.abs(e) > Math.abs(total) * EMOJI_MAX_WEAKENING) e = -total * EMOJI_MAX_WEAKENING;
  if (trace !== null) trace.push({ text: 'emoji', value: e, rule: `emoji with words ×${EMOJI_WITH_WORDS}, never flipping their sign` });
  return total + e;
}

/** x / sqrt(x² + α): odd, monotone, strictly inside (-1, 1) for finite x. */
function compress(raw: number): number {
  if (raw === 0 || Number.isNaN(raw)) return 0;
  if (!Number.isFinite(raw)) return raw > 0 ? 1 : -1;
  const s = raw / Math.sqrt(raw * raw + ALPHA);
  return s > 1 ? 1 : s < -1 ? -1 : s;
}

function validateOptions(options: SentimentScorerOptions): number {
  for (const key of Object.keys(options)) {
    if (key !== 'neutralBand') {
      throw new StockstreamerError('CONFIG_INVALID', `sentiment scorer: unknown option "${key}"`, { details: { key } });
    }
  }
  const band = options.neutralBand ?? DEFAULT_NEUTRAL_BAND;
  if (typeof band !== 'number' || !Number.isFinite(band) || band < 0 || band >= 1) {
    throw new StockstreamerError('CONFIG_INVALID', 'sentiment scorer: neutralBand must be a number in [0, 1)', {
      details: { key: 'neutralBand', value: band },
    });
  }
  return band;
}

let sharedVocabulary: Vocabulary | undefined;

export function createSentimentScorer(options: SentimentScorerOptions = {}): SentimentScorer {
  const neutralBand = validateOptions(options);
  // The vocabulary is immutable and costs a few ms to build: share it between scorers.
  const vocab = (sharedVocabulary ??= buildVocabulary());
  // Scratch space reused by every call; safe because score() is synchronous.
  const buf = createTokenBuffer();

  return Object.freeze({
    score(text: string): SentimentResult {
      tokenize(typeof text === 'string' ? text : String(text ?? ''), vocab, buf);
      const score = compress(rawScore(buf, null));
      const label: SentimentLabel = score > neutralBand ? 'pos' : score < -neutralBand ? 'neg' : 'neu';
      return { score, label };
    },
    explain(text: string): SentimentExplanation {
      tokenize(typeof text === 'string' ? text : String(text ?? ''), vocab, buf);
      const steps: SentimentStep[] = [];
      const raw = rawScore(buf, steps);
      const score = compress(raw);
      const label: SentimentLabel = score > neutralBand ? 'pos' : score < -neutralBand ? 'neg' : 'neu';
      return { score, label, raw, steps };
    },
  });
}
