/**
 * Context rules: the words around a candidate that decide whether a symbol
 * that is also English ("ON", "IT", "F") or a company name that is also a
 * word ("Target", "Snowflake") is the stock. Each rule answers with a RULE_*
 * code, or 0 for "no", so `analyze --explain` can say which rule decided.
 *
 * The rules read the tokens of the post being scanned; `bind` points them at
 * a new post. Word lists live in lexicon.ts.
 */
import {
  AFTER_CUES, BEFORE_CUES, BEFORE_NOUN_CUES, BEFORE_PREPOSITIONS, COPULA_WORDS, FINANCE_WINDOW_WORDS, FUNCTION_AFTER_CUES, GROUP_NOUNS,
  LINK_WORDS, MARKET_WORDS, MOVE_FILLERS, MOVE_WORDS, TARGET_FOLLOWERS, TICKER_WORDS, TRADE_QUANTIFIERS,
} from './lexicon.ts';
import { createFrameRules, type FrameRules } from './frames.ts';
import { KIND_CASHTAG, KIND_MONEY, KIND_NUMBER, KIND_WORD, fingerprintOfKey, keyOf, textOf, type Token } from './tokenizer.ts';

export const RULE_NONE = 0;
export const RULE_NUMBER_AFTER = 1;
export const RULE_TICKER_NOUN = 2;
export const RULE_NOUN_PREPOSITION = 3;
export const RULE_TRADE_VERB = 4;
export const RULE_FINANCE_AFTER = 5;
export const RULE_LETTER_COPULA = 6;
export const RULE_MARKET_TALK = 7;
export const RULE_POSSESSIVE_BRAND = 8;
export const RULE_CONFIRMED = 9;
export const RULE_LISTED = 10;
export const RULE_SUBJECT = 11;
export const RULE_COMPANY_NOUN = 12;
export const RULE_EARNINGS_VERB = 13;

/** What each rule says, for `analyze --explain`. */
export const RULE_TEXT: readonly string[] = [
  'no context',
  'a strike, price or move right after it',
  '"ticker"/"symbol" right before it',
  '"shares of", "calls on", "dividend from" … right before it',
  'a trade verb right before it (bought, sold, long, holding …)',
  'a finance word right after it (calls, stock, earnings …)',
  'a single letter opening a sentence as its subject ("F is …") in market talk',
  'market talk in the same sentence',
  'written as the listing spells it, with its possessive ("Kohl\'s")',
  'confirmed elsewhere in the post (cashtag, symbol or name)',
  'listed with other companies ("X, Y and Z")',
  'the subject of its sentence ("zoom is dead money", "Meta is on a roll"), which talks markets or judges a company',
  'said to be a company ("NOW is the best software company", "ALL is my favorite insurer")',
  'opening a sentence with an earnings verb ("ON beat", "MO just hiked the dividend")',
];

const CH_SLASH = 47;
const CH_AT = 64;
const CH_PAREN = 40;
const CH_CLOSE_PAREN = 41;

function setOf(words: readonly string[]): Set<string> {
  return new Set(words);
}

/** The rules context.ts states itself, and those of frames.ts (subjects, shops, products) it passes on. */
export interface ContextRules extends Omit<FrameRules, 'bind' | 'companyPredicate' | 'earningsVerbAfter'> {
  bind(tokens: Token[], count: number): void;
  /** context for a word-like symbol at token i; `tier` 1 = English word, 2 = function word or letter */
  symbolContext(i: number, tier: number, shouting: boolean): number;
  /** market talk in the sentence around tokens [i, i + len); trade verbs count unless `strict` */
  marketContext(i: number, len: number, strict: boolean): boolean;
  /** "(DD)": a symbol alone in parentheses is a tag, never the stock */
  inParentheses(i: number): boolean;
  /** market talk in the sentence, money amounts aside ("$4.50 a gallon" is a shop's price) */
  marketWords(i: number, len: number): boolean;
  /** "zoom stock", "holding ford": a trade verb before or a finance noun after, for names in lower case */
  tradeCue(i: number, len: number): number;
  /** "IT stocks", "AI names": a group of stocks named by a word, not one stock */
  groupNounAfter(i: number): boolean;
  /** a trade verb right before or a finance noun right after token i: a cheap pre-check for tradeCue */
  cueNear(i: number): boolean;
}

export function createContextRules(): ContextRules {
  const frames = createFrameRules();
  const { companyPredicate, earningsVerbAfter, subjectOf, verdictAfter } = frames;
  const beforeCues = setOf(BEFORE_CUES);
  const beforeNouns = setOf(BEFORE_NOUN_CUES);
  const beforePreps = setOf(BEFORE_PREPOSITIONS);
  const tickerWords = setOf(TICKER_WORDS);
  const afterCues = setOf(AFTER_CUES);
  const functionAfterCues = setOf(FUNCTION_AFTER_CUES);
  const targetFollowers = setOf(TARGET_FOLLOWERS);
  const moveFillers = setOf(MOVE_FILLERS);
  const quantifiers = setOf(TRADE_QUANTIFIERS);
  const financeWords = setOf([...FINANCE_WINDOW_WORDS, ...MARKET_WORDS]);
  const marketWords = setOf(MARKET_WORDS);
  const moveWords = setOf(MOVE_WORDS);
  const linkWords = setOf(LINK_WORDS);
  const copulas = setOf(COPULA_WORDS);
  const groupNouns = setOf(GROUP_NOUNS);
  const optionWords = setOf(['calls', 'call', 'puts', 'put', 'c', 'p']);
  const priceLevelUnits = setOf(['week', 'wk', 'day', 'month', 'year', 'yr']);
  const priceLevels = setOf(['low', 'lows', 'high', 'highs']);
  const tradingWords = setOf(['trading', 'trades', 'traded']);
  const pickVerbs = setOf(['picked', 'loaded', 'scooped', 'snapped', 'load', 'loading', 'picking', 'scooping']);
  const skippedQuantifiers = setOf(['some', 'more', 'extra']);
  const positionPreps = setOf(['on', 'in']);
  const positionAdjectives = setOf(['bullish', 'bearish', 'long', 'short']);

  // fingerprints of the cue words, so most neighbours are ruled out without building their key
  const cuePrints = new Uint8Array(1 << 11);
  const listWords = setOf(['and', 'or', 'vs', 'versus']);
  for (const w of [...BEFORE_CUES, ...AFTER_CUES, 'on', 'in', ...listWords, 'some', 'more', 'extra', 'up']) {
    const f = fingerprintOfKey(w);
    cuePrints[f >>> 3]! |= 1 << (f & 7);
  }
  const cueLike = (t: Token | undefined): boolean => t !== undefined && (cuePrints[t.print >>> 3]! & (1 << (t.print & 7))) !== 0;

  let tokens: Token[] = [];
  let count = 0;

  const word = (i: number): Token | undefined => {
    if (i < 0 || i >= count) return undefined;
    const t = tokens[i]!;
    return t.kind === KIND_WORD ? t : undefined;
  };
  const isNum = (t: Token | undefined): boolean => t !== undefined && (t.kind === KIND_NUMBER || t.kind === KIND_MONEY);

  /**
   * A number right after the symbol: a strike ("ON 150c", "IT 12/20 300p",
   * "ALL 150 calls"), a percentage move ("ON +5%", "IT is up 5%"), a price
   * ("ALL at $150", "ON @ 98.2"). English rarely puts a number there.
   */
  function numericAfter(i: number): boolean {
    let j = i + 1;
    let t = j < count ? tokens[j] : undefined;
    if (t === undefined) return false;
    // expiry date before the strike: "12/20"
    if (t.kind === KIND_NUMBER && !t.percent && !t.strike && j + 1 < count) {
      const u = tokens[j + 1]!;
      if (u.kind === KIND_NUMBER && u.punctBefore === CH_SLASH && u.attached) {
        j += 2;
        t = j < count ? tokens[j] : undefined;
        if (t === undefined) return false;
        if (isNum(t) && t.strike) return true;
        if (isNum(t)) { const w = word(j + 1); return w !== undefined && optionWords.has(keyOf(w)); }
        return optionWords.has(keyOf(t));
      }
    }
    if (isNum(t)) {
      if (t.strike || t.percent) return true;
      if (t.punctBefore === CH_AT) return true;
      const w = word(j + 1);
      return w !== undefined && optionWords.has(keyOf(w));
    }
    // "ON to 150 by EOY", "hood to 100 🚀": a price target, the number ending the clause
    if (keyOf(t) === 'to') {
      const m = j + 1 < count ? tokens[j + 1]! : undefined;
      if (m === undefined || !isNum(m) || m.percent) return false;
      const after = j + 2 < count ? tokens[j + 2]! : undefined;
      return after === undefined || after.punctBefore !== 0 || after.sentenceStart || (after.kind === KIND_WORD && targetFollowers.has(keyOf(after)));
    }
    // "ALL at $150", "O at 52 week lows", "200 F at 10.50" (a quantity before, a price after)
    if (keyOf(t) === 'at') return priceAt(i, j + 1);
    // "Z trading at 3x sales"
    if (tradingWords.has(keyOf(t)) && word(j + 1) !== undefined && keyOf(tokens[j + 1]!) === 'at') return priceAt(i, j + 2);
    // "IT is up 5%", "ON's down 3%", "ALL jumped 8%"
    let k = j;
    let links = 0;
    while (k < count && links < 2 && tokens[k]!.kind === KIND_WORD && linkWords.has(keyOf(tokens[k]!))) { k++; links++; }
    const mv = word(k);
    if (mv !== undefined && moveWords.has(keyOf(mv))) {
      // "F down another 4%": one filler word before the size
      let q = k + 1;
      const filler = word(q);
      if (filler !== undefined && moveFillers.has(keyOf(filler))) q++;
      const p = q < count ? tokens[q]! : undefined;
      if (p !== undefined && p.kind === KIND_NUMBER && p.percent) return true;
      if (p !== undefined && p.kind === KIND_MONEY) return true;
    }
    return false;
  }

  /** After "at" at token m: a price or a price level for the symbol at i ("at $150", "at 52 week lows", "200 F at 10.50", "at 3x sales"). */
  function priceAt(i: number, m: number): boolean {
    const t = m < count ? tokens[m]! : undefined;
    if (t === undefined) return false;
    if (t.kind === KIND_MONEY) return true;
    if (t.kind !== KIND_NUMBER || t.percent) return false;
    const unit = word(m + 1);
    const level = word(m + 2);
    if (unit !== undefined && priceLevelUnits.has(keyOf(unit)) && level !== undefined && priceLevels.has(keyOf(level))) return true;
    const after = m + 1 < count ? tokens[m + 1]! : undefined;
    // "3x sales": a multiple is a valuation
    if (/x$/i.test(textOf(t)) && after !== undefined && after.kind === KIND_WORD) return true;
    // a quantity before the symbol and a price after it: "picked up 200 F at 10.50"
    return i > 0 && tokens[i - 1]!.kind === KIND_NUMBER && !tokens[i - 1]!.percent;
  }

  /** "shares of IT", "ticker ON", "calls on ALL", "dividend from O", "50 shares O": a ticker is the only thing that fits. */
  function strongBefore(i: number): number {
    const p = word(i - 1);
    if (p === undefined) return RULE_NONE;
    if (tickerWords.has(keyOf(p))) return RULE_TICKER_NOUN;
    if ((keyOf(p) === 'shares' || keyOf(p) === 'share') && i >= 2 && tokens[i - 2]!.kind === KIND_NUMBER) return RULE_NOUN_PREPOSITION;
    if (beforePreps.has(keyOf(p))) {
      const q = word(i - 2);
      if (q !== undefined && beforeNouns.has(keyOf(q)) && !positionAdjectives.has(keyOf(q))) return RULE_NOUN_PREPOSITION;
    }
    return RULE_NONE;
  }

  /** "bought PATH", "long ROOT", "bullish on OPEN", "bought some PATH", "picked up some ford". */
  function weakBefore(i: number): boolean {
    let p = word(i - 1);
    let at = i - 1;
    if (p !== undefined && skippedQuantifiers.has(keyOf(p))) { p = word(i - 2); at = i - 2; }
    if (p === undefined) return false;
    if (beforeCues.has(keyOf(p))) return true;
    if (keyOf(p) === 'up') { const v = word(at - 1); if (v !== undefined && pickVerbs.has(keyOf(v))) return true; }
    if (positionPreps.has(keyOf(p))) {
      const q = word(i - 2);
      if (q !== undefined && positionAdjectives.has(keyOf(q))) return true;
    }
    return false;
  }

  /** "ON calls", "PATH earnings", "ALL stock". */
  function weakAfter(i: number): boolean {
    const n = word(i + 1);
    return n !== undefined && afterCues.has(keyOf(n));
  }

  /** "ON calls", "IT shares": the narrower cues a function word or a letter needs. */
  function functionAfter(i: number): boolean {
    const n = word(i + 1);
    return n !== undefined && functionAfterCues.has(keyOf(n));
  }

  /** first and one-past-last token of the sentence holding tokens [i, end) */
  function sentenceOf(i: number, end: number): [number, number] {
    let from = i;
    while (from > 0 && !tokens[from]!.sentenceStart) from--;
    let to = end;
    while (to < count && !tokens[to]!.sentenceStart) to++;
    return [from, to];
  }

  function marketContext(i: number, len: number, strict: boolean): boolean {
    const [from, to] = sentenceOf(i, i + len);
    const words = strict ? marketWords : financeWords;
    for (let k = from; k < to; k++) {
      if (k >= i && k < i + len) continue;
      const t = tokens[k]!;
      if (t.kind === KIND_WORD) { if (words.has(keyOf(t))) return true; }
      else if (t.kind === KIND_MONEY || t.kind === KIND_CASHTAG || t.percent) return true;
    }
    return false;
  }

  /**
   * "added more O to my roth", "bought some T": what a trade verb traded,
   * when the sentence also talks markets beyond the verb.
   */
  function tradeObject(i: number): boolean {
    let p = word(i - 1);
    let j = i - 1;
    if (p !== undefined && quantifiers.has(keyOf(p))) { p = word(i - 2); j = i - 2; }
    if (p === undefined || !beforeCues.has(keyOf(p))) return false;
    const [from, to] = sentenceOf(i, i + 1);
    for (let k = from; k < to; k++) {
      if (k >= j && k <= i) continue;
      const t = tokens[k]!;
      if (t.kind === KIND_WORD ? marketWords.has(keyOf(t)) : t.kind === KIND_MONEY || t.kind === KIND_CASHTAG || t.percent) return true;
    }
    return false;
  }

  /** "F is a disaster", "T was dead money": a letter as a sentence's subject, when the sentence talks markets or judges an investment. */
  function letterCopula(i: number): boolean {
    const t = tokens[i]!;
    if (!t.sentenceStart || t.length !== 1) return false;
    const n = word(i + 1);
    if (n === undefined || !copulas.has(keyOf(n))) return false;
    return marketContext(i, 1, false) || verdictAfter(i + 1);
  }

  return {
    bind(t: Token[], n: number): void {
      tokens = t;
      count = n;
      frames.bind(t, n);
    },
    symbolContext(i: number, tier: number, shouting: boolean): number {
      const strong = strongBefore(i);
      if (strong !== RULE_NONE) return strong;
      if (numericAfter(i)) return RULE_NUMBER_AFTER;
      if (tier === 1) {
        if (weakAfter(i) && !this.groupNounAfter(i)) return RULE_FINANCE_AFTER;
        if (weakBefore(i)) return RULE_TRADE_VERB;
        if (shouting) return RULE_NONE;
        if (companyPredicate(i)) return RULE_COMPANY_NOUN;
        if (earningsVerbAfter(i)) return RULE_EARNINGS_VERB;
        // "PATH getting crushed after the CEO change", "UPS took a beating after losing volume";
        // two letters are too often an abbreviation for this ("CC was cautiously optimistic")
        return tokens[i]!.length > 2 && subjectOf(i, 1) && marketContext(i, 1, true) ? RULE_SUBJECT : RULE_NONE;
      }
      const t = tokens[i]!;
      if (!shouting && companyPredicate(i)) return RULE_COMPANY_NOUN;
      if (!shouting && earningsVerbAfter(i)) return RULE_EARNINGS_VERB;
      if (letterCopula(i)) return RULE_LETTER_COPULA;
      if (tradeObject(i)) return RULE_TRADE_VERB;
      // function words: a finance noun after still works in normal text ("ON
      // calls are printing"), but not where case says nothing: a single capital
      // letter opening a sentence ("A stock I like") or a post in capitals
      if (!shouting && !(t.sentenceStart && t.length === 1) && functionAfter(i)) return RULE_FINANCE_AFTER;
      return RULE_NONE;
    },
    marketContext,
    inParentheses(i: number): boolean {
      // the characters right around the token, whatever separates it from its neighbours
      const t = tokens[i]!;
      return t.start > 0 && t.source.charCodeAt(t.start - 1) === CH_PAREN && t.source.charCodeAt(t.end) === CH_CLOSE_PAREN;
    },
    afterPlace: frames.afterPlace,
    marketWords(i: number, len: number): boolean {
      const [from, to] = sentenceOf(i, i + len);
      for (let k = from; k < to; k++) {
        if (k >= i && k < i + len) continue;
        const t = tokens[k]!;
        if (t.kind === KIND_WORD ? marketWords.has(keyOf(t)) : t.kind === KIND_CASHTAG || t.percent) return true;
      }
      return false;
    },
    tradeCue(i: number, len: number): number {
      if (weakBefore(i)) return RULE_TRADE_VERB;
      if (weakAfter(i + len - 1) && !this.groupNounAfter(i + len - 1)) return RULE_FINANCE_AFTER;
      return RULE_NONE;
    },
    cueNear(i: number): boolean {
      let p = word(i - 1);
      let at = i - 1;
      // "picked up some ford": the fingerprint rules out most neighbours before any key is built
      if (cueLike(p) && skippedQuantifiers.has(keyOf(p!))) { p = word(i - 2); at = i - 2; }
      if (cueLike(p) && keyOf(p!) === 'up') { const v = word(at - 1); if (v !== undefined && pickVerbs.has(keyOf(v))) return true; }
      // a trade verb before, or a list it may belong to ("amd vs intel", "hood and coin")
      if (cueLike(p) && (beforeCues.has(keyOf(p!)) || positionPreps.has(keyOf(p!)) || listWords.has(keyOf(p!)))) return true;
      const n = word(i + 1);
      return cueLike(n) && (afterCues.has(keyOf(n!)) || listWords.has(keyOf(n!)));
    },
    groupNounAfter(i: number): boolean {
      const n = word(i + 1);
      return n !== undefined && groupNouns.has(keyOf(n));
    },
    subjectSlot: frames.subjectSlot,
    subjectOf: frames.subjectOf,
    verdictAfter: frames.verdictAfter,
    consumerFrame: frames.consumerFrame,
    productFrame: frames.productFrame,
    afterDeterminer: frames.afterDeterminer,
    continuesList: frames.continuesList,
  };
}
