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
import { buildVocabulary, F_BOOSTER, F_CONTRAST, F_MOVE_DOWN, F_MOVE_UP, F_NEGATOR } from './vocabulary.ts';
import type { Phrase, Vocabulary } from './vocabulary.ts';

export interface SentimentScorer {
  score(text: string): SentimentResult;
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
const CONTRAST_BEFORE = 0.5;
const CONTRAST_AFTER = 1.5;
/** A question asks rather than asserts: "should I buy calls?" is not a bullish call. */
const QUESTION_FACTOR = 0.3;
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
 * Direction of an unsigned percentage from its neighbours: "up 5%",
 * "down about 10%", "5% higher". Zero when nothing says (a yield, a stake).
 */
function percentDirection(buf: TokenBuffer, i: number): number {
  const before = moveDirectionOf(buf, i - 1);
  if (before !== 0) return before;
  // one filler word in between: "up about 5%", "down nearly 10%"
  if (i >= 2 && buf.kind[i - 1] === T_WORD && (buf.entry[i - 1]?.valence ?? 0) === 0) {
    const further = moveDirectionOf(buf, i - 2);
    if (further !== 0) return further;
  }
  return moveDirectionOf(buf, i + 1);
}

function closeSentence(sum: number, exclamations: number, question: boolean): number {
  if (sum === 0) return 0;
  if (exclamations > 0) {
    const emphasis = EXCLAMATION_STEP * (exclamations > MAX_EXCLAMATIONS ? MAX_EXCLAMATIONS : exclamations);
    return sum > 0 ? sum + emphasis : sum - emphasis;
  }
  return question ? sum * QUESTION_FACTOR : sum;
}

/** The raw (uncompressed) score of the tokens in buf. */
function rawScore(buf: TokenBuffer): number {
  // When every word is in capitals the post is shouting throughout; capitals then say nothing extra.
  const capsMeaningful = buf.capsWords < buf.letterWords;
  const n = buf.length;
  let total = 0;
  let sentence = 0;
  let negationLeft = 0;
  let boost = 1;
  let boostLeft = 0;
  let contrast = 1;

  for (let i = 0; i < n; i++) {
    const kind = buf.kind[i];

    if (kind === T_WORD) {
      const entry = buf.entry[i];
      let valence = 0;
      if (entry !== undefined) {
        const phrase = entry.phrases === null ? null : matchPhrase(buf, i, entry.phrases);
        if (phrase !== null) {
          i += phrase.rest.length;
          if (phrase.boost !== 0) {
            boost = Math.min(MAX_BOOST, boost * phrase.boost);
            boostLeft = BOOST_SCOPE;
            continue;
          }
          valence = phrase.valence;
        } else {
          const flags = entry.flags;
          if ((flags & F_NEGATOR) !== 0) {
            negationLeft = NEGATION_SCOPE;
            continue;
          }
          if ((flags & F_CONTRAST) !== 0) {
            sentence *= CONTRAST_BEFORE;
            contrast = CONTRAST_AFTER;
            negationLeft = 0;
            continue;
          }
          if ((flags & F_BOOSTER) !== 0) {
            boost = Math.min(MAX_BOOST, boost * entry.boost);
            boostLeft = BOOST_SCOPE;
            continue;
          }
          valence = entry.valence;
        }
      } else if (isMultiple(buf.word[i]!)) {
        valence = MULTIPLE_VALENCE;
      }

      if (valence !== 0) {
        if (boostLeft > 0) valence *= boost;
        if (capsMeaningful && buf.aux[i] === 1) valence *= CAPS_FACTOR;
        if (negationLeft > 0) valence *= NEGATION_FACTOR;
        sentence += valence * contrast;
        boost = 1;
        boostLeft = 0;
      } else if (boostLeft > 0 && --boostLeft === 0) {
        boost = 1;
      }
      if (negationLeft > 0) negationLeft--;
    } else if (kind === T_PERCENT) {
      const sign = buf.aux[i]! !== 0 ? buf.aux[i]! : percentDirection(buf, i);
      if (sign !== 0) sentence += sign * moveValence(buf.value[i]!) * contrast;
    } else if (kind === T_EMOJI) {
      sentence += buf.value[i]! * contrast;
    } else if (kind === T_CLAUSE) {
      negationLeft = 0;
      boost = 1;
      boostLeft = 0;
    } else if (kind === T_SENTENCE) {
      total += closeSentence(sentence, buf.value[i]!, buf.aux[i] === 1);
      sentence = 0;
      negationLeft = 0;
      boost = 1;
      boostLeft = 0;
      contrast = 1;
    }
  }
  return total + closeSentence(sentence, 0, false);
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
      const score = compress(rawScore(buf));
      const label: SentimentLabel = score > neutralBand ? 'pos' : score < -neutralBand ? 'neg' : 'neu';
      return { score, label };
    },
  });
}
