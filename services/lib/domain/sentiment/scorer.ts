/**
 * Lexicon-and-rules sentiment for finance chatter, in the spirit of VADER but
 * on AFINN-165 plus a trading lexicon, and fast enough to score every post on
 * the stream inline (one pass over the tokens, no per-word allocation).
 *
 * How a post becomes a number, and where each step lives:
 *   1. tokenize (tokenizer.ts): words, signed percentages, emoji, clause and
 *      sentence ends;
 *   2. walk the tokens once (this file), each word or percentage adding to
 *      the sentence being read by the rules of words.ts (phrases, negation,
 *      boosters, capitals, options, quantities, price moves);
 *   3. at each clause and sentence end, weigh the sentence by the rules of
 *      clauses.ts (contrast, hedges, facts over feelings, "!", questions);
 *   4. weigh the emoji after the words: they colour, never flip;
 *   (irony.ts: with a cue of irony, read the post once without its praise; if
 *   the rest is bad news, read it again with the praise turned round);
 *   5. compress the raw sum into (-1, 1) with x / sqrt(x² + α), so one strong
 *      word is about ±0.5 to ±0.6 and agreement between several saturates
 *      towards ±1, and label by a symmetric neutral band.
 */
import { StockstreamerError } from '../../runtime/errors.ts';
import type { SentimentLabel, SentimentResult } from '../types.ts';
import { closeSentence, endClause } from './clauses.ts';
import { ironyCue } from './irony.ts';
import { createState, PRAISE_KEPT, PRAISE_LEFT_OUT, PRAISE_TURNED, resetPost, type ScoreState, type SentimentStep } from './state.ts';
import { createTokenBuffer, T_CLAUSE, T_EMOJI, T_PERCENT, T_SENTENCE, T_WORD, tokenize } from './tokenizer.ts';
import type { TokenBuffer } from './tokenizer.ts';
import { buildVocabulary } from './vocabulary.ts';
import type { Vocabulary } from './vocabulary.ts';
import { scorePercent } from './numbers.ts';
import { passOver, scoreWord } from './words.ts';

export type { SentimentStep } from './state.ts';

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
/** Emoji alone ("earnings tomorrow 😬") count this much: one mild emoji stays neutral, 🚀🚀🚀 does not. */
const EMOJI_ALONE = 0.4;
/** Emoji next to words count this much, and may take at most this share off the words' score. */
const EMOJI_WITH_WORDS = 0.5;
const EMOJI_MAX_WEAKENING = 0.5;
/**
 * Compression constant of x / sqrt(x² + α). With α = 16 a single clear word
 * (valence 2) maps to 0.45, a strong one (3) to 0.6, two clear ones to 0.71.
 */
const ALPHA = 16;

/**
 * The raw (uncompressed) score of the tokens in buf; `trace` collects the
 * steps when explaining, and costs nothing when null.
 */
function rawScore(s: ScoreState, buf: TokenBuffer, trace: SentimentStep[] | null): number {
  // irony (irony.ts): with a cue, read the post once without its praise; if the rest is bad news, the praise is sarcasm
  let cue = buf.ironyHints > 0 ? ironyCue(buf) : -1;
  if (cue < 0) {
    const raw = pass(s, buf, trace, PRAISE_KEPT);
    // an irony phrase ("what a shocker") shows itself while the words are read
    if (s.ironyAt < 0) return raw;
    cue = s.ironyAt;
    if (trace !== null) trace.length = 0;
  }
  if (pass(s, buf, null, PRAISE_LEFT_OUT) < 0) {
    if (trace !== null) trace.push({ text: buf.kind[cue] === T_WORD ? buf.word[cue]! : 'emoji', value: 0, rule: 'a cue of irony, and the rest of the post is bad news: its praise is sarcasm and counts against' });
    return pass(s, buf, trace, PRAISE_TURNED);
  }
  return pass(s, buf, trace, PRAISE_KEPT);
}

/** One reading of the tokens, with praise read as `praise` says (PRAISE_*). */
function pass(s: ScoreState, buf: TokenBuffer, trace: SentimentStep[] | null, praise: number): number {
  resetPost(s, buf.capsWords < buf.letterWords, praise);
  const n = buf.length;
  // i === n closes the last sentence, as a sentence end would
  for (let i = 0; i <= n; i++) {
    const kind = i < n ? buf.kind[i] : T_SENTENCE;
    if (kind === T_WORD) {
      if (!passOver(s, buf, i)) i = scoreWord(s, buf, i, trace);
    }
    else if (kind === T_PERCENT) scorePercent(s, buf, i, trace);
    else if (kind === T_EMOJI) {
      let e = buf.value[i]!;
      // a happy emoji in a sarcastic post is part of the sarcasm
      if (e > 0 && praise !== PRAISE_KEPT) e = praise === PRAISE_LEFT_OUT ? 0 : -e;
      s.emoji += e;
      if (trace !== null) trace.push({ text: 'emoji', value: e, rule: 'emoji (weighed after the words)' });
    } else if (kind === T_CLAUSE) endClause(s, trace);
    else if (kind === T_SENTENCE) closeSentence(s, i < n ? buf.value[i]! : 0, i < n && buf.aux[i] === 1, i >= n, trace);
  }
  return withEmoji(s.total, s.emoji, trace);
}

/** Emoji colour what the words say: alone they count a little, and they never flip the words' sign. */
function withEmoji(total: number, emoji: number, trace: SentimentStep[] | null): number {
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
  const c = raw / Math.sqrt(raw * raw + ALPHA);
  return c > 1 ? 1 : c < -1 ? -1 : c;
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
  const state = createState();
  const labelOf = (score: number): SentimentLabel => (score > neutralBand ? 'pos' : score < -neutralBand ? 'neg' : 'neu');

  return Object.freeze({
    score(text: string): SentimentResult {
      tokenize(typeof text === 'string' ? text : String(text ?? ''), vocab, buf);
      const score = compress(rawScore(state, buf, null));
      return { score, label: labelOf(score) };
    },
    explain(text: string): SentimentExplanation {
      tokenize(typeof text === 'string' ? text : String(text ?? ''), vocab, buf);
      const steps: SentimentStep[] = [];
      const raw = rawScore(state, buf, steps);
      const score = compress(raw);
      return { score, label: labelOf(score), raw, steps };
    },
  });
}
