/**
 * Compiles the word lists into the one Map the hot path reads. Every token
 * costs exactly one Map lookup: the entry says at once whether the word
 * carries sentiment, negates, intensifies, marks a price move, pivots a
 * clause, or starts a phrase.
 *
 * Layering, lowest first: AFINN-165 from the `sentiment` package (the general
 * English base), then the finance lexicon, then phrases. Built once per
 * process; the result is immutable by convention (nothing writes to it after
 * buildVocabulary returns).
 */
import afinn from 'sentiment/languages/en/labels.json' with { type: 'json' };
import { CURATED_ALIASES } from '../tickers/lexicon.ts';
import { EMOJI, EMOTICONS, IRONY_EMOJI } from './emoji.ts';
import {
  AFINN_OVERRIDES, BAD_QUANTITY_WORDS, BEAR_SIDE_WORDS, BOOSTERS, BUY_INTENT_WORDS, CALL_WORDS, CLAUSE_CONTRAST_WORDS, CONCESSION_WORDS, DIP_WORDS, PRAISE_WORDS, SINCERITY_WORDS, GOOD_QUANTITY_WORDS, SHRINK_WORDS, CONTRAST_WORDS, FINANCE_LEXICON, HEAD_WORDS, HEDGE_WORDS, KNOW_WORDS, MOVE_DOWN_WORDS, MOVE_UP_WORDS,
  NEGATORS, OPTION_ENTRY_WORDS, OPTION_PNL_AFTER_WORDS, OPTION_PNL_WORDS, OPTION_WRITE_WORDS, PUT_WORDS, SHARE_WORDS, VALUATION_NOUNS,
} from './lexicon.ts';
import {
  BEAR_SIDE_PHRASES, BOOSTER_PHRASES, HEDGE_PHRASES, IRONY_PHRASES, RHETORICAL_PHRASES, OPTION_ENTRY_PHRASES, OPTION_PHRASES, OPTION_PNL_PHRASES, VALENCE_PHRASES,
} from './phrases.ts';

export const F_NEGATOR = 1;
export const F_BOOSTER = 2;
export const F_MOVE_UP = 4;
export const F_MOVE_DOWN = 8;
export const F_CONTRAST = 16;
/** an option position: calls (bullish) or puts (bearish) */
export const F_CALL = 32;
export const F_PUT = 64;
/** an entry verb or phrase, absorbed by an option word right after it ("bought puts") */
export const F_OPTION_ENTRY = 128;
/** selling an option you did not own: writing it ("sold puts" is bullish) */
export const F_OPTION_WRITE = 256;
/** an outcome of a position ("printing", "worthless"): its sign follows the option's direction */
export const F_PNL = 512;
/** an outcome only once an option is named in the sentence ("puts are up") */
export const F_PNL_AFTER = 65536;
/** a bad quantity ("losses", "debt"): a move right after it flips sign */
export const F_BAD_QUANTITY = 131072;
/** shrinking ("narrowed"), as a move of a bad quantity */
export const F_SHRINK = 262144;
/** the bears' side ("shorts", "short sellers"): what happens to them flips, as for puts */
export const F_BEAR_SIDE = 524288;
/** a good quantity ("sales", "growth"): a fall right after it is bad news, whatever the noun says */
export const F_GOOD_QUANTITY = 1048576;
/** "yet": a contrast only when it opens a clause */
export const F_CLAUSE_CONTRAST = 2097152;
/** "although", "though": a concession (see CONCESSION_WORDS) */
export const F_CONCESSION = 4194304;
/** may open a cue of irony (a praise word, "truly"): counted by the tokenizer; irony phrases are found while scoring */
export const F_IRONY_HINT = 8388608;
/** an irony phrase ("love this for me", "what a shocker") */
export const F_IRONY = 16777216;
/** buying said as intent ("buying", "adding", "loading up") */
export const F_BUY_INTENT = 33554432;
/** a fall of the price a buyer may take as the occasion ("dip", "down", "52 week low") */
export const F_FALL = 67108864;
/** a praise word ("great", "love", "thanks") */
export const F_PRAISE = 134217728;
/** general English whose AFINN value the finance layer corrected ("best", "cool", "thanks"): still praise, for irony */
export const F_PLAIN = 268435456;
/** a rhetorical opener ("is it just me or"): the question it opens asserts */
export const F_RHETORICAL = 536870912;
/** "could", "might": two in one sentence set possibilities side by side ("could work out, could go bankrupt") */
export const F_MODAL = 1073741824;
/** a hedge ("maybe", "not sure"): damps its clause */
export const F_HEDGE = 1024;
/** "sure", "know": negated, a hedge rather than a flip */
export const F_KNOW = 2048;
/** the head of a listing or disclosure before a colon ("Positions:") */
export const F_HEAD = 4096;
/** "shares": after an entry verb and a number, a trade report */
export const F_SHARES = 8192;
/** "earnings", "sales" after a multiple: a valuation */
export const F_VALUATION = 16384;
/** valence from the finance layer (lexicon.ts, phrases.ts) rather than general English (AFINN) */
export const F_FINANCE = 32768;

export interface Phrase {
  /** the words after the first one */
  readonly rest: readonly string[];
  readonly valence: number;
  /** 0 for a valence phrase; the multiplier for a booster phrase */
  readonly boost: number;
  /** F_* flags of the phrase as a whole (F_PNL, F_HEDGE, F_OPTION_ENTRY, F_FINANCE) */
  readonly flags: number;
  /** an option position of its own: +1 bullish ("cash secured puts"), -1 bearish, 0 none */
  readonly option: number;
}

export interface VocabEntry {
  valence: number;
  flags: number;
  /** multiplier when F_BOOSTER is set */
  boost: number;
  /** phrases that start with this word, longest first; null when none */
  phrases: Phrase[] | null;
  /** the second words of those phrases: most occurrences of a word that starts a phrase are ruled out with one lookup */
  seconds: Set<string> | null;
}

export interface Vocabulary {
  readonly words: ReadonlyMap<string, VocabEntry>;
  /** emoji base code point → valence */
  readonly emoji: ReadonlyMap<number, number>;
  readonly emoticons: ReadonlyMap<string, number>;
  /** emoji that mock (🙃, 🤡): cues of irony */
  readonly ironyEmoji: ReadonlySet<number>;
}

/** "can't" is written "cant" about as often; both must hit the same entry. */
function spellings(word: string): string[] {
  return word.includes("'") ? [word, word.replaceAll("'", '')] : [word];
}

function entryFor(words: Map<string, VocabEntry>, word: string): VocabEntry {
  let entry = words.get(word);
  if (entry === undefined) {
    entry = { valence: 0, flags: 0, boost: 1, phrases: null, seconds: null };
    words.set(word, entry);
  }
  return entry;
}

function setValence(words: Map<string, VocabEntry>, word: string, valence: number, finance = false): void {
  for (const w of spellings(word)) {
    const entry = entryFor(words, w);
    entry.valence = valence;
    entry.flags = finance ? entry.flags | F_FINANCE : entry.flags & ~F_FINANCE;
  }
}

function addFlag(words: Map<string, VocabEntry>, list: readonly string[], flag: number): void {
  for (const word of list) for (const w of spellings(word)) entryFor(words, w).flags |= flag;
}

/**
 * Every spelling variant of a phrase: each token containing an apostrophe
 * appears with and without it ("can't wait", "cant wait").
 */
function phraseVariants(tokens: string[]): string[][] {
  let variants: string[][] = [[]];
  for (const token of tokens) {
    const forms = spellings(token);
    variants = variants.flatMap((prefix) => forms.map((f) => [...prefix, f]));
  }
  return variants;
}

function addPhrase(words: Map<string, VocabEntry>, text: string, valence: number, boost: number, flags = 0, option = 0): void {
  const tokens = text.split(/[\s-]+/).filter((t) => t.length > 0);
  if (tokens.length < 2) throw new TypeError(`phrase "${text}" must have at least two words`);
  for (const [first, ...rest] of phraseVariants(tokens)) {
    const entry = entryFor(words, first!);
    const list = (entry.phrases ??= []);
    (entry.seconds ??= new Set()).add(rest[0]!);
    const existing = list.findIndex((p) => p.rest.join(' ') === rest.join(' '));
    const phrase: Phrase = { rest, valence, boost, flags, option };
    if (existing >= 0) list[existing] = phrase;
    else list.push(phrase);
    // Longest first, so "inverse head and shoulders" wins over "head and shoulders".
    list.sort((a, b) => b.rest.length - a.rest.length);
  }
}

export function buildVocabulary(): Vocabulary {
  const words = new Map<string, VocabEntry>();
  const afinnLabels = afinn as Record<string, number>;

  for (const [key, valence] of Object.entries(afinnLabels)) {
    if (/\s/.test(key)) addPhrase(words, key, valence, 0);
    else setValence(words, key, valence);
  }
  for (const [word, valence] of Object.entries(FINANCE_LEXICON)) setValence(words, word, valence, true);

  // Function words carry no valence of their own, whatever AFINN says ("no" is -1 there).
  addFlag(words, NEGATORS, F_NEGATOR);
  addFlag(words, CONTRAST_WORDS, F_CONTRAST);
  for (const [word, boost] of Object.entries(BOOSTERS)) {
    for (const w of spellings(word)) {
      const entry = entryFor(words, w);
      entry.flags |= F_BOOSTER;
      entry.boost = boost;
    }
  }
  addFlag(words, CLAUSE_CONTRAST_WORDS, F_CLAUSE_CONTRAST);
  addFlag(words, CONCESSION_WORDS, F_CONCESSION);
  for (const entry of words.values()) {
    if ((entry.flags & (F_NEGATOR | F_CONTRAST | F_BOOSTER | F_CLAUSE_CONTRAST | F_CONCESSION)) !== 0) entry.valence = 0;
  }
  addFlag(words, PRAISE_WORDS, F_PRAISE | F_IRONY_HINT);
  addFlag(words, Object.keys(AFINN_OVERRIDES), F_PLAIN);
  addFlag(words, SINCERITY_WORDS, F_IRONY_HINT);
  addFlag(words, BUY_INTENT_WORDS, F_BUY_INTENT);
  addFlag(words, DIP_WORDS, F_FALL);
  addFlag(words, ['could', 'might', 'may', 'maybe'], F_MODAL);
  addFlag(words, MOVE_UP_WORDS, F_MOVE_UP);
  addFlag(words, MOVE_DOWN_WORDS, F_MOVE_DOWN | F_FALL);
  addFlag(words, CALL_WORDS, F_CALL);
  addFlag(words, PUT_WORDS, F_PUT);
  addFlag(words, OPTION_ENTRY_WORDS, F_OPTION_ENTRY);
  addFlag(words, OPTION_WRITE_WORDS, F_OPTION_WRITE);
  addFlag(words, OPTION_PNL_WORDS, F_PNL);
  addFlag(words, OPTION_PNL_AFTER_WORDS, F_PNL_AFTER);
  addFlag(words, HEDGE_WORDS, F_HEDGE);
  addFlag(words, KNOW_WORDS, F_KNOW);
  addFlag(words, HEAD_WORDS, F_HEAD);
  addFlag(words, SHARE_WORDS, F_SHARES);
  addFlag(words, VALUATION_NOUNS, F_VALUATION);
  addFlag(words, BAD_QUANTITY_WORDS, F_BAD_QUANTITY);
  addFlag(words, SHRINK_WORDS, F_SHRINK);
  addFlag(words, BEAR_SIDE_WORDS, F_BEAR_SIDE);
  addFlag(words, GOOD_QUANTITY_WORDS, F_GOOD_QUANTITY);
  // a hedge carries no valence of its own ("might" is not a judgement)
  for (const w of HEDGE_WORDS) entryFor(words, w).valence = 0;

  const pnl = new Set(OPTION_PNL_PHRASES);
  const entries = new Set(OPTION_ENTRY_PHRASES);
  const badQuantity = new Set(BAD_QUANTITY_WORDS);
  // a phrase that ends in a fall ("coming down", "record low", "dried up") moves a quantity down; one that ends in a rise moves it up
  const shrinking = new Set([...SHRINK_WORDS, 'down', 'low', 'lows', 'lower']);
  const rising = new Set(['high', 'highs', 'higher']);
  const risingPhrases = new Set(['going up', 'goes up', 'go up', 'went up', 'shot up', 'shoot up', 'piling up', 'piled up', 'ticked up', 'turning up', 'moving up', 'trending up', 'on the rise', 'through the roof']);
  const fallingPhrases = new Set(['dried up', 'drying up']);
  const bearSide = new Set(BEAR_SIDE_PHRASES);
  const buyIntent = new Set(BUY_INTENT_WORDS);
  const goodQuantity = new Set(GOOD_QUANTITY_WORDS);
  const phraseFlags = (text: string): number => {
    const ws = text.split(/[\s-]+/);
    if (bearSide.has(text)) return F_FINANCE | F_BEAR_SIDE;
    const first = ws[0]!;
    const last = ws[ws.length - 1]!;
    const falling = shrinking.has(last) || fallingPhrases.has(text);
    return F_FINANCE | (pnl.has(text) ? F_PNL : 0) | (entries.has(text) ? F_OPTION_ENTRY : 0) | (buyIntent.has(first) ? F_BUY_INTENT : 0) |
      (falling && (VALENCE_PHRASES[text] ?? 0) < 0 ? F_FALL : 0) |
      (badQuantity.has(first) || badQuantity.has(last) ? F_BAD_QUANTITY : ws.length === 2 && goodQuantity.has(last) ? F_GOOD_QUANTITY : 0) | (shrinking.has(last) || fallingPhrases.has(text) ? F_SHRINK : 0) |
      (rising.has(last) || risingPhrases.has(text) ? F_MOVE_UP : 0);
  };
  for (const [text, valence] of Object.entries(VALENCE_PHRASES)) {
    addPhrase(words, text, valence, 0, phraseFlags(text), OPTION_PHRASES[text] ?? 0);
  }
  for (const text of HEDGE_PHRASES) addPhrase(words, text, 0, 0, F_HEDGE);
  for (const text of RHETORICAL_PHRASES) addPhrase(words, text, 0, 0, F_RHETORICAL);
  // irony phrases are general English, not finance: the sarcasm rule may turn them round
  for (const [text, valence] of Object.entries(IRONY_PHRASES)) addPhrase(words, text, valence, 0, F_IRONY);
  // company names made of sentiment words ("Rocket Lab", "Plug Power", "Dollar General") say nothing about the stock
  for (const alias of Object.keys(CURATED_ALIASES)) {
    const ws = alias.split(/[\s-]+/);
    if (ws.length < 2 || !ws.some((w) => (words.get(w)?.valence ?? 0) !== 0)) continue;
    if (words.get(ws[0]!)?.phrases?.some((p) => p.rest.join(' ') === ws.slice(1).join(' '))) continue;
    addPhrase(words, alias, 0, 0, F_FINANCE);
  }
  for (const text of BEAR_SIDE_PHRASES) if (!(text in VALENCE_PHRASES)) addPhrase(words, text, 0, 0, F_FINANCE | F_BEAR_SIDE);
  for (const [text, boost] of Object.entries(BOOSTER_PHRASES)) addPhrase(words, text, 0, boost);

  const emoji = new Map<number, number>();
  for (const [symbol, valence] of Object.entries(EMOJI)) emoji.set(symbol.codePointAt(0)!, valence);

  return { words, emoji, emoticons: new Map(Object.entries(EMOTICONS)), ironyEmoji: new Set(IRONY_EMOJI.map((e) => e.codePointAt(0)!)) };
}
