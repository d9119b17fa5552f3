/**
 * One left-to-right pass over the raw text that turns it into the tokens the
 * scorer needs, written into a reusable buffer so scoring a post allocates
 * little beyond the word slices.
 *
 * The `sentiment` package's own tokenizer cannot be reused: it drops "!", "?",
 * "%" and the sign of "+5%", splits emoji into meaningless surrogate halves
 * and lower-cases before anyone can see shouting. This one keeps them:
 *
 *   token    := WORD | PERCENT | EMOJI | CLAUSE | SENTENCE
 *   WORD     := letters/digits with inner apostrophes, lower-cased; `caps` when
 *               written in capitals (2+ letters, none lower case)
 *   PERCENT  := [+|-] number "%"          value = number, sign = +1 | -1 | 0
 *   EMOJI    := a known emoji or emoticon  value = its valence; aux = 3 for one that mocks (🙃)
 *   CLAUSE   := , ; : – —                  ends a negation scope; aux = 2 for ":" (a list's head)
 *   SENTENCE := run of . ! ? or a newline   value = count of "!", question flag
 *
 * Skipped entirely: URLs, cashtags ($TSLA: a ticker is not an opinion), dollar
 * amounts, @mentions, emoji modifiers (variation selectors, ZWJ, skin tones).
 * Hyphens separate words, so "sell-off" reads as the phrase "sell off".
 */
import { F_IRONY_HINT } from './vocabulary.ts';
import type { VocabEntry, Vocabulary } from './vocabulary.ts';

/** a local copy of the flag, read in the scanner's hot loop */
const IRONY_HINT = F_IRONY_HINT;

export const T_WORD = 1;
export const T_PERCENT = 2;
export const T_EMOJI = 3;
export const T_CLAUSE = 4;
export const T_SENTENCE = 5;

export interface TokenBuffer {
  /** number of tokens written by the last tokenize() */
  length: number;
  kind: Uint8Array;
  /** lower-cased word (T_WORD), '' otherwise */
  word: string[];
  /** vocabulary entry of the word, undefined when unknown or not a word */
  entry: (VocabEntry | undefined)[];
  /** PERCENT: the number; EMOJI: valence; SENTENCE: count of "!" */
  value: Float64Array;
  /** WORD: 1 if in capitals; PERCENT: sign (+1/-1/0); SENTENCE: 1 if a question; CLAUSE: 2 for a colon; EMOJI: 3 if it mocks */
  aux: Int8Array;
  /** words of 2+ letters, and how many of them were in capitals */
  letterWords: number;
  capsWords: number;
  /** words and emoji that may open a cue of irony (irony.ts looks closer only when there is one) */
  ironyHints: number;
}

const INITIAL_CAPACITY = 256;

export function createTokenBuffer(): TokenBuffer {
  return {
    length: 0,
    kind: new Uint8Array(INITIAL_CAPACITY),
    word: [],
    entry: [],
    value: new Float64Array(INITIAL_CAPACITY),
    aux: new Int8Array(INITIAL_CAPACITY),
    letterWords: 0,
    capsWords: 0,
    ironyHints: 0,
  };
}

function grow(buf: TokenBuffer): void {
  const size = buf.kind.length * 2;
  const kind = new Uint8Array(size);
  kind.set(buf.kind);
  const value = new Float64Array(size);
  value.set(buf.value);
  const aux = new Int8Array(size);
  aux.set(buf.aux);
  buf.kind = kind;
  buf.value = value;
  buf.aux = aux;
}

function push(buf: TokenBuffer, kind: number, word: string, entry: VocabEntry | undefined, value: number, aux: number): void {
  const i = buf.length;
  if (i === buf.kind.length) grow(buf);
  buf.kind[i] = kind;
  buf.word[i] = word;
  buf.entry[i] = entry;
  buf.value[i] = value;
  buf.aux[i] = aux;
  buf.length = i + 1;
}

// Character classes by UTF-16 code unit.
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isLower = (c: number): boolean => c >= 97 && c <= 122;
/** Latin-1 and Latin Extended letters (café, naïve), but not × ÷. */
const isAccented = (c: number): boolean => c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7;
const isLetter = (c: number): boolean => isLower(c) || isUpper(c) || isAccented(c);
const isWordChar = (c: number): boolean => isLetter(c) || isDigit(c);
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 0xa0;
const APOSTROPHE = 39;
const RIGHT_QUOTE = 0x2019;

/** Code points that only decorate the emoji before them. */
function isEmojiModifier(cp: number): boolean {
  return cp === 0xfe0f || cp === 0xfe0e || cp === 0x200d || (cp >= 0x1f3fb && cp <= 0x1f3ff) || cp === 0x20e3;
}

/** Cuts every run of one repeated character down to at most `max`. */
function collapseRuns(word: string, max: number): string {
  let out = '';
  let run = 0;
  for (let k = 0; k < word.length; k++) {
    run = k > 0 && word.charCodeAt(k) === word.charCodeAt(k - 1) ? run + 1 : 1;
    if (run <= max) out += word[k];
  }
  return out;
}

function skipToSpace(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || c === 10) break;
    i++;
  }
  return i;
}

/** Digits with inner "." or "," groups: 3.5, 1,200.50. Returns the end index. */
function scanNumber(text: string, i: number): number {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) i++;
    else if ((c === 46 || c === 44) && i + 1 < n && isDigit(text.charCodeAt(i + 1))) i++;
    else break;
  }
  return i;
}

/** A "%" right after a number, allowing one space ("5 %"). Returns its index or -1. */
function percentAt(text: string, i: number): number {
  if (i < text.length && text.charCodeAt(i) === 37) return i;
  if (i + 1 < text.length && text.charCodeAt(i) === 32 && text.charCodeAt(i + 1) === 37) return i + 1;
  return -1;
}

function pushSentenceEnd(buf: TokenBuffer, exclamations: number, question: boolean): void {
  const last = buf.length - 1;
  if (last >= 0 && buf.kind[last] === T_SENTENCE) {
    // "?!" then a newline is still one sentence end; merge rather than stack.
    buf.value[last] = buf.value[last]! + exclamations;
    if (question) buf.aux[last] = 1;
    return;
  }
  if (buf.length === 0) return;
  push(buf, T_SENTENCE, '', undefined, exclamations, question ? 1 : 0);
}

export function tokenize(text: string, vocab: Vocabulary, buf: TokenBuffer): void {
  buf.length = 0;
  buf.letterWords = 0;
  buf.capsWords = 0;
  buf.ironyHints = 0;
  const n = text.length;
  const words = vocab.words;
  let i = 0;

  while (i < n) {
    const c = text.charCodeAt(i);

    if (isSpace(c)) {
      i++;
      continue;
    }

    if (isWordChar(c)) {
      const start = i;
      let upper = 0;
      let lower = 0;
      let curly = false;
      let elongated = false;
      if (isDigit(c)) {
        i = scanNumber(text, i);
        const pct = percentAt(text, i);
        if (pct >= 0) {
          push(buf, T_PERCENT, '', undefined, Number.parseFloat(text.slice(start, i).replaceAll(',', '')), 0);
          i = pct + 1;
          continue;
        }
      }
      while (i < n) {
        const d = text.charCodeAt(i);
        if (i - start >= 2 && d === text.charCodeAt(i - 1) && d === text.charCodeAt(i - 2) && !isDigit(d)) elongated = true;
        if (isLower(d)) lower++;
        else if (isUpper(d)) upper++;
        else if (isAccented(d)) lower++;
        else if (isDigit(d)) {
          // digits inside a word: q3, 10x, 52wk
        } else if ((d === APOSTROPHE || d === RIGHT_QUOTE) && i + 1 < n && isLetter(text.charCodeAt(i + 1)) && i > start) {
          if (d === RIGHT_QUOTE) curly = true;
        } else break;
        i++;
      }
      // URLs carry no opinion and are long: skip the whole thing.
      if (i < n && (text.charCodeAt(i) === 58 || text.charCodeAt(i) === 46) && i - start <= 5) {
        const head = text.slice(start, i).toLowerCase();
        if (head === 'http' || head === 'https' || head === 'www') {
          i = skipToSpace(text, i);
          continue;
        }
      }
      let word = text.slice(start, i);
      if (upper > 0) word = word.toLowerCase();
      if (curly) word = word.replaceAll('\u2019', "'");
      const letters = upper + lower;
      let caps = 0;
      if (letters >= 2) {
        buf.letterWords++;
        if (lower === 0) {
          buf.capsWords++;
          caps = 1;
        }
      }
      let entry = words.get(word);
      if (entry === undefined && elongated) {
        // "loooong", "mooooon", "soooo": try the word with its runs cut to two letters, then one.
        word = collapseRuns(word, 2);
        entry = words.get(word);
        if (entry === undefined) {
          word = collapseRuns(word, 1);
          entry = words.get(word);
        }
      }
      if (entry !== undefined && (entry.flags & IRONY_HINT) !== 0) buf.ironyHints++;
      push(buf, T_WORD, word, entry, 0, caps);
      continue;
    }

    switch (c) {
      case 43: // '+'
      case 45: // '-'
      case 0x2212: { // '−' (minus sign)
        // A signed percentage only when the sign is not a hyphen inside "10-15%".
        const prev = i > 0 ? text.charCodeAt(i - 1) : 32;
        if (i + 1 < n && isDigit(text.charCodeAt(i + 1)) && !isWordChar(prev)) {
          const end = scanNumber(text, i + 1);
          const pct = percentAt(text, end);
          if (pct >= 0) {
            push(buf, T_PERCENT, '', undefined, Number.parseFloat(text.slice(i + 1, end).replaceAll(',', '')), c === 43 ? 1 : -1);
            i = pct + 1;
          } else {
            i = end;
          }
          continue;
        }
        i++;
        continue;
      }
      case 36: { // '$': a cashtag or an amount, neither is sentiment
        i++;
        if (i < n && isDigit(text.charCodeAt(i))) i = scanNumber(text, i);
        while (i < n && isWordChar(text.charCodeAt(i))) i++;
        // $BRK.B
        if (i + 1 < n && text.charCodeAt(i) === 46 && isUpper(text.charCodeAt(i + 1))) {
          i++;
          while (i < n && isWordChar(text.charCodeAt(i))) i++;
        }
        continue;
      }
      case 64: // '@' mention
        i++;
        while (i < n && (isWordChar(text.charCodeAt(i)) || text.charCodeAt(i) === 95)) i++;
        continue;
      case 46: // '.'
      case 33: // '!'
      case 63: { // '?'
        let exclamations = 0;
        let question = false;
        while (i < n) {
          const d = text.charCodeAt(i);
          if (d === 33) exclamations++;
          else if (d === 63) question = true;
          else if (d !== 46 && !isSpace(d)) break;
          i++;
        }
        pushSentenceEnd(buf, exclamations, question);
        continue;
      }
      case 10: // newline: titles and list items end without punctuation
        pushSentenceEnd(buf, 0, false);
        i++;
        continue;
      case 58: // ':'
      case 59: // ';'
      case 60: { // '<'
        // An emoticon must end the token: "note:do" is not ":D".
        const three = vocab.emoticons.get(text.slice(i, i + 3).toLowerCase());
        if (three !== undefined && !(i + 3 < n && isWordChar(text.charCodeAt(i + 3)))) {
          push(buf, T_EMOJI, '', undefined, three, 0);
          i += 3;
          continue;
        }
        const two = vocab.emoticons.get(text.slice(i, i + 2).toLowerCase());
        if (two !== undefined && !(i + 2 < n && isWordChar(text.charCodeAt(i + 2)))) {
          push(buf, T_EMOJI, '', undefined, two, 0);
          i += 2;
          continue;
        }
        if (c !== 60) push(buf, T_CLAUSE, '', undefined, 0, c === 58 ? 2 : 0);
        i++;
        continue;
      }
      case 44: // ','
      case 0x2013: // '–'
      case 0x2014: // '—'
        push(buf, T_CLAUSE, '', undefined, 0, 0);
        i++;
        continue;
      default:
        break;
    }

    if (c >= 0x2190) {
      const cp = text.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      if (isEmojiModifier(cp)) continue;
      const valence = vocab.emoji.get(cp);
      if (valence !== undefined) {
        const irony = vocab.ironyEmoji.has(cp);
        if (irony) buf.ironyHints++;
        push(buf, T_EMOJI, '', undefined, valence, irony ? 3 : 0);
      }
      continue;
    }
    i++;
  }
}
