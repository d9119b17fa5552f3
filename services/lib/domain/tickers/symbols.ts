/**
 * The symbol table: every listed symbol (and the big funds the listing leaves
 * out), with how much context it needs before a bare mention counts.
 */
import type { Security } from '../types.ts';
import { englishWords } from './dictionary.ts';
import { AMBIGUOUS_WORDS, FUNCTION_WORDS, FUNDS, LOWER_CASE_NEVER_SYMBOLS } from './lexicon.ts';
import { companyPart, isNameEligible } from './names.ts';
import { normaliseSymbol } from './universe-csv.ts';

export const TIER_PLAIN = 0;
/** an English word or abbreviation: a finance word next to it is enough */
export const TIER_WORD = 1;
/** a function word, a single letter or a ubiquitous acronym: needs a number, a cashtag or "shares of" */
export const TIER_FUNCTION = 2;

/**
 * Lower-case symbols ("nvda", "pltr") count only for companies at least this
 * large: people type a symbol in lower case when it is one everybody knows.
 */
export const LOWER_CASE_SYMBOL_MIN_CAP_USD = 2_000_000_000; // USD
/** lower-case symbols that are English words ("hood", "snow") need context, and a company this large */
export const LOWER_CASE_WORD_SYMBOL_MIN_CAP_USD = 10_000_000_000; // USD
/** the funds in FUNDS carry no market cap in the listing; they are among the most traded names */
const FUND_CAP_USD = 100_000_000_000; // USD

export interface SymbolInfo {
  symbol: string;
  /** may count as a bare upper-case token (not a warrant, unit, right or preferred issue) */
  bare: boolean;
  tier: number;
  /** may count written in lower case: plain tier, 3+ letters, no English word, large enough */
  lower: boolean;
  /** an English word in lower case ("hood", "coin") that may count with a ticker's context ("hood to 100") */
  lowerWord: boolean;
  name: string;
}

export function buildSymbolTable(securities: readonly Security[]): Map<string, SymbolInfo> {
  const ambiguous = new Set(AMBIGUOUS_WORDS);
  const functionWords = new Set(FUNCTION_WORDS);
  const words = englishWords();
  const slang = new Set(LOWER_CASE_NEVER_SYMBOLS);
  const tierOf = (symbol: string): number => {
    if (symbol.length === 1 || functionWords.has(symbol)) return TIER_FUNCTION;
    if (ambiguous.has(symbol)) return TIER_WORD;
    return TIER_PLAIN;
  };
  const lowerOk = (symbol: string, tier: number, cap: number): boolean => {
    if (tier !== TIER_PLAIN || cap < LOWER_CASE_SYMBOL_MIN_CAP_USD) return false;
    const plain = symbol.replace('.', '');
    if (plain.length < 3) return false;
    const key = symbol.toLowerCase();
    return !words.has(key) && !words.has(key.replace('.', '')) && !slang.has(key);
  };
  const lowerWordOk = (symbol: string, tier: number, cap: number): boolean =>
    tier !== TIER_FUNCTION && cap >= LOWER_CASE_WORD_SYMBOL_MIN_CAP_USD && /^[A-Z]{3,5}$/.test(symbol) &&
    words.has(symbol.toLowerCase()) && !slang.has(symbol.toLowerCase());

  const symbols = new Map<string, SymbolInfo>();
  for (const s of securities) {
    const symbol = normaliseSymbol(s.symbol);
    if (symbol === '') continue;
    const bare = isNameEligible({ ...s, industry: '' }) && /^[A-Z]{1,5}(\.[A-Z])?$/.test(symbol);
    const tier = tierOf(symbol);
    symbols.set(symbol, {
      symbol, bare, tier, lower: bare && lowerOk(symbol, tier, s.marketCapUsd), lowerWord: bare && lowerWordOk(symbol, tier, s.marketCapUsd),
      name: companyPart(s.name) || s.name,
    });
  }
  for (const [symbol, name] of Object.entries(FUNDS)) {
    if (symbols.has(symbol)) continue;
    const tier = tierOf(symbol);
    symbols.set(symbol, { symbol, bare: true, tier, lower: lowerOk(symbol, tier, FUND_CAP_USD), lowerWord: lowerWordOk(symbol, tier, FUND_CAP_USD), name });
  }
  return symbols;
}
