/**
 * Single-word finance and Reddit lexicon, on AFINN's scale (-5 … +5) so it can
 * be laid over AFINN-165 from the `sentiment` package.
 *
 * The words are grouped by the class of language they belong to (trader
 * positioning, price action, analyst and earnings vocabulary, corporate
 * events, macro, Reddit slang) rather than by where they were seen, so the
 * lexicon carries over to text it was never checked against. Values follow
 * three rough tiers: ±1 leaning, ±2 clear, ±3 strong; only events that wipe
 * shareholders out (bankruptcy, fraud) go beyond.
 *
 * Everything here is data; scorer.ts decides how it combines.
 */

/** Bullish trader positioning: someone telling you they are buying or holding. */
const BULLISH_POSITIONING: Record<string, number> = {
  long: 1.5, longs: 1, longed: 1.5,
  calls: 1.5,
  buy: 1.5, buying: 1.5, bought: 1.5, buys: 1.5, buyer: 1, buyers: 1.5,
  add: 1, added: 1.5, adding: 1.5, adds: 1,
  accumulate: 2, accumulates: 2, accumulating: 2, accumulated: 1.5, accumulation: 1.5,
  load: 1, loads: 1, loaded: 1.5, loading: 1.5,
  // StockTwits shorthand: "bot" = bought, "HOD" = high of day
  bot: 1, hod: 1.5,
  poised: 1, primed: 1.5, consolidating: 0.5, consolidation: 0.5,
  hodl: 2, hodling: 2, hodled: 2, hodlers: 1.5, holding: 0.5, hold: 0, held: 0.5,
  bull: 2, bulls: 1.5, bullish: 3, bullishness: 2.5,
  upside: 2, undervalued: 2.5, underrated: 2, underpriced: 2,
  cheap: 1, bargain: 2.5, bargains: 2, steal: 1.5, discount: 1, discounted: 1,
  oversold: 1.5, rebound: 2, rebounded: 2, rebounding: 2, rebounds: 2,
  bounce: 1.5, bounced: 1.5, bouncing: 1.5, bounces: 1.5,
  recover: 1.5, recovered: 1.5, recovering: 1.5, recovery: 1.5, recovers: 1.5,
  breakout: 2.5, breakouts: 2, squeeze: 1.5, squeezes: 1.5, squeezing: 2,
  reversal: 0.5, setup: 1, setups: 1, entry: 0.5,
  conviction: 1.5, opportunity: 2, opportunities: 1.5, potential: 1.5,
  promising: 2, upward: 1.5, upwards: 1.5, uptrend: 2, uptrends: 2, upswing: 2, uptick: 1.5, upticks: 1.5,
  outperform: 2.5, outperformed: 2.5, outperforming: 2.5, outperforms: 2.5, outperformance: 2,
  overweight: 1.5,
};

/** Bearish trader positioning: selling, shorting, buying protection. */
const BEARISH_POSITIONING: Record<string, number> = {
  short: -1.5, shorts: -1, shorting: -2, shorted: -1.5, shortable: 0,
  // Stronger than the entry verb, so "buying puts" and "loading puts" stay bearish.
  puts: -2,
  sell: -1.5, selling: -1.5, sold: -1.5, sells: -1.5, seller: -1, sellers: -1.5,
  dump: -2.5, dumping: -2.5, dumped: -2.5, dumps: -2.5,
  exit: -1, exits: -1, exited: -1, exiting: -1, trim: -0.5, trimmed: -0.5, trimming: -0.5,
  bear: -2, bears: -1, bearish: -3, bearishness: -2.5,
  downside: -2, overvalued: -2.5, overpriced: -2.5, overrated: -2, expensive: -1, pricey: -1, pricier: -1,
  // "LOD" = low of day; "toppy" = near a top
  lod: -1.5, toppy: -1.5, frothy: -1.5,
  overbought: -1.5, overextended: -1.5, overhyped: -2, hype: -0.5, bubble: -2, bubbles: -1.5,
  bagholder: -2.5, bagholders: -2.5, bagholding: -2.5,
  avoid: -2, avoiding: -1.5,
  underperform: -2.5, underperformed: -2.5, underperforming: -2.5, underperforms: -2.5, underperformance: -2,
  underweight: -1.5,
};

/** Price action: what the tape did. Movement verbs in every tense we meet. */
const PRICE_ACTION_UP: Record<string, number> = {
  rally: 2.5, rallied: 2.5, rallying: 2.5, rallies: 2,
  surge: 2.5, surged: 2.5, surges: 2.5, surging: 2.5,
  soar: 3, soared: 3, soaring: 3, soars: 3,
  skyrocket: 3, skyrocketed: 3, skyrocketing: 3, skyrockets: 3,
  jump: 2, jumped: 2, jumps: 2, jumping: 2,
  spike: 1.5, spiked: 1.5, spikes: 1.5, spiking: 1.5,
  climb: 1.5, climbed: 1.5, climbing: 1.5, climbs: 1.5,
  rise: 1.5, rose: 1.5, rising: 1.5, rises: 1.5, risen: 1.5,
  gain: 2, gained: 2, gaining: 2, gains: 2, gainer: 2, gainers: 1.5,
  advance: 1, advanced: 0.5, advancing: 1.5, advances: 1,
  pop: 1.5, popped: 1.5, popping: 1.5, pops: 1.5,
  ripping: 2.5, rips: 2,
  explode: 2, exploded: 2, exploding: 2.5, explodes: 2,
  moon: 3, mooning: 3, mooned: 3, moonshot: 3, moons: 2.5,
  rocket: 2.5, rocketing: 3, rocketed: 3, rockets: 2.5,
  fly: 1.5, flying: 2, runner: 1.5, running: 1,
  higher: 1.5, highs: 1, up: 0.3, green: 1.5, exceed: 2, surpass: 2, surpasses: 2,
  strength: 2, strong: 2, stronger: 2, strongest: 2.5, strengthening: 2,
  momentum: 1, uptrending: 2,
};

const PRICE_ACTION_DOWN: Record<string, number> = {
  drop: -1.5, dropped: -1.5, dropping: -1.5, drops: -1.5,
  fall: -1.5, fell: -1.5, falling: -1.5, falls: -1.5, fallen: -1.5,
  decline: -1.5, declined: -1.5, declining: -1.5, declines: -1.5,
  slide: -1.5, slid: -1.5, sliding: -1.5, slides: -1.5,
  slip: -1, slipped: -1, slipping: -1, slips: -1,
  sink: -2, sank: -2, sinking: -2, sinks: -2, sunk: -2,
  plunge: -3, plunged: -3, plunging: -3, plunges: -3,
  plummet: -3, plummeted: -3, plummeting: -3, plummets: -3,
  tumble: -2.5, tumbled: -2.5, tumbling: -2.5, tumbles: -2.5,
  tank: -3, tanked: -3, tanking: -3, tanks: -2.5,
  crater: -3, cratered: -3, cratering: -3, craters: -3,
  crash: -3, crashed: -3, crashing: -3, crashes: -3,
  dive: -2.5, dived: -2.5, dives: -2.5, diving: -2.5, nosedive: -3, nosedived: -3, nosediving: -3,
  retreat: -1, retreated: -1, retreating: -1, retreats: -1,
  erase: -1.5, erased: -1.5, erases: -1.5, erasing: -1.5,
  collapse: -3, collapsed: -3, collapsing: -3, collapses: -3,
  slump: -2.5, slumped: -2.5, slumping: -2.5, slumps: -2.5,
  selloff: -2.5, selloffs: -2.5, correction: -1.5, corrections: -1.5, downtrend: -2, downtrends: -2, downtrending: -2,
  downturn: -2, downturns: -2,
  breakdown: -2.5, breakdowns: -2.5, downward: -1.5, downwards: -1.5, downswing: -2, downtick: -1.5,
  fade: -1.5, faded: -1.5, fading: -1.5, fades: -1.5,
  bleed: -2, bleeding: -2.5, bleeds: -2, bloodbath: -3, blood: -1.5,
  hammered: -2.5, pummeled: -2.5, battered: -2.5, slammed: -2.5, destroyed: -3,
  lower: -1.5, lows: -1, down: -0.8, red: -1.5,
  weak: -2, weaker: -2, weakest: -2.5, weakness: -2, weakening: -2,
  pullback: -0.5, retrace: -0.5, retraced: -0.5, dip: -0.5, dips: -0.5, dipped: -1, dipping: -1,
  rejected: -1.5, rejection: -1.5, rejecting: -1.5, rejections: -1.5, resistance: -0.5, support: 1,
  capitulation: -2, capitulate: -2, capitulated: -2, capitulates: -2, capitulating: -2,
  gap: 0, gapped: 0,
};

/** Analyst, earnings and guidance vocabulary (the sell-side's own words). */
const ANALYST_AND_EARNINGS: Record<string, number> = {
  upgrade: 2.5, upgraded: 2.5, upgrades: 2, upgrading: 2,
  downgrade: -2.5, downgraded: -2.5, downgrades: -2, downgrading: -2,
  beat: 2, beats: 2, beating: 1.5, topped: 2, exceeded: 2, exceeds: 2, surpassed: 2,
  miss: -2, misses: -2, missed: -2, missing: -1.5,
  profit: 2, profits: 2, profiting: 2, profited: 2, profitable: 2.5, profitability: 1.5, unprofitable: -2.5,
  loss: -2.5, losses: -2.5, lossmaking: -2.5,
  writedown: -2, writedowns: -2, impairment: -2, impairments: -2, writeoff: -2, writeoffs: -2,
  guidance: 0, outlook: 0, forecast: 0, estimates: 0, consensus: 0,
  raised: 1, raises: 1, raise: 0.5, raising: 1, hike: 0.5, hikes: 0.5, hiked: 0.5,
  lowered: -1.5, lowers: -1.5, lowering: -1.5, slashed: -2.5, slashes: -2.5, slash: -2, slashing: -2.5,
  cut: -1.5, cuts: -1.5, cutting: -1.5,
  record: 1, upbeat: 2, optimistic: 2, optimism: 2, confident: 2, confidence: 1.5,
  pessimistic: -2, pessimism: -2, cautious: -1, caution: -1, cautioned: -1, cautiously: -0.5,
  disappointing: -2.5, disappointed: -2, disappoints: -2, disappointment: -2.5, disappoint: -2,
  impressive: 3, blowout: 2.5, stellar: 3, robust: 2, solid: 2, healthy: 1.5,
  sluggish: -2, soft: -1, softer: -1, softness: -1.5, tepid: -1.5, lackluster: -2, dismal: -3,
  stagnant: -2, stagnating: -2, slowdown: -2, slowing: -1.5, slower: -1, slowed: -1,
  headwind: -2, headwinds: -2, tailwind: 2, tailwinds: 2,
  accelerating: 1.5, accelerate: 1, accelerates: 1, accelerated: 1, acceleration: 1.5,
  decelerating: -1.5, decelerate: -1, decelerates: -1, decelerated: -1.5, deceleration: -1.5,
  growth: 2, growing: 1.5, grow: 1.5, grew: 1.5, grows: 1.5,
  shrink: -2, shrinking: -2, shrank: -2, shrinks: -2, contraction: -2,
  expansion: 1.5, expansions: 1.5, expand: 1, expanding: 1.5, expanded: 1.5, expands: 1,
  warning: -2, warns: -2, warned: -2,
  beaten: -1, underwhelming: -2, overdelivered: 2.5, underdelivered: -2.5,
};

/** Corporate events that move a stock's price in a known direction. */
const CORPORATE_EVENTS: Record<string, number> = {
  bankrupt: -4, bankrupted: -4, bankruptcy: -4, bankruptcies: -3, insolvent: -3.5, insolvency: -3.5, liquidation: -3,
  default: -2.5, defaulted: -3, defaults: -2.5, defaulting: -3,
  delisted: -3.5, delisting: -3.5, delist: -3, delists: -3,
  dilution: -2.5, diluted: -2, dilutive: -2.5, dilute: -2, dilutes: -2, diluting: -2.5, offering: -1,
  buyback: 2, buybacks: 2, repurchase: 1.5, repurchases: 1.5, repurchased: 1.5, repurchasing: 1.5,
  dividend: 0.5, dividends: 0.5,
  acquisition: 0.5, acquire: 0.5, acquired: 0.5, acquires: 0.5, buyout: 1.5, buyouts: 1.5, takeover: 1.5, merger: 0.5,
  partnership: 1.5, partnerships: 1.5, partnered: 1.5, partners: 0.5, contract: 1, contracts: 1, deal: 0.5,
  approval: 2, approvals: 2, approved: 2, approves: 2, cleared: 1,
  launch: 1, launches: 1, launched: 1, launching: 1,
  layoff: -2.5, layoffs: -2.5, restructuring: -1, downsizing: -2,
  recall: -2, recalls: -2, recalled: -2, recalling: -2,
  lawsuit: -2, lawsuits: -2, sued: -2, sues: -1.5, litigation: -1.5,
  probe: -2, probes: -2, probing: -1.5, investigation: -2, investigations: -2, investigated: -2, investigating: -1.5,
  subpoena: -2.5, subpoenaed: -2.5, indicted: -3.5, indictment: -3.5, indictments: -3.5,
  fraud: -4, fraudulent: -4, scandal: -3, scandals: -3, scam: -3, scams: -3, ponzi: -3.5, manipulation: -2,
  halted: -1, resigned: -1.5, resigns: -1.5, ousted: -2,
  shortfall: -2, deficit: -1.5, debt: -1.5, overleveraged: -2.5, leveraged: -0.5,
};

/** Macro and market-wide mood. */
const MACRO: Record<string, number> = {
  recession: -3, depression: -3, stagflation: -2.5, inflation: -1, inflationary: -1,
  crisis: -3, contagion: -3, panic: -3, turmoil: -2.5, fears: -2, fear: -2,
  uncertainty: -1.5, uncertain: -1, volatility: -0.5, volatile: -1,
  hawkish: -1.5, dovish: 1.5, stimulus: 1.5, tariff: -1.5, tariffs: -1.5, sanctions: -1.5,
  risk: -1.5, risky: -1.5, risks: -1.5, concern: -1.5, concerns: -1.5, concerned: -1.5,
  worries: -2, worry: -2, worried: -2, worrying: -2,
  boom: 2, booming: 2.5, prosperity: 2,
};

/** Reddit / StockTwits trading slang. */
const REDDIT_SLANG: Record<string, number> = {
  tendies: 3, tendie: 3, lambo: 2.5, lambos: 2.5, stonks: 1, gainz: 2, printing: 2, printer: 0,
  moass: 3, wagmi: 2, ngmi: -2, lfg: 2.5, bullrun: 2.5, bagger: 2, baggers: 2,
  rekt: -3, wrecked: -3, rugged: -3, rugpull: -3.5, copium: -1.5, cope: -1, coping: -1, hopium: -1,
  fomo: -0.5, fud: 0, yolo: 1, yoloed: 1, ape: 0, apes: 0.5, diamond: 1, paper: 0,
  stonk: 0.5, guh: -3, bagheld: -2.5, rip: -1.5,
  gamble: -0.5, gambling: -0.5, casino: -0.5, degen: 0,
  trash: -2.5, garbage: -3, junk: -2, worthless: -3, dogshit: -3, shitco: -3,
  winner: 3, winners: 2.5, loser: -3, losers: -2.5,
  // "cooked" and "zombie" are verdicts on a company; "juicy" a setup someone wants
  cooked: -2.5, zombie: -2, uninvestable: -3, incinerator: -2, delusional: -2.5, juicy: 2, bags: -1.5,
  comeback: 2, compounding: 2, compounder: 2.5, compounders: 2.5, doubled: 2, tripled: 2.5, halved: -2.5,
  ath: 2.5, aths: 2.5, atl: -2.5, bottomed: 1.5, bottoming: 1, ripped: 2.5, outflows: -1.5, inflows: 1.5,
  obliterated: -3, speculation: -1, dcaing: 1.5, smoked: -1.5, legit: 2, shambles: -2, burned: -2, burnt: -2,
  leaps: 1.5, leap: 1, double: 1.5, doubling: 1.5,
  gg: -1, oof: -2, ouch: -2, yikes: -2, rough: -1.5, brutal: -2.5, painful: -2.5, pain: -2,
  // verdicts on a company in plain words: "a dinosaur", "blindsided", "going parabolic", "actually executing"
  dinosaur: -2, graveyard: -2, blindsided: -2, survive: 1, survives: 1, parabolic: 2, brr: 2, executing: 1.5, executes: 1.5, execution: 1, executed: 1,
  fined: -2, smashed: 2, squeezed: 0, stalling: -1.5, stalled: -1.5, stalls: -1.5, ballooning: 0, ballooned: 0, nonexistent: -1.5,
};

/**
 * AFINN-165 entries that mean something else in market talk. "Shares",
 * "interest", "united" are nouns and names here, "like" is filler, "top" is as
 * often "bought the top" as praise, and the profanity on Reddit is mostly an
 * intensifier (handled as a booster), not a judgement on the stock.
 */
export const AFINN_OVERRIDES: Readonly<Record<string, number>> = {
  share: 0, shares: 0, shared: 0, sharing: 0,
  interest: 0, interests: 0, interested: 0.5,
  like: 0.5, likes: 0.5, liked: 1,
  top: 0.5, fine: 1, care: 0.5, help: 1, helps: 1, free: 0.5,
  charges: -1, charged: -1, limited: 0, limit: 0, demand: 0.5, demands: 0,
  stop: 0, stopped: -0.5, stops: 0, hard: -0.5, big: 0.5, huge: 1, united: 0, true: 0.5,
  // laughter mocks as often as it celebrates on finance Reddit
  no: 0, yes: 1, lol: 0, lmao: 0, lmfao: 0, rofl: 0, haha: 0, wow: 2, sorry: 0, pays: 1,
  // a fund's or a REIT's legal form, not faith; a performance disclaimer, not a promise
  trust: 0, trusts: 0, guarantee: 0, guaranteed: 0, careful: -0.5, downhill: -2,
  // "price target" is a phrase; the word alone is as often a shop or a goal
  target: 0, targets: 0,
  // "crushed it", "crushed earnings": active, it is praise; the passive ("got crushed") is a phrase
  crushed: 1.5, insane: 1,
  fuck: -2.5, fucking: 0, fuckin: 0, shit: -1.5, hell: -1, damn: 0, holy: 0, god: 0,
  kill: -2, killing: -1, killed: -2, dead: -3, die: -2, dying: -2.5,
  crash: -3, miss: -2, risk: -1.5, drop: -1.5, dump: -2.5,
  easy: 1, cheap: 1, steal: 1.5, pretty: 0, super: 0, so: 0, very: 0,
  best: 2.5, better: 1.5, well: 0.5, ok: 0.5, okay: 0.5,
  nicely: 2, cool: 1, joke: -2, jokes: -1, clown: -2, clowns: -2, idiot: -2.5,
  lost: -2.5, lose: -2, losing: -2, loses: -2,
  broke: -1.5, broken: -2, bailout: -1.5, bull: 2, bear: -2,
  critical: -1, aggressive: 0, attack: -1, vulnerable: -1.5, exposed: -0.5, exposure: 0,
  please: 0, thank: 1, thanks: 1, want: 0, wants: 0, fight: -0.5, fighting: -0.5,
};

/**
 * The finance layer, applied over AFINN-165 in this order so later groups win
 * where two disagree (overrides last: they exist to correct AFINN).
 */
export const FINANCE_LEXICON: Readonly<Record<string, number>> = Object.freeze({
  ...BULLISH_POSITIONING,
  ...BEARISH_POSITIONING,
  ...PRICE_ACTION_UP,
  ...PRICE_ACTION_DOWN,
  ...ANALYST_AND_EARNINGS,
  ...CORPORATE_EVENTS,
  ...MACRO,
  ...REDDIT_SLANG,
  ...AFINN_OVERRIDES,
});

/**
 * Words that flip the valence of what follows within a short window. Both
 * spellings of contractions are listed because Reddit drops the apostrophe
 * as often as not. "non" (in AFINN's negator list) is left out: "non-GAAP EPS
 * beat" is a beat.
 */
export const NEGATORS: readonly string[] = [
  'not', 'no', 'never', 'nor', 'neither', 'none', 'nobody', 'nothing', 'without', 'hardly', 'barely',
  "can't", 'cant', 'cannot', "don't", 'dont', "doesn't", 'doesnt', "didn't", 'didnt',
  "isn't", 'isnt', "aren't", 'arent', "wasn't", 'wasnt', "weren't", 'werent',
  "won't", 'wont', "wouldn't", 'wouldnt', "shouldn't", 'shouldnt', "couldn't", 'couldnt',
  "ain't", 'aint', "hasn't", 'hasnt', "haven't", 'havent', "hadn't", 'hadnt', 'lack', 'lacks', 'lacking',
];

/**
 * Intensity modifiers: multiply the next sentiment-bearing word. Reddit's
 * profanity lands here ("fucking mooning"), as do hedges that soften a claim.
 */
export const BOOSTERS: Readonly<Record<string, number>> = Object.freeze({
  very: 1.3, really: 1.3, extremely: 1.5, super: 1.3, so: 1.2, hugely: 1.4, massively: 1.4, massive: 1.4,
  incredibly: 1.4, absolutely: 1.4, completely: 1.4, utterly: 1.4, totally: 1.3, highly: 1.3, insanely: 1.5, seriously: 1.3,
  fucking: 1.4, fuckin: 1.4, freaking: 1.3, damn: 1.2, mega: 1.3, ultra: 1.3, hella: 1.3,
  most: 1.2, much: 1.1, way: 1.2, crazy: 1.3, af: 1.3, heavily: 1.3, sharply: 1.4,
  significantly: 1.3, substantially: 1.3, strongly: 1.3, deeply: 1.3, dramatically: 1.4, pretty: 1.1,
  slightly: 0.6, somewhat: 0.7, bit: 0.7, little: 0.7, kinda: 0.7, sorta: 0.7, marginally: 0.6,
  mildly: 0.6, modestly: 0.7, partly: 0.7, partially: 0.7, moderately: 0.8, relatively: 0.85,
});

/**
 * Words that turn a following bare percentage into a price move ("up 3%",
 * "lost 10%"), or that follow one ("5% higher"). Direction only: the size of
 * the move comes from the number.
 */
export const MOVE_UP_WORDS: readonly string[] = [
  'up', 'gained', 'gain', 'gains', 'gaining', 'rose', 'rise', 'rises', 'rising', 'jumped', 'jump', 'jumps',
  'climbed', 'climbs', 'surged', 'surges', 'soared', 'soars', 'rallied', 'higher', 'popped', 'added', 'advanced', 'ripped',
  'spiked', 'green', 'increased', 'increase', 'grew', 'growth', 'upside', 'returned', 'ballooning', 'ballooned',
];
export const MOVE_DOWN_WORDS: readonly string[] = [
  'down', 'lost', 'lose', 'loses', 'losing', 'fell', 'fall', 'falls', 'falling', 'dropped', 'drop', 'drops',
  'declined', 'declines', 'sank', 'sinks', 'slid', 'slides', 'plunged', 'plunges', 'tanked', 'lower',
  'crashed', 'tumbled', 'slumped', 'shed', 'red', 'decreased', 'decrease', 'off', 'downside', 'cut', 'shrank',
];

/** Clause pivots: what follows outweighs what came before ("weak Q1 but great guide"). */
export const CONTRAST_WORDS: readonly string[] = ['but', 'however', 'nevertheless'];
/** …and these only when they open a clause ("strong quarter, yet the stock fell"): "not yet" is no contrast. */
export const CLAUSE_CONTRAST_WORDS: readonly string[] = ['yet'];
/**
 * A concession: the clause "although" opens counts less than the rest ("nice earnings, although the
 * guide was soft"). "though" is one when it opens a clause; ending one ("dipped, still above 70%
 * though") it makes that clause the one that decides, and between two words it is a "but".
 */
export const CONCESSION_WORDS: readonly string[] = ['although', 'though', 'tho'];

/**
 * Irony. These words, greeting bad news, are praise said the other way round: as an interjection
 * opening a sentence ("great, another -40% day", "oh wonderful,", "cool cool cool,", "great job
 * Intel,"), as "love …" opening one ("love waking up to my calls down 60%"), as thanks ("thanks
 * Jerome") or after feigned sincerity ("truly inspiring"). Whether the rest of the post is bad news
 * decides (irony.ts); the words alone never do.
 */
export const PRAISE_WORDS: readonly string[] = [
  'great', 'fantastic', 'wonderful', 'amazing', 'awesome', 'nice', 'cool', 'perfect', 'brilliant', 'lovely', 'excellent', 'sweet',
  'beautiful', 'superb', 'outstanding', 'incredible', 'love', 'loving', 'glad', 'thanks', 'thank', 'wow', 'smooth', 'inspiring',
];
/** After a praise word opening a sentence, these make it a verdict on someone: "great job Intel", "nice move". */
export const PRAISE_OBJECTS: readonly string[] = ['job', 'move', 'timing', 'work', 'call', 'stuff'];
/** Before an interjection, these keep it one: "oh wonderful,", "yeah great,", "real smooth". */
export const INTERJECTION_LEADS: readonly string[] = ['oh', 'ah', 'wow', 'yeah', 'yea', 'well', 'just', 'real', 'really', 'so', 'truly', 'how'];
/** Feigned sincerity before praise: "truly inspiring leadership", "truly a visionary". */
export const SINCERITY_WORDS: readonly string[] = ['truly', 'totally', 'definitely', 'surely'];

/**
 * Buying said as intent ("buying more", "adding", "loading up", "a great entry"): a fall in the same
 * sentence is the occasion, not the verdict ("dropped 10% on the trial data, buying more"). Past
 * tenses are left out: "bought at 120, now 65" is a loss.
 */
export const BUY_INTENT_WORDS: readonly string[] = [
  'buy', 'buying', 'add', 'adding', 'load', 'loading', 'accumulate', 'accumulating', 'entry', 'scoop', 'scooping', 'averaging',
];
/** Falls of the price that a buyer can take as the occasion, besides the move words: "on this dip", "at 52 week lows". */
export const DIP_WORDS: readonly string[] = ['dip', 'dips', 'dipped', 'dipping', 'drop', 'drops', 'dropped', 'lows', 'pullback', 'selloff', 'correction'];

/**
 * Options. Calls are a bet the stock goes up, puts that it goes down; whoever
 * sells ("writes") one takes the other side. So what happened to the option
 * (OPTION_PNL_WORDS: it printed, paid, expired worthless) tells the stock's
 * direction only through the option's: puts printing is bearish on the
 * stock, puts crushed bullish. The scorer keeps the option's direction per
 * sentence and multiplies the outcome words by it.
 */
export const CALL_WORDS: readonly string[] = ['calls', 'leaps', 'leap'];
export const PUT_WORDS: readonly string[] = ['puts'];
/** Entry verbs before an option word: the option says the direction, not the verb ("bought puts" is bearish). */
export const OPTION_ENTRY_WORDS: readonly string[] = [
  'buy', 'buying', 'bought', 'buys', 'load', 'loaded', 'loading', 'loads', 'add', 'added', 'adding', 'grabbed', 'grab',
  'got', 'get', 'opened', 'closed', 'closing', 'holding', 'hold', 'held', 'sold', 'sell', 'selling', 'sells', 'dumped',
  'wrote', 'write', 'writing', 'writes', 'yolo', 'yoloed',
];
/** Selling an option you did not own is writing it: "sold puts", "selling puts on KO" (not "sold my puts"). */
export const OPTION_WRITE_WORDS: readonly string[] = ['sold', 'sell', 'selling', 'sells', 'wrote', 'write', 'writing', 'writes'];
/** What happened to a position: its sign is the position's, not the stock's. */
export const OPTION_PNL_WORDS: readonly string[] = [
  'printing', 'printed', 'print', 'prints', 'paid', 'pays', 'paying', 'gain', 'gains', 'gained', 'profit', 'profits',
  'tendies', 'worthless', 'expired', 'obliterated', 'rekt', 'wrecked', 'destroyed',
  'lost', 'loss', 'losses', 'losing', 'won', 'winning', 'killed', 'dead', 'crushed', 'smoked', 'burned', 'burnt',
  'fucked', 'wiped', 'mooning', 'exploded', 'exploding', 'itm', 'otm', 'doubled', 'tripled', 'bagger', 'baggers',
  'cooked', 'shambles', 'burned', 'burnt',
];

/**
 * The bears' side: when shorts or bears are the ones something happens to
 * ("short sellers getting cooked", "bears in shambles", "bears eating good"),
 * the outcome's sign flips for the stock, as for puts.
 */
export const BEAR_SIDE_WORDS: readonly string[] = ['shorts', 'bears', 'shorters', 'shortsellers'];

/**
 * Quantities that are good news in themselves: a fall ("sales growth
 * slowing", "margins shrinking") is bad news whatever the noun's own valence.
 */
export const GOOD_QUANTITY_WORDS: readonly string[] = [
  'growth', 'sales', 'revenue', 'revenues', 'margins', 'margin', 'demand', 'earnings', 'profit', 'profits', 'users',
  'subscribers', 'subs', 'bookings', 'deliveries', 'traffic', 'volumes', 'comps', 'orders', 'backlog', 'guidance',
  'volume', 'retention',
];

/**
 * Outcome words only after the option is named ("my puts are up 200%"); before
 * it they are the stock's move ("TSLA up 10%, my puts are dead").
 */
export const OPTION_PNL_AFTER_WORDS: readonly string[] = ['up', 'down', 'green', 'red'];

/** Hedges: a claim made with one of these asks more than it asserts, like a question. */
export const HEDGE_WORDS: readonly string[] = [
  'maybe', 'might', 'perhaps', 'possibly', 'idk', 'dunno', 'unsure', 'wondering', 'curious', 'guess', 'either',
];
/** "not sure", "don't (really) know": a negator before these hedges instead of flipping. */
export const KNOW_WORDS: readonly string[] = ['sure', 'know', 'certain', 'convinced'];

/**
 * The head of a listing or a disclosure ("Positions:", "My portfolio:",
 * "Disclosure:"): what follows in that sentence is a fact, not an opinion.
 */
export const HEAD_WORDS: readonly string[] = [
  'disclosure', 'disclaimer', 'position', 'positions', 'holdings', 'holding', 'portfolio', 'port', 'roth', 'ira',
  'allocation', 'lineup', 'watchlist', 'update', 'tldr', 'edit',
];
/** "bought 3 shares": a quantity of shares is a report of a trade, not a view on the stock. */
export const SHARE_WORDS: readonly string[] = ['shares', 'share', 'stocks'];
/** A multiple before these is a valuation ("100x earnings"), not a gain ("10x"). */
export const VALUATION_NOUNS: readonly string[] = ['earnings', 'sales', 'revenue', 'ebitda', 'fcf', 'pe', 'book', 'forward'];

/**
 * Quantities that are bad news in themselves: when one of them moves, the
 * move's sign flips ("losses narrowed", "debt fell", "costs rose"), and the
 * noun no longer counts on its own.
 */
export const BAD_QUANTITY_WORDS: readonly string[] = [
  'loss', 'losses', 'debt', 'deficit', 'costs', 'expenses', 'burn', 'inventory', 'inventories', 'unemployment', 'delinquencies',
  // what a company spends or loses, and for stocks the price of money
  'capex', 'headcount', 'churn', 'rates',
];
/** Words of shrinking that are not price moves ("losses narrowed"). */
export const SHRINK_WORDS: readonly string[] = [
  'narrowed', 'narrowing', 'narrows', 'narrower', 'shrank', 'shrinking', 'shrinks', 'shrunk', 'reduced', 'reducing',
  'halved', 'slashed', 'improved', 'eased', 'easing', 'slowing', 'slowed', 'slows', 'decelerating', 'decelerated',
  'weakening', 'softening', 'contracting', 'declining', 'falling', 'dropping', 'shrank',
  // a quantity squeezed, stalled, gone: "margins got squeezed", "growth is stalling", "debt is basically zero"
  'squeezed', 'stalling', 'stalled', 'stalls', 'zero', 'nonexistent',
];
