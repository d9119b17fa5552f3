/**
 * Sarcasm: praise said about bad news ("great, another -40% day, love this
 * for me", "oh wonderful, the Fed says higher for longer", "thanks Jerome").
 *
 * Two things must hold, and neither alone is enough:
 *   1. a cue of irony (this file): a praise word used as an interjection
 *      opening a sentence ("great,", "oh wonderful,", "cool cool cool,",
 *      "great job Intel,"), "love …" opening one ("love waking up to …") when
 *      the sentence buys nothing, thanks that are not "thanks to", feigned
 *      sincerity before praise ("truly inspiring"), an irony phrase ("what a
 *      shocker", "love to see it": phrases.ts, found while scoring), or an
 *      emoji that mocks (🙃);
 *   2. the rest of the post is bad news: scored with its praise left out, it
 *      is negative (scorer.ts).
 * Then the praise counts against: general-English praise and happy emoji
 * turn round. "Great, just bought more" (a cue, good news) and "love buying
 * the dip" (no cue) stay as they are.
 */
import {
  INTERJECTION_LEADS, PRAISE_OBJECTS, SINCERITY_WORDS,
} from './lexicon.ts';
import { T_CLAUSE, T_EMOJI, T_SENTENCE, T_WORD, type TokenBuffer } from './tokenizer.ts';
import { F_BUY_INTENT, F_IRONY_HINT, F_PRAISE } from './vocabulary.ts';

const leads = new Set(INTERJECTION_LEADS);
const objects = new Set(PRAISE_OBJECTS);
const sincerity = new Set(SINCERITY_WORDS);

function flagsAt(buf: TokenBuffer, j: number): number {
  return j >= 0 && j < buf.length && buf.kind[j] === T_WORD ? (buf.entry[j]?.flags ?? 0) : 0;
}

/** The sentence holding token i buys something ("love buying NVDA when it's down"): love of buying is no irony. */
function sentenceBuys(buf: TokenBuffer, i: number): boolean {
  for (let j = i + 1; j < buf.length && buf.kind[j] !== T_SENTENCE; j++) {
    if ((flagsAt(buf, j) & F_BUY_INTENT) !== 0) return true;
  }
  return false;
}

/**
 * The token where a cue of irony made of words around a praise word starts,
 * or -1. Cheap to call: the tokenizer counts the words that may open one, and
 * the scorer asks only when it saw some. Irony phrases ("what a shocker") are
 * found while scoring (words.ts), the emoji that mock by the tokenizer.
 */
export function ironyCue(buf: TokenBuffer): number {
  const n = buf.length;
  // words of the current sentence read so far, and whether all of them were interjection leads ("oh", "yeah")
  let before = 0;
  let onlyLeads = true;
  for (let i = 0; i < n; i++) {
    const kind = buf.kind[i];
    if (kind === T_SENTENCE) { before = 0; onlyLeads = true; continue; }
    if (kind === T_EMOJI) {
      if (buf.aux[i] === 3) return i;
      continue;
    }
    if (kind !== T_WORD) continue;
    const flags = flagsAt(buf, i);
    const word = buf.word[i]!;
    const opening = before === 0 || (onlyLeads && before <= 2);
    before++;
    if (onlyLeads && before <= 3 && !leads.has(word)) onlyLeads = false;
    if ((flags & F_IRONY_HINT) === 0) continue;
    const next = i + 1 < n ? buf.kind[i + 1] : T_SENTENCE;
    const nextWord = next === T_WORD ? buf.word[i + 1]! : '';
    if ((flags & F_PRAISE) !== 0) {
      // thanks, unless they give a cause ("thanks to strong demand") or thank for something ("thanks for the DD")
      if ((word === 'thanks' || word === 'thank') && nextWord !== 'to' && nextWord !== 'for') return i;
      if (!opening) continue;
      // "great, …", "cool cool cool, …", "great job Intel, …"
      if (next === T_CLAUSE || next === T_SENTENCE || (flagsAt(buf, i + 1) & F_PRAISE) !== 0 || objects.has(nextWord)) return i;
      // "love waking up to my calls down 60%"
      if ((word === 'love' || word === 'loving') && next === T_WORD && !sentenceBuys(buf, i)) return i;
    } else if (sincerity.has(word)) {
      // "truly inspiring", "truly a visionary"
      if ((flagsAt(buf, i + 1) & F_PRAISE) !== 0 || (nextWord === 'a' && (flagsAt(buf, i + 2) & F_PRAISE) !== 0)) return i;
      if (nextWord === 'a' && buf.kind[i + 2] === T_WORD && (buf.entry[i + 2]?.valence ?? 0) > 0) return i;
    }
  }
  return -1;
}
