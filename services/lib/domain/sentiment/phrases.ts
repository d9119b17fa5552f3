/**
 * Multi-word expressions. A phrase replaces the words it is made of: "short
 * squeeze" is bullish although "short" alone is bearish, "long term" is a
 * horizon, not a position, and "Best Buy" is a retailer, not a rating.
 *
 * Phrases are written as the tokenizer sees them: lower case, split on spaces
 * and hyphens ("sell-off" = "sell off", "52-week" = "52 week"), apostrophes
 * kept (both "can't" and "cant" are generated from one entry).
 *
 * Values are on AFINN's scale, like lexicon.ts. A value of 0 is meaningful: it
 * swallows the words so that none of them scores on its own.
 */
export const VALENCE_PHRASES: Readonly<Record<string, number>> = Object.freeze({
  // Reddit / WSB idiom
  'to the moon': 3.5, 'diamond hands': 2.5, 'diamond handing': 2.5, 'diamond handed': 2.5,
  'paper hands': -1.5, 'paper handed': -1.5, 'paper handing': -1.5,
  'buy the dip': 2.5, 'buying the dip': 2.5, 'bought the dip': 2.5, 'buy this dip': 2.5, 'buying dips': 2,
  'hold the line': 2, 'holding strong': 2, 'hold strong': 2, 'apes together strong': 2.5,
  'bag holder': -2.5, 'bag holders': -2.5, 'holding bags': -2, 'holding the bag': -2.5, 'heavy bags': -2,
  'rug pull': -3.5, 'rug pulled': -3.5, 'pump and dump': -3.5, 'pump n dump': -3.5,
  'free money': 2, 'easy money': 2, 'money printer': 1.5, 'lets go': 2, "let's go": 2,
  'all in': 1.5, 'down bad': -3, 'blown up': -2.5, 'wiped out': -3, 'wipe out': -3,
  'hell yeah': 2.5, 'hell no': -2, 'what the hell': -1, 'what the fuck': -1.5, 'holy shit': 0,
  'no brainer': 2.5, "can't wait": 2, "can't lose": 2, "can't go wrong": 2, 'no doubt': 1,

  // Positioning idioms whose words mislead on their own
  'long term': 0.5, 'long time': 0, 'as long as': 0, 'long way': 0, 'how long': 0, 'so long': 0,
  'long story': 0, 'long run': 0.5, 'before long': 0,
  'short term': 0, 'in short': 0, 'short interest': 0, 'short sellers': -0.5, 'short seller': -0.5,
  'short squeeze': 2.5, 'gamma squeeze': 2.5, 'short covering': 1.5, 'shorts covering': 1.5,
  'short report': -2, 'fell short': -2, 'falls short': -2, 'fall short': -2, 'came up short': -2,
  'margin call': -3, 'margin calls': -3,
  'sell side': 0, 'buy side': 0, 'buy back': 2, 'buying back': 2, 'bought back': 1.5,
  'sell off': -2.5, 'selling off': -2.5, 'sold off': -2.5, 'sells off': -2.5, 'selling pressure': -2.5,
  'buying pressure': 2, 'under pressure': -2, 'panic selling': -3, 'fire sale': -2,
  'take profits': 0.5, 'taking profits': 0.5, 'took profits': 0.5, 'profit taking': 0.5, 'took profit': 0.5,
  'stop loss': 0, 'stopped out': -2, 'cut losses': -1.5, 'cutting losses': -1.5,
  'load up': 2, 'loading up': 2, 'loaded up': 2,
  'bought the top': -2.5, 'buying the top': -2, 'buy the top': -2, 'sold the bottom': -2, 'selling the bottom': -2,
  'top pick': 2.5, 'top performer': 2.5, 'top gainer': 2.5, 'top loser': -2.5, 'top line': 0,
  'bottom line': 0, 'bottomed out': 1.5, 'bottom is in': 2,
  'stay away': -2.5, 'steer clear': -2.5, 'get out': -1.5,
  'bull trap': -2.5, 'bear trap': 1.5, 'dead cat bounce': -2.5, 'falling knife': -2.5, 'value trap': -2.5,

  // Price action and chart patterns
  'all time high': 3, 'all time highs': 3, 'record high': 3, 'record highs': 3,
  'new high': 2.5, 'new highs': 2.5, 'fresh highs': 2.5, '52 week high': 2.5, '52 week highs': 2.5,
  'multi year high': 2.5, 'multi year highs': 2.5,
  'all time low': -3, 'all time lows': -3, 'record low': -3, 'record lows': -3,
  'new low': -2.5, 'new lows': -2.5, 'fresh lows': -2.5, '52 week low': -2.5, '52 week lows': -2.5,
  'multi year low': -2.5, 'multi year lows': -2.5,
  'higher highs': 2, 'higher lows': 2, 'lower highs': -2, 'lower lows': -2.5,
  'golden cross': 2.5, 'death cross': -2.5, 'cup and handle': 1.5, 'bull flag': 2, 'bear flag': -2,
  'ascending triangle': 1.5, 'descending triangle': -1.5, 'double bottom': 1.5, 'double top': -1.5,
  'head and shoulders': -1.5, 'inverse head and shoulders': 2,
  'breaking out': 2.5, 'broke out': 2.5, 'break out': 2, 'breaks out': 2.5,
  'breaking down': -2.5, 'broke down': -2.5, 'breaks down': -2.5,
  'broke support': -2.5, 'below support': -2, 'lost support': -2, 'losing support': -2,
  'held support': 2, 'holding support': 2, 'holds support': 2, 'above support': 1,
  'above resistance': 2, 'broke resistance': 2.5, 'through resistance': 2,
  'gap up': 2, 'gapped up': 2, 'gaps up': 2, 'gap down': -2, 'gapped down': -2, 'gaps down': -2,
  'in the green': 2, 'green day': 2, 'in the red': -2, 'red day': -2,
  'bull market': 2.5, 'bull run': 2.5, 'bear market': -2.5,
  'going up': 1.5, 'goes up': 1.5, 'go up': 1, 'went up': 1.5, 'going higher': 2, 'go higher': 1.5,
  'going down': -1.5, 'goes down': -1.5, 'go down': -1, 'went down': -1.5, 'going lower': -2, 'go lower': -1.5,
  'up big': 2, 'down big': -2, 'going to zero': -3, 'to zero': -2.5,
  'on fire': 2.5, 'shoot up': 2, 'shot up': 2, 'take off': 2, 'taking off': 2, 'took off': 2,
  'heading higher': 2, 'heading lower': -2, 'trending up': 2, 'trending down': -2,
  'moving up': 1.5, 'moving down': -1.5, 'on the rise': 2, 'on the way up': 1.5, 'on the way down': -1.5,
  'upside potential': 2.5, 'limited upside': -1.5, 'limited downside': 1.5, 'more upside': 2.5, 'more downside': -2.5,

  // Analyst and earnings language
  'strong buy': 3, 'buy rating': 2.5, 'outperform rating': 2, 'sell rating': -2.5, 'strong sell': -3,
  'hold rating': 0, 'neutral rating': 0, 'price target': 0.5,
  'raised price target': 2, 'raises price target': 2, 'price target raised': 2, 'raised pt': 2, 'pt raised': 2,
  'lowered price target': -2, 'lowers price target': -2, 'cuts price target': -2, 'cut price target': -2,
  'price target cut': -2, 'price target lowered': -2, 'pt cut': -2, 'pt lowered': -2,
  'beat estimates': 2.5, 'beats estimates': 2.5, 'beat expectations': 2.5, 'beats expectations': 2.5,
  'beat and raise': 3, 'better than expected': 2.5, 'above expectations': 2, 'above estimates': 2,
  'above consensus': 2, 'exceeded expectations': 2.5, 'ahead of expectations': 2,
  'missed estimates': -2.5, 'misses estimates': -2.5, 'missed expectations': -2.5, 'below estimates': -2,
  'below expectations': -2, 'below consensus': -2, 'worse than expected': -2.5,
  'raised guidance': 2.5, 'raises guidance': 2.5, 'raising guidance': 2.5, 'guidance raised': 2.5,
  'cut guidance': -2.5, 'cuts guidance': -2.5, 'lowered guidance': -2.5, 'lowers guidance': -2.5,
  'guidance cut': -2.5, 'guidance lowered': -2.5, 'profit warning': -3,
  'guide up': 2.5, 'guided up': 2.5, 'guided higher': 2.5, 'guide down': -2.5, 'guided down': -2.5, 'guided lower': -2.5,
  'record revenue': 2.5, 'record quarter': 2.5, 'record profit': 3, 'record earnings': 2.5, 'record sales': 2.5,
  'crushed it': 3, 'crushed earnings': 3, 'crushed estimates': 3, 'killed it': 2.5, 'killing it': 2.5,
  'smashed estimates': 2.5, 'blew out': 2, 'beat up': -1.5, 'beaten down': -1.5,
  'margin expansion': 2, 'margin compression': -2, 'cash burn': -2, 'burning cash': -2, 'burn rate': -1,

  // Corporate events
  'dividend hike': 2.5, 'dividend increase': 2.5, 'raises dividend': 2.5, 'raised dividend': 2.5,
  'special dividend': 2, 'dividend cut': -3, 'cuts dividend': -3, 'cut dividend': -3,
  'suspends dividend': -3, 'suspended dividend': -3, 'stock split': 0,
  'chapter 11': -4, 'going concern': -3, 'reverse split': -2.5,
  'secondary offering': -2, 'share offering': -2, 'stock offering': -2, 'atm offering': -2,
  'bidding war': 2.5, 'exit bankruptcy': 2, 'exits bankruptcy': 2, 'emerged from bankruptcy': 2,
  'emerges from bankruptcy': 2, 'out of bankruptcy': 1.5,
  'job cuts': -2.5, 'laid off': -2, 'class action': -2, 'price cut': -1, 'price cuts': -1,

  // Macro: for stocks, cheaper money is good news
  'rate hike': -1.5, 'rate hikes': -1.5, 'rate cut': 1.5, 'rate cuts': 1.5, 'trade war': -2,
  'cut rates': 1.5, 'cuts rates': 1.5, 'cutting rates': 1.5, 'rates cut': 1.5, 'lower rates': 1, 'rate fears': -1.5,
  'raise rates': -1.5, 'raising rates': -1.5, 'raises rates': -1.5, 'hike rates': -1.5, 'hiking rates': -1.5,
  'higher rates': -1, 'higher for longer': -1.5,

  // Finance senses of general words
  // a loss, a debt, a cost moving: see BAD_QUANTITY_WORDS; these say it the other way round
  'weight loss': 0, 'weight loss drug': 0, 'weight loss drugs': 0, 'loss per share': -1, 'net loss': -1,
  'narrower loss': 2, 'narrowed loss': 2, 'narrowed losses': 2, 'smaller loss': 1.5, 'smaller losses': 1.5,
  'paid down': 1.5, 'pay down': 1, 'paying down': 1.5, 'pays down': 1.5, 'debt reduction': 1.5,
  'eating into': -2, 'eats into': -2, 'ate into': -2, 'eating away': -2, 'cash injection': 1,
  'cut costs': 1.5, 'cuts costs': 1.5, 'cutting costs': 1.5, 'cost cutting': 1.5, 'cost cuts': 1.5,
  'slashed costs': 1.5, 'slashes costs': 1.5, 'lower costs': 1,
  'blew past': 2.5, 'blows past': 2.5, 'blowing past': 2.5, 'crushing it': 3, 'value play': 2, 'sleeping on': 2,
  'unlock value': 2.5, 'unlocks value': 2.5, 'patent cliff': -2.5, 'dumpster fire': -3, 'dead money': -2.5,
  'cash burning': -2, 'burning money': -2, 'money pit': -2.5, 'pure speculation': -2, 'holding up': 1.5,
  'fell apart': -2.5, 'falling apart': -2.5, 'lost it all': -3.5, 'lost everything': -3.5, 'taken private': 0,
  'fewer than expected': -2, 'less than expected': -2, 'lower than expected': -2, 'weaker than expected': -2.5,
  'more than expected': 1.5, 'higher than expected': 1.5, 'stronger than expected': 2.5,
  'raised the dividend': 2.5, 'raises the dividend': 2.5, 'raised its dividend': 2.5, 'raises its dividend': 2.5,
  'cut the dividend': -3, 'cuts the dividend': -3, 'cut its dividend': -3,
  // passive "crushed", "smoked", "killed": the stock took the hit
  'got crushed': -2.5, 'getting crushed': -2.5, 'get crushed': -2.5, 'was crushed': -2.5, 'were crushed': -2.5,
  'been crushed': -2.5, 'got smoked': -2.5, 'getting smoked': -2.5, 'got killed': -2.5, 'getting killed': -2.5,
  'got obliterated': -3, 'getting obliterated': -3, 'got wrecked': -3, 'getting wrecked': -3, 'got hit': -2,
  'getting hit': -2, 'got hammered': -2.5, 'getting hammered': -2.5, 'got rekt': -3,
  'deep dive': 0, 'at the top': -1.5,
  'raised its outlook': 2.5, 'raises its outlook': 2.5, 'raised the outlook': 2.5, 'raised outlook': 2.5, 'raises outlook': 2.5,
  'cut its outlook': -2.5, 'cuts its outlook': -2.5, 'cut the outlook': -2.5, 'lowered its outlook': -2.5,
  'no revenue': -2, 'no revenues': -2, 'no profit': -2, 'no profits': -2, 'no earnings': -2, 'no moat': -2,
  'zero revenue': -2, 'gone downhill': -2.5, 'going downhill': -2.5,
  'oh great': -1.5, 'in shambles': -2, 'eating good': 2, 'panic over': 2, 'and chill': 1.5,
  'going to rip': 2.5, 'gonna rip': 2.5, 'about to rip': 2.5, 'will rip': 2.5, 'ready to rip': 2.5, 'rip higher': 2.5,
  'could double': 2, 'will double': 2, 'gonna double': 2, 'going to double': 2, 'double down': 1,
  'regret not buying': 2, "should've bought": 1.5, 'should have bought': 1.5, 'wish i bought': 1.5,
  'wish i had bought': 1.5, 'regret selling': 1.5,

  // Evaluative idioms: a verdict on a company in everyday English, no finance word in it. The
  // phrase carries its own polarity, whatever its words say alone ("firing" is -2 in AFINN,
  // "perfection" +3); a booster inside one ("got absolutely crushed") scales it (see words.ts).
  'firing on all cylinders': 2.5, 'firing on every cylinder': 2.5, 'fired on all cylinders': 2.5, 'on all cylinders': 2.5,
  // the core of an idiom is enough where its verb carries nothing ("knocked it out of the park", "shot itself in the foot"):
  // a phrase opening on a word as common as "it" or "the" would cost every post a lookup
  'out of the park': 2.5, 'in the foot': -2.5,
  'on life support': -2.5, 'dead in the water': -2.5, 'circling the drain': -3, 'down the drain': -2.5,
  'cash cow': 2.5, 'cash cows': 2.5, 'money machine': 2.5, 'cash machine': 2.5, 'on a roll': 2,
  'lost its mojo': -2, 'lost their mojo': -2, 'losing its mojo': -2,
  'fell flat': -2, 'falls flat': -2, 'falling flat': -2, 'flat on its face': -2.5, 'like a rock': -1, 'like a stone': -1,
  'through the roof': 2.5, 'took a beating': -2.5, 'taking a beating': -2.5, 'take a beating': -2.5,
  'eaten alive': -2.5, 'getting eaten alive': -2.5, 'priced for perfection': -2, 'cheap for a reason': -2,
  'trick pony': -2, 'science project': -2, 'not a company': -2, 'not a business': -2,
  'not bad': 1.5, 'not too bad': 1.5, 'never again': -2, "can't catch a break": -2, "can't catch a bid": -2,
  'losing share': -2, 'lost share': -2, 'losing market share': -2, 'gaining share': 2, 'gaining market share': 2, 'taking share': 2,
  'sold out': 2, 'turning up': 1.5, 'turned it around': 2, 'turning it around': 2, 'turned the corner': 2, 'turning the corner': 2,
  'carrying the whole': 2, 'carrying the entire': 2, 'carrying my port': 2, 'carrying my portfolio': 2,
  'go brr': 2, 'goes brr': 2, 'mark my words': 0,
  'not expecting much': -1.5, 'nothing special': -1, 'never goes on sale': 2, 'never go on sale': 2, 'all you need': 2,
  'worth every penny': 2.5, 'deserves every penny': 2.5, 'case for': 1.5, 'case against': -1.5,
  'paying off': 2, 'paid off': 2, 'pays off': 2, 'come back': 1.5, 'coming back': 1.5, 'came back': 1.5,
  // waking up is no move up ("woke up to this 📉")
  'woke up': 0, 'wake up': 0, 'waking up': 0, 'wakes up': 0,
  // rhetorical questions that are verdicts: "who's still buying Intel at this point"
  "who's still buying": -2, 'who is still buying': -2, 'who still buys': -2,
  // "gross" is disgust in AFINN, not a margin
  'gross margin': 0, 'gross margins': 0, 'gross profit': 0,
  // spending cash, and a fine as a noun ("another fine from the regulators")
  'burns through': -2, 'burning through': -2, 'burned through': -2, 'burn through': -2, 'fine from': -2,
  // a quantity's move said in a phrase: its sign comes from the quantity ("rates are coming down", "volume dried up")
  'dried up': -2, 'drying up': -2, 'coming down': -1, 'came down': -1, 'piling up': 0, 'piled up': 0, 'ticked up': 0, 'ticked down': 0,

  // Statements of fact and disclaimers: no opinion in them
  'financial advice': 0, 'investment advice': 0, 'financial advisor': 0, 'licensed advisor': 0,
  'past performance': 0, 'future results': 0, 'ex dividend': 0, 'dividend date': 0, 'good friday': 0,
  'long post': 0, 'long read': 0, 'cash secured puts': 1.5, 'cash secured put': 1.5, 'covered calls': 0, 'covered call': 0,

  // "Outstanding" is a count, not praise, next to shares and debt
  'shares outstanding': 0, 'outstanding shares': 0, 'debt outstanding': 0, 'outstanding debt': 0,
  'loans outstanding': 0, 'outstanding loans': 0, 'options outstanding': 0,

  // Names that contain sentiment words
  'best buy': 0, 'advanced micro': 0, 'super micro': 0, 'general electric': 0,
});

/**
 * Phrases of irony: praise said about bad news ("love this for me", "what a shocker", "great job
 * Intel, another delay"). Each is a cue for irony.ts and carries the praise's valence as general
 * English, which the sarcasm rule turns round when the rest of the post is bad news. "what a
 * shock" swallows "shock": it mocks, it is not news.
 */
export const IRONY_PHRASES: Readonly<Record<string, number>> = Object.freeze({
  'love this for me': 2, 'love to see it': 2, 'what a shock': 0, 'what a shocker': 0, 'what a surprise': 0,
  'who could have seen that coming': 0, 'who could have seen this coming': 0, 'who would have thought': 0, 'who could have guessed': 0,
  'just what i needed': 2, 'just what i wanted': 2, 'exactly what i needed': 2, 'exactly what i wanted': 2,
  "can't wait to see how": 1, 'real smooth': 2, 'so glad i': 2, 'amazing how': 2,
  'great job': 2, 'good job': 2, 'nice job': 2, 'well done': 2, 'great move': 2, 'nice move': 2, 'genius move': 2,
});

/**
 * Phrases that modify the next sentiment word instead of carrying one. A
 * factor of 1 is a pure shield: "not only" must not negate what follows.
 */
export const BOOSTER_PHRASES: Readonly<Record<string, number>> = Object.freeze({
  'never been more': 1.5, 'never been so': 1.5, 'never felt more': 1.5, 'not only': 1,
  // a negative factor flips like a negator: "less than stellar", "far from cheap"
  'less than': -0.75, 'far from': -0.75,
  'kind of': 0.7, 'sort of': 0.7, 'a bit': 0.7, 'a little': 0.7, 'a lot': 1.2, 'so much': 1.3,
  // "nothing like buying the top": a shield, the next words keep their sign
  'nothing like': 1,
  // "hard not to buy": the negation is rhetorical
  'hard not to': 1, "can't not": 1,
});

/**
 * Phrases that are hedges ("not sure", "who knows"): the sentence they are in
 * asks more than it asserts. Valence 0; the scorer damps the clause.
 */
export const HEDGE_PHRASES: readonly string[] = [
  'not sure', 'no idea', 'who knows', 'either way', 'could be wrong', 'might be wrong', 'could go either way',
  'not certain', 'hard to say', 'too early to tell',
];

/** Openers that make a question an assertion ("is it just me or is Costco way overvalued?"): it is not damped. */
export const RHETORICAL_PHRASES: readonly string[] = ['just me or', 'am i the only one who', 'am i crazy or'];

/** Entry phrases that, before an option word, say nothing the option does not ("loaded up on puts", "all in on calls"). */
export const OPTION_ENTRY_PHRASES: readonly string[] = ['load up', 'loaded up', 'loading up', 'all in'];

/** The bears' side as a phrase (see BEAR_SIDE_WORDS in lexicon.ts). */
export const BEAR_SIDE_PHRASES: readonly string[] = ['short sellers', 'short seller'];

/** Phrases that are an option position themselves, with their direction: +1 bullish (selling puts), -1 bearish. */
export const OPTION_PHRASES: Readonly<Record<string, number>> = Object.freeze({
  'cash secured puts': 1, 'cash secured put': 1, 'covered calls': -1, 'covered call': -1,
});

/** Outcome phrases of a position (see OPTION_PNL_WORDS in lexicon.ts). */
export const OPTION_PNL_PHRASES: readonly string[] = [
  'in shambles', 'eating good',
  'free money', 'paid off', 'paying off', 'got crushed', 'getting crushed', 'got smoked', 'got killed', 'got obliterated',
  'got wrecked', 'got rekt', 'lost it all', 'lost everything', 'up big', 'down big', 'down bad', 'to zero',
  'going to zero', 'blown up', 'wiped out', 'easy money', 'money printer',
];
