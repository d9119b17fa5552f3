/**
 * Typos of the brands people type: "Nvidea", "Amazn", "Tesle". A word that is
 * no name, no English word and no person or place, one edit (a letter added,
 * dropped, changed, or two swapped) away from a curated one-word name of five
 * letters or more, is read as that name; the extractor then asks of it what it
 * asks of the name itself (capitals, market talk, places).
 *
 * Cheap on the hot path: a word is looked at only when its first two letters
 * open such a name and its length is within one of it (a table read from the
 * source characters); only then is its key built and compared, and the word
 * lists are asked only about a word that is one edit from a name.
 */
import { isEnglishWord } from './dictionary.ts';
import { CURATED_ALIASES, PERSON_AND_PLACE_NAMES } from './lexicon.ts';
import { CASE_LOWER, CASE_TITLE, KIND_WORD, keyOf, type Token } from './tokenizer.ts';

/** Names shorter than this have too many one-edit neighbours ("Meta": "beta", "mega"). */
const MIN_NAME_LENGTH = 5;
const MAX_WORD_LENGTH = 12;

export interface TypoIndex {
  /** the name a word is a typo of, or undefined */
  nameOf(t: Token): string | undefined;
}

function letterIndex(c: number): number {
  const l = c | 32;
  return l >= 97 && l <= 122 ? l - 97 : -1;
}

/** At most one insertion, deletion, substitution or transposition between a and b (a !== b). */
export function oneEditApart(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (la === lb) {
    // substitution at i, or the swap of i and i + 1
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return i + 1 < la && a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i) && a.slice(i + 2) === b.slice(i + 2);
  }
  // one letter more on the longer side, at i
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

export function buildTypoIndex(names: ReadonlySet<string>): TypoIndex {
  const people = new Set(PERSON_AND_PLACE_NAMES);
  // per first two letters, the word lengths (bits) a typo of a name opening with them may have
  const pairs = new Uint16Array(26 * 26);
  const byFirst = new Map<number, string[]>();
  for (const alias of Object.keys(CURATED_ALIASES)) {
    if (alias.length < MIN_NAME_LENGTH || !/^[a-z]+$/.test(alias)) continue;
    pairs[(alias.charCodeAt(0) - 97) * 26 + alias.charCodeAt(1) - 97]! |= (7 << (alias.length - 1)) & 0xffff;
    const list = byFirst.get(alias.charCodeAt(0)) ?? [];
    list.push(alias);
    byFirst.set(alias.charCodeAt(0), list);
  }
  return {
    nameOf(t: Token): string | undefined {
      if (t.kind !== KIND_WORD || t.length < MIN_NAME_LENGTH - 1 || t.length > MAX_WORD_LENGTH) return undefined;
      if (t.letterCase !== CASE_TITLE && t.letterCase !== CASE_LOWER) return undefined;
      const a = letterIndex(t.source.charCodeAt(t.start));
      const b = letterIndex(t.source.charCodeAt(t.start + 1));
      if (a < 0 || b < 0 || ((pairs[a * 26 + b]! >> t.length) & 1) === 0) return undefined;
      const key = keyOf(t);
      const list = byFirst.get(key.charCodeAt(0));
      if (list === undefined) return undefined;
      for (const name of list) {
        if (name === key || !oneEditApart(key, name)) continue;
        // a word, a name of its own or a person is no typo ("Tessa" is someone)
        return names.has(key) || isEnglishWord(key) || people.has(key) ? undefined : name;
      }
      return undefined;
    },
  };
}
