/**
 * One pass over a post's characters, no regular expressions: the extractor
 * runs on every post, so the tokeniser is a hand-written scanner that yields
 * the few facts the rules need per token (shape, case, what separates it from
 * the previous token, whether a sentence starts there).
 *
 * Grammar, informally:
 *   cashtag = "$" letter{1,6} [("." | "/") letter{1,2}]   not followed by a letter or digit
 *   money   = "$" digit (digit | "," | "." | letter)*      "$5", "$3.50", "$100k"
 *   word    = letter (alnum | joiner alnum)*               joiner = "." "-" "&" "'" "’"
 *   number  = digit (digit | "," digit | "." digit | letter)*  ["%"]
 * A trailing "'s" is cut off a word and remembered as `possessive`.
 */

export const KIND_WORD = 0;
export const KIND_NUMBER = 1;
export const KIND_CASHTAG = 2;
export const KIND_MONEY = 3;

/** Letter case of a word: decides whether it may be a bare symbol or a name. */
export const CASE_LOWER = 0;
/** All letters upper-case ("TSLA", "A", "AT&T"). */
export const CASE_UPPER = 1;
/** First letter upper, some later letter lower ("Tesla", "GameStop"). */
export const CASE_TITLE = 2;
/** First letter lower, some later letter upper ("iPhone", "eBay"). */
export const CASE_MIXED = 3;

export interface Token {
  kind: number;
  /**
   * the token as written, possessive "'s" removed; for a cashtag, the
   * upper-cased symbol. Sliced lazily from `source`: read it through textOf().
   */
  text: string;
  textReady: boolean;
  source: string;
  start: number;
  end: number;
  /** characters in the token (without a possessive) */
  length: number;
  /**
   * lower-case form with apostrophes removed: the key for word lists and
   * names. Filled lazily (most tokens never need it): read it through keyOf().
   */
  key: string;
  keyReady: boolean;
  /** cheap fingerprint of the key (length, first and last letter), see keyFingerprint() */
  print: number;
  letterCase: number;
  possessive: boolean;
  /** first token of the post or of a sentence (after . ! ? or a line break) */
  sentenceStart: boolean;
  /** first punctuation character between the previous token and this one, 0 when only spaces */
  punctBefore: number;
  /** no whitespace between the previous token and this one */
  attached: boolean;
  /** a number directly followed by "%" */
  percent: boolean;
  /** a number directly preceded by "+" or "-" */
  signed: boolean;
  /** an option strike such as "150c", "45P", "$150c" */
  strike: boolean;
}

export interface Tokenized {
  tokens: Token[];
  count: number;
  /** most words are in capitals: emphasis cannot be told from tickers by case */
  shouting: boolean;
  /** most longer words inside sentences are capitalised ("Why Target Is A Buy"): a capital says little */
  headline: boolean;
}

const CH_DOLLAR = 36;
const CH_PERCENT = 37;
const CH_AMP = 38;
const CH_APOS = 39;
const CH_PLUS = 43;
const CH_COMMA = 44;
const CH_MINUS = 45;
const CH_DOT = 46;
const CH_SLASH = 47;
const CH_RSQUO = 0x2019;

// character classes for the Latin range, looked up instead of compared:
// the scanner asks these questions for every character of every post
const UPPER = 1;
const LOWER = 2;
const DIGIT = 4;
const CLASS_LIMIT = 0x250;
const CLASSES = new Uint8Array(CLASS_LIMIT);
for (let c = 0; c < CLASS_LIMIT; c++) {
  if (c >= 65 && c <= 90) CLASSES[c] = UPPER;
  else if ((c >= 97 && c <= 122) || (c >= 0xdf && c !== 0xf7)) CLASSES[c] = LOWER;
  else if (c >= 0xc0 && c < 0xdf && c !== 0xd7) CLASSES[c] = UPPER;
  else if (c >= 48 && c <= 57) CLASSES[c] = DIGIT;
}
function classOf(c: number): number {
  return c < CLASS_LIMIT ? CLASSES[c]! : 0;
}
function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}
function isLower(c: number): boolean {
  return (classOf(c) & LOWER) !== 0;
}
function isLetter(c: number): boolean {
  return (classOf(c) & (UPPER | LOWER)) !== 0;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isAlnum(c: number): boolean {
  return classOf(c) !== 0;
}
function isSentenceEnd(c: number): boolean {
  return c === 46 || c === 33 || c === 63 || c === 10 || c === 13;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0;
}

/** The token's text, sliced on first use. */
export function textOf(t: Token): string {
  if (!t.textReady) {
    t.text = t.source.slice(t.start, t.end);
    t.textReady = true;
  }
  return t.text;
}

/** The token's lookup key, computed on first use. */
export function keyOf(t: Token): string {
  if (!t.keyReady) {
    let key = textOf(t).toLowerCase();
    if (key.indexOf("'") >= 0 || key.indexOf('’') >= 0) key = key.replaceAll("'", '').replaceAll('’', '');
    t.key = key;
    t.keyReady = true;
  }
  return t.key;
}

/**
 * A 14-bit fingerprint of a lower-case key: its length (up to 15) and its
 * first and last characters folded to five bits. The name index keeps a bit
 * table of the fingerprints it holds, so most words are rejected without
 * lower-casing or hashing them.
 */
export function keyFingerprint(length: number, first: number, last: number): number {
  return ((length > 15 ? 15 : length) << 10) | ((first | 0x20) & 31) << 5 | ((last | 0x20) & 31);
}

/**
 * A second, 15-bit fingerprint from the first two and the last characters,
 * folded to five bits each: checked after keyFingerprint, it rules out most
 * of the words that share a length, a first and a last letter with a name.
 * -1 when the token's second character is an apostrophe or a dot (its key
 * drops or keeps what the text shows differently): no filtering then.
 */
export function secondPrintOfToken(t: Token): number {
  const c1 = t.source.charCodeAt(t.start + 1);
  if (t.end - t.start < 2 || c1 === CH_APOS || c1 === CH_RSQUO || c1 === CH_DOT) return -1;
  return (((t.source.charCodeAt(t.start) | 0x20) & 31) << 10) | (((c1 | 0x20) & 31) << 5) | ((t.source.charCodeAt(t.end - 1) | 0x20) & 31);
}

/** secondPrintOfToken of a ready-made key */
export function secondPrintOfKey(key: string): number {
  if (key.length < 2) return 0;
  return (((key.charCodeAt(0) | 0x20) & 31) << 10) | (((key.charCodeAt(1) | 0x20) & 31) << 5) | ((key.charCodeAt(key.length - 1) | 0x20) & 31);
}

/** keyFingerprint of a ready-made key */
export function fingerprintOfKey(key: string): number {
  return keyFingerprint(key.length, key.charCodeAt(0), key.charCodeAt(key.length - 1));
}

/**
 * A reusable tokeniser: token objects are pooled and overwritten on the next
 * call, so a caller must finish with one result before tokenising again.
 */
export function createTokenizer(): (text: string) => Tokenized {
  const pool: Token[] = [];
  const result: Tokenized = { tokens: pool, count: 0, shouting: false, headline: false };

  function next(index: number): Token {
    let t = pool[index];
    if (t === undefined) {
      t = {
        kind: 0, text: '', textReady: true, source: '', start: 0, end: 0, length: 0, key: '', keyReady: true, print: 0, letterCase: 0, possessive: false, sentenceStart: false, punctBefore: 0,
        attached: false, percent: false, signed: false, strike: false,
      };
      pool.push(t);
    }
    return t;
  }

  return function tokenize(text: string): Tokenized {
    const n = text.length;
    let count = 0;
    let i = 0;
    let sentenceStart = true;
    let punct = 0;
    let attached = false;
    let words = 0;
    let upperWords = 0;
    let innerWords = 0;
    let innerTitle = 0;

    while (i < n) {
      const c = text.charCodeAt(i);

      if (c === CH_DOLLAR && i + 1 < n) {
        const c1 = text.charCodeAt(i + 1);
        if (isLetter(c1)) {
          // cashtag: up to six letters, an optional share class, then a boundary
          let j = i + 1;
          while (j < n && isLetter(text.charCodeAt(j))) j++;
          let end = j;
          const letters = j - i - 1;
          if (j + 1 < n) {
            const sep = text.charCodeAt(j);
            if (sep === CH_DOT || sep === CH_SLASH || sep === CH_MINUS) {
              let k = j + 1;
              while (k < n && isLetter(text.charCodeAt(k))) k++;
              if (k - j - 1 >= 1 && k - j - 1 <= 2 && (k >= n || !isAlnum(text.charCodeAt(k)))) end = k;
            }
          }
          const after = end < n ? text.charCodeAt(end) : 32;
          if (letters <= 6 && !isDigit(after) && !(end === j && isLetter(after))) {
            const t = next(count++);
            let sym = text.slice(i + 1, end).toUpperCase();
            if (end !== j) sym = sym.slice(0, letters) + '.' + sym.slice(letters + 1);
            t.kind = KIND_CASHTAG;
            t.text = sym;
            t.textReady = true;
            t.length = sym.length;
            t.key = '';
            t.keyReady = false;
            t.print = 0;
            t.letterCase = CASE_UPPER;
            t.possessive = false;
            t.sentenceStart = sentenceStart;
            t.punctBefore = punct;
            t.attached = attached;
            t.percent = false;
            t.signed = false;
            t.strike = false;
            i = end;
            // "$TSLA's"
            if (i + 1 < n && (text.charCodeAt(i) === CH_APOS || text.charCodeAt(i) === CH_RSQUO)) {
              const s = text.charCodeAt(i + 1);
              if ((s === 115 || s === 83) && (i + 2 >= n || !isAlnum(text.charCodeAt(i + 2)))) i += 2;
            }
            sentenceStart = false;
            punct = 0;
            attached = true;
            continue;
          }
          // too long or glued to digits: not a ticker; skip the whole run
          i = end;
          while (i < n && isAlnum(text.charCodeAt(i))) i++;
          punct = CH_DOLLAR;
          attached = false;
          sentenceStart = false;
          continue;
        }
        if (isDigit(c1)) {
          let j = i + 1;
          while (j < n) {
            const cj = text.charCodeAt(j);
            if (isAlnum(cj)) j++;
            else if ((cj === CH_COMMA || cj === CH_DOT) && j + 1 < n && isDigit(text.charCodeAt(j + 1))) j += 2;
            else break;
          }
          const t = next(count++);
          t.kind = KIND_MONEY;
          t.text = text.slice(i, j);
          t.textReady = true;
          t.length = j - i;
          t.key = t.text;
          t.keyReady = true;
          t.print = 0;
          t.letterCase = CASE_LOWER;
          t.possessive = false;
          t.sentenceStart = sentenceStart;
          t.punctBefore = punct;
          t.attached = attached;
          const last = text.charCodeAt(j - 1);
          t.strike = last === 99 || last === 112 || last === 67 || last === 80;
          t.percent = false;
          t.signed = false;
          i = j;
          sentenceStart = false;
          punct = 0;
          attached = true;
          continue;
        }
      }

      if (isAlnum(c)) {
        const numeric = isDigit(c);
        let j = i + 1;
        let hasLower = isLower(c);
        let hasUpper = isUpper(c);
        let apostrophes = 0;
        let laterLower = false;
        while (j < n) {
          const cj = text.charCodeAt(j);
          const k = cj < CLASS_LIMIT ? CLASSES[cj]! : 0;
          if (k !== 0) {
            if (k === LOWER) { hasLower = true; laterLower = true; }
            else if (k === UPPER) hasUpper = true;
            j++;
            continue;
          }
          if (j + 1 < n) {
            const cn = text.charCodeAt(j + 1);
            if (numeric) {
              if ((cj === CH_DOT || cj === CH_COMMA) && isDigit(cn)) { j += 2; continue; }
            } else if (cj === CH_DOT) {
              // "BRK.B", "Amazon.com", "U.S" — but not "end.Next" of a missing space after a full stop
              if (isLetter(cn) && !(laterLower && isUpper(cn))) { j += 1; continue; }
            } else if (cj === CH_MINUS || cj === CH_AMP) {
              if (isAlnum(cn)) { j += 1; continue; }
            } else if (cj === CH_APOS || cj === CH_RSQUO) {
              if (isLetter(cn)) { j += 1; apostrophes++; continue; }
            }
          }
          break;
        }
        let end = j;
        let possessive = false;
        if (!numeric && end - i >= 3) {
          const s = text.charCodeAt(end - 1);
          const a = text.charCodeAt(end - 2);
          if ((s === 115 || s === 83) && (a === CH_APOS || a === CH_RSQUO)) {
            end -= 2;
            possessive = true;
            apostrophes--;
          }
        }
        const t = next(count++);
        t.textReady = false;
        t.source = text;
        t.start = i;
        t.end = end;
        t.length = end - i;
        t.possessive = possessive;
        t.sentenceStart = sentenceStart;
        t.punctBefore = punct;
        t.attached = attached;
        t.signed = false;
        t.percent = false;
        t.strike = false;
        t.print = keyFingerprint(end - i - apostrophes, text.charCodeAt(i), text.charCodeAt(end - 1));
        if (numeric) {
          t.kind = KIND_NUMBER;
          t.key = '';
          t.keyReady = false;
          t.letterCase = CASE_LOWER;
          t.percent = j < n && text.charCodeAt(j) === CH_PERCENT;
          if (i > 0) {
            const p = text.charCodeAt(i - 1);
            t.signed = p === CH_PLUS || p === CH_MINUS;
          }
          const last = text.charCodeAt(end - 1);
          t.strike = last === 99 || last === 112 || last === 67 || last === 80;
        } else {
          t.kind = KIND_WORD;
          if (!hasUpper && apostrophes === 0) {
            // the key is the text itself: sliced on first use
            t.key = '';
            t.keyReady = false;
          } else {
            t.key = '';
            t.keyReady = false;
          }
          if (!hasLower) t.letterCase = CASE_UPPER;
          else if (!hasUpper) t.letterCase = CASE_LOWER;
          else if (isUpper(c)) t.letterCase = CASE_TITLE;
          else t.letterCase = CASE_MIXED;
          if (end - i >= 2) {
            words++;
            if (!hasLower) upperWords++;
          }
          if (end - i >= 4 && !sentenceStart) {
            innerWords++;
            if (t.letterCase === CASE_TITLE) innerTitle++;
          }
        }
        i = j;
        sentenceStart = false;
        punct = 0;
        attached = true;
        continue;
      }

      // separators
      if (isSpace(c)) {
        attached = false;
        if (c === 10 || c === 13) sentenceStart = true;
      } else {
        if (punct === 0) punct = c;
        if (isSentenceEnd(c)) {
          // a full stop inside "3.5" never gets here: numbers swallow it
          sentenceStart = true;
        }
      }
      i++;
    }

    result.count = count;
    result.shouting = words >= 3 && upperWords * 10 >= words * 6;
    result.headline = innerWords >= 5 && innerTitle * 10 >= innerWords * 6;
    return result;
  };
}
