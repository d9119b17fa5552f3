/**
 * Numbers in a post: percentages that are price moves, prices said twice ("bought at 120, now 65"),
 * price targets ("hood to 100"), multiples ("10x"). A fall of the price next to buying is the
 * occasion, not the verdict (priceFall).
 */
import { type ScoreState, type SentimentStep } from './state.ts';
import { T_CLAUSE, T_SENTENCE, T_WORD } from './tokenizer.ts';
import type { TokenBuffer } from './tokenizer.ts';
import { F_MOVE_DOWN, F_MOVE_UP, F_PNL, F_PNL_AFTER, F_SHRINK } from './vocabulary.ts';

/** "hood to 100": a price target said without a direction is a bullish one on Reddit. */
export const PRICE_TARGET_VALENCE = 1.5;
const TARGET_FOLLOWERS = new Set(['by', 'eod', 'eow', 'eom', 'eoy', 'soon', 'next', 'this', 'tomorrow', 'tmrw', 'today', 'easy', 'ez', 'incoming', 'mark']);

/** Valence of a price move of |pct| percent: 1% ≈ 1.6, 5% ≈ 2.9, 10%+ saturates at 3.5. */
export function moveValence(pct: number): number {
  const v = 0.8 + 0.8 * Math.log2(1 + Math.abs(pct));
  return v > 3.5 ? 3.5 : v;
}

/** "10x", "3.5x": digits followed by a single x. */
export function isMultiple(word: string): boolean {
  const last = word.length - 1;
  if (last < 1 || word.charCodeAt(last) !== 120) return false;
  const first = word.charCodeAt(0);
  return first >= 48 && first <= 57;
}

export function isNumberWord(word: string | undefined): boolean {
  if (word === undefined || word.length === 0) return false;
  const c = word.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** A number written as a word ("120", "10.50", "1,200"), or NaN. */
function numberAt(buf: TokenBuffer, j: number): number {
  if (j < 0 || j >= buf.length || buf.kind[j] !== T_WORD || !isNumberWord(buf.word[j])) return Number.NaN;
  const w = buf.word[j]!;
  for (let k = 0; k < w.length; k++) {
    const c = w.charCodeAt(k);
    if (!(c >= 48 && c <= 57) && c !== 46 && c !== 44) return Number.NaN;
  }
  return Number.parseFloat(w.replaceAll(',', ''));
}

/** Nothing but punctuation or the end after token j: the number there ends what is said. */
export function endsAt(buf: TokenBuffer, j: number): boolean {
  return j + 1 >= buf.length || buf.kind[j + 1] === T_CLAUSE || buf.kind[j + 1] === T_SENTENCE || buf.kind[j + 1] !== T_WORD;
}

/**
 * A price said as two prices: "bought at 120, now 65", "went from 40 to 95". Token i is "now" or
 * "to"; returns the move in percent, or NaN when the words around are not two prices.
 */
export function priceChangeAt(buf: TokenBuffer, i: number): number {
  const to = numberAt(buf, i + 1);
  if (Number.isNaN(to) || !endsAt(buf, i + 1)) return Number.NaN;
  let from = Number.NaN;
  if (buf.word[i] === 'to') {
    if (buf.word[i - 2] === 'from') from = numberAt(buf, i - 1);
  } else {
    // "now": the price it was bought at, earlier in the sentence
    for (let j = i - 1; j >= 1 && buf.kind[j] !== T_SENTENCE; j--) {
      if (buf.word[j - 1] === 'at' && !Number.isNaN(numberAt(buf, j))) { from = numberAt(buf, j); break; }
    }
  }
  if (!(from > 0)) return Number.NaN;
  const pct = ((to - from) / from) * 100;
  return Math.abs(pct) >= 1 && Math.abs(pct) <= 1000 ? pct : Number.NaN;
}

/** "hood to 100", "going to 50 by summer": a price someone expects (not "down to 50", "from 10 to 15", "to 0"). */
export function priceTargetAt(buf: TokenBuffer, i: number): boolean {
  const to = numberAt(buf, i + 1);
  if (!(to > 0) || i === 0 || buf.kind[i - 1] !== T_WORD) return false;
  const before = buf.entry[i - 1];
  const prev = buf.word[i - 1]!;
  if (isNumberWord(prev) || (before !== undefined && (before.valence !== 0 || (before.flags & (F_MOVE_UP | F_MOVE_DOWN | F_SHRINK)) !== 0))) return false;
  if (prev === 'target' || prev === 'pt' || prev === 'targets') return false;
  if (endsAt(buf, i + 1)) return true;
  const after = buf.word[i + 2];
  return after !== undefined && TARGET_FOLLOWERS.has(after);
}

function moveDirectionOf(buf: TokenBuffer, j: number): number {
  if (j < 0 || j >= buf.length || buf.kind[j] !== T_WORD) return 0;
  const entry = buf.entry[j];
  if (entry === undefined) return 0;
  if ((entry.flags & F_MOVE_UP) !== 0) return 1;
  if ((entry.flags & F_MOVE_DOWN) !== 0) return -1;
  return 0;
}

/**
 * The word that gives an unsigned percentage its direction: "up 5%", "down
 * about 10%", "5% higher". -1 when nothing says (a yield, a stake).
 */
function percentDirectionIndex(buf: TokenBuffer, i: number): number {
  if (moveDirectionOf(buf, i - 1) !== 0) return i - 1;
  // one filler word in between: "up about 5%", "down nearly 10%"
  if (i >= 2 && buf.kind[i - 1] === T_WORD && (buf.entry[i - 1]?.valence ?? 0) === 0 && moveDirectionOf(buf, i - 2) !== 0) return i - 2;
  return moveDirectionOf(buf, i + 1) !== 0 ? i + 1 : -1;
}

/**
 * A fall of the price (v < 0): what it adds. Next to buying said earlier in the sentence it adds
 * nothing, the fall being the occasion ("buying more on this dip"); otherwise it is remembered, so
 * that buying said later takes it back ("dropped 10% on the data, buying more").
 */
export function priceFall(s: ScoreState, v: number): number {
  if (s.buyIntent) return 0;
  s.falls += v;
  return v;
}

/** A percentage: a price move when its sign or a neighbouring word gives it a direction. */
export function scorePercent(s: ScoreState, buf: TokenBuffer, i: number, trace: SentimentStep[] | null): void {
  if (s.listing) return;
  let sign = buf.aux[i]!;
  let from = -1;
  if (sign === 0) {
    from = percentDirectionIndex(buf, i);
    if (from >= 0) sign = from === s.flipAt ? s.flipSign : (buf.entry[from]!.flags & F_MOVE_UP) !== 0 ? 1 : -1;
  }
  if (sign === 0) return;
  let v = sign * moveValence(buf.value[i]!) * s.contrast;
  const fromFlags = from >= 0 ? buf.entry[from]!.flags : 0;
  const outcome = (fromFlags & F_PNL) !== 0 || ((fromFlags & F_PNL_AFTER) !== 0 && s.optionDir !== 0);
  if (outcome) s.pnl += v;
  else {
    if (v < 0 && from !== s.flipAt) v = priceFall(s, v);
    s.fin += v;
    s.moves += v;
  }
  if (trace !== null) trace.push({ text: `${sign > 0 ? '+' : '-'}${buf.value[i]!}%`, value: v, rule: outcome ? 'move of an option position' : 'price move' });
}
