import type { Security } from '../types.ts';
import {
  addCandidate, clearCandidates, confirmPending, createCandidates, KIND_OF_CASHTAG, KIND_OF_LOWER_SYMBOL, KIND_OF_NAME,
  KIND_OF_SYMBOL, STATE_ACCEPTED, STATE_LOWER_NAME_PENDING, STATE_NAME_PENDING, STATE_REJECTED, STATE_SYMBOL_PENDING,
} from './confirm.ts';
import { createContextRules, RULE_MARKET_TALK, RULE_NONE, RULE_POSSESSIVE_BRAND, RULE_SUBJECT, RULE_TEXT } from './context.ts';
import { SUBREDDIT_TICKERS } from './lexicon.ts';
import { buildNameIndex, MATCH_ANY_CASE, MATCH_CAPITALISED, MATCH_COMMON_WORD } from './name-index.ts';
import type { NameEntry, TrieNode } from './names.ts';
import { buildSymbolTable, TIER_FUNCTION, TIER_PLAIN, type SymbolInfo } from './symbols.ts';
import { buildTypoIndex } from './typos.ts';
import {
  CASE_LOWER, CASE_TITLE, CASE_UPPER, KIND_CASHTAG, KIND_NUMBER, KIND_WORD, createTokenizer, fingerprintOfKey, keyOf,
  secondPrintOfKey, secondPrintOfToken, textOf, type Token,
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
 *     Those need context (context.ts), and "(DD)" is a tag, never a stock.
 *  3. A lower-case symbol ("nvda", "pltr") of a large company that is no
 *     English word ("hood" is one) counts as the upper-case one would.
 *  4. A company or fund name, derived from the whole listing or curated
 *     ("Snowflake", "Realty Income", "SPDR S&P 500", "Zoom"). Names that are
 *     also English need market talk in their sentence; "at Target" is a shop.
 *  5. What the post confirms elsewhere (confirm.ts): "Ford … F is a disaster",
 *     "Apple, Costco and Visa".
 *  6. Nothing named: a comment inherits its submission title's tickers, and a
 *     post in a single-stock subreddit (r/teslamotors) is about that stock.
 */

export interface TickerInput {
  text: string;
  subreddit?: string;
  parentTitle?: string;
}

/** One piece of evidence `explain` found, kept or not. */
export interface TickerEvidence {
  symbol: string;
  /** the words as written ("Snowflake", "$TSLA", "F") */
  text: string;
  kind: 'cashtag' | 'symbol' | 'lower-case symbol' | 'name' | 'subreddit';
  counted: boolean;
  /** the rule that decided, in words */
  why: string;
}

export interface TickerExplanation {
  tickers: string[];
  /** where the tickers came from: the text itself, the submission title it answers, or the subreddit */
  source: 'text' | 'parent title' | 'subreddit' | 'none';
  evidence: TickerEvidence[];
}

export interface TickerExtractor {
  /** unique upper-case symbols in order of first appearance */
  extract(input: TickerInput): string[];
  /** the same answer, with the evidence for and against each candidate */
  explain(input: TickerInput): TickerExplanation;
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

const CH_SLASH = 47;
const CH_MINUS = 45;

/** why a name counted or not, for explain: indexed by MATCH_* (names.ts) */
const MODE_TEXT: readonly string[] = [
  'a distinctive name, any case',
  'a capitalised name',
  'a capitalised name that is also a word, inside a sentence or with market talk',
  'a name that is also a word or a surname, with market talk in its sentence',
];
/** extra rule codes for names, after context.ts's RULE_* */
const RULE_NAME_MODE = 100;
const RULE_SYMBOL_PLAIN = 200;
const RULE_LOWER_SYMBOL = 201;
const RULE_CASHTAG = 202;
const RULE_TAG_IN_PARENTHESES = 203;
const RULE_SHOP = 204;
const RULE_NAME_NO_CONTEXT = 205;
const RULE_PRODUCT = 206;
const RULE_SHOUTED_WORD = 207;
const RULE_DETERMINER = 208;
const RULE_LISTED_LOWER = 209;
const RULE_TYPO = 210;

function ruleText(rule: number): string {
  if (rule >= RULE_NAME_MODE && rule < RULE_SYMBOL_PLAIN) return MODE_TEXT[rule - RULE_NAME_MODE]!;
  switch (rule) {
    case RULE_SYMBOL_PLAIN: return 'a listed symbol in capitals that is no English word';
    case RULE_LOWER_SYMBOL: return 'a large company\'s symbol in lower case that is no English word';
    case RULE_CASHTAG: return 'a cashtag always counts';
    case RULE_TAG_IN_PARENTHESES: return 'a tag in parentheses such as "(DD)", not a stock';
    case RULE_SHOP: return 'after "at"/"to" without market talk: a shop or a place';
    case RULE_NAME_NO_CONTEXT: return 'a name that is also a word, without market talk or confirmation';
    case RULE_PRODUCT: return 'a product, a shop or a person ("a Tesla as a loaner", "the Apple store", "named Ford"), without market talk';
    case RULE_SHOUTED_WORD: return 'a word in capitals that is also a name ("ZOOM IN"): shouted, not named';
    case RULE_DETERMINER: return 'after "my", "the" …: the English word ("did my DD")';
    case RULE_LISTED_LOWER: return 'listed with a lower-case symbol just found ("hood and coin")';
    case RULE_TYPO: return 'a brand mistyped by one letter ("Nvidea", "Tesle"), counted as the name would be';
    default: return RULE_TEXT[rule] ?? 'no context';
  }
}

export function createTickerExtractor(options: TickerExtractorOptions): TickerExtractor {
  const tokenize = createTokenizer();
  const rules = createContextRules();
  const symbols = buildSymbolTable(options.securities);
  const { trie, anyFirstKeys, lowerFirstKeys, secondFirstKeys } = buildNameIndex(options.securities, symbols, options.extraAliases ?? {});

  const has = (f: number, bits: Uint8Array): boolean => (bits[f >>> 3]! & (1 << (f & 7))) !== 0;
  // the symbols that may be written in lower case, by their lower-case key, and their fingerprints:
  // most lower-case words are rejected without a lookup
  const lowerSymbols = new Map<string, SymbolInfo>();
  const lowerSymbolKeys = new Uint8Array(1 << 11);
  const lowerSymbolSecond = new Uint8Array(1 << 12);
  for (const info of symbols.values()) {
    if (!info.lower && !info.lowerWord) continue;
    const key = info.symbol.toLowerCase();
    lowerSymbols.set(key, info);
    const f = fingerprintOfKey(key);
    lowerSymbolKeys[f >>> 3]! |= 1 << (f & 7);
    const g = secondPrintOfKey(key);
    lowerSymbolSecond[g >>> 3]! |= 1 << (g & 7);
  }
  /** both fingerprints of a word token are in the tables (a second print of -1 passes) */
  const mayBe = (t: Token, first: Uint8Array, second: Uint8Array): boolean => {
    if (!has(t.print, first)) return false;
    const g = secondPrintOfToken(t);
    return g < 0 || has(g, second);
  };

  const subreddits = new Map<string, string>();
  for (const [sub, sym] of Object.entries({ ...SUBREDDIT_TICKERS, ...(options.subredditTickers ?? {}) })) {
    if (sym !== '') subreddits.set(sub.toLowerCase(), normaliseSymbol(sym));
    else subreddits.delete(sub.toLowerCase());
  }

  const cand = createCandidates();
  const typos = buildTypoIndex(new Set(trie.next?.keys() ?? []));

  function opensLongerName(t: Token, tokens: Token[], i: number, count: number): boolean {
    const node = trie.next?.get(keyOf(t));
    const next = tokens[i + 1]!;
    if (node?.next === undefined || (next.kind !== KIND_WORD && next.kind !== KIND_NUMBER)) return false;
    let child = node.next.get(keyOf(next));
    let k = i + 2;
    while (child !== undefined) {
      if (child.entry !== undefined && child.entry.length >= 2) return true;
      if (child.next === undefined || k >= count) return false;
      const u = tokens[k++]!;
      if (u.kind !== KIND_WORD && u.kind !== KIND_NUMBER) return false;
      child = child.next.get(keyOf(u));
    }
    return false;
  }

  /** Scans one text into `cand`; the tokens stay valid until the next scan. */
  function scan(text: string): ReturnType<typeof tokenize> {
    const tk = tokenize(text);
    const tokens = tk.tokens;
    const count = tk.count;
    rules.bind(tokens, count);
    clearCandidates(cand);
    let pending = 0;
    // the last name taken for a shop or a place: a list after it is of shops too ("to Target then Costco")
    let placeEnd = -1;
    // the last lower-case symbol counted: one listed right after it counts too ("hood and coin")
    let lowerEnd = -1;

    for (let i = 0; i < count; i++) {
      const t = tokens[i]!;
      if (t.kind === KIND_CASHTAG) {
        let sym = textOf(t);
        // "$BRK.X" where only BRK is listed: the class part was a stray letter
        const dot = sym.indexOf('.');
        if (dot > 0 && !symbols.has(sym) && symbols.has(sym.slice(0, dot))) sym = sym.slice(0, dot);
        addCandidate(cand, sym, i, i, STATE_ACCEPTED, RULE_CASHTAG, KIND_OF_CASHTAG);
        continue;
      }
      // "3M": a number token can open a name, and is as good as capitalised
      if (t.kind !== KIND_WORD && !(t.kind === KIND_NUMBER && !t.percent && has(t.print, anyFirstKeys))) continue;
      const letterCase = t.kind === KIND_NUMBER ? CASE_UPPER : t.letterCase;

      if (letterCase === CASE_UPPER && t.kind === KIND_WORD) {
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
        // "GE Vernova", "ON Semi": a symbol that opens a longer name is that name
        if (info !== undefined && info.bare && !(span === 1 && i + 1 < count && opensLongerName(t, tokens, i, count))) {
          const end = i + span - 1;
          if (info.tier === TIER_PLAIN) {
            addCandidate(cand, info.symbol, i, end, STATE_ACCEPTED, RULE_SYMBOL_PLAIN, KIND_OF_SYMBOL);
            i = end;
            continue;
          }
          if (rules.inParentheses(i)) {
            addCandidate(cand, info.symbol, i, end, STATE_REJECTED, RULE_TAG_IN_PARENTHESES, KIND_OF_SYMBOL);
            continue;
          }
          const rule = rules.symbolContext(i, info.tier, tk.shouting);
          if (rule !== RULE_NONE) {
            addCandidate(cand, info.symbol, i, end, STATE_ACCEPTED, rule, KIND_OF_SYMBOL);
            i = end;
            continue;
          }
          if (rules.afterDeterminer(i)) {
            addCandidate(cand, info.symbol, i, end, STATE_REJECTED, RULE_DETERMINER, KIND_OF_SYMBOL);
            continue;
          }
          addCandidate(cand, info.symbol, i, end, STATE_SYMBOL_PENDING, RULE_NONE, KIND_OF_SYMBOL);
          pending++;
          // fall through: an ambiguous symbol may still start a name ("ALLY Financial")
        }
      } else if (letterCase === CASE_LOWER && t.length >= 3 && t.length <= 7 && t.kind === KIND_WORD && mayBe(t, lowerSymbolKeys, lowerSymbolSecond)) {
        // "nvda", "brk.b": a big company's symbol in lower case, when it is no English word
        const info = lowerSymbols.get(keyOf(t));
        if (info !== undefined && info.lower) {
          addCandidate(cand, info.symbol, i, i, STATE_ACCEPTED, RULE_LOWER_SYMBOL, KIND_OF_LOWER_SYMBOL);
          lowerEnd = i;
          continue;
        }
        if (info !== undefined) {
          // "hood to 100", "shares of coin": a word, unless what is around it only fits a ticker;
          // "hood and coin both ripping": the subject of a sentence that talks markets, and what is listed with it
          let rule = rules.symbolContext(i, TIER_FUNCTION, false);
          if (rule === RULE_NONE && rules.subjectOf(i, 1) && rules.marketContext(i, 1, true)) rule = RULE_SUBJECT;
          if (rule === RULE_NONE && lowerEnd >= 0 && rules.continuesList(lowerEnd, i)) rule = RULE_LISTED_LOWER;
          if (rule !== RULE_NONE) {
            addCandidate(cand, info.symbol, i, i, STATE_ACCEPTED, rule, KIND_OF_LOWER_SYMBOL);
            lowerEnd = i;
            continue;
          }
        }
      }

      // company names: longest match in the trie, after a bit-table check
      // that rejects most words without lower-casing or hashing them
      const lower = letterCase === CASE_LOWER;
      let first: TrieNode | undefined;
      if (t.kind === KIND_WORD ? mayBe(t, anyFirstKeys, secondFirstKeys) : has(t.print, anyFirstKeys)) {
        // most lower-case words that start a name are the word ("target", "delta"): look them up only
        // where they could count, next to a trade cue or after a word-like symbol they could confirm
        if (lower && !has(t.print, lowerFirstKeys) && pending === 0 && !rules.cueNear(i) && !rules.subjectSlot(i)) continue;
        first = trie.next?.get(keyOf(t));
      }
      let typo = false;
      if (first === undefined) {
        // "Nvidea", "Tesle", "amzn earnigs": a brand mistyped (typos.ts); in lower case only as a sentence's subject
        if (t.length < 4 || (lower ? !(t.sentenceStart || (i > 0 && tokens[i - 1]!.sentenceStart)) || !rules.subjectSlot(i) : letterCase !== CASE_TITLE)) continue;
        const name = typos.nameOf(t);
        if (name === undefined) continue;
        first = trie.next?.get(name);
        if (first === undefined) continue;
        typo = true;
      }
      let node: TrieNode = first;
      let best: NameEntry | undefined = node.entry;
      let k = i + 1;
      while (!typo && node.next !== undefined && k < count) {
        const u = tokens[k]!;
        if (u.kind !== KIND_WORD && u.kind !== KIND_NUMBER) break;
        const child = node.next.get(keyOf(u));
        if (child === undefined) break;
        node = child;
        if (child.entry !== undefined) best = child.entry;
        k++;
      }
      if (best === undefined) continue;
      const end = i + best.length - 1;
      const mode = best.mode;
      let state = STATE_ACCEPTED;
      let rule = RULE_NAME_MODE + mode;
      const place = rules.afterPlace(i, mode === MATCH_ANY_CASE) || (placeEnd >= 0 && rules.continuesList(placeEnd, i));
      if ((place || rules.productFrame(i, best.length)) && !rules.marketWords(i, best.length)) {
        // "at Target", "to Target then Costco", "a Tesla as a loaner", "the Apple store", "named Ford"
        state = STATE_REJECTED;
        rule = place ? RULE_SHOP : RULE_PRODUCT;
        if (place) placeEnd = end;
      } else if (mode !== MATCH_ANY_CASE && best.length === 1 && letterCase === CASE_UPPER && t.kind === KIND_WORD && t.length > 2 && !tk.shouting) {
        // "ZOOM IN on the chart": a name that is also a word, in capitals, is the word shouted
        state = STATE_REJECTED;
        rule = RULE_SHOUTED_WORD;
      } else if (mode === MATCH_ANY_CASE) {
        // counts as written
      } else if (lower) {
        // "holding zoom", "ford stock": a name in lower case needs a trade cue right at it;
        // "target is down bad after that guide": or to be the subject of a sentence that talks markets
        rule = rules.tradeCue(i, best.length);
        if (rule === RULE_NONE && rules.subjectOf(i, best.length) &&
          (rules.marketContext(i, best.length, !t.sentenceStart ? false : true) || rules.verdictAfter(end))) rule = RULE_SUBJECT;
        if (rule === RULE_NONE) {
          // "U is such a mess, unity can't catch a break": still confirmable by the symbol
          state = STATE_LOWER_NAME_PENDING;
          rule = RULE_NAME_NO_CONTEXT;
          pending++;
        }
      } else if (mode === MATCH_CAPITALISED) {
        // counts as written
      } else if (best.possessive && t.possessive) {
        rule = RULE_POSSESSIVE_BRAND;
      } else {
        const inside = letterCase === CASE_TITLE && !t.sentenceStart && !tk.headline;
        if (mode === MATCH_COMMON_WORD && (inside || t.possessive)) {
          // counts: a capitalised word inside a sentence is a name
        } else if (rules.marketContext(i, best.length, false)) {
          rule = RULE_MARKET_TALK;
        } else if (mode === MATCH_COMMON_WORD && rules.subjectOf(i, best.length) && !rules.consumerFrame(i)) {
          // "Meta is on a roll", "Chewy is a one-trick pony": a capitalised name as the subject of a verdict
          rule = RULE_SUBJECT;
        } else {
          state = STATE_NAME_PENDING;
          rule = RULE_NAME_NO_CONTEXT;
          pending++;
        }
      }
      if (typo && state === STATE_ACCEPTED) rule = RULE_TYPO;
      addCandidate(cand, best.symbol, i, end, state, rule, KIND_OF_NAME);
      if (state === STATE_ACCEPTED) i = end;
    }

    if (pending > 0) confirmPending(cand, tokens);
    return tk;
  }

  function accepted(): string[] {
    const out: string[] = [];
    for (let c = 0; c < cand.count; c++) {
      if (cand.state[c] !== STATE_ACCEPTED) continue;
      const s = cand.symbol[c]!;
      if (!out.includes(s)) out.push(s);
    }
    return out;
  }

  function fromSubreddit(subreddit: string | undefined): string | undefined {
    if (!subreddit) return undefined;
    let sub = subreddit.toLowerCase();
    if (sub.startsWith('/r/')) sub = sub.slice(3);
    else if (sub.startsWith('r/')) sub = sub.slice(2);
    return subreddits.get(sub);
  }

  function extract(input: TickerInput): string[] {
    scan(input.text);
    let found = accepted();
    if (found.length === 0 && input.parentTitle) {
      scan(input.parentTitle);
      found = accepted();
    }
    if (found.length === 0) {
      const s = fromSubreddit(input.subreddit);
      if (s !== undefined) found = [s];
    }
    return found;
  }

  function evidenceOf(text: string): TickerEvidence[] {
    const tk = scan(text);
    const kinds = ['cashtag', 'symbol', 'lower-case symbol', 'name'] as const;
    const out: TickerEvidence[] = [];
    for (let c = 0; c < cand.count; c++) {
      const from = tk.tokens[cand.start[c]!]!;
      const to = tk.tokens[cand.end[c]!]!;
      const counted = cand.state[c] === STATE_ACCEPTED;
      const rule = cand.rule[c]!;
      out.push({
        symbol: cand.symbol[c]!,
        // a cashtag token holds its symbol rather than its place in the text
        text: from.kind === KIND_CASHTAG ? `$${textOf(from)}` : text.slice(from.start, to.end),
        kind: kinds[cand.kind[c]!]!,
        counted,
        why: counted || rule !== RULE_NONE ? ruleText(rule) : 'an English word in capitals without context or confirmation',
      });
    }
    return out;
  }

  function explain(input: TickerInput): TickerExplanation {
    const evidence = evidenceOf(input.text);
    let tickers = accepted();
    let source: TickerExplanation['source'] = tickers.length > 0 ? 'text' : 'none';
    if (tickers.length === 0 && input.parentTitle) {
      evidence.push(...evidenceOf(input.parentTitle));
      tickers = accepted();
      if (tickers.length > 0) source = 'parent title';
    }
    if (tickers.length === 0) {
      const s = fromSubreddit(input.subreddit);
      if (s !== undefined) {
        tickers = [s];
        source = 'subreddit';
        evidence.push({ symbol: s, text: `r/${input.subreddit}`, kind: 'subreddit', counted: true, why: 'a subreddit about one stock, and the post names none' });
      }
    }
    return { tickers, source, evidence };
  }

  return {
    extract,
    explain,
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

