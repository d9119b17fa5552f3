/**
 * Frames: what the sentence around a name or a word-symbol makes of it.
 *  - The subject of a sentence about a company: "zoom is dead money", "Meta
 *    is on a roll", "is ford a buy?", said to be a company ("NOW is the best
 *    software company"), opening with an earnings verb ("ON beat").
 *  - No company at all: a shop or a place ("at Target", "heading to Target
 *    then Costco", but "I work at Costco"), a product someone owns or uses ("a
 *    Tesla as a loaner", "my Uber", "the Apple store"), a person ("named
 *    Ford"), a word after a determiner ("did my DD"), or a customer's story
 *    ("Delta lost my luggage").
 * context.ts asks these and decides with the market talk it finds; the word
 * lists live in lexicon.ts. `bind` points the rules at a new post.
 */
import {
  AFTER_CUES, BEFORE_CUES, COMPANY_NOUNS, EARNINGS_VERBS, FINANCE_POSSESSIONS, LETTER_VERDICT_WORDS, MOTION_VERBS, NAMING_WORDS,
  PLACE_PREPOSITIONS, PRODUCT_DETERMINERS, PRODUCT_NOUNS, QUESTION_OPENERS, SUBJECT_LIST_WORDS, SUBJECT_QUANTIFIERS, SUBJECT_VERBS,
  SYMBOL_DETERMINERS, VERB_ADVERBS, WORK_WORDS,
} from './lexicon.ts';
import { CASE_UPPER, KIND_WORD, keyOf, type Token } from './tokenizer.ts';

export interface FrameRules {
  bind(tokens: Token[], count: number): void;
  /** token i may open a sentence's subject: at its start, or after the verb of a question ("is ford a buy") */
  subjectSlot(i: number): boolean;
  /** tokens [i, i + len) are the subject of their sentence: a verb follows, maybe after a list ("delta and united both guided up") */
  subjectOf(i: number, len: number): boolean;
  /** "NOW is the best software company", "V and MA are the best businesses": the subject is said to be a company */
  companyPredicate(i: number): boolean;
  /** "ON beat but guided down", "MO just hiked the dividend": an earnings verb right after a symbol opening a sentence */
  earningsVerbAfter(i: number): boolean;
  /** a verdict on an investment after token i in its sentence ("a dumpster fire", "dead money") */
  verdictAfter(i: number): boolean;
  /**
   * "at Target", "to Best Buy", "at the Starbucks on 5th": a name after a place preposition is a
   * shop, not a stock; for a name that is no word ("Costco") only "at", or "to" after going somewhere
   */
  afterPlace(i: number, distinctive: boolean): boolean;
  /** "my"/"our" and a thing that is no holding in the sentence: a customer's story ("Delta lost my luggage") */
  consumerFrame(i: number): boolean;
  /** "a Tesla as a loaner", "my Ford F-150", "the Apple store", "a cat named Snowflake": a product, a shop or a person */
  productFrame(i: number, len: number): boolean;
  /** "did my DD", "the ON switch": a word-symbol after a determiner is the word */
  afterDeterminer(i: number): boolean;
  /** token j continues a list that began at token i ("to Target then Costco", "at Target and Costco") */
  continuesList(i: number, j: number): boolean;
}

function setOf(words: readonly string[]): Set<string> {
  return new Set(words);
}

const CH_COMMA = 44;
const CH_AMP = 38;

export function createFrameRules(): FrameRules {
  const beforeCues = setOf(BEFORE_CUES);
  const afterCues = setOf(AFTER_CUES);
  const subjectVerbs = setOf(SUBJECT_VERBS);
  const subjectListWords = setOf(SUBJECT_LIST_WORDS);
  const subjectQuantifiers = setOf(SUBJECT_QUANTIFIERS);
  const questionOpeners = setOf(QUESTION_OPENERS);
  const earningsVerbs = setOf(EARNINGS_VERBS);
  const verbAdverbs = setOf(VERB_ADVERBS);
  const companyNouns = setOf(COMPANY_NOUNS);
  const letterVerdicts = setOf(LETTER_VERDICT_WORDS);
  const productDeterminers = setOf(PRODUCT_DETERMINERS);
  const productNouns = setOf(PRODUCT_NOUNS);
  const namingWords = setOf(NAMING_WORDS);
  const possessions = setOf(FINANCE_POSSESSIONS);
  const symbolDeterminers = setOf(SYMBOL_DETERMINERS);
  const places = setOf(PLACE_PREPOSITIONS);
  const motionVerbs = setOf(MOTION_VERBS);
  const workWords = setOf(WORK_WORDS);
  const copulaVerbs = setOf(['is', 'are', 'was', 'were']);

  let tokens: Token[] = [];
  let count = 0;

  const word = (i: number): Token | undefined => {
    if (i < 0 || i >= count) return undefined;
    const t = tokens[i]!;
    return t.kind === KIND_WORD ? t : undefined;
  };

  /** "ON calls", "PATH earnings": a finance noun right after token i */
  function financeAfter(i: number): boolean {
    const n = word(i + 1);
    return n !== undefined && afterCues.has(keyOf(n));
  }

  /** one past the last token of the sentence holding token i */
  function sentenceEnd(i: number): number {
    let to = i + 1;
    while (to < count && !tokens[to]!.sentenceStart) to++;
    return to;
  }

  /** the first token of the sentence holding token i */
  function sentenceStart(i: number): number {
    let from = i;
    while (from > 0 && !tokens[from]!.sentenceStart) from--;
    return from;
  }

  function verdictAfter(i: number): boolean {
    const to = sentenceEnd(i);
    for (let k = i + 1; k < to; k++) {
      const w = tokens[k]!;
      if (w.kind === KIND_WORD && letterVerdicts.has(keyOf(w))) return true;
    }
    return false;
  }

  function subjectSlot(i: number): boolean {
    const t = tokens[i]!;
    if (t.sentenceStart) return true;
    const p = i > 0 ? tokens[i - 1]! : undefined;
    return p !== undefined && p.sentenceStart && p.kind === KIND_WORD && questionOpeners.has(keyOf(p)) && t.punctBefore === 0;
  }

  /**
   * The verb after a subject at [i, i + len): list items ("and united", "& coin") and "both"/"all"
   * may stand between. Returns its index, or -1.
   */
  function verbAfterSubject(i: number, len: number): number {
    let j = i + len;
    for (let items = 0; items < 2; items++) {
      const l = word(j);
      if (l === undefined || !subjectListWords.has(keyOf(l))) break;
      // one or two words per item: "and united", "and wells fargo"
      const a = word(j + 1);
      if (a === undefined) return -1;
      const b = word(j + 2);
      j += b !== undefined && !subjectVerbs.has(keyOf(b)) && !subjectQuantifiers.has(keyOf(b)) && b.punctBefore === 0 ? 3 : 2;
    }
    const q = word(j);
    if (q !== undefined && subjectQuantifiers.has(keyOf(q))) j++;
    const v = word(j);
    if (v === undefined || v.punctBefore !== 0) return -1;
    return subjectVerbs.has(keyOf(v)) ? j : -1;
  }

  function subjectOf(i: number, len: number): boolean {
    if (!subjectSlot(i)) return false;
    // "is ford a buy under 10?": the question's verb came first
    if (!tokens[i]!.sentenceStart) return true;
    // "zoom's been dead money": the possessive is a contraction of the verb
    const last = tokens[i + len - 1]!;
    if (last.possessive) {
      const v = word(i + len);
      return v !== undefined && (keyOf(v) === 'been' || keyOf(v) === 'got' || keyOf(v) === 'gotten' || keyOf(v) === 'gonna' || keyOf(v) === 'going');
    }
    return verbAfterSubject(i, len) >= 0;
  }

  /** "NOW is the best software company", "V and MA are the best businesses": the subject is said to be a company. */
  function companyPredicate(i: number): boolean {
    if (!tokens[i]!.sentenceStart) return false;
    const v = verbAfterSubject(i, 1);
    if (v < 0 || !copulaVerbs.has(keyOf(tokens[v]!))) return false;
    for (let k = v + 1; k <= v + 5 && k < count; k++) {
      const t = tokens[k]!;
      if (t.punctBefore !== 0 || t.sentenceStart) return false;
      if (t.kind === KIND_WORD && companyNouns.has(keyOf(t))) return true;
    }
    return false;
  }

  /** "ON beat but guided down", "MO just hiked the dividend": an earnings verb right after a symbol opening a sentence. */
  function earningsVerbAfter(i: number): boolean {
    if (!tokens[i]!.sentenceStart) return false;
    let n = word(i + 1);
    if (n !== undefined && verbAdverbs.has(keyOf(n))) n = word(i + 2);
    return n !== undefined && n.punctBefore === 0 && earningsVerbs.has(keyOf(n));
  }

  return {
    bind(t: Token[], n: number): void {
      tokens = t;
      count = n;
    },
    subjectSlot,
    subjectOf,
    companyPredicate,
    earningsVerbAfter,
    verdictAfter,
    afterPlace(i: number, distinctive: boolean): boolean {
      let p = word(i - 1);
      let at = i - 1;
      if (p !== undefined && keyOf(p) === 'the') { p = word(i - 2); at = i - 2; }
      if (p === undefined || !places.has(keyOf(p))) return false;
      const before = word(at - 1);
      // "I work at Costco": an employer
      if (before !== undefined && workWords.has(keyOf(before))) return false;
      if (!distinctive || keyOf(p) === 'at') return true;
      return before !== undefined && motionVerbs.has(keyOf(before));
    },
    consumerFrame(i: number): boolean {
      const from = sentenceStart(i);
      const to = sentenceEnd(i);
      for (let k = from; k < to - 1; k++) {
        const t = tokens[k]!;
        if (t.kind !== KIND_WORD || (keyOf(t) !== 'my' && keyOf(t) !== 'our')) continue;
        const n = tokens[k + 1]!;
        if (n.kind === KIND_WORD && !possessions.has(keyOf(n)) && n.letterCase !== CASE_UPPER) return true;
      }
      return false;
    },
    productFrame(i: number, len: number): boolean {
      const p = word(i - 1);
      const end = i + len - 1;
      if (p !== undefined && namingWords.has(keyOf(p))) return true;
      // "my coworker's name is Ford"
      if (p !== undefined && keyOf(p) === 'is') { const q = word(i - 2); if (q !== undefined && keyOf(q) === 'name') return true; }
      // "a Tesla as a loaner", "my Uber"; but "bought a Ford", "sold all my Rivian" are trades
      if (p !== undefined && productDeterminers.has(keyOf(p)) && tokens[i]!.punctBefore === 0 && !financeAfter(end)) {
        const v = word(i - 2);
        const w = word(i - 3);
        const traded = (v !== undefined && beforeCues.has(keyOf(v))) || (w !== undefined && beforeCues.has(keyOf(w)));
        if (!traded) return true;
      }
      // "the Apple store", "a Visa gift card"; not "Rivian's delivery numbers"
      const n = word(end + 1);
      return n !== undefined && n.punctBefore === 0 && !tokens[end]!.possessive && productNouns.has(keyOf(n));
    },
    afterDeterminer(i: number): boolean {
      const p = word(i - 1);
      return p !== undefined && symbolDeterminers.has(keyOf(p)) && tokens[i]!.punctBefore === 0;
    },
    continuesList(i: number, j: number): boolean {
      if (j === i + 1) return tokens[j]!.punctBefore === CH_COMMA || tokens[j]!.punctBefore === CH_AMP;
      if (j !== i + 2) return false;
      const m = word(i + 1);
      return m !== undefined && (keyOf(m) === 'and' || keyOf(m) === 'or' || keyOf(m) === 'then' || keyOf(m) === '&');
    },
  };
}
