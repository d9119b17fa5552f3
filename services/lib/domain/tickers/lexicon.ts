/**
 * The curated word lists behind ticker extraction. Everything here is data a
 * reviewer can read and argue with; the rules that use it live in extractor.ts.
 *
 * Lists are upper-case for symbols and lower-case for words compared against
 * the lower-cased text.
 */

/**
 * Symbols that are also everyday English, chat slang or abbreviations people
 * type in capitals for emphasis ("I'm ALL in", "this is NOT advice", "GM
 * everyone", "the CEO said"). A bare upper-case token in this set counts only
 * with positive context (see extractor.ts). Built from the listing's symbols
 * that are dictionary words or common abbreviations; symbols famous enough as
 * tickers that their capitalised form means the stock (PLUG, SNAP, HOOD, COIN,
 * MU, …) are deliberately left out. Words that are not symbols today are listed
 * too where they are likely future symbols, so a refreshed universe stays safe.
 */
export const AMBIGUOUS_WORDS: readonly string[] = [
  // two letters
  'AD', 'AM', 'AN', 'AS', 'AT', 'AX', 'BE', 'BY', 'CC', 'CF', 'CM', 'DD', 'DO', 'ED', 'EH', 'ES', 'FA', 'FR', 'FT',
  'GM', 'GO', 'HE', 'HP', 'HR', 'IF', 'IN', 'IS', 'IT', 'IX', 'KC', 'KG', 'LB', 'MA', 'ME', 'MG', 'MI', 'MO', 'MS',
  'MY', 'NO', 'OF', 'OH', 'OK', 'ON', 'OR', 'OZ', 'PD', 'PG', 'PI', 'PL', 'RM', 'RS', 'SO', 'TO', 'TS', 'UP', 'US',
  'VS', 'WE', 'WK', 'WT',
  // three letters
  'ACT', 'ADV', 'AGO', 'AIM', 'AIR', 'ALL', 'ALT', 'AMP', 'AMT', 'AND', 'ANY', 'APP', 'APT', 'ARE', 'ASH', 'BAH',
  'BID', 'BIG', 'BIT', 'BOT', 'BOW', 'BOX', 'BRO', 'BRR', 'BUD', 'BUT', 'CAN', 'CAR', 'CON', 'COO', 'COP', 'CUB', 'CUE',
  'DIN', 'DOC', 'DUO', 'EAT', 'EGG', 'EMO', 'ESP', 'EYE', 'FAX', 'FIG', 'FIX', 'FLY', 'FOR', 'FOX', 'FUN', 'GAB',
  'GEL', 'GEN', 'GET', 'GOT', 'GUT', 'HAS', 'HER', 'HIS', 'HIT', 'HOG', 'HOW', 'HUM', 'HUT', 'ICE', 'IFS', 'III',
  'INN', 'JAB', 'JOB', 'KEN', 'KEY', 'LAB', 'LAD', 'LAW', 'LEG', 'LOL', 'LOT', 'LOW', 'MAN', 'MAX', 'MED', 'MEN',
  'MET', 'MIN', 'MOB', 'MOD', 'NET', 'NEW', 'NOT', 'NOW', 'ODD', 'ONE', 'OUR', 'OUT', 'OWL', 'PAL', 'PAR', 'PAY',
  'PCT', 'PEG', 'PEN', 'PEW', 'RAY', 'REF', 'RIG', 'RUN', 'SAY', 'SEE', 'SHE', 'SIM', 'SKY', 'SON', 'SOS', 'SUN',
  'TAP', 'TEN', 'THE', 'TOP', 'TWO', 'UPS', 'VET', 'VIA', 'WAS', 'WAY', 'WHO', 'WHY', 'WIT', 'WOK', 'YES', 'YOU',
  'YUM', 'ZIP', 'HAL', 'BEN', 'DAN', 'JOE', 'SAM', 'REX', 'LEO', 'RIO', 'TEX', 'VAL', 'KIM', 'ERIC', 'DAVE', 'DOUG',
  'ADAM', 'RYAN', 'LUCY', 'ELLA', 'CARL', 'JILL', 'NOAH', 'MIMI', 'TARA', 'ANNA', 'ALEC',
  // four and five letters
  'ACRE', 'AIRS', 'ALLY', 'ALSO', 'ALTO', 'APPS', 'ATOM', 'AURA', 'BALL', 'BAND', 'BARK', 'BEAM', 'BEAT', 'BEEP',
  'BEST', 'BETA', 'BILL', 'BIRD', 'BOLD', 'BOLT', 'BOOM', 'BOOT', 'BRAG', 'BULL', 'CAKE', 'CALM', 'CAMP', 'CAPS',
  'CARE', 'CARS', 'CART', 'CASH', 'CAST', 'CENT', 'CHAR', 'CHEF', 'CHOW', 'CODA', 'COLD', 'COOK', 'CUBE', 'CURB',
  'DARE', 'DASH', 'DECK', 'DEFT', 'DOLE', 'DORM', 'DRUG', 'EARN', 'ECHO', 'EDIT', 'ERAS', 'EVER', 'EXPO', 'FACT',
  'FANG', 'FAST', 'FATE', 'FEED', 'FIGS', 'FINS', 'FIVE', 'FIZZ', 'FLEX', 'FLUX', 'FOIL', 'FORM', 'FOUR', 'FROG',
  'FUND', 'FURY', 'FUSE', 'GAIN', 'GAME', 'GELS', 'GIFT', 'GILT', 'GLAD', 'GLOB', 'GLUE', 'GOLD', 'GOLF', 'GOOD',
  'GRAB', 'GROW', 'GUTS', 'GYRO', 'HALO', 'HAWK', 'HELP', 'HERE', 'HIND', 'HIVE', 'HOPE', 'HOUR', 'HOWL', 'HUBS',
  'ICON', 'IONS', 'IRON', 'JACK', 'JAZZ', 'JUST', 'KEEL', 'KEYS', 'KIDS', 'LAKE', 'LAND', 'LARK', 'LIEN', 'LIFE',
  'LIME', 'LINE', 'LINK', 'LION', 'LITE', 'LIVE', 'LOAN', 'LOCO', 'LODE', 'LOOP', 'LOVE', 'LUCK', 'LUNG', 'LYNX',
  'MAIN', 'MAMA', 'MASK', 'MASS', 'MATH', 'MAZE', 'MESH', 'MIND', 'MINE', 'MIST', 'MORE', 'MOST', 'MOVE', 'NEON',
  'NEXT', 'NICE', 'NINE', 'ONLY', 'ONTO', 'OPAL', 'OPEN', 'OVER', 'PACK', 'PARK', 'PATH', 'PAYS', 'PETS', 'PINE',
  'PINS', 'PLAY', 'PLOW', 'PLUS', 'POET', 'POLE', 'PONY', 'POOL', 'POST', 'PROF', 'PROP', 'PUMP', 'QUAD', 'RACE',
  'RAIL', 'RAIN', 'RAMP', 'RARE', 'RAVE', 'REAL', 'REED', 'RELY', 'RENT', 'RICK', 'ROAD', 'ROCK', 'ROOT', 'SAFE',
  'SAIL', 'SEAT', 'SEED', 'SELF', 'SHIP', 'SHOE', 'SHOT', 'SILO', 'SITE', 'SKIN', 'SLAB', 'SNOW', 'SOAR', 'SOME',
  'SOUL', 'STAG', 'STEM', 'STEP', 'STEW', 'SWAG', 'SWIM', 'TACO', 'TASK', 'TEAM', 'TECH', 'THAN', 'THAT', 'THEM',
  'THEN', 'THEY', 'THIS', 'TILE', 'TOPS', 'TOUR', 'TOWN', 'TREE', 'TRIP', 'TUSK', 'TWIN', 'UNIT', 'VALE', 'VERY',
  'WASH', 'WATT', 'WAVE', 'WELL', 'WEST', 'WHAT', 'WHEN', 'WILL', 'WING', 'WITH', 'WOLF', 'WOOF', 'WRAP', 'YETI',
  'YOUR', 'ZONE', 'FORTY', 'MONEY', 'GREAT',
  // abbreviations and chat slang
  'AI', 'AR', 'AH', 'AMA', 'API', 'ASAP', 'ATH', 'ATL', 'ATM', 'ATR', 'BS', 'BTC', 'BTFD', 'CAD', 'CD', 'CEO', 'CFO',
  'CNBC', 'CPA', 'CPI', 'CPU', 'CTO', 'DC', 'DCF', 'DM', 'DNA', 'DR', 'DRS', 'DTE', 'DYOR', 'EMA', 'EOD', 'EOW',
  'EOY', 'EPS', 'ER', 'ESG', 'EST', 'ETF', 'ETH', 'EU', 'EUR', 'EV', 'FAQ', 'FCF', 'FD', 'FDA', 'FDS', 'FED', 'FOMC',
  'FOMO', 'FTC', 'FUD', 'FYI', 'GBP', 'GDP', 'GG', 'GL', 'GP', 'GPU', 'HODL', 'HQ', 'ICU', 'IDK', 'IIRC', 'IMO',
  'IMHO', 'IP', 'IPO', 'IQ', 'IR', 'IRA', 'IRS', 'ITM', 'IV', 'IVF', 'JPY', 'LFG', 'LMAO', 'MACD', 'MD', 'MM', 'MMS',
  'NA', 'NFA', 'NFT', 'NP', 'NY', 'NYC', 'NYT', 'OC', 'OI', 'OMG', 'OP', 'OTC', 'OTM', 'PC', 'PDT', 'PE', 'PM', 'PPI',
  'PR', 'PS', 'PST', 'PT', 'QE', 'REIT', 'RH', 'RIP', 'RNA', 'ROE', 'ROI', 'RSI', 'SEC', 'SF', 'SI', 'SMA', 'SMH',
  'SPAC', 'TA', 'TBH', 'TIL', 'TL', 'TLDR', 'TTM', 'TV', 'TY', 'UK', 'USA', 'USD', 'VIP', 'VR', 'WSB', 'WTF', 'WWW',
  'YOLO', 'YOY', 'YTD', 'APE', 'APES', 'DEI', 'ESPN', 'NBA', 'NFL', 'MLB', 'UFC',
  // finance and technology shorthand
  'NIM', 'NII', 'AUM', 'NAV', 'ARR', 'MRR', 'CAGR', 'EBIT', 'ROIC', 'WACC', 'OPEX', 'CAPEX', 'COGS', 'SBC', 'TAM', 'GAAP',
  'CRE', 'BPS', 'DCA', 'HSA', 'APY', 'OCC', 'ECB', 'BOJ', 'BOE', 'IMF', 'OPEC', 'WTI', 'AGI', 'LLM', 'GPT', 'ASIC', 'HBM', 'SAAS',
  'BDC', 'MLP', 'CEF', 'CSP', 'LEAPS', 'FAANG', 'MAG', 'ROTH', 'HYSA', 'EBITDA', 'NYSE', 'SPX', 'NDX', 'VIX', 'GLP',
  // calendar words written in capitals ("JAN calls", "SAT morning")
  'JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'SEPT', 'OCT', 'NOV', 'DEC', 'MON', 'TUE', 'WED',
  'THU', 'FRI', 'SAT',
];

/**
 * The most frequent function words, pronouns and abbreviations. Even next to a
 * finance word they are usually English ("bought IT", "sold ALL", "the CEO
 * bought shares"), so they need strong context: a cashtag, "shares of X",
 * "ticker X", or a number right after (a strike, a price, a percentage move).
 * Single letters are in this tier too, by rule, not listed here.
 */
export const FUNCTION_WORDS: readonly string[] = [
  'AN', 'AS', 'AT', 'BE', 'BY', 'DO', 'GO', 'HE', 'IF', 'IN', 'IS', 'IT', 'ME', 'MY', 'NO', 'OF', 'OH', 'ON', 'OR',
  'SO', 'TO', 'UP', 'US', 'WE', 'ALL', 'AND', 'ANY', 'ARE', 'BUT', 'CAN', 'FOR', 'GET', 'GOT', 'HAS', 'HER', 'HIS',
  'HOW', 'NEW', 'NOT', 'NOW', 'ONE', 'OUR', 'OUT', 'SEE', 'SHE', 'THE', 'TWO', 'WAS', 'WHO', 'WHY', 'YES', 'YOU',
  'ALSO', 'HERE', 'JUST', 'MORE', 'MOST', 'ONLY', 'ONTO', 'OVER', 'SOME', 'THAN', 'THAT', 'THEM', 'THEN', 'THEY',
  'THIS', 'VERY', 'WHAT', 'WHEN', 'WILL', 'WITH', 'YOUR', 'WELL', 'GOOD', 'BEST', 'REAL', 'NEXT', 'NICE',
  'CEO', 'CFO', 'CTO', 'DD', 'EOD', 'ATH', 'IPO', 'ETF', 'SEC', 'FED', 'EPS', 'PE', 'AI', 'EV', 'IMO', 'USA', 'TA',
  'PT', 'ER', 'IV', 'DTE', 'OP', 'GM', 'AM', 'PM', 'MA', 'YOLO', 'FOMO', 'HODL', 'LOL', 'OTC', 'GDP', 'CPI', 'WSB',
];

/**
 * Verbs and positions that, right before an ambiguous symbol, mark it as a
 * ticker ("bought ON", "long PATH"). Not used for the function-word tier:
 * "bought IT" is usually English.
 */
export const BEFORE_CUES: readonly string[] = [
  'bought', 'buy', 'buying', 'buys', 'sold', 'sell', 'selling', 'sells', 'short', 'shorted', 'shorting', 'shorts',
  'long', 'longs', 'longed', 'holding', 'add', 'adds', 'added', 'adding', 'loaded', 'loading', 'grab', 'grabbed', 'accumulating', 'trimmed',
  'trimming', 'yolo', "yolo'd", 'yoloed',
];

/** "shares of X", "calls on X", "position in X": a preposition after one of these nouns. */
export const BEFORE_NOUN_CUES: readonly string[] = [
  'shares', 'share', 'calls', 'puts', 'call', 'put', 'options', 'leaps', 'position', 'positions', 'stake', 'stock', 'bullish',
  'bearish', 'long', 'short', 'dividend', 'dividends', 'payout', 'distribution',
];
/** "dividend from O" as well as "shares of F", "calls on ON", "position in IT" */
export const BEFORE_PREPOSITIONS: readonly string[] = ['of', 'on', 'in', 'from'];

/** A single letter as a sentence's subject ("F is a disaster", "T was dead money") is the stock when the sentence talks markets. */
export const COPULA_WORDS: readonly string[] = ['is', 'was', 'has', 'had', 'looks', 'looking', 'just', 'will', 'still', 'keeps', 'never', 'always', 'finally', 'really'];

/**
 * After a function word or a letter ("ON", "IT", "AI", "F") only these say
 * "ticker": an option, a share, earnings. "AI revenue", "IT budgets", "EV
 * sales" name a field, not a stock.
 */
export const FUNCTION_AFTER_CUES: readonly string[] = [
  'calls', 'call', 'puts', 'put', 'shares', 'stock', 'leaps', 'options', 'contracts', 'strikes', 'pt', 'ticker',
  'earnings', 'er', 'holders', 'bagholders', 'gang',
];

/** After "X to 150" these still leave the number a price target ("ON to 150 by EOY"). */
export const TARGET_FOLLOWERS: readonly string[] = ['by', 'eod', 'eow', 'eom', 'eoy', 'soon', 'next', 'this', 'tomorrow', 'tmrw', 'today', 'easy', 'incoming'];

/** "IT stocks", "AI names", "EV plays": a word-symbol before these names a group, not one stock. */
export const GROUP_NOUNS: readonly string[] = ['stocks', 'names', 'plays', 'sector', 'sectors', 'companies', 'space', 'industry', 'etfs'];

/** "at Target", "to Best Buy": a shop or a place, unless the sentence talks markets. */
export const PLACE_PREPOSITIONS: readonly string[] = ['at', 'to', 'into'];

/**
 * Market talk: words that, anywhere in the sentence, make a company name that
 * is also a word ("Snowflake", "Chewy", "Ford") the company. Nouns of
 * securities and reporting, and the verbs a stock price takes; trade verbs
 * (buy, sell, holding) are in FINANCE_WINDOW_WORDS, which is looser.
 */
export const MARKET_WORDS: readonly string[] = [
  'stock', 'stocks', 'shares', 'share', 'shareholders', 'shareholder', 'investors', 'investor', 'investment', 'invest',
  'earnings', 'er', 'eps', 'revenue', 'revenues', 'sales', 'guidance', 'guided', 'guide', 'outlook', 'margins', 'margin',
  'profit', 'profits', 'profitable', 'loss', 'losses', 'quarter', 'quarterly', 'q1', 'q2', 'q3', 'q4', 'fy', 'yoy',
  'bookings', 'deliveries', 'subs', 'subscribers', 'capex', 'buyback', 'buybacks', 'dividend', 'dividends', 'yield',
  'payout', 'valuation', 'valued', 'value', 'overvalued', 'undervalued', 'cheap', 'expensive', 'bullish', 'bearish', 'bull',
  'bulls', 'bear', 'bears', 'calls', 'puts', 'options', 'leaps', 'ipo', 'split', 'ath', 'atl', 'premarket', 'ah',
  'ticker', 'market', 'cap', 'analyst', 'analysts', 'upgrade', 'upgraded', 'downgrade', 'downgraded', 'pt', 'ceo',
  'cfo', 'bagholders', 'bagholder', 'bags', 'meme', 'portfolio', 'port', 'position', 'stake', 'trading', 'traded',
  'bankrupt', 'bankruptcy', 'dilution', 'diluting', 'speculation', 'speculative', 'cash', 'debt', 'acquisition',
  'merger', 'buyout', 'layoffs', 'recall', 'recalled', 'lawsuit', 'antitrust', 'billion', 'trillion',
  'tanked', 'tanking', 'tanks', 'dumped', 'dumping', 'dumps', 'pumped', 'pumping', 'mooning', 'moon', 'ripping',
  'ripped', 'rallied', 'rallying', 'rally', 'soared', 'soaring', 'surged', 'surging', 'plunged', 'plunging',
  'crashed', 'crashing', 'jumped', 'jumps', 'popped', 'popping', 'slid', 'sank', 'fell', 'falls', 'rose', 'rises',
  'dropped', 'drops', 'dipped', 'dip', 'bleeding', 'smoked', 'crushed', 'crushing', 'cooked', 'hammered', 'obliterated',
  'stonk', 'stonks', 'tendies', 'squeeze', 'shorts', 'shorted', 'shorting', 'rekt', 'ngmi', 'wagmi',
  'company', 'business', 'bank', 'banks', 'cheapest', 'priciest', 'compounder', 'moat', 'management',
  'high', 'highs', 'lows', 'takeover', 'roth', 'ira', '401k', 'brokerage',
  // what an investor calls a holding: "my biggest loser", "the next big play", "going to zero"
  'loser', 'losers', 'winner', 'winners', 'play', 'zero', 'volume', 'volumes', 'retailer', 'insurer', 'parabolic',
];

/**
 * Right after a name or a word-symbol that opens a sentence, these make it the sentence's subject
 * ("zoom is dead money", "meta gonna rip", "Snowflake cut guidance"): what the sentence then says
 * is said of a company when it talks markets.
 */
export const SUBJECT_VERBS: readonly string[] = [
  'is', 'are', 'was', 'were', 'be', 'been', 'has', 'have', 'had', 'will', 'would', 'could', 'should', 'can', "can't", 'cant',
  'might', 'may', 'must', 'does', "doesn't", 'doesnt', 'did', "didn't", 'didnt', "isn't", 'isnt', "wasn't", 'wasnt', "won't",
  'wont', 'keeps', 'kept', 'just', 'still', 'really', 'finally', 'already', 'also', 'always', 'never', 'gonna', 'got', 'gets',
  'getting', 'looks', 'looking', 'seems', 'became', 'becomes', 'needs', 'continues', 'remains', 'going', 'went', 'goes',
  'turned', 'beat', 'beats', 'missed', 'misses', 'reported', 'reports', 'guided', 'guides', 'raised', 'raises', 'cut', 'cuts',
  'gettin', 'goin', 'posted', 'announced', 'announces', 'fell', 'falls', 'rose', 'rises', 'jumped', 'jumps', 'dropped', 'drops', 'dumped', 'popped',
  'crushed', 'killed', 'ripped', 'ripping', 'tanked', 'tanking', 'surged', 'soared', 'plunged', 'mooned', 'mooning', 'hit', 'hits',
  'lost', 'loses', 'gained', 'gains', 'acquired', 'acquires', 'signed', 'won', 'launched', 'delivered', 'took', 'trading', 'trades',
];
/** Between a name opening a sentence and its verb, a list ("delta and united both guided up"). */
export const SUBJECT_LIST_WORDS: readonly string[] = ['and', 'or', '&'];
/** "both", "all": after a list of subjects ("hood and coin both ripping"). */
export const SUBJECT_QUANTIFIERS: readonly string[] = ['both', 'all', 'each'];
/** A question that opens with these has its subject next: "is ford a buy under 10?" */
export const QUESTION_OPENERS: readonly string[] = ['is', 'are', 'was', 'should', 'would', 'will', 'does', 'do', 'did', 'can', 'could'];
/**
 * Earnings and corporate verbs: right after a word-symbol opening a sentence, only a company does
 * these ("ON beat but guided down", "MO just hiked the dividend").
 */
export const EARNINGS_VERBS: readonly string[] = [
  'beat', 'beats', 'missed', 'misses', 'reported', 'reports', 'guided', 'guides', 'hiked', 'raised', 'raises', 'slashed', 'posted',
  'announced', 'announces', 'delivered', 'tanked', 'dumped', 'mooned', 'popped', 'surged', 'plunged', 'soared', 'jumped', 'rallied',
];
/** Adverbs allowed between a symbol and its verb: "MO just hiked the dividend". */
export const VERB_ADVERBS: readonly string[] = ['just', 'finally', 'again', 'also', 'already', 'still', 'actually', 'quietly', 'officially'];
/**
 * Nouns that say the subject of "is"/"are" is a company: "NOW is the best software company", "ALL
 * is my favorite insurer", "RUN is a solar name", "V and MA are the best businesses".
 */
export const COMPANY_NOUNS: readonly string[] = [
  'company', 'companies', 'stock', 'stocks', 'business', 'businesses', 'name', 'names', 'play', 'plays', 'ticker', 'insurer',
  'bank', 'reit', 'reits', 'utility', 'retailer', 'brand', 'compounder', 'pick', 'investment', 'chipmaker', 'automaker',
  'carmaker', 'airline', 'miner', 'holding', 'position', 'bet',
];
/**
 * Verdicts on an investment: after a single letter opening a sentence as its subject ("F is dead
 * money", "U is still a disaster"), or a name in lower case that does ("unity is a dumpster fire",
 * "zoom's been dead money"), they make it the stock.
 */
export const LETTER_VERDICT_WORDS: readonly string[] = [
  'money', 'disaster', 'mess', 'trap', 'bargain', 'steal', 'winner', 'loser', 'garbage', 'trash', 'joke', 'gem', 'buy', 'dead', 'done',
  'cooked', 'toast', 'cheap', 'expensive', 'undervalued', 'overvalued', 'dumpster', 'scam', 'fraud',
];
/**
 * Before a name, these make it a thing someone owns or uses, not a stock: "a Tesla as a loaner",
 * "my Ford F-150", "wait for my Uber", "a Visa gift card" (unless the sentence talks markets).
 */
export const PRODUCT_DETERMINERS: readonly string[] = ['a', 'an', 'my', 'our', 'your', 'his', 'her', 'their'];
/** After a name, these make it a product or a shop: "the Apple store", "Apple Watch", "a Visa gift card". */
export const PRODUCT_NOUNS: readonly string[] = [
  'store', 'app', 'card', 'gift', 'truck', 'car', 'phone', 'watch', 'prime', 'subscription', 'package', 'drink', 'coffee', 'burrito',
  'bowl', 'burger', 'fries', 'laptop', 'tv',
];
/** Before "to"/"into", these make what follows a place one goes to: "heading to Target", "went into Costco". */
export const MOTION_VERBS: readonly string[] = [
  'went', 'go', 'goes', 'going', 'gonna', 'heading', 'head', 'headed', 'drove', 'drive', 'driving', 'walked', 'walk', 'ran', 'run',
  'stopped', 'stop', 'popped', 'came', 'come', 'coming', 'back',
];
/** "I work at Costco": after these, "at" names an employer, not a shop. */
export const WORK_WORDS: readonly string[] = ['work', 'works', 'worked', 'working', 'job', 'intern', 'interned', 'employed'];
/** "my coworker's name is Ford", "a cat named Snowflake": a name given to someone. */
export const NAMING_WORDS: readonly string[] = ['named', 'called', 'nicknamed'];
/**
 * What an investor owns: after "my"/"our" these keep a sentence market talk ("my portfolio",
 * "my shares"); any other noun makes it a customer's story ("Delta lost my luggage").
 */
export const FINANCE_POSSESSIONS: readonly string[] = [
  'portfolio', 'port', 'shares', 'share', 'calls', 'puts', 'position', 'positions', 'money', 'bags', 'gains', 'losses', 'retirement',
  '401k', 'roth', 'ira', 'stock', 'stocks', 'options', 'leaps', 'cost', 'basis', 'avg', 'average', 'entry', 'thesis', 'dd',
  'brokerage', 'account', 'whole', 'entire', 'biggest', 'best', 'worst', 'largest', 'first', 'only', 'favorite', 'favourite', 'top',
];
/** Determiners before a word-symbol that make it English: "did my DD", "the ON switch". */
export const SYMBOL_DETERMINERS: readonly string[] = ['my', 'the', 'your', 'our', 'his', 'her', 'their', 'this', 'that', 'no', 'any'];

/** Filler between a move and its size: "F down another 4%", "ON up about 3%". */
export const MOVE_FILLERS: readonly string[] = ['another', 'about', 'nearly', 'almost', 'over', 'around', 'like', 'roughly', 'just', 'a', 'whole'];

/** Quantifiers between a trade verb and what was traded: "added more O", "bought some T". */
export const TRADE_QUANTIFIERS: readonly string[] = ['more', 'some', 'a', 'few', 'the', 'extra', 'lots', 'lot'];

/** Nouns that name a ticker right before them ("ticker ON", "symbol IT"). */
export const TICKER_WORDS: readonly string[] = ['ticker', 'tickers', 'symbol'];

/** Words right after an ambiguous symbol that mark it as a ticker ("ON calls", "PATH earnings"). */
export const AFTER_CUES: readonly string[] = [
  'calls', 'call', 'puts', 'put', 'stock', 'stocks', 'shares', 'earnings', 'options', 'leaps', 'price', 'pt',
  'squeeze', 'dividend', 'dividends', 'div', 'chart', 'gang', 'holders', 'bagholders', 'bulls', 'bears', 'ticker',
  'shareholders', 'investors', 'guidance', 'revenue', 'er', 'ipo', 'position', 'valuation', 'buyback', 'premarket',
  'options', 'contracts', 'strikes', 'volume', 'volumes', 'margins', 'sales', 'deliveries', 'subscribers', 'comps', 'bookings',
];

/**
 * Finance words that, anywhere near a company name that is also a common word,
 * make it the company ("Target beat earnings", "Apple is down 3% premarket").
 */
export const FINANCE_WINDOW_WORDS: readonly string[] = [
  ...AFTER_CUES, 'share', 'bought', 'buy', 'buying', 'sold', 'sell', 'selling', 'short', 'shorting', 'long',
  'bullish', 'bearish', 'market', 'investing', 'invest', 'invested', 'portfolio', 'quarter', 'quarterly', 'q1', 'q2',
  'q3', 'q4', 'eps', 'profit', 'profits', 'margins', 'sales', 'analysts', 'analyst', 'upgrade', 'downgrade',
  'upgraded', 'downgraded', 'rally', 'rallied', 'dip', 'beat', 'miss', 'missed', 'report', 'reports', 'reported',
  'cap', 'ceo', 'cfo', 'layoffs', 'acquisition', 'acquire', 'acquires', 'merger', 'ath', 'tanked', 'tanking',
  'mooning', 'rip', 'ripping', 'dumping', 'pumping', 'shareholder', 'stake', 'fell', 'rose', 'jumped',
  'dropped', 'surged', 'plunged', 'soared', 'crashed', 'holding', 'trading', 'trade',
  'traded', 'p/e', 'pe', 'multiple', 'forecast', 'outlook', 'billion', 'trillion', 'contract', 'lawsuit', 'antitrust', 'position', 'bag', 'moon', 'stonk', 'stonks',
];

/** Verbs of movement that take a percentage ("X is up 5%", "X dropped 3%"). */
export const MOVE_WORDS: readonly string[] = [
  'up', 'down', 'jumped', 'jumps', 'dropped', 'drops', 'fell', 'falls', 'rose', 'rises', 'gained', 'gains', 'lost',
  'surged', 'surges', 'plunged', 'plunges', 'soared', 'soars', 'tanked', 'tanks', 'climbed', 'climbs', 'slid',
  'sank', 'popped', 'rallied', 'ripped', 'dumped', 'pumped', 'mooned', 'crashed',
];
/** Linking words allowed between a symbol and its movement ("ON is up", "IT was down", "ALL's up"). */
export const LINK_WORDS: readonly string[] = ['is', 'was', 'are', 'were', 'be', 'just', 'has', 'had', 'been', 'already', 'now', 'today', 'currently', 'literally'];

/**
 * Well-known exchange-traded funds. The listing is of operating companies on
 * NASDAQ, NYSE and NYSE American and leaves out the NYSE Arca funds that carry
 * much of Reddit's talk ("SPY puts", "QQQ is up 1%"), so they are added here
 * as known symbols. None of them is an English word.
 */
export const FUNDS: Readonly<Record<string, string>> = {
  SPY: 'SPDR S&P 500 ETF Trust', QQQ: 'Invesco QQQ Trust', IWM: 'iShares Russell 2000 ETF',
  DIA: 'SPDR Dow Jones Industrial Average ETF', VOO: 'Vanguard S&P 500 ETF', VTI: 'Vanguard Total Stock Market ETF',
  VT: 'Vanguard Total World Stock ETF', VXUS: 'Vanguard Total International Stock ETF', BND: 'Vanguard Total Bond Market ETF',
  SCHD: 'Schwab US Dividend Equity ETF', JEPI: 'JPMorgan Equity Premium Income ETF', TQQQ: 'ProShares UltraPro QQQ',
  SQQQ: 'ProShares UltraPro Short QQQ', UVXY: 'ProShares Ultra VIX Short-Term Futures ETF', VXX: 'iPath Series B S&P 500 VIX Short-Term Futures ETN',
  GLD: 'SPDR Gold Shares', SLV: 'iShares Silver Trust', TLT: 'iShares 20+ Year Treasury Bond ETF',
  ARKK: 'ARK Innovation ETF', SOXL: 'Direxion Daily Semiconductor Bull 3X Shares', SOXS: 'Direxion Daily Semiconductor Bear 3X Shares',
  SPXL: 'Direxion Daily S&P 500 Bull 3X Shares', SPXS: 'Direxion Daily S&P 500 Bear 3X Shares', XLF: 'Financial Select Sector SPDR Fund',
  XLE: 'Energy Select Sector SPDR Fund', XLK: 'Technology Select Sector SPDR Fund', SMH: 'VanEck Semiconductor ETF',
  USO: 'United States Oil Fund', VUG: 'Vanguard Growth ETF', VGT: 'Vanguard Information Technology ETF',
};

/**
 * Colloquial names and nicknames, lower-case, mapped to symbols. They override
 * names derived from the listing. `distinctive` names match in any case
 * ("nvidia", "gamestop"); the others must be capitalised, and single words that
 * are also English ("Apple", "Target") need context at the start of a sentence.
 */
export interface CuratedAlias {
  symbol: string;
  distinctive: boolean;
}
const d = (symbol: string): CuratedAlias => ({ symbol, distinctive: true });
const c = (symbol: string): CuratedAlias => ({ symbol, distinctive: false });
export const CURATED_ALIASES: Readonly<Record<string, CuratedAlias>> = {
  apple: c('AAPL'), tesla: d('TSLA'), nvidia: d('NVDA'), microsoft: d('MSFT'), netflix: d('NFLX'), palantir: d('PLTR'),
  berkshire: d('BRK.B'), 'berkshire hathaway': d('BRK.B'), amazon: c('AMZN'), google: c('GOOGL'), alphabet: c('GOOGL'),
  meta: c('META'), facebook: c('META'), amd: d('AMD'), intel: c('INTC'), gamestop: d('GME'), 'game stop': c('GME'),
  amc: d('AMC'), disney: d('DIS'), boeing: d('BA'), 'coca-cola': d('KO'), 'coca cola': d('KO'), coke: c('KO'),
  jpmorgan: d('JPM'), 'jp morgan': d('JPM'), 'jpmorgan chase': d('JPM'), walmart: d('WMT'), costco: d('COST'),
  starbucks: d('SBUX'), mcdonalds: d('MCD'), "mcdonald's": d('MCD'), tsmc: d('TSM'), 'taiwan semi': c('TSM'),
  'taiwan semiconductor': c('TSM'), supermicro: d('SMCI'), 'super micro': c('SMCI'), broadcom: d('AVGO'),
  micron: c('MU'), qualcomm: d('QCOM'), salesforce: d('CRM'), adobe: d('ADBE'), oracle: c('ORCL'), ibm: d('IBM'),
  cisco: d('CSCO'), paypal: d('PYPL'), robinhood: d('HOOD'), coinbase: d('COIN'), sofi: d('SOFI'), rivian: d('RIVN'),
  lucid: c('LCID'), nio: d('NIO'), blackberry: d('BB'), nokia: d('NOK'), uber: d('UBER'), lyft: d('LYFT'),
  airbnb: d('ABNB'), shopify: d('SHOP'), spotify: d('SPOT'), snowflake: c('SNOW'), zoom: c('ZM'), moderna: d('MRNA'),
  pfizer: d('PFE'), exxon: d('XOM'), chevron: d('CVX'), goldman: c('GS'), 'goldman sachs': d('GS'),
  'morgan stanley': d('MS'), 'bank of america': c('BAC'), bofa: d('BAC'), 'wells fargo': d('WFC'), citi: c('C'),
  citigroup: d('C'), 't-mobile': d('TMUS'), verizon: d('VZ'), 'at&t': d('T'), ford: c('F'), 'general motors': c('GM'),
  nike: c('NKE'), lululemon: d('LULU'), chipotle: d('CMG'), snapchat: d('SNAP'), pinterest: d('PINS'),
  reddit: c('RDDT'), microstrategy: d('MSTR'), 'micro strategy': d('MSTR'), 'home depot': c('HD'), target: c('TGT'),
  visa: c('V'), mastercard: d('MA'), 'american express': c('AXP'), amex: c('AXP'), 'bed bath': c('BBBY'),
  'bed bath & beyond': c('BBBY'), 'bed bath and beyond': c('BBBY'), rklb: d('RKLB'), 'rocket lab': c('RKLB'),
  'plug power': c('PLUG'), 'carnival': c('CCL'), 'delta': c('DAL'), 'united airlines': c('UAL'),
  'american airlines': c('AAL'), 'southwest': c('LUV'), 'block': c('XYZ'), square: c('XYZ'), 'gap': c('GAP'),
  'texas instruments': c('TXN'), 'applied materials': c('AMAT'), 'lam research': c('LRCX'), asml: d('ASML'),
  'arm holdings': c('ARM'), 'dutch bros': c('BROS'), 'realty income': c('O'), 'unitedhealth': d('UNH'),
  'united health': c('UNH'), 'johnson & johnson': c('JNJ'), 'johnson and johnson': c('JNJ'), 'j&j': d('JNJ'),
  'eli lilly': c('LLY'), lilly: c('LLY'), 'novo nordisk': c('NVO'), novo: c('NVO'), 'procter & gamble': c('PG'),
  'procter and gamble': c('PG'), pepsi: d('PEP'), pepsico: d('PEP'), 'philip morris': c('PM'), altria: d('MO'),
  'ge aerospace': c('GE'), 'general electric': c('GE'), lockheed: d('LMT'), raytheon: d('RTX'),
  'northrop': d('NOC'), caterpillar: d('CAT'), 'john deere': c('DE'), deere: d('DE'), 'alibaba': d('BABA'),
  baidu: d('BIDU'), 'warner bros': c('WBD'), paramount: c('PARA'), roku: d('ROKU'), peloton: d('PTON'),
  'hims & hers': c('HIMS'), 'hims and hers': c('HIMS'), 'opendoor': d('OPEN'), 'carvana': d('CVNA'),
  'dell': c('DELL'), 'hp': c('HPQ'), 'crowdstrike': d('CRWD'), 'cloudflare': d('NET'), 'datadog': d('DDOG'),
  'servicenow': d('NOW'), 'palo alto': c('PANW'), 'palo alto networks': c('PANW'), 'marvell': d('MRVL'),
  'coreweave': d('CRWV'), 'rocket': c('RKT'), 'draftkings': d('DKNG'), 'roblox': d('RBLX'), 'unity': c('U'),
  'riot platforms': c('RIOT'), 'marathon digital': c('MARA'), 'mara': c('MARA'), 'nu holdings': c('NU'),
  'nubank': d('NU'), 'affirm': c('AFRM'), 'upstart': c('UPST'), 'chewy': c('CHWY'), 'etsy': d('ETSY'),
  'ebay': d('EBAY'), 'zillow': d('Z'), 'wayfair': d('W'), 'twilio': d('TWLO'), 'docusign': d('DOCU'),
  'shell': c('SHEL'), 'bp': c('BP'), 'occidental': c('OXY'), oxy: c('OXY'), 'conocophillips': d('COP'),
  // brands and short names people use for the company, beyond what the listing's names give
  abercrombie: c('ANF'), 'abercrombie & fitch': c('ANF'), lowes: d('LOW'), "lowe's": c('LOW'), macys: d('M'),
  "macy's": c('M'), kohls: d('KSS'), "kohl's": c('KSS'), wendys: d('WEN'), "wendy's": c('WEN'), "domino's": c('DPZ'),
  dominos: c('DPZ'), 'dollar general': c('DG'), 'dollar tree': c('DLTR'), exxonmobil: d('XOM'), 'exxon mobil': c('XOM'),
  conoco: d('COP'), schwab: c('SCHW'), 'charles schwab': c('SCHW'), blackrock: d('BLK'), 'capital one': c('COF'),
  hertz: c('HTZ'), archer: c('ACHR'), tilray: d('TLRY'), 'trade desk': c('TTD'),
  'the trade desk': c('TTD'), 'royal caribbean': c('RCL'), 'norwegian cruise': c('NCLH'), 'delta air lines': c('DAL'),
  'jetblue': d('JBLU'), 'alaska air': c('ALK'), 'chipotle mexican grill': c('CMG'), 'eli lilly and company': c('LLY'),
  'walt disney': c('DIS'), 'the walt disney company': c('DIS'), 'comcast': d('CMCSA'),
  'mcdonald': c('MCD'), 'b of a': c('BAC'), snap: c('SNAP'), 'on semi': c('ON'), onsemi: d('ON'),
  'on semiconductor': c('ON'),
  'fedex': d('FDX'), 'fed ex': c('FDX'), 'duolingo': d('DUOL'), 'celsius': c('CELH'), 'hims': c('HIMS'),
  'nu bank': c('NU'), 'mercado libre': c('MELI'), '3m': d('MMM'),
  'costco wholesale': d('COST'), 'ge vernova': c('GEV'), 'vernova': d('GEV'), 'oklo': d('OKLO'), 'ionq': d('IONQ'),
  'rigetti': d('RGTI'), 'd-wave': c('QBTS'), 'soundhound': d('SOUN'), 'tempus': c('TEM'), 'joby': d('JOBY'),
  'applovin': d('APP'), 'app lovin': c('APP'), 'doordash': d('DASH'), 'door dash': c('DASH'), 'expedia': d('EXPE'),
  'marriott': d('MAR'), 'hilton': c('HLT'), 'booking.com': d('BKNG'), 'priceline': d('BKNG'),
  'kraft heinz': c('KHC'), 'heinz': c('KHC'), 'mondelez': d('MDLZ'), 'walgreens': d('WBA'),
};

/**
 * Subreddits devoted to one stock: a post there that names no ticker is about
 * that stock. Keys are lower-case subreddit names without "r/".
 */
export const SUBREDDIT_TICKERS: Readonly<Record<string, string>> = {
  teslamotors: 'TSLA', teslainvestorsclub: 'TSLA', tsla: 'TSLA', teslalounge: 'TSLA', apple: 'AAPL', aapl: 'AAPL',
  applestocks: 'AAPL', amd_stock: 'AMD', amd: 'AMD', nvda_stock: 'NVDA', nvidia: 'NVDA', pltr: 'PLTR',
  palantir: 'PLTR', gme: 'GME', superstonk: 'GME', gmejungle: 'GME', gamestop: 'GME', amcstock: 'AMC',
  amcstocks: 'AMC', bb_stock: 'BB', nio: 'NIO', sofistock: 'SOFI', sofi: 'SOFI', rivian: 'RIVN',
  lcid: 'LCID', lucidmotors: 'LCID', intelstock: 'INTC', msft: 'MSFT', microsoft: 'MSFT', amzn: 'AMZN',
  amazonstock: 'AMZN', googl: 'GOOGL', meta_stock: 'META', netflix: 'NFLX', hoodstock: 'HOOD',
  robinhoodstock: 'HOOD', coinbase: 'COIN', mstr: 'MSTR', smci: 'SMCI', pltr_stock: 'PLTR',
  nokiastock: 'NOK', plugpower: 'PLUG', arkinvestorsclub: 'ARKK', spy: 'SPY', qqq: 'QQQ', disney_stock: 'DIS',
};

/**
 * Words that end a listing name's company part: the security description
 * ("Common Stock", "Class A Ordinary Shares", "American Depositary Shares
 * each representing …") follows them and is never part of what people say.
 */
export const SECURITY_DESCRIPTOR_STARTS: readonly string[] = [
  'common', 'ordinary', 'class', 'series', 'capital', 'american depositary', 'american depository', 'sponsored',
  'global depositary', 'depositary', 'depository', 'subordinate', 'units', 'unit', 'warrant', 'warrants', 'rights',
  'right', 'preferred', 'cumulative', 'shares', 'share', 'limited partner', 'representing', 'each', 'senior',
  'notes', 'fixed-to-floating', 'voting', 'beneficial', 'trust units', 'new', 'ads', 'adss', 'etf', 'etn',
];

/**
 * Legal forms proper, stripped from a name that keeps its "Holdings" or
 * "Group": people say "Booking Holdings" as often as "Booking", and the longer
 * form is the one that cannot be a word.
 */
export const CORPORATE_FORMS: readonly string[] = [
  'inc', 'inc.', 'incorporated', 'corp', 'corp.', 'corporation', 'co', 'co.', 'company', 'ltd', 'ltd.', 'limited',
  'plc', 'plc.', 'p.l.c.', 'lp', 'l.p.', 'llc', 'l.l.c.', 'n.v.', 'nv', 's.a.', 'sa', 'ag', 'se', 'asa', 'a/s',
];

/** What a fund's full name ends with and people leave out ("SPDR S&P 500 ETF Trust" → "SPDR S&P 500"). */
export const FUND_SUFFIXES: readonly string[] = ['etf', 'etn', 'trust', 'fund', 'shares', 'index', 'portfolio'];

/** Legal-form words stripped from the end (and "The" from the start) of a company name. */
export const LEGAL_SUFFIXES: readonly string[] = [
  'inc', 'inc.', 'incorporated', 'corp', 'corp.', 'corporation', 'co', 'co.', 'company', 'companies', 'ltd', 'ltd.',
  'limited', 'plc', 'p.l.c.', 'lp', 'l.p.', 'llc', 'l.l.c.', 'n.v.', 'nv', 's.a.', 'sa', 's.a.b.', 'ag', 'se',
  'ab', 'asa', 'a/s', 'holdings', 'holding', 'group', 'de', '&', 'and', 'the', 'trust', 'bancorp', 'bancorporation',
  'sab', 'de cv', 'c.v.', 'cv', 's.p.a.', 'spa', 'oyj', 'publ', 'ag.', 'n.a.', 'plc.',
];

/**
 * Industry words after a distinctive first word ("Palantir Technologies",
 * "Rivian Automotive"): the first word alone is what people say. Dropped from
 * the end one at a time, as long as a distinctive word remains.
 */
export const GENERIC_NAME_WORDS: readonly string[] = [
  'technologies', 'technology', 'platforms', 'platform', 'entertainment', 'software', 'systems', 'motors', 'motor',
  'automotive', 'markets', 'global', 'international', 'industries', 'therapeutics', 'pharmaceuticals', 'pharma',
  'networks', 'communications', 'energy', 'resources', 'semiconductor', 'semiconductors', 'financial', 'brands',
  'labs', 'laboratories', 'enterprises', 'interactive', 'digital', 'computer', 'biosciences', 'bio', 'biotherapeutics',
  'health', 'healthcare', 'solutions', 'services', 'worldwide', 'media', 'capital', 'partners', 'properties',
  'inc', 'incorporated', 'corporation',
  // what a brand sells, after the brand: "Royal Caribbean Cruises", "Costco Wholesale", "Delta Air Lines"
  'cruises', 'cruise', 'line', 'lines', 'wholesale', 'airlines', 'air', 'airways', 'aviation', 'grill', 'stores',
  'beauty', 'foods', 'restaurants', 'hotels', 'resorts', 'petroleum', 'pharmaceutical', 'biopharma', 'computing',
  'outfitters', 'athletica', 'robotics', 'ai',
];

/**
 * First words too generic to stand alone as a company ("General Motors" is not
 * "General", "American Airlines" is not "American").
 */
export const GENERIC_FIRST_WORDS: readonly string[] = [
  'general', 'american', 'united', 'national', 'first', 'global', 'international', 'advanced', 'applied', 'digital',
  'energy', 'real', 'new', 'royal', 'southern', 'northern', 'western', 'eastern', 'central', 'pacific', 'atlantic',
  'great', 'home', 'bank', 'federal', 'capital', 'citizens', 'community', 'security', 'standard', 'universal',
  'world', 'us', 'u.s.', 'china', 'sun', 'star', 'blue', 'green', 'red', 'black', 'white', 'gold', 'silver',
  'total', 'main', 'smart', 'super', 'power', 'life', 'health', 'medical', 'strategic', 'alpha', 'omega', 'one',
  'old', 'north', 'south', 'east', 'west', 'texas', 'california', 'florida', 'new york', 'ocean', 'summit', 'peak',
  'liberty', 'freedom', 'franklin', 'victory', 'premier', 'prime', 'pioneer', 'heritage', 'the', 'a', 'i', 'my',
  'quantum', 'norwegian', 'delta',
];

/**
 * Single-word company names (derived or curated) that are also ordinary
 * English: they count only capitalised, and at the start of a sentence only
 * with context ("Target beat earnings" yes, "Target price is 200" no). Names
 * derived from the listing are checked against this list and AMBIGUOUS_WORDS.
 */
export const COMMON_WORD_NAMES: readonly string[] = [
  'apple', 'amazon', 'target', 'gap', 'visa', 'block', 'square', 'ford', 'meta', 'snap', 'shell', 'oracle', 'match',
  'zoom', 'unity', 'chewy', 'lucid', 'snowflake', 'strategy', 'arm', 'coke', 'delta', 'southwest', 'carnival',
  'rocket', 'affirm', 'upstart', 'reddit', 'micron', 'archer', 'hertz', 'celsius', 'tempus', 'hilton',
];

/**
 * Chat slang and words the dictionary lacks that are also large companies'
 * symbols: in lower case they are the slang ("ngl" = not gonna lie, "meta"
 * the word), so they never count as a lower-case symbol.
 */
export const LOWER_CASE_NEVER_SYMBOLS: readonly string[] = [
  'ngl', 'meta', 'smh', 'tbh', 'imo', 'idk', 'fyi', 'btw', 'irl', 'iirc', 'afaik', 'ikr', 'omg', 'wtf', 'lol', 'lmao',
  'rofl', 'brb', 'imho', 'fam', 'ppl', 'pls', 'plz', 'thx', 'gtfo', 'stfu', 'ffs', 'tho', 'rly', 'nvm', 'ofc', 'bc',
  'abt', 'ath', 'atl', 'otm', 'itm', 'dte', 'eod', 'eow', 'ytd', 'yoy', 'qoq', 'ttm', 'nfa', 'dyor', 'dca', 'fomo',
  'yolo', 'hodl', 'ngmi', 'wagmi', 'lfg', 'fud', 'tldr', 'gdp', 'cpi', 'ppi', 'fomc', 'etf', 'etfs', 'ipo', 'eps',
  'ceo', 'cfo', 'cto', 'sec', 'irs', 'ira', 'roth', 'hysa', 'usd', 'eur', 'btc', 'eth', 'sol', 'doge', 'ai', 'ev',
  'evs', 'llm', 'gpu', 'gpus', 'cpu', 'saas', 'api', 'app', 'apps', 'usa', 'nyc', 'nasa', 'nba', 'nfl', 'ufc',
];

/**
 * Single-word names derived from the listing that are also English words or
 * common person and place names ("Duke", "Tyler", "Carrier", "Progressive"):
 * capitalised is not enough, they need finance words nearby wherever they are.
 */
export const NAMES_NEEDING_CONTEXT: readonly string[] = [
  'abbott', 'acuity', 'affirm', 'align', 'ally', 'ares', 'arm', 'arrowhead', 'bentley', 'bloom', 'booking',
  'carnival', 'carpenter', 'cooper', 'devon', 'dominion', 'donaldson', 'dover', 'duke', 'eaton', 'edison',
  'ferguson', 'flutter', 'fox', 'jacobs', 'loews', 'mueller', 'phillips', 'progressive', 'quanta', 'rocket',
  'shell', 'strategy', 'target', 'toast', 'tyler', 'unity', 'vale', 'visa', 'williams', 'woodward', 'zoom',
  'madrigal', 'molina', 'pearson', 'rollins', 'otis', 'apogee', 'tapestry', 'coherent', 'microchip', 'micron',
  'hershey', 'mccormick', 'intuit', 'chime', 'grab', 'lattice', 'flex', 'crown', 'carrier', 'charter', 'cardinal',
  'travelers', 'viking', 'viper', 'waters', 'zebra', 'jazz', 'pinnacle', 'marsh', 'crane', 'ball', 'arch',
  'everest', 'nova', 'tenet', 'ensign', 'merck', 'block', 'snowflake',
];

/**
 * Single-word names derived from the listing that are too generic to name a
 * company alone, or that name something else first ("the Dow", "the Nasdaq"
 * are indices; "On", "Gen", "News", "Service" are words). Only their full
 * names match ("On Holding" is not listed that way, so On is left to $ONON).
 */
export const NAMES_NEVER_ALONE: readonly string[] = [
  'on', 'gen', 'news', 'service', 'restaurant', 'expand', 'popular', 'principal', 'regions', 'republic', 'royalty',
  'trip', 'dow', 'nasdaq', 'sea', 'tower', 'venture', 'wise', 'credo', 'icon', 'api', 'tc', 'rb', 'cf', 'ge', 'ing',
  'permian', 'equitable', 'encompass', 'constellation', 'kb', 'ke', 'ul', 'nu', 'jd', 'sap', 'hp', 'bp', 'rpm',
  'q1', 'q2', 'q3', 'q4', 'amazon.com', 'trip.com', 'sp', 's&p', 'tko', 'ase', 'ati', 'ies', 'itt', 'cna', 'cms', 'cdw', 'wec',
  // regions written like brands ("LATAM Airlines" is not what "LatAm" means)
  'latam', 'emea', 'apac',
];

/**
 * People and places that share a one-word name with a smaller listed company
 * ("Powell Industries", "Boston Beer", "Jackson Financial"): the dictionary
 * has no proper names, so these are listed. The most common US surnames and
 * first names, the people finance Reddit talks about, US states and big
 * cities. A one-word name on this list is never derived from the listing
 * below SINGLE_WORD_NAME_MIN_CAP_USD, and needs market talk above it.
 */
export const PERSON_AND_PLACE_NAMES: readonly string[] = [
  // surnames
  'smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez',
  'lopez', 'gonzalez', 'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'martin', 'lee', 'perez',
  'thompson', 'white', 'harris', 'sanchez', 'clark', 'ramirez', 'lewis', 'robinson', 'walker', 'young', 'allen',
  'king', 'wright', 'scott', 'torres', 'nguyen', 'hill', 'flores', 'green', 'adams', 'nelson', 'baker', 'hall',
  'rivera', 'campbell', 'mitchell', 'carter', 'roberts', 'gomez', 'phillips', 'evans', 'turner', 'diaz', 'parker',
  'cruz', 'edwards', 'collins', 'reyes', 'stewart', 'morris', 'morales', 'murphy', 'cook', 'rogers', 'gutierrez',
  'ortiz', 'morgan', 'cooper', 'peterson', 'bailey', 'reed', 'kelly', 'howard', 'ramos', 'kim', 'cox', 'ward',
  'richardson', 'watson', 'brooks', 'chavez', 'wood', 'james', 'bennett', 'gray', 'mendoza', 'ruiz', 'hughes',
  'price', 'alvarez', 'castillo', 'sanders', 'patel', 'myers', 'long', 'ross', 'foster', 'jimenez', 'powell',
  'hamilton', 'simpson', 'fulton', 'hancock', 'lincoln', 'franklin', 'washington', 'jefferson', 'madison', 'monroe',
  'henry', 'douglas', 'murray', 'graham', 'wallace', 'gordon', 'stevens', 'harrison', 'kennedy', 'warren', 'dixon',
  'burke', 'hawkins', 'hess', 'cohen', 'schneider', 'myers', 'weis', 'stewart', 'werner', 'kirby', 'brady', 'boyd',
  // people finance Reddit talks about
  'yellen', 'buffett', 'munger', 'dimon', 'musk', 'elon', 'cathie', 'burry', 'icahn', 'ackman', 'griffin', 'trump',
  'biden', 'bezos', 'zuckerberg', 'zuck', 'nadella', 'huang', 'jensen', 'altman', 'pelosi', 'cramer', 'saylor',
  'gensler', 'lagarde', 'kashkari', 'bullard', 'waller', 'goolsbee', 'bowman', 'barr', 'jerome', 'jpow', 'lisa',
  // first names
  'john', 'robert', 'michael', 'william', 'david', 'richard', 'joseph', 'charles', 'christopher', 'daniel', 'matthew',
  'anthony', 'mark', 'donald', 'steven', 'paul', 'andrew', 'joshua', 'kenneth', 'kevin', 'brian', 'george',
  'timothy', 'ronald', 'edward', 'jason', 'jeffrey', 'ryan', 'jacob', 'gary', 'nicholas', 'eric', 'jonathan',
  'stephen', 'larry', 'justin', 'frank', 'patrick', 'raymond', 'gregory', 'samuel', 'benjamin', 'jack', 'dennis',
  'jerry', 'tyler', 'aaron', 'jose', 'adam', 'nathan', 'zachary', 'walter', 'kyle', 'harold', 'carl', 'jeremy',
  'keith', 'roger', 'gerald', 'ethan', 'arthur', 'terry', 'christian', 'sean', 'lawrence', 'austin', 'joe', 'noah',
  'jesse', 'albert', 'bryan', 'billy', 'bruce', 'willie', 'jordan', 'dylan', 'alan', 'ralph', 'gabriel', 'roy',
  'juan', 'wayne', 'eugene', 'logan', 'randy', 'louis', 'russell', 'vincent', 'philip', 'bobby', 'johnny',
  'bradley', 'marcus', 'oscar', 'mary', 'patricia', 'jennifer', 'linda', 'elizabeth', 'barbara', 'susan', 'jessica',
  'sarah', 'karen', 'nancy', 'betty', 'margaret', 'sandra', 'ashley', 'kimberly', 'emily', 'donna', 'michelle',
  'carol', 'amanda', 'melissa', 'deborah', 'stephanie', 'rebecca', 'laura', 'sharon', 'cynthia', 'kathleen',
  'amy', 'shirley', 'angela', 'helen', 'anna', 'brenda', 'pamela', 'nicole', 'samantha', 'katherine', 'emma',
  'ruth', 'christine', 'catherine', 'debra', 'rachel', 'carolyn', 'janet', 'virginia', 'maria', 'heather', 'diane',
  'julie', 'joyce', 'victoria', 'kelly', 'christina', 'lauren', 'joan', 'evelyn', 'olivia', 'judith', 'megan',
  'cheryl', 'martha', 'andrea', 'frances', 'hannah', 'jacqueline', 'ann', 'gloria', 'jean', 'kathryn', 'alice',
  'teresa', 'sara', 'janice', 'doris', 'madison', 'julia', 'grace', 'judy', 'abigail', 'marie', 'denise', 'beverly',
  'amber', 'theresa', 'marilyn', 'danielle', 'diana', 'brittany', 'natalie', 'sophia', 'rose', 'isabella',
  'alexis', 'kayla', 'charlotte', 'robert', 'steve', 'mike', 'dave', 'jim', 'tom', 'bob', 'bill', 'ted', 'ben',
  // US states and big cities
  'alabama', 'alaska', 'arizona', 'arkansas', 'california', 'colorado', 'connecticut', 'delaware', 'florida',
  'georgia', 'hawaii', 'idaho', 'illinois', 'indiana', 'iowa', 'kansas', 'kentucky', 'louisiana', 'maine',
  'maryland', 'massachusetts', 'michigan', 'minnesota', 'mississippi', 'missouri', 'montana', 'nebraska', 'nevada',
  'ohio', 'oklahoma', 'oregon', 'pennsylvania', 'tennessee', 'texas', 'utah', 'vermont', 'wisconsin', 'wyoming',
  'boston', 'chicago', 'houston', 'phoenix', 'philadelphia', 'dallas', 'austin', 'seattle', 'denver', 'atlanta',
  'miami', 'detroit', 'portland', 'columbia', 'memphis', 'baltimore', 'milwaukee', 'nashville', 'cleveland',
  'pittsburgh', 'cincinnati', 'orlando', 'tampa', 'manhattan', 'brooklyn', 'hollywood', 'vegas', 'albany',
  'manchester', 'london', 'paris', 'tokyo', 'beijing', 'shanghai', 'toronto', 'canada', 'mexico', 'brazil', 'china',
  'japan', 'india', 'germany', 'europe', 'asia', 'africa', 'america', 'atlantic', 'pacific', 'carolina', 'dakota',
  'jersey', 'york', 'vail', 'aspen', 'sonoma', 'napa',
];
