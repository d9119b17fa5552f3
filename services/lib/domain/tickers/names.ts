import type { Security } from '../types.ts';
import {
  AMBIGUOUS_WORDS, COMMON_WORD_NAMES, CORPORATE_FORMS, FUND_SUFFIXES, GENERIC_FIRST_WORDS, GENERIC_NAME_WORDS,
  LEGAL_SUFFIXES, NAMES_NEVER_ALONE, SECURITY_DESCRIPTOR_STARTS,
} from './lexicon.ts';

/**
 * Company names as people write them, derived from the listing's formal names:
 * "Palantir Technologies Inc. Class A Common Stock" → "Palantir Technologies",
 * "Palantir"; "Coca-Cola Company (The) Common Stock" → "Coca-Cola", "Coca Cola".
 */

/** How much evidence a name needs before it counts as a mention. */
export const MATCH_ANY_CASE = 0;
/** must start with a capital: "Bank of America", not "bank of america" */
export const MATCH_CAPITALISED = 1;
/** also an English word: capitalised, and at a sentence start or in a headline only with finance context */
export const MATCH_COMMON_WORD = 2;
/** a word or a person's name first: capitalised and with finance context wherever it is */
export const MATCH_WITH_CONTEXT = 3;

export interface NameEntry {
  symbol: string;
  mode: number;
  /** the listing spells it with a possessive ("Kohl's", "Macy's"): written so, capitalised, it is the company */
  possessive: boolean;
  /** the number of tokens the name spans */
  length: number;
  /** a curated alias beats any derived name with the same words */
  curated: boolean;
  marketCapUsd: number;
}

export interface TrieNode {
  next: Map<string, TrieNode> | undefined;
  entry: NameEntry | undefined;
}

/**
 * Single-word names from the listing are used only for companies at least this
 * large: people call Nvidia "Nvidia", but a small company's one-word name
 * ("Powell", "Marcus", "Genius") is far more often a person or a word.
 * Multi-word names are specific enough from a lower bar.
 */
export const SINGLE_WORD_NAME_MIN_CAP_USD = 10_000_000_000; // USD
export const MULTI_WORD_NAME_MIN_CAP_USD = 500_000_000; // USD
/**
 * Below SINGLE_WORD_NAME_MIN_CAP_USD a one-word name still counts when it is
 * no English word ("Duolingo", "Oklo", "Rigetti") and the sentence talks
 * markets: the context, not a capital letter, tells it from a surname.
 */
export const SMALL_SINGLE_WORD_NAME_MIN_CAP_USD = 750_000_000; // USD

const descriptorSingles = new Set(SECURITY_DESCRIPTOR_STARTS.filter((d) => !d.includes(' ')));
const descriptorPairs = new Set(SECURITY_DESCRIPTOR_STARTS.filter((d) => d.includes(' ')));
const legal = new Set(LEGAL_SUFFIXES);
const corporate = new Set(CORPORATE_FORMS);
const fundSuffixes = new Set(FUND_SUFFIXES);
const generic = new Set(GENERIC_NAME_WORDS);
const genericFirst = new Set(GENERIC_FIRST_WORDS);
const neverAlone = new Set(NAMES_NEVER_ALONE);
const dangling = new Set(['of', '&', 'and', 'the', 'for', 'de', 'by', 'on', 'in']);
const commonWords = new Set([...COMMON_WORD_NAMES, ...AMBIGUOUS_WORDS.map((w) => w.toLowerCase())]);

function bare(word: string): string {
  return word.toLowerCase().replace(/[,;:]+$/, '');
}

/**
 * The company part of a listing name: parentheticals dropped, cut before the
 * security description, legal form stripped. "" when nothing is left.
 */
export function companyPart(listingName: string): string {
  const words = listingName.replace(/\([^)]*\)/g, ' ').split(/\s+/).filter((w) => w !== '');
  let end = words.length;
  for (let i = 1; i < words.length; i++) {
    const w = bare(words[i]!);
    const pair = i + 1 < words.length ? `${w} ${bare(words[i + 1]!)}` : '';
    // "New" ends a name only as its last word ("… Common Stock New"), never in "Bank of New York"
    if (w === 'new' && i + 1 < words.length) continue;
    if (descriptorSingles.has(w) || descriptorPairs.has(pair) || /\d/.test(w)) { end = i; break; }
  }
  return words.slice(0, end).join(' ').replace(/[,;:]+$/, '');
}

/** The company part without its legal form: "Apple Inc." → "Apple", "The Cooper Companies" → "Cooper". */
export function shortName(listingName: string): string {
  const words = companyPart(listingName).split(' ').filter((w) => w !== '');
  while (words.length > 0 && legal.has(bare(words[words.length - 1]!))) words.pop();
  while (words.length > 1 && bare(words[0]!) === 'the') words.shift();
  return words.join(' ').replace(/[,;:]+$/, '');
}

/** Securities whose names are not a company people talk about by name. */
export function isNameEligible(s: Security): boolean {
  if (s.symbol.includes('^')) return false;
  if (s.industry === 'Blank Checks') return false;
  const n = s.name.toLowerCase();
  // partnerships trade "Common Units": those are equity, other units are SPAC bundles
  if (/\bunits?\b/.test(n) && !/\bcommon units?\b/.test(n)) return false;
  return !/\b(warrants?|rights?|notes|preferred|debentures?|due 20\d\d)\b/.test(n);
}

/**
 * The names one security is called by, most specific first. Industry words
 * are dropped from the end one at a time ("Palantir Technologies" →
 * "Palantir") unless only a generic first word would remain ("General
 * Motors" never becomes "General").
 */
export function nameVariants(listingName: string): string[] {
  const full = shortName(listingName);
  if (full === '') return [];
  const out = new Set<string>([full]);
  // "Booking Holdings", "Alibaba Group": the name with its group word but without the legal form
  const withGroup = companyPart(listingName).split(' ').filter((w) => w !== '');
  while (withGroup.length > 1 && corporate.has(bare(withGroup[withGroup.length - 1]!))) withGroup.pop();
  while (withGroup.length > 1 && bare(withGroup[0]!) === 'the') withGroup.shift();
  if (withGroup.length >= 2) out.add(withGroup.join(' ').replace(/[,;:]+$/, ''));
  const words = full.split(' ');
  while (words.length > 1 && generic.has(bare(words[words.length - 1]!))) {
    words.pop();
    if (words.length === 1 && genericFirst.has(bare(words[0]!))) break;
    out.add(words.join(' '));
  }
  for (const v of [...out]) {
    if (/\.com$/i.test(v)) out.add(v.slice(0, -4));
    if (v.includes('-')) out.add(v.replaceAll('-', ' '));
  }
  return [...out].filter((v) => {
    const ws = v.split(' ');
    if (ws.length === 1) return !genericFirst.has(v.toLowerCase()) && !neverAlone.has(v.toLowerCase());
    // a name cut in the middle ("Trump Media &", "Bank of") is not a name
    return !dangling.has(bare(ws[ws.length - 1]!));
  });
}

/**
 * The names a fund goes by: the full name, then without "ETF", "Trust",
 * "Fund" from the end ("SPDR S&P 500 ETF Trust" → "SPDR S&P 500"). Never
 * shorter than two words: "SPDR" alone is a fund family, not a fund.
 */
export function fundNameVariants(fundName: string): string[] {
  const words = fundName.split(/\s+/).filter((w) => w !== '');
  const out = [words.join(' ')];
  while (words.length > 2 && fundSuffixes.has(bare(words[words.length - 1]!))) {
    words.pop();
    out.push(words.join(' '));
  }
  return out;
}

/** The listing writes "Kohl's Corporation", "Macy's Inc": a brand in the possessive. */
export function isPossessiveName(listingName: string): boolean {
  return /^[A-Z][A-Za-z]+['’]s\b/.test(listingName);
}

/**
 * A single-word name that is also English ("Target") needs more than
 * capitalisation. Multi-word names are specific enough once capitalised; the
 * price is the odd capitalised phrase that is also a company ("Main Street").
 */
export function isCommonWordName(keys: readonly string[]): boolean {
  return keys.length === 1 && commonWords.has(keys[0]!);
}

export function createTrie(): TrieNode {
  return { next: undefined, entry: undefined };
}

/**
 * Adds a name under its token keys. When two companies share a name the
 * curated alias wins, then the larger market cap: "Alphabet" → GOOGL (class A
 * is worth more than GOOG), "Berkshire Hathaway" → BRK.B (likewise over
 * BRK.A). The rule is one line, needs no list, and picks the line people trade.
 */
export function addName(root: TrieNode, keys: readonly string[], entry: NameEntry): void {
  let node = root;
  for (const k of keys) {
    node.next ??= new Map();
    let child = node.next.get(k);
    if (child === undefined) {
      child = createTrie();
      node.next.set(k, child);
    }
    node = child;
  }
  const old = node.entry;
  if (
    old === undefined ||
    (entry.curated && !old.curated) ||
    (entry.curated === old.curated && entry.marketCapUsd > old.marketCapUsd)
  ) {
    node.entry = entry;
  }
}
