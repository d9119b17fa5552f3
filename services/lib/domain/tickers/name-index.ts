/**
 * The name index: every name a company or fund is called by, in a trie keyed
 * by the tokens' lookup keys, each with how much evidence it needs (names.ts
 * MATCH_*). Built once per extractor from the whole listing, the funds and
 * the curated aliases.
 *
 *   listing name ──► nameVariants ("Snowflake Inc. Common Stock" → "Snowflake")
 *   fund name    ──► fundNameVariants ("SPDR S&P 500 ETF Trust" → "SPDR S&P 500")
 *   curated      ──► brands and nicknames ("Zoom", "Lilly", "J&J")
 *   mode         ──► English word? person-name list? size? (modeFor)
 */
import type { Security } from '../types.ts';
import { isEnglishWord } from './dictionary.ts';
import { AMBIGUOUS_WORDS, CURATED_ALIASES, FUNDS, NAMES_NEEDING_CONTEXT, PERSON_AND_PLACE_NAMES } from './lexicon.ts';
import {
  MATCH_ANY_CASE, MATCH_CAPITALISED, MATCH_COMMON_WORD, MATCH_WITH_CONTEXT, MULTI_WORD_NAME_MIN_CAP_USD,
  SINGLE_WORD_NAME_MIN_CAP_USD, SMALL_SINGLE_WORD_NAME_MIN_CAP_USD, addName, createTrie, fundNameVariants,
  isCommonWordName, isNameEligible, isPossessiveName, nameVariants, type TrieNode,
} from './names.ts';
import type { SymbolInfo } from './symbols.ts';
import { TIER_FUNCTION } from './symbols.ts';
import { KIND_NUMBER, KIND_WORD, createTokenizer, fingerprintOfKey, keyOf, secondPrintOfKey } from './tokenizer.ts';
import { normaliseSymbol } from './universe-csv.ts';

export interface NameIndex {
  trie: TrieNode;
  /** bit table of the fingerprints of every name's first key */
  anyFirstKeys: Uint8Array;
  /** the same for names that may be written in lower case */
  lowerFirstKeys: Uint8Array;
  /** bit table of the second fingerprints (tokenizer.ts secondPrintOfKey) of every name's first key */
  secondFirstKeys: Uint8Array;
}

function reachesAnyCase(node: TrieNode): boolean {
  if (node.entry?.mode === MATCH_ANY_CASE) return true;
  if (node.next === undefined) return false;
  for (const child of node.next.values()) if (reachesAnyCase(child)) return true;
  return false;
}

export function buildNameIndex(
  securities: readonly Security[],
  symbols: Map<string, SymbolInfo>,
  extraAliases: Readonly<Record<string, string>>,
): NameIndex {
  const tokenize = createTokenizer();
  const ambiguous = new Set(AMBIGUOUS_WORDS);
  const needContext = new Set([...NAMES_NEEDING_CONTEXT, ...PERSON_AND_PLACE_NAMES]);
  const trie = createTrie();

  /** the lookup keys of a name, as the tokenizer will see it in a post; "3M" is a name too */
  const keysOf = (phrase: string): string[] | null => {
    const t = tokenize(phrase);
    const keys: string[] = [];
    for (let i = 0; i < t.count; i++) {
      const tok = t.tokens[i]!;
      if (tok.kind !== KIND_WORD && tok.kind !== KIND_NUMBER) return null;
      keys.push(keyOf(tok));
    }
    if (keys.length === 0) return null;
    const first = t.tokens[0]!;
    return first.kind === KIND_WORD || /[a-z]/.test(keys[0]!) ? keys : null;
  };

  /**
   * How much a name needs. One word that is English ("Snowflake", "Chewy")
   * or on the person-and-place list needs market talk around it; a name that
   * spells an ambiguous symbol ("ONE") is as weak as the word.
   */
  const modeFor = (keys: string[], distinctive: boolean, derived: boolean, cap: number): number => {
    if (keys.length === 1) {
      const k = keys[0]!;
      if (derived && (needContext.has(k) || isEnglishWord(k) || cap < SINGLE_WORD_NAME_MIN_CAP_USD)) return MATCH_WITH_CONTEXT;
      // a curated alias was judged by hand: COMMON_WORD_NAMES says which ones are words
      if (isCommonWordName(keys) || ambiguous.has(k.toUpperCase())) return MATCH_COMMON_WORD;
    }
    return distinctive ? MATCH_ANY_CASE : MATCH_CAPITALISED;
  };

  for (const s of securities) {
    if (!isNameEligible(s)) continue;
    const symbol = normaliseSymbol(s.symbol);
    const possessive = isPossessiveName(s.name);
    for (const variant of nameVariants(s.name)) {
      const keys = keysOf(variant);
      if (keys === null) continue;
      const single = keys.length === 1;
      if (s.marketCapUsd < (single ? SMALL_SINGLE_WORD_NAME_MIN_CAP_USD : MULTI_WORD_NAME_MIN_CAP_USD)) continue;
      // small one-word names only when they cannot be a word: "Duolingo" yes, "Archer" no
      if (single && s.marketCapUsd < SINGLE_WORD_NAME_MIN_CAP_USD && (isEnglishWord(keys[0]!) || needContext.has(keys[0]!)) && !possessive) continue;
      // a one-word name that is a symbol itself ("AMD", "RH") is handled as a symbol
      if (single && symbols.has(keys[0]!.toUpperCase()) && keys[0]!.length <= 5 && variant === variant.toUpperCase()) continue;
      addName(trie, keys, {
        symbol, mode: modeFor(keys, false, true, s.marketCapUsd), possessive: single && possessive, length: keys.length,
        curated: false, marketCapUsd: s.marketCapUsd,
      });
    }
  }
  for (const [symbol, name] of Object.entries(FUNDS)) {
    for (const variant of fundNameVariants(name)) {
      const keys = keysOf(variant);
      if (keys === null || keys.length < 2) continue;
      addName(trie, keys, { symbol, mode: MATCH_ANY_CASE, possessive: false, length: keys.length, curated: true, marketCapUsd: 0 });
    }
  }
  const addCurated = (alias: string, symbolIn: string, distinctive: boolean): void => {
    const symbol = normaliseSymbol(symbolIn);
    if (!symbols.has(symbol)) return; // a nickname for a symbol the universe no longer lists
    const keys = keysOf(alias);
    if (keys === null) return;
    addName(trie, keys, {
      symbol, mode: modeFor(keys, distinctive, false, Infinity), possessive: false, length: keys.length, curated: true, marketCapUsd: 0,
    });
  };
  for (const [alias, a] of Object.entries(CURATED_ALIASES)) addCurated(alias, a.symbol, a.distinctive);
  for (const [alias, symbolIn] of Object.entries(extraAliases)) {
    const symbol = normaliseSymbol(symbolIn);
    if (!symbols.has(symbol)) {
      const tier = symbol.length === 1 ? TIER_FUNCTION : 0;
      symbols.set(symbol, { symbol, bare: false, tier, lower: false, lowerWord: false, name: alias });
    }
    addCurated(alias, symbol, true);
  }

  const anyFirstKeys = new Uint8Array(1 << 11);
  const lowerFirstKeys = new Uint8Array(1 << 11);
  const secondFirstKeys = new Uint8Array(1 << 12);
  for (const [key, node] of trie.next ?? new Map<string, TrieNode>()) {
    const f = fingerprintOfKey(key);
    anyFirstKeys[f >>> 3]! |= 1 << (f & 7);
    if (reachesAnyCase(node)) lowerFirstKeys[f >>> 3]! |= 1 << (f & 7);
    const g = secondPrintOfKey(key);
    secondFirstKeys[g >>> 3]! |= 1 << (g & 7);
  }
  return { trie, anyFirstKeys, lowerFirstKeys, secondFirstKeys };
}

export { MATCH_ANY_CASE, MATCH_CAPITALISED, MATCH_COMMON_WORD, MATCH_WITH_CONTEXT };
