/**
 * Sentences that state rather than judge: a purchase of goods ("bought my kid an iPhone"), a
 * listing said with a verb ("Positions are 100 shares of AMD"), alternatives ("either … or").
 */
import { isNumberWord } from './numbers.ts';
import { T_SENTENCE, T_WORD } from './tokenizer.ts';
import type { TokenBuffer } from './tokenizer.ts';

const LISTING_VERBS = new Set(['are', 'is', 'include', 'includes', 'were']);
/** After a buy verb these open what was bought; unless a word of trading follows, goods ("bought my kid an iPhone"). */
const PURCHASE_DETERMINERS = new Set(['a', 'an', 'my', 'our', 'his', 'her', 'their', 'me']);
const TRADE_OBJECTS = new Set([
  'few', 'couple', 'share', 'shares', 'stock', 'stocks', 'position', 'call', 'calls', 'put', 'puts', 'leaps', 'dip', 'stake', 'bunch', 'lot',
  'handful', 'ton', 'starter', 'first', 'small', 'big', 'little', 'fund', 'etf', 'index', 'more', 'some', 'bag', 'bags', 'top', 'bottom',
]);
/** "either a 10 bagger or a zero": "either" hedges only with its "or" in the sentence. */
export function orFollows(buf: TokenBuffer, i: number): boolean {
  for (let j = i + 1; j < buf.length && buf.kind[j] !== T_SENTENCE; j++) if (buf.word[j] === 'or') return true;
  return false;
}

/** After "Positions are", "Holdings include": a number or a symbol in capitals makes the sentence a listing. */
export function listedAfter(buf: TokenBuffer, j: number): boolean {
  if (buf.kind[j] !== T_WORD || !LISTING_VERBS.has(buf.word[j]!) || j + 1 >= buf.length || buf.kind[j + 1] !== T_WORD) return false;
  return isNumberWord(buf.word[j + 1]) || buf.aux[j + 1] === 1;
}

/** "bought my kid an iPhone", "bought a TV": a buy verb, then a person or an article, then no word of trading. */
export function consumerPurchase(buf: TokenBuffer, i: number): boolean {
  const det = buf.word[i + 1];
  if (det === undefined || buf.kind[i + 1] !== T_WORD || !PURCHASE_DETERMINERS.has(det)) return false;
  for (let j = i + 2; j <= i + 3 && j < buf.length && buf.kind[j] === T_WORD; j++) {
    if (TRADE_OBJECTS.has(buf.word[j]!) || isNumberWord(buf.word[j]) || (buf.aux[j] === 1 && buf.word[j]!.length > 2)) return false;
  }
  return buf.kind[i + 2] === T_WORD;
}

