/**
 * Words: what one word (or the phrase it opens) adds to the sentence being
 * read, with these adjustments, each a rule a trader would state:
 *   - a phrase outranks its words ("short squeeze" is not "short");
 *   - a negator flips the next few words, not the whole post, and a flipped
 *     word is weaker than its opposite ("not bullish" < "bearish");
 *   - boosters scale the next sentiment word ("extremely", "fucking");
 *   - a word in capitals inside a mixed-case post is shouted;
 *   - an option's direction decides what happens to it ("puts printing" is
 *     bearish on the stock, "sold puts" bullish), and so do shorts and bears;
 *   - a quantity's move is signed by what the quantity is ("losses
 *     narrowed", "sales growth slowing");
 *   - praise is read as irony.ts says (as written, left out, turned round);
 *   - a fall next to buying is the occasion ("buying more on this dip").
 * Numbers (percentages, prices, targets) are read by numbers.ts, statements
 * of fact without a view by statements.ts.
 */
import { contrastAt, decidingClause } from './clauses.ts';
import { isMultiple, isNumberWord, moveValence, priceChangeAt, priceFall, priceTargetAt, PRICE_TARGET_VALENCE } from './numbers.ts';
import { KIND_FIN, KIND_GEN, KIND_PNL, PRAISE_KEPT, PRAISE_LEFT_OUT, takeBack, type ScoreState, type SentimentStep } from './state.ts';
import { consumerPurchase, listedAfter, orFollows } from './statements.ts';
import { T_CLAUSE, T_SENTENCE, T_WORD } from './tokenizer.ts';
import type { TokenBuffer } from './tokenizer.ts';
import {
  F_BAD_QUANTITY, F_BEAR_SIDE, F_BOOSTER, F_BUY_INTENT, F_CALL, F_CLAUSE_CONTRAST, F_CONCESSION, F_CONTRAST, F_FALL, F_FINANCE, F_GOOD_QUANTITY, F_HEAD, F_HEDGE, F_KNOW, F_MOVE_DOWN, F_MOVE_UP,
  F_NEGATOR, F_IRONY, F_MODAL, F_OPTION_ENTRY, F_OPTION_WRITE, F_PLAIN, F_PNL, F_PNL_AFTER, F_PRAISE, F_PUT, F_RHETORICAL, F_SHARES, F_SHRINK, F_VALUATION,
} from './vocabulary.ts';
import type { Phrase } from './vocabulary.ts';

/** Words after a negator that it reaches ("not a good buy"); a comma or full stop ends it sooner. */
const NEGATION_SCOPE = 3; // words
/** "not bullish" is bearish, but less so than "bearish". */
const NEGATION_FACTOR = -0.75;
/** Words a booster can reach over before it lapses ("very much a buy"). */
const BOOST_SCOPE = 2; // words
/** Stacked boosters ("very very very") stop adding after this. */
const MAX_BOOST = 3;
const CAPS_FACTOR = 1.3;
/** Words an entry verb may stand before the option it opens ("bought some AMD puts"). */
const OPTION_ENTRY_SCOPE = 4; // words
/** Writing puts is a bullish bet, writing calls a (mildly) bearish one. */
const WRITE_PUTS_VALENCE = 1.5;
const WRITE_CALLS_VALENCE = -1;
/** "100x earnings": a multiple this rich is a bearish valuation; below it a neutral one. */
const RICH_MULTIPLE = 40;
const RICH_VALUATION = -1.5;
/** Words after a quantity within which its move counts for it ("loss per share shrank"). */
const BAD_QUANTITY_SCOPE = 3; // words
/** "losses narrowed": a shrinking word with no valence of its own, as good news. */
const SHRINKING_BAD_VALENCE = 2;
/** Valence of "10x", "5x": a multiple of the stake, always good news on Reddit. */
const MULTIPLE_VALENCE = 1.5;

/** Set by matchPhrase: the tokens a phrase spans after its first word, boosters inside it included, and their boost. */
let matchedSpan = 0;
let matchedBoost = 1;
/** Boosters a phrase may hold between its words ("got absolutely crushed", "got so totally wrecked"). */
const MAX_BOOSTERS_INSIDE = 2;

function isBoosterAt(buf: TokenBuffer, j: number): boolean {
  const e = buf.entry[j];
  return e !== undefined && (e.flags & F_BOOSTER) !== 0 && e.boost > 1 && buf.kind[j] === T_WORD;
}

/** The longest phrase opening at token i, boosters between its words allowed; null when none. */
function matchPhrase(buf: TokenBuffer, i: number, phrases: readonly Phrase[]): Phrase | null {
  const n = buf.length;
  for (let p = 0; p < phrases.length; p++) {
    const phrase = phrases[p]!;
    const rest = phrase.rest;
    let j = i + 1;
    let k = 0;
    let boost = 1;
    let boosters = 0;
    while (k < rest.length && j < n && buf.kind[j] === T_WORD) {
      if (buf.word[j] === rest[k]) { k++; j++; continue; }
      if (boosters < MAX_BOOSTERS_INSIDE && isBoosterAt(buf, j)) { boost *= buf.entry[j]!.boost; boosters++; j++; continue; }
      break;
    }
    if (k === rest.length) {
      matchedSpan = j - i - 1;
      matchedBoost = boost;
      return phrase;
    }
  }
  return null;
}

/** "got absolutely crushed": the word after a booster starts one of the entry's phrases. */
function mayOpenAfterBooster(buf: TokenBuffer, i: number, seconds: ReadonlySet<string>): boolean {
  return i + 2 < buf.length && isBoosterAt(buf, i + 1) && seconds.has(buf.word[i + 2]!);
}

export function wordAt(buf: TokenBuffer, i: number, len: number): string {
  let out = buf.word[i]!;
  for (let k = 1; k <= len; k++) out += ` ${buf.word[i + k]!}`;
  return out;
}

/**
 * Most words are in no list: unless a number ("10x", a price) or "now"/"to" (a price then and now,
 * a target) may start something, only the words in flight move on. Small, so the scorer's loop
 * keeps it inline and calls scoreWord only for the words that matter. True when it read the word.
 */
export function passOver(s: ScoreState, buf: TokenBuffer, i: number): boolean {
  if (buf.entry[i] !== undefined) return false;
  const w = buf.word[i]!;
  const c = w.charCodeAt(0);
  if ((c >= 48 && c <= 57) || w === 'now' || w === 'to') return false;
  s.sentenceWords++;
  if (s.listing) return true;
  if (s.boostLeft > 0 && --s.boostLeft === 0) s.boost = 1;
  if (s.entryLeft > 0) {
    // "sold my puts" closes a position; "sold puts" writes one
    if (w === 'my' || w === 'our' || w === 'the') s.entryMine = true;
    s.entryLeft--;
  }
  if (s.badLeft > 0) s.badLeft--;
  if (s.negationLeft > 0) s.negationLeft--;
  return true;
}

/**
 * Reads the word at token i (and the phrase it opens) into the sentence.
 * Returns the index of the last token it consumed.
 */
export function scoreWord(s: ScoreState, buf: TokenBuffer, i: number, trace: SentimentStep[] | null): number {
  const n = buf.length;
  s.sentenceWords++;
  if (s.listing) return i;
  const entry = buf.entry[i];
  if (entry !== undefined && (entry.flags & F_MODAL) !== 0) s.modals++;
  let valence = 0;
  let flags = 0;
  let option = 0;
  let span = 0;
  if (entry !== undefined) {
    const phrase = entry.phrases === null || i + 1 >= n || (!entry.seconds!.has(buf.word[i + 1]!) && !mayOpenAfterBooster(buf, i, entry.seconds!))
      ? null : matchPhrase(buf, i, entry.phrases);
    if (phrase !== null) {
      span = matchedSpan;
      i += span;
      if (phrase.boost !== 0) {
        s.boost = Math.min(MAX_BOOST, s.boost * phrase.boost);
        s.boostLeft = BOOST_SCOPE;
        return i;
      }
      valence = phrase.valence * matchedBoost;
      flags = phrase.flags;
      option = phrase.option;
      if ((flags & F_HEDGE) !== 0) {
        s.hedged = true;
        if (trace !== null) trace.push({ text: wordAt(buf, i - span, span), value: 0, rule: 'hedge phrase' });
        return i;
      }
      if ((flags & F_IRONY) !== 0 && s.ironyAt < 0) s.ironyAt = i - span;
      if ((flags & F_RHETORICAL) !== 0) {
        s.rhetorical = true;
        if (trace !== null) trace.push({ text: wordAt(buf, i - span, span), value: 0, rule: 'a rhetorical question: it asserts, it is not damped' });
        return i;
      }
    } else {
      flags = entry.flags;
      if ((flags & F_NEGATOR) !== 0) {
        // "can't build anything without a recall": a negator inside another's reach undoes it
        if (s.negationLeft > 0) {
          s.negationLeft = 0;
          if (trace !== null) trace.push({ text: buf.word[i]!, value: 0, rule: 'a second negation: the two cancel' });
        } else s.negationLeft = NEGATION_SCOPE;
        if (s.entryLeft > 0) s.entryLeft--;
        if (s.badLeft > 0) s.badLeft--;
        return i;
      }
      if ((flags & F_KNOW) !== 0 && s.negationLeft > 0) {
        // "not sure", "don't really know": a hedge, not a flipped "sure"
        s.hedged = true;
        s.negationLeft = 0;
        if (trace !== null) trace.push({ text: buf.word[i]!, value: 0, rule: 'negated certainty: a hedge' });
        return i;
      }
      if ((flags & F_CONTRAST) !== 0) {
        contrastAt(s, buf.word[i]!, trace);
        return i;
      }
      if ((flags & (F_CLAUSE_CONTRAST | F_CONCESSION)) !== 0) {
        const opens = i === 0 || buf.kind[i - 1] === T_CLAUSE || buf.kind[i - 1] === T_SENTENCE;
        const ends = i + 1 >= n || buf.kind[i + 1] === T_CLAUSE || buf.kind[i + 1] === T_SENTENCE;
        if ((flags & F_CLAUSE_CONTRAST) !== 0) {
          // "strong quarter, yet the stock fell": a contrast; "not yet" is none
          if (opens) contrastAt(s, buf.word[i]!, trace);
        } else if (ends) {
          // "dipped, still above 70% though"
          if (s.fin !== s.clauseFin || s.gen !== s.clauseGen || s.pnl !== s.clausePnl) decidingClause(s, buf.word[i]!, trace);
        } else if (opens || buf.word[i - 1] === 'even') {
          // "although the guide was soft", "up even though it missed": a concession, from here to the clause's end
          s.conceded = true;
          s.clauseFin = s.fin; s.clauseGen = s.gen; s.clausePnl = s.pnl;
        } else contrastAt(s, buf.word[i]!, trace);
        return i;
      }
      if ((flags & F_BOOSTER) !== 0) {
        s.boost = Math.min(MAX_BOOST, s.boost * entry.boost);
        s.boostLeft = BOOST_SCOPE;
        return i;
      }
      if ((flags & F_HEDGE) !== 0 && (buf.word[i] !== 'either' || orFollows(buf, i))) {
        s.hedged = true;
        if (trace !== null) trace.push({ text: buf.word[i]!, value: 0, rule: 'hedge word' });
        return i;
      }
      if ((flags & F_HEAD) !== 0 && s.sentenceWords <= 3 && i + 1 < n && (buf.kind[i + 1] === T_CLAUSE ? buf.aux[i + 1] === 2 : listedAfter(buf, i + 1))) {
        // "Positions: …", "My portfolio: …", "Disclosure: …": a listing of facts
        s.listing = true;
        s.fin = 0; s.gen = 0; s.pnl = 0;
        if (trace !== null) trace.push({ text: `${buf.word[i]!}:`, value: 0, rule: 'a listing or disclosure: the sentence states facts, no opinion' });
        return i;
      }
      valence = entry.valence;
      // "bought my kid an iPhone", "buying a Visa gift card": a purchase of goods, not of a stock
      if (valence > 0 && (flags & F_OPTION_ENTRY) !== 0 && consumerPurchase(buf, i)) {
        if (trace !== null) trace.push({ text: wordAt(buf, i, 2), value: 0, rule: 'a purchase of goods ("bought a TV"): no view on a stock' });
        valence = 0;
      }
      // "bought 3 shares": a trade report
      if (valence !== 0 && (flags & F_OPTION_ENTRY) !== 0 && isNumberWord(buf.word[i + 1]) && ((buf.entry[i + 2]?.flags ?? 0) & F_SHARES) !== 0) {
        if (trace !== null) trace.push({ text: wordAt(buf, i, 2), value: 0, rule: 'a quantity of shares bought or sold: a report, not a view' });
        valence = 0;
      }
    }
  }
  if (valence === 0 && span === 0 && (buf.word[i] === 'now' || buf.word[i] === 'to') && i + 1 < n) {
    const pct = priceChangeAt(buf, i);
    if (!Number.isNaN(pct)) {
      const v = priceFall(s, Math.sign(pct) * moveValence(pct) * s.contrast);
      s.fin += v;
      s.moves += v;
      if (trace !== null) trace.push({ text: wordAt(buf, i, 1), value: v, rule: `a price then and now: ${pct > 0 ? '+' : ''}${pct.toFixed(0)}%, a price move${v === 0 ? ', next to buying: the occasion' : ''}` });
      return i + 1;
    }
    if (buf.word[i] === 'to' && priceTargetAt(buf, i)) {
      // "hood to 100", "$RKLB is going to 50, mark my words": a price someone expects
      valence = PRICE_TARGET_VALENCE;
      flags = F_FINANCE;
      if (trace !== null) trace.push({ text: wordAt(buf, i, 1), value: 0, rule: 'a price target' });
      i++;
      span = 1;
    }
  }
  if (entry === undefined && isMultiple(buf.word[i]!)) {
    const next = buf.entry[i + 1];
    flags = F_FINANCE;
    // "100x earnings" is a price, and a rich one, not a 100-bagger
    if (next !== undefined && (next.flags & F_VALUATION) !== 0) valence = Number.parseFloat(buf.word[i]!) >= RICH_MULTIPLE ? RICH_VALUATION : 0;
    else valence = MULTIPLE_VALENCE;
  }

  // "short sellers getting cooked": what then happens in the clause happens to the bears
  if ((flags & F_BEAR_SIDE) !== 0) s.bearSide = true;

  const isCall = (flags & F_CALL) !== 0;
  if (isCall || (flags & F_PUT) !== 0 || option !== 0) {
    let dir = option !== 0 ? option : isCall ? 1 : -1;
    if (s.entryLeft > 0) {
      // "bought puts", "loaded up on calls": the option, not the verb, says the direction
      takeBack(s, s.entryKind, s.entryValue);
      if (trace !== null) trace.push({ text: wordAt(buf, s.entryAt, s.entrySpan), value: -s.entryValue, rule: 'entry verb before an option: the option decides' });
      if (s.entryWrite && !s.entryMine && option === 0) {
        dir = -dir;
        valence = dir > 0 ? WRITE_PUTS_VALENCE : WRITE_CALLS_VALENCE;
        if (trace !== null) trace.push({ text: `${wordAt(buf, s.entryAt, s.entrySpan)} ${buf.word[i]!}`, value: 0, rule: dir > 0 ? 'selling puts: bullish' : 'selling calls: bearish' });
      }
      s.entryLeft = 0;
    }
    if (s.optionDir === 0) s.optionDir = dir;
  }

  const moves = (flags & (F_MOVE_UP | F_MOVE_DOWN | F_SHRINK)) !== 0;
  const falls = (flags & (F_MOVE_DOWN | F_SHRINK)) !== 0;
  // the move belongs to a quantity ("margins shrinking"), not to the price
  // a good quantity falls by a word of falling ("slowing", "down"), not by a bare "off" ("volume blast off")
  const goodFalls = falls && ((flags & F_SHRINK) !== 0 || valence < 0);
  const quantity = s.badLeft > 0 && (s.quantitySign > 0 ? goodFalls : moves);
  if (s.badLeft > 0 && s.quantitySign > 0 && goodFalls) {
    // "sales growth slowing", "margins shrinking": the fall decides, not the noun
    takeBack(s, s.badKind, s.badValue);
    if (valence === 0) valence = -SHRINKING_BAD_VALENCE;
    flags = (flags | F_FINANCE) & ~(F_PNL | F_PNL_AFTER);
    if (trace !== null) trace.push({ text: wordAt(buf, s.badAt, s.badSpan), value: -s.badValue, rule: 'a good quantity falling: bad news; the noun no longer counts' });
    s.badLeft = 0;
  } else if (s.badLeft > 0 && s.quantitySign < 0 && moves) {
    // "losses narrowed", "debt fell", "costs rose": the quantity's move, signed by what it is
    takeBack(s, s.badKind, s.badValue);
    const size = valence !== 0 ? Math.abs(valence) : SHRINKING_BAD_VALENCE;
    valence = falls ? size : -size;
    s.flipAt = i;
    s.flipSign = falls ? 1 : -1;
    flags = (flags | F_FINANCE) & ~(F_PNL | F_PNL_AFTER);
    if (trace !== null) trace.push({ text: wordAt(buf, s.badAt, s.badSpan), value: -s.badValue, rule: `a bad quantity ${falls ? 'shrinking: good news' : 'growing: bad news'}; the noun no longer counts` });
    s.badLeft = 0;
  }

  // "buying more", "adding": a fall in this sentence is the occasion, not the verdict; "don't buy" is no intent
  if ((flags & F_BUY_INTENT) !== 0 && s.negationLeft === 0 && !s.buyIntent) {
    s.buyIntent = true;
    if (s.falls < 0) {
      s.fin -= s.falls;
      s.moves -= s.falls;
      if (trace !== null) trace.push({ text: wordAt(buf, i - span, span), value: -s.falls, rule: 'buying after a fall: the fall is the occasion, not the verdict' });
      s.falls = 0;
    }
  }

  if (valence !== 0) {
    if (s.boostLeft > 0) valence *= s.boost;
    if (s.capsMeaningful && buf.aux[i] === 1) valence *= CAPS_FACTOR;
    if (s.negationLeft > 0) valence *= NEGATION_FACTOR;
    let v = valence * s.contrast;
    const outcome = (flags & F_PNL) !== 0 || ((flags & F_PNL_AFTER) !== 0 && s.optionDir !== 0);
    const theirs = outcome && s.bearSide;
    const kindOf = theirs ? KIND_FIN : outcome ? KIND_PNL : (flags & F_FINANCE) !== 0 ? KIND_FIN : KIND_GEN;
    // irony (irony.ts): praise left out to see what the rest says, or turned round when the rest is bad news
    const praise = v > 0 && s.praise !== PRAISE_KEPT && (kindOf === KIND_GEN || (kindOf === KIND_FIN && !theirs && (flags & (F_PLAIN | F_PRAISE)) !== 0));
    if (praise) v = s.praise === PRAISE_LEFT_OUT ? 0 : -v;
    if (kindOf === KIND_PNL) s.pnl += v;
    else if (kindOf === KIND_FIN) {
      if (v < 0 && !theirs && (flags & F_FALL) !== 0 && !quantity) v = priceFall(s, v);
      s.fin += theirs ? -v : v;
    } else s.gen += v;
    if (trace !== null) {
      const notes = [
        theirs ? 'what happens to the shorts or bears: flipped for the stock'
          : outcome ? (s.optionDir !== 0 ? 'outcome of an option position' : 'an outcome, of the stock while no option is named')
          : (flags & F_FINANCE) !== 0 ? 'finance lexicon' : 'general English (AFINN-165)',
        ...(praise ? ['praise around bad news: irony, turned round'] : []),
        ...(s.boostLeft > 0 && s.boost !== 1 ? [`boosted ×${s.boost}`] : []),
        ...(s.capsMeaningful && buf.aux[i] === 1 ? ['in capitals'] : []),
        ...(s.negationLeft > 0 ? ['negated'] : []),
        ...(s.contrast !== 1 ? ['after a contrast'] : []),
      ];
      trace.push({ text: wordAt(buf, i - span, span), value: theirs ? -v : v, rule: notes.join(', ') });
    }
    if ((flags & (F_BAD_QUANTITY | F_GOOD_QUANTITY)) !== 0) {
      s.badLeft = BAD_QUANTITY_SCOPE + 1;
      s.badValue = v;
      s.badKind = kindOf;
      s.badAt = i - span;
      s.badSpan = span;
      s.quantitySign = (flags & F_BAD_QUANTITY) !== 0 ? -1 : 1;
    }
    if ((flags & F_OPTION_ENTRY) !== 0) {
      s.entryLeft = OPTION_ENTRY_SCOPE + 1;
      s.entryValue = v;
      s.entryKind = kindOf;
    }
    s.boost = 1;
    s.boostLeft = 0;
  } else {
    if (s.boostLeft > 0 && --s.boostLeft === 0) s.boost = 1;
    if ((flags & F_OPTION_ENTRY) !== 0) {
      // "wrote puts", "got puts": an entry verb with no valence of its own
      s.entryLeft = OPTION_ENTRY_SCOPE + 1;
      s.entryValue = 0;
    }
    if ((flags & (F_BAD_QUANTITY | F_GOOD_QUANTITY)) !== 0) {
      s.badLeft = BAD_QUANTITY_SCOPE + 1;
      s.badValue = 0;
      s.badAt = i - span;
      s.badSpan = span;
      s.quantitySign = (flags & F_BAD_QUANTITY) !== 0 ? -1 : 1;
    }
    // "sold my puts" closes a position; "sold puts" writes one
    const w = buf.word[i];
    if (s.entryLeft > 0 && (w === 'my' || w === 'our' || w === 'the')) s.entryMine = true;
  }
  if ((flags & F_OPTION_ENTRY) !== 0 && s.entryLeft === OPTION_ENTRY_SCOPE + 1) {
    s.entryWrite = (flags & F_OPTION_WRITE) !== 0;
    s.entryMine = false;
    s.entryAt = i - span;
    s.entrySpan = span;
  }
  if (s.entryLeft > 0) s.entryLeft--;
  if (s.badLeft > 0) s.badLeft--;
  if (s.negationLeft > 0) s.negationLeft--;
  return i;
}

