import type { Security } from '../types.ts';
import {
  AFTER_CUES, AMBIGUOUS_WORDS, BEFORE_CUES, BEFORE_NOUN_CUES, BEFORE_PREPOSITIONS, CURATED_ALIASES,
  FINANCE_WINDOW_WORDS, FUNCTION_WORDS, FUNDS, LINK_WORDS, MOVE_WORDS, NAMES_NEEDING_CONTEXT, SUBREDDIT_TICKERS, TICKER_WORDS,
} from './lexicon.ts';
import {
  MATCH_ANY_CASE, MATCH_CAPITALISED, MATCH_COMMON_WORD, MATCH_WITH_CONTEXT, MULTI_WORD_NAME_MIN_CAP_USD, SINGLE_WORD_NAME_MIN_CAP_USD,
  addName, companyPart, createTrie, isCommonWordName, isNameEligible, nameVariants, type NameEntry, type TrieNode,
} from './names.ts';
import {
  CASE_LOWER, CASE_TITLE, CASE_UPPER, KIND_CASHTAG, KIND_MONEY, KIND_NUMBER, KIND_WORD, createTokenizer,
  fingerprintOfKey, keyOf, textOf, type Token,
} from './tokenizer.ts';
import { normaliseSymbol } from './universe-csv.ts';

/**
 * Ticker extraction: which stocks a Reddit post talks about.
 *
 * Evidence, strongest first:
 *  1. A cashtag ("$aapl", "$BRK.B") always counts, known or not: people tag
 *     delisted and foreign tickers too. "$5", "$3.50", "$100k" are money.
 *  2. A bare upper-case token that is a listed symbol ("NVDA", "GME") counts,
 *     unless it is also English or slang ("ON", "ALL", "IT", "CEO", "YOLO").
 *     Those need context (see `hasSymbolContext`): two tiers, because "bought
 *     PATH" is a trade while "bought IT" is a sentence.
 *  3. A company name or nickname ("Nvidia", "Palantir", "Bank of America").
 *     Names that are also English ("Apple", "Target", "Block") count only
 *     capitalised, and at a sentence start or in a Title Case headline only
 *     with finance words nearby.
 *  4. Nothing named: a comment inherits its submission title's tickers, and a
 *     post in a single-stock subreddit (r/teslamotors) is about that stock.
 * Lower-case symbols ("tsla") never count on their own: too many are words.
 */

export interface TickerInput {
  text: string;
  subreddit?: string;
  parentTitle?: string;
}

export interface TickerExtractor {
  /** unique upper-case symbols in order of first appearance */
  extract(input: TickerInput): string[];
  isKnown(symbol: string): boolean;
  companyName(symbol: string): string | undefined;
}

export interface TickerExtractorOptions {
  securities: Security[];
  /** name or nickname → symbol, overriding derived names; matched in any case unless it is an English word */
  extraAliases?: Record<string, string>;
  /** subreddit (without "r/", any case) → symbol; merged over the built-in table, "" removes an entry */
  subredditTickers?: Record<string, string>;
}

const TIER_PLAIN = 0;
/** an English word or abbreviation: a finance word next to it is enough */
const TIER_WORD = 1;
/** a function word, a single letter or a ubiquitous acronym: needs a number, a cashtag or "shares of" */
const TIER_FUNCTION = 2;

interface SymbolInfo {
  symbol: string;
  /** may count as a bare upper-case token (not a warrant, unit, right or preferred issue) */
  bare: boolean;
  tier: number;
  name: string;
}

const CH_COMMA = 44;
const CH_SLASH = 47;
const CH_AMP = 38;
const CH_AT = 64;
const CH_MINUS = 45;

function setOf(words: readonly string[]): Set<string> {
  return new Set(words);
}

function reachesAnyCase(node: TrieNode): boolean {
  if (node.entry?.mode === MATCH_ANY_CASE) return true;
  if (node.next === undefined) return false;
  for (const child of node.next.values()) if (reachesAnyCase(child)) return true;
  return false;
}

export function createTickerExtractor(options: TickerExtractorOptions): TickerExtractor {
  const tokenize = createTokenizer();
  const ambiguous = setOf(AMBIGUOUS_WORDS);
  const functionWords = setOf(FUNCTION_WORDS);
  const beforeCues = setOf(BEFORE_CUES);
  const beforeNouns = setOf(BEFORE_NOUN_CUES);
  const beforePreps = setOf(BEFORE_PREPOSITIONS);
  const tickerWords = setOf(TICKER_WORDS);
  const afterCues = setOf(AFTER_CUES);
  const financeWords = setOf(FINANCE_WINDOW_WORDS);
  const moveWords = setOf(MOVE_WORDS);
  const linkWords = setOf(LINK_WORDS);
  const optionWords = setOf(['calls', 'call', 'puts', 'put', 'c', 'p']);
  const positionPreps = setOf(['on', 'in']);
  const positionAdjectives = setOf(['bullish', 'bearish', 'long', 'short']);

  const needContext = setOf(NAMES_NEEDING_CONTEXT);
  const tierOf = (symbol: string): number => {
    if (symbol.length === 1 || functionWords.has(symbol)) return TIER_FUNCTION;
    if (ambiguous.has(symbol)) return TIER_WORD;
    return TIER_PLAIN;
  };

  // ---- symbols -------------------------------------------------------------
  const symbols = new Map<string, SymbolInfo>();
  for (const s of options.securities) {
    const symbol = normaliseSymbol(s.symbol);
    if (symbol === '') continue;
    const bareOk = isNameEligible({ ...s, industry: '' }) && /^[A-Z]{1,5}(\.[A-Z])?$/.test(symbol);
    symbols.set(symbol, { symbol, bare: bareOk, tier: tierOf(symbol), name: companyPart(s.name) || s.name });
  }
  for (const [symbol, name] of Object.entries(FUNDS)) {
    if (!symbols.has(symbol)) symbols.set(symbol, { symbol, bare: true, tier: tierOf(symbol), name });
  }

  // ---- names ---------------------------------------------------------------
  const trie: TrieNode = createTrie();
  const keysOf = (phrase: string): { keys: string[]; ok: boolean } => {
    const t = tokenize(phrase);
    const keys: string[] = [];
    for (let i = 0; i < t.count; i++) {
      const tok = t.tokens[i]!;
      if (tok.kind !== KIND_WORD && tok.kind !== KIND_NUMBER) return { keys, ok: false };
      keys.push(keyOf(tok));
    }
    return { keys, ok: keys.length > 0 && t.tokens[0]!.kind === KIND_WORD };
  };
  const modeFor = (keys: string[], distinctive: boolean, derived: boolean): number => {
    if (derived && keys.length === 1 && needContext.has(keys[0]!)) return MATCH_WITH_CONTEXT;
    if (isCommonWordName(keys)) return MATCH_COMMON_WORD;
    // a name that spells an ambiguous symbol ("ONE") is as weak as the word
    if (keys.length === 1 && ambiguous.has(keys[0]!.toUpperCase())) return MATCH_COMMON_WORD;
    return distinctive ? MATCH_ANY_CASE : MATCH_CAPITALISED;
  };

  for (const s of options.securities) {
    if (!isNameEligible(s)) continue;
    const symbol = normaliseSymbol(s.symbol);
    for (const variant of nameVariants(s.name)) {
      const { keys, ok } = keysOf(variant);
      if (!ok) continue;
      const min = keys.length === 1 ? SINGLE_WORD_NAME_MIN_CAP_USD : MULTI_WORD_NAME_MIN_CAP_USD;
      if (s.marketCapUsd < min) continue;
      // a one-word name that is a symbol itself ("AMD", "RH") is handled as a symbol
      if (keys.length === 1 && symbols.has(keys[0]!.toUpperCase()) && keys[0]!.length <= 5 && variant === variant.toUpperCase()) continue;
      addName(trie, keys, {
        symbol, mode: modeFor(keys, false, true), length: keys.length, curated: false, marketCapUsd: s.marketCapUsd,
      });
    }
  }
  const addCurated = (alias: string, symbolIn: string, distinctive: boolean): void => {
    const symbol = normaliseSymbol(symbolIn);
    if (!symbols.has(symbol)) return; // a nickname for a symbol the universe no longer lists
    const { keys, ok } = keysOf(alias);
    if (!ok) return;
    addName(trie, keys, { symbol, mode: modeFor(keys, distinctive, false), length: keys.length, curated: true, marketCapUsd: 0 });
  };
  for (const [alias, a] of Object.entries(CURATED_ALIASES)) addCurated(alias, a.symbol, a.distinctive);
  for (const [alias, symbol] of Object.entries(options.extraAliases ?? {})) {
    if (!symbols.has(normaliseSymbol(symbol))) {
      symbols.set(normaliseSymbol(symbol), {
        symbol: normaliseSymbol(symbol), bare: false, tier: tierOf(normaliseSymbol(symbol)), name: alias,
      });
    }
    addCurated(alias, symbol, true);
  }

  // fingerprints of the first words of all names, and of names that may be written in lower case
  const anyFirstKeys = new Uint8Array(1 << 11);
  const lowerFirstKeys = new Uint8Array(1 << 11);
  for (const [key, node] of trie.next ?? new Map<string, TrieNode>()) {
    const f = fingerprintOfKey(key);
    anyFirstKeys[f >>> 3]! |= 1 << (f & 7);
    if (reachesAnyCase(node)) lowerFirstKeys[f >>> 3]! |= 1 << (f & 7);
  }

  // ---- subreddits ----------------------------------------------------------
  const subreddits = new Map<string, string>();
  for (const [sub, sym] of Object.entries({ ...SUBREDDIT_TICKERS, ...(options.subredditTickers ?? {}) })) {
    if (sym !== '') subreddits.set(sub.toLowerCase(), normaliseSymbol(sym));
    else subreddits.delete(sub.toLowerCase());
  }

  // ---- context -------------------------------------------------------------
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
        if (isNum(t) && t!.strike) return true;
        if (isNum(t)) { const w = word(j + 1); return w !== undefined && optionWords.has(keyOf(w)); }
        return optionWords.has(keyOf(t));
      }
    }
    if (isNum(t)) {
      if (t.strike || t.percent) return true;
      if (t.punctBefore === CH_AT) return true;
      const w = word(j + 1);
      if (w !== undefined && optionWords.has(keyOf(w))) return true;
      return false;
    }
    // "ALL at $150"
    if (keyOf(t) === 'at') {
      const m = j + 1 < count ? tokens[j + 1]! : undefined;
      return m !== undefined && m.kind === KIND_MONEY;
    }
    // "IT is up 5%", "ON's down 3%", "ALL jumped 8%"
    let k = j;
    let links = 0;
    while (k < count && links < 2 && tokens[k]!.kind === KIND_WORD && linkWords.has(keyOf(tokens[k]!))) { k++; links++; }
    const mv = word(k);
    if (mv !== undefined && moveWords.has(keyOf(mv))) {
      const p = k + 1 < count ? tokens[k + 1]! : undefined;
      if (p !== undefined && p.kind === KIND_NUMBER && p.percent) return true;
      if (p !== undefined && p.kind === KIND_MONEY) return true;
    }
    return false;
  }

  /** "shares of IT", "ticker ON", "calls on ALL": a ticker is the only thing that fits. */
  function strongBefore(i: number): boolean {
    const p = word(i - 1);
    if (p === undefined) return false;
    if (tickerWords.has(keyOf(p))) return true;
    if (beforePreps.has(keyOf(p))) {
      const q = word(i - 2);
      if (q !== undefined && beforeNouns.has(keyOf(q)) && !positionAdjectives.has(keyOf(q))) return true;
    }
    return false;
  }

  /** "bought PATH", "long ROOT", "bullish on OPEN". */
  function weakBefore(i: number): boolean {
    const p = word(i - 1);
    if (p === undefined) return false;
    if (beforeCues.has(keyOf(p))) return true;
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

  function hasSymbolContext(i: number, tier: number, shouting: boolean): boolean {
    if (strongBefore(i) || numericAfter(i)) return true;
    const t = tokens[i]!;
    if (tier === TIER_WORD) return weakAfter(i) || weakBefore(i);
    // function words: a finance noun after still works in normal text ("ON
    // calls are printing"), but not where case says nothing: a single capital
    // letter opening a sentence ("A stock I like") or a post in capitals
    if (!shouting && !(t.sentenceStart && t.length === 1)) return weakAfter(i);
    return false;
  }

  /** finance words within four tokens of a name, or a price or percentage */
  function nameContext(i: number, len: number): boolean {
    const from = Math.max(0, i - 4);
    const to = Math.min(count, i + len + 4);
    for (let k = from; k < to; k++) {
      if (k >= i && k < i + len) continue;
      const t = tokens[k]!;
      if (t.kind === KIND_WORD) { if (financeWords.has(keyOf(t))) return true; }
      else if (t.kind === KIND_MONEY || t.kind === KIND_CASHTAG || t.percent) return true;
    }
    return false;
  }

  // ---- extraction ------------------------------------------------------------
  // candidates of one text: symbol, token index, accepted?
  const candSymbol: string[] = [];
  const candIndex: number[] = [];
  const candState: number[] = []; // 0 accepted, 1 pending (word tier), 2 pending (function tier)

  function scan(text: string): string[] {
    const tk = tokenize(text);
    tokens = tk.tokens;
    count = tk.count;
    const shouting = tk.shouting;
    const headline = tk.headline;
    candSymbol.length = 0;
    candIndex.length = 0;
    candState.length = 0;
    let pending = 0;

    for (let i = 0; i < count; i++) {
      const t = tokens[i]!;
      if (t.kind === KIND_CASHTAG) {
        let sym = textOf(t);
        // "$BRK.X" where only BRK is listed: the class part was a stray letter
        const dot = sym.indexOf('.');
        if (dot > 0 && !symbols.has(sym) && symbols.has(sym.slice(0, dot))) sym = sym.slice(0, dot);
        candSymbol.push(sym); candIndex.push(i); candState.push(0);
        continue;
      }
      if (t.kind !== KIND_WORD) continue;

      if (t.letterCase === CASE_UPPER) {
        let text2 = textOf(t);
        let span = 1;
        // "BRK/B", "BF-B": a share class written with a slash or hyphen
        if (i + 1 < count) {
          const u = tokens[i + 1]!;
          if (u.attached && (u.punctBefore === CH_SLASH || u.punctBefore === CH_MINUS) && u.kind === KIND_WORD &&
            u.length === 1 && u.letterCase === CASE_UPPER && symbols.has(`${textOf(t)}.${textOf(u)}`)) {
            text2 = `${textOf(t)}.${textOf(u)}`;
            span = 2;
          }
        }
        const info = symbols.get(text2);
        if (info !== undefined && info.bare) {
          if (info.tier === TIER_PLAIN) {
            candSymbol.push(info.symbol); candIndex.push(i); candState.push(0);
            i += span - 1;
            continue;
          }
          if (hasSymbolContext(i, info.tier, shouting)) {
            candSymbol.push(info.symbol); candIndex.push(i); candState.push(0);
            i += span - 1;
            continue;
          }
          candSymbol.push(info.symbol); candIndex.push(i); candState.push(info.tier === TIER_WORD ? 1 : 2);
          pending++;
          // fall through: an ambiguous symbol may still start a name ("AT&T" is not one, "ALLY Financial" is)
        }
      }

      // company names: longest match in the trie, after a bit-table check
      // that rejects most words without lower-casing or hashing them
      const bits = t.letterCase === CASE_LOWER ? lowerFirstKeys : anyFirstKeys;
      if ((bits[t.print >>> 3]! & (1 << (t.print & 7))) === 0) continue;
      const first = trie.next?.get(keyOf(t));
      if (first === undefined) continue;
      let node: TrieNode = first;
      let best: NameEntry | undefined = node.entry;
      let k = i + 1;
      while (node.next !== undefined && k < count) {
        const u = tokens[k]!;
        if (u.kind !== KIND_WORD && u.kind !== KIND_NUMBER) break;
        const child = node.next.get(keyOf(u));
        if (child === undefined) break;
        node = child;
        if (child.entry !== undefined) best = child.entry;
        k++;
      }
      if (best === undefined) continue;
      let ok: boolean;
      if (best.mode === MATCH_ANY_CASE) ok = true;
      else if (best.mode === MATCH_CAPITALISED) ok = t.letterCase === CASE_TITLE || t.letterCase === CASE_UPPER;
      else if (best.mode === MATCH_WITH_CONTEXT) {
        ok = (t.letterCase === CASE_TITLE || t.letterCase === CASE_UPPER) && nameContext(i, best.length);
      }
      else if (t.letterCase === CASE_TITLE) {
        ok = (!t.sentenceStart && !headline) || t.possessive || nameContext(i, best.length);
      } else if (t.letterCase === CASE_UPPER) ok = nameContext(i, best.length);
      else ok = false;
      if (ok) {
        candSymbol.push(best.symbol); candIndex.push(i); candState.push(0);
        i += best.length - 1;
      }
    }

    if (pending > 0) resolvePending();

    const out: string[] = [];
    for (let c = 0; c < candSymbol.length; c++) {
      if (candState[c] !== 0) continue;
      const s = candSymbol[c]!;
      if (!out.includes(s)) out.push(s);
    }
    return out;
  }

  /**
   * Ambiguous symbols left without local context still count when the post
   * confirms them elsewhere ("ON … $ON") or lists them with confirmed tickers
   * ("NVDA, AMD, ON and MU", "UPS and FDX").
   */
  function resolvePending(): void {
    const accepted = new Set<string>();
    for (let c = 0; c < candSymbol.length; c++) if (candState[c] === 0) accepted.add(candSymbol[c]!);
    let changed = true;
    while (changed) {
      changed = false;
      for (let c = 0; c < candSymbol.length; c++) {
        if (candState[c] === 0) continue;
        const s = candSymbol[c]!;
        if (accepted.has(s) || listedWithTicker(c)) {
          candState[c] = 0;
          accepted.add(s);
          changed = true;
        }
      }
    }
  }

  /** a list separator between tokens a < b: "," "/" "&" or the word "and"/"or" */
  function listJoined(a: number, b: number): boolean {
    if (b === a + 1) {
      const p = tokens[b]!.punctBefore;
      return p === CH_COMMA || p === CH_SLASH || p === CH_AMP;
    }
    if (b === a + 2) {
      const m = tokens[a + 1]!;
      return m.kind === KIND_WORD && (keyOf(m) === 'and' || keyOf(m) === 'or') && m.punctBefore === 0 && tokens[b]!.punctBefore === 0;
    }
    return false;
  }

  function listedWithTicker(c: number): boolean {
    const i = candIndex[c]!;
    for (let o = 0; o < candSymbol.length; o++) {
      if (candState[o] !== 0) continue;
      const j = candIndex[o]!;
      // only a ticker written as one (a cashtag or upper-case symbol) makes a list of tickers
      if (tokens[j]!.letterCase !== CASE_UPPER) continue;
      if (j > i ? listJoined(i, j) : listJoined(j, i)) return true;
    }
    return false;
  }

  function extract(input: TickerInput): string[] {
    let found = scan(input.text);
    if (found.length === 0 && input.parentTitle) found = scan(input.parentTitle);
    if (found.length === 0 && input.subreddit) {
      let sub = input.subreddit.toLowerCase();
      if (sub.startsWith('/r/')) sub = sub.slice(3);
      else if (sub.startsWith('r/')) sub = sub.slice(2);
      const s = subreddits.get(sub);
      if (s !== undefined) found = [s];
    }
    return found;
  }

  return {
    extract,
    isKnown(symbol: string): boolean {
      const s = normaliseSymbol(symbol.startsWith('$') ? symbol.slice(1) : symbol);
      return symbols.has(s);
    },
    companyName(symbol: string): string | undefined {
      const s = normaliseSymbol(symbol.startsWith('$') ? symbol.slice(1) : symbol);
      return symbols.get(s)?.name;
    },
  };
}
