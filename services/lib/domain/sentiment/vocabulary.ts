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
import { EMOJI, EMOTICONS } from './emoji.ts';
import {
  BOOSTERS,
  CONTRAST_WORDS,
  FINANCE_LEXICON,
  MOVE_DOWN_WORDS,
  MOVE_UP_WORDS,
  NEGATORS,
} from './lexicon.ts';
import { BOOSTER_PHRASES, VALENCE_PHRASES } from './phrases.ts';

export const F_NEGATOR = 1;
export const F_BOOSTER = 2;
export const F_MOVE_UP = 4;
export const F_MOVE_DOWN = 8;
export const F_CONTRAST = 16;

export interface Phrase {
  /** the words after the first one */
  readonly rest: readonly string[];
  readonly valence: number;
  /** 0 for a valence phrase; the multiplier for a booster phrase */
  readonly boost: number;
}

export interface VocabEntry {
  valence: number;
  flags: number;
  /** multiplier when F_BOOSTER is set */
  boost: number;
  /** phrases that start with this word, longest first; null when none */
  phrases: Phrase[] | null;
}

export interface Vocabulary {
  readonly words: ReadonlyMap<string, VocabEntry>;
  /** emoji base code point → valence */
  readonly emoji: ReadonlyMap<number, number>;
  readonly emoticons: ReadonlyMap<string, number>;
}

/** "can't" is written "cant" about as often; both must hit the same entry. */
function spellings(word: string): string[] {
  return word.includes("'") ? [word, word.replaceAll("'", '')] : [word];
}

function entryFor(words: Map<string, VocabEntry>, word: string): VocabEntry {
  let entry = words.get(word);
  if (entry === undefined) {
    entry = { valence: 0, flags: 0, boost: 1, phrases: null };
    words.set(word, entry);
  }
  return entry;
}

function setValence(words: Map<string, VocabEntry>, word: string, valence: number): void {
  for (const w of spellings(word)) entryFor(words, w).valence = valence;
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

function addPhrase(words: Map<string, VocabEntry>, text: string, valence: number, boost: number): void {
  const tokens = text.split(/[\s-]+/).filter((t) => t.length > 0);
  if (tokens.length < 2) throw new TypeError(`phrase "${text}" must have at least two words`);
  for (const [first, ...rest] of phraseVariants(tokens)) {
    const entry = entryFor(words, first!);
    const list = (entry.phrases ??= []);
    const existing = list.findIndex((p) => p.rest.join(' ') === rest.join(' '));
    const phrase: Phrase = { rest, valence, boost };
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
  for (const [word, valence] of Object.entries(FINANCE_LEXICON)) setValence(words, word, valence);

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
  for (const entry of words.values()) {
    if ((entry.flags & (F_NEGATOR | F_CONTRAST | F_BOOSTER)) !== 0) entry.valence = 0;
  }
  addFlag(words, MOVE_UP_WORDS, F_MOVE_UP);
  addFlag(words, MOVE_DOWN_WORDS, F_MOVE_DOWN);

  for (const [text, valence] of Object.entries(VALENCE_PHRASES)) addPhrase(words, text, valence, 0);
  for (const [text, boost] of Object.entries(BOOSTER_PHRASES)) addPhrase(words, text, 0, boost);

  const emoji = new Map<number, number>();
  for (const [symbol, valence] of Object.entries(EMOJI)) emoji.set(symbol.codePointAt(0)!, valence);

  return { words, emoji, emoticons: new Map(Object.entries(EMOTICONS)) };
}
