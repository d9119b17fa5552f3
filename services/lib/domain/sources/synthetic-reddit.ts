/**
 * Fake Reddit chatter, written as Reddit listing children so it runs through
 * exactly the mapper the live poller uses (and records/replays the same way).
 * Pure: randomness and time come in.
 *
 * It talks the way finance Reddit does, not the way a filing does: a company
 * is "Amazon", "Nvidia", "bofa" or "nvda", never "Amazon.com Inc.";
 * sentences are short, in slang (calls printing, bagholding, fds, tendies),
 * with emoji, sarcasm, lower-case symbols, options talk, hedges, portfolio
 * listings and disclaimers. What it exercises downstream: tickers named as
 * cashtags ($TSLA), bare symbols (TSLA), lower-case symbols (tsla), short
 * names and nicknames (Tesla, bofa); bullish, bearish and neutral language;
 * comments that reply to recent submissions or to other comments, and
 * comments that name no ticker at all so the processor has to fall back to
 * the submission title's ticker.
 *
 * Template placeholders: {C} cashtag, {S} bare symbol, {L} symbol in lower
 * case, {N} a name people use for the company, {P} a price level, {X} a
 * strike, {E} an emoji, {K} a second cashtag, {M} a second company's name.
 */
import { pick } from './prng.ts';
import { START_PRICES, UNKNOWN_START_PRICE } from './synthetic-trades.ts';
import type { RedditListingChild } from './reddit-mapping.ts';
import { CURATED_ALIASES } from '../tickers/lexicon.ts';
import { nameVariants } from '../tickers/names.ts';

const SUBMISSION_TITLES: readonly string[] = [
  '{C} to the moon {E}{E} calls printing',
  'Why {N} is massively undervalued rn (DD)',
  '{S} earnings next week, what are you playing?',
  'Loaded up on {C} {X}c fds for Friday {E}',
  'ngl {N} to {P} is looking real',
  '{C} puts are free money, change my mind',
  '{N} guidance was a disaster {E}',
  'Is it too late to buy {S}?',
  '{S} just broke {P} resistance {E}',
  'Bear case for {N}: margins getting crushed',
  '{N} vs {M}, which one are you holding into 2026?',
  'Lost 80% on {C} weeklies, AMA {E}',
  '{N} CEO dumped shares again lmao',
  '{S} halted twice this morning wtf',
  '{C} short interest is insane, squeeze incoming? {E}',
  'Boring update: still bagholding {S} at {P}',
  '{N} announced a buyback, premarket ripping',
  'Downgrade on {C}, analyst went from neutral to sell {E}',
  "What's everyone's price target on {N}?",
  '{S} bagholders unite {E}',
  '{N} beat on revenue but guidance was weak',
  '{C} sitting flat at {P}, waiting for CPI',
  '{L} is either a 10 bagger or a zero',
  'sold puts on {S} at {X}, happy to get assigned',
];

const SELFTEXTS: readonly string[] = [
  '',
  '',
  'Position: 40 shares of {S}, avg {P}. Not financial advice.',
  'Revenue grew, margins held, chart looks clean. Long {C} until it stops working.',
  'honestly no idea wtf is going on with {N} today, anyone have news?',
  'Sold everything this morning. Too much risk with rates where they are {E}',
  'TL;DR {S} is a buy under {P}, a sell above it.',
  "Screenshots in the comments. Wife's boyfriend approves {E}",
];

const COMMENT_BODIES: readonly string[] = [
  '{C} gonna rip tomorrow {E}',
  'bought more {L} on the dip, thanks for the discount',
  '{N} has been dead money for a year, im out',
  'This is the way {E}',
  'Puts on {C} it is then',
  '{S} to {P} by end of month, screenshot this',
  'sold {N} way too early {E}',
  'Nobody talks about {N} free cash flow, its insane',
  '{C} chart looks like a falling knife',
  'Holding {S} since {P}, not selling',
  'Why is {C} down again?? {E}',
  '{N} earnings will be fine, relax',
  'terrible take, {L} is overvalued af at these levels',
  'Just opened a small position in {C}',
  'Agreed, {N} management keeps delivering {E}',
  '{K} is the better play tbh',
  'lol {S} bears in shambles {E}',
  'Anyone else averaging down on {L}?',
  '{N} is a scam and I will die on this hill',
  'options flow on {C} today was wild',
  'Neutral on {S} until the Fed meeting',
  'Took profits on {C}, gl everyone {E}',
  'my {N} puts are printing {E}',
  '{N} calls got obliterated lmao',
  'maybe {N} bounces here, idk',
  'imagine not owning {N} in 2025',
  // sarcasm, idioms and verdicts in plain words, as the unseen text of issue 12 says them
  'great, another red day for {C}, love this for me {E}',
  'wow {N} guided down again, what a shocker',
  '{N} got absolutely crushed after earnings',
  '{N} is firing on all cylinders {E}',
  '{L} dipped 8% on nothing, buying more',
  '{N} is priced for perfection imo',
];

/** Bodies with no ticker: the processor must take the ticker from the title. */
const TICKERLESS_BODIES: readonly string[] = [
  'This aged well {E}',
  'Source?',
  'Great DD, thanks for sharing',
  'Bullish {E}{E}',
  'I am so cooked',
  'Diamond hands {E}',
  'Sir this is a casino',
  'Sell. Now.',
  'Happy for you, or sorry that happened',
  'Could not agree more',
  'Priced in.',
];

const EMOJI: readonly string[] = ['🚀', '📈', '📉', '💎', '🙌', '🐻', '🐂', '🔥', '💀', '🤡', '😭', '💰', '🌕', '🧻'];
const NAME_WORDS_A: readonly string[] = ['Tendie', 'Diamond', 'Bear', 'Bull', 'Moon', 'Theta', 'Yolo', 'Quiet', 'Lucky', 'Retail'];
const NAME_WORDS_B: readonly string[] = ['Hands', 'Trader', 'Ape', 'Gang', 'Whale', 'Investor', 'Degen', 'Lord', 'Boomer', 'Dad'];

/** Curated nicknames by symbol ("BAC" → "bofa", "Bank of America"), as people type them. */
const NICKNAMES: ReadonlyMap<string, readonly string[]> = (() => {
  const bySymbol = new Map<string, string[]>();
  for (const [alias, a] of Object.entries(CURATED_ALIASES)) {
    // short distinctive ones are acronyms ("AMD", "BOFA"), and so are two letters ("HP"); a short word is a
    // name ("Ford", "Meta": "FORD" would be shouting); distinctive nicknames are typed in any case, the others capitalised
    const acronym = !alias.includes(' ') && (alias.length <= 2 || (alias.length <= 4 && a.distinctive));
    const capitalised = acronym ? alias.toUpperCase() : alias.replace(/(^|[\s-])[a-z]/g, (c) => c.toUpperCase());
    const written = a.distinctive ? [capitalised, alias] : [capitalised];
    bySymbol.set(a.symbol, [...(bySymbol.get(a.symbol) ?? []), ...written]);
  }
  return bySymbol;
})();

/**
 * The names people use for a company: its curated nicknames, else the
 * shortest name derived from the listing ("Amazon.com Inc." → "Amazon").
 */
export function spokenNames(symbol: string, listedName: string): string[] {
  const nicknames = NICKNAMES.get(symbol);
  if (nicknames !== undefined && nicknames.length > 0) return [...nicknames];
  // a fund is called by its symbol: "SPY", not "SPDR S&P 500 ETF Trust"
  if (/\b(ETF|ETN|Fund|Trust)\b/.test(listedName)) return [symbol];
  const variants = nameVariants(listedName).sort((a, b) => a.length - b.length);
  return variants.length > 0 ? [variants[0]!] : [symbol];
}

/** All templates, counted so a test can hold the "at least 40" promise. */
export const SYNTHETIC_REDDIT_TEMPLATE_COUNT =
  SUBMISSION_TITLES.length + SELFTEXTS.length + COMMENT_BODIES.length + TICKERLESS_BODIES.length;

export interface RedditChatter {
  /** the next post, created at `nowMs`, as Reddit would list it */
  next(nowMs: number): RedditListingChild;
}

interface RecentSubmission {
  id: string;
  title: string;
  subreddit: string;
  slug: string;
  comments: string[];
}

function slugOf(title: string): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 50);
  return slug === '' ? 'post' : slug;
}

export function createRedditChatter(options: {
  subreddits: readonly string[];
  /** symbol → company name as listed, e.g. { TSLA: 'Tesla Inc.' }; the feed says it as people do */
  tickers: Readonly<Record<string, string>>;
  random: () => number;
}): RedditChatter {
  const { subreddits, random } = options;
  const symbols = Object.keys(options.tickers);
  const names = new Map(symbols.map((sym) => [sym, spokenNames(sym, options.tickers[sym] ?? sym)]));
  if (subreddits.length === 0) throw new RangeError('the synthetic Reddit feed needs at least one subreddit');
  if (symbols.length === 0) throw new RangeError('the synthetic Reddit feed needs at least one ticker');

  // Separate id spaces like Reddit's; start at a realistic 7-character base36 id.
  let nextSubmissionId = 36 ** 6 * 10 + Math.floor(random() * 36 ** 6);
  let nextCommentId = 36 ** 6 * 20 + Math.floor(random() * 36 ** 6);
  const recent: RecentSubmission[] = [];

  function fill(template: string): string {
    const symbol = pick(symbols, random);
    let other = pick(symbols, random);
    if (symbols.length > 1) while (other === symbol) other = pick(symbols, random);
    const name = pick(names.get(symbol)!, random);
    const otherName = pick(names.get(other)!, random);
    // Price talk near where the synthetic tape trades, so "TSLA to 3" does not appear.
    const anchor = START_PRICES[symbol] ?? UNKNOWN_START_PRICE;
    const level = (anchor * (0.7 + random() * 0.6)).toFixed(random() < 0.5 ? 0 : 2);
    return template
      .replaceAll('{C}', `$${symbol}`)
      .replaceAll('{K}', `$${other}`)
      .replaceAll('{S}', symbol)
      .replaceAll('{L}', symbol.toLowerCase())
      .replaceAll('{N}', name)
      .replaceAll('{M}', otherName)
      .replaceAll('{P}', level)
      .replaceAll('{X}', String(Math.max(1, 5 * Math.round((anchor * (0.9 + random() * 0.3)) / 5))))
      .replace(/\{E\}/g, () => pick(EMOJI, random));
  }

  function author(): string {
    return `${pick(NAME_WORDS_A, random)}${pick(NAME_WORDS_B, random)}${Math.floor(random() * 10_000)}`;
  }

  function score(): number {
    // Most posts sit near 1; a few take off.
    return random() < 0.9 ? Math.floor(random() * 20) : Math.floor(random() * 5000);
  }

  function submission(nowMs: number): RedditListingChild {
    nextSubmissionId += 1 + Math.floor(random() * 3);
    const id = nextSubmissionId.toString(36);
    const subreddit = pick(subreddits, random);
    const title = fill(pick(SUBMISSION_TITLES, random));
    const slug = slugOf(title);
    recent.push({ id, title, subreddit, slug, comments: [] });
    if (recent.length > 20) recent.shift();
    return {
      kind: 't3',
      data: {
        name: `t3_${id}`, id, subreddit, author: author(), title, selftext: fill(pick(SELFTEXTS, random)),
        score: score(), created_utc: Math.floor(nowMs / 1000), permalink: `/r/${subreddit}/comments/${id}/${slug}/`,
      },
    };
  }

  function comment(nowMs: number, parent: RecentSubmission): RedditListingChild {
    nextCommentId += 1 + Math.floor(random() * 3);
    const id = nextCommentId.toString(36);
    const replyTo = parent.comments.length > 0 && random() < 0.3 ? pick(parent.comments, random) : undefined;
    const body = fill(random() < 0.25 ? pick(TICKERLESS_BODIES, random) : pick(COMMENT_BODIES, random));
    parent.comments.push(id);
    if (parent.comments.length > 50) parent.comments.shift();
    return {
      kind: 't1',
      data: {
        name: `t1_${id}`, id, subreddit: parent.subreddit, author: author(), body, score: score(),
        created_utc: Math.floor(nowMs / 1000),
        permalink: `/r/${parent.subreddit}/comments/${parent.id}/${parent.slug}/${id}/`,
        link_id: `t3_${parent.id}`, parent_id: replyTo === undefined ? `t3_${parent.id}` : `t1_${replyTo}`,
        link_title: parent.title,
      },
    };
  }

  return {
    next(nowMs) {
      // Roughly one submission per four comments, as on a busy finance sub.
      if (recent.length === 0 || random() < 0.2) return submission(nowMs);
      // Recent threads get most of the replies.
      const index = Math.max(0, recent.length - 1 - Math.floor(Math.abs(random() * random()) * recent.length));
      return comment(nowMs, recent[index] as RecentSubmission);
    },
  };
}
