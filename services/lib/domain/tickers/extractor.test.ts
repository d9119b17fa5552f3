import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Security } from '../types.ts';
import { createTickerExtractor, parseUniverseCsv, type TickerInput } from './index.ts';

// the domain stays pure: the test reads the file, the extractor gets data
const securities = parseUniverseCsv(readFileSync(resolve(import.meta.dirname, '../../../../data/us-listed-securities.csv'), 'utf8'));
const extractor = createTickerExtractor({ securities });
const x = (text: string, more: Omit<TickerInput, 'text'> = {}): string[] => extractor.extract({ text, ...more });

describe('cashtags', () => {
  it('count in any case, with share classes, in order of first appearance, once each', () => {
    expect(x('$aapl then $TSLA then $Aapl again')).toEqual(['AAPL', 'TSLA']);
    expect(x('Long $brk.b and $BRK/A')).toEqual(['BRK.B', 'BRK.A']);
    expect(x("$NVDA's guidance")).toEqual(['NVDA']);
  });

  it('count even when the symbol is no longer listed', () => {
    expect(x('rip $BBBY and $SIVB')).toEqual(['BBBY', 'SIVB']);
    expect(extractor.isKnown('BBBY')).toBe(false);
  });

  it('are money, not tickers, when a digit follows the dollar sign', () => {
    expect(x('Turned $5 into $3.50, need $100k, paid $1,000')).toEqual([]);
    expect(x('$ALL at $150')).toEqual(['ALL']);
  });

  it('are not tickers when glued to digits or longer than six letters', () => {
    expect(x('$ABC123 and $SUPERLONGWORD')).toEqual([]);
  });
});

describe('bare upper-case symbols', () => {
  it('count when listed and not an English word', () => {
    expect(x('NVDA and AMD ripping, PLTR flat')).toEqual(['NVDA', 'AMD', 'PLTR']);
    expect(x('BRK.B or BRK/B, same thing')).toEqual(['BRK.B']);
  });

  it('include the big funds the listing leaves out', () => {
    expect(x('SPY puts and QQQ calls')).toEqual(['SPY', 'QQQ']);
    expect(extractor.companyName('SPY')).toMatch(/S&P 500/);
  });

  it('ignore capitals that are words, slang or acronyms', () => {
    for (const text of [
      "I'm ALL in on this", 'IT is what it is', 'Turn ON notifications', 'A lot of people', 'GO BIG OR GO HOME',
      'the CEO said DD is done, YOLO', 'Market at ATH after the IPO', 'The SEC and the FED', 'IMO the USA wins',
      'EOD pump', 'LOVE this, REAL ones', 'FOMO and HODL, LOL', 'GM everyone', 'AI and EV hype',
    ]) {
      expect(x(text), text).toEqual([]);
    }
  });

  it('count word-symbols with finance context around them', () => {
    expect(x('ON calls are printing')).toEqual(['ON']);
    expect(x('Bought 100 shares of IT today')).toEqual(['IT']);
    expect(x('ALL is up 5% after hours')).toEqual(['ALL']);
    expect(x('Picked up ON at $48')).toEqual(['ON']);
    expect(x('ticker NOW is my biggest position')).toEqual(['NOW']);
    expect(x('bought PATH on the dip')).toEqual(['PATH']);
    expect(x('F 12/20 13c')).toEqual(['F']);
    expect(x('Sold my T shares')).toEqual(['T']);
    expect(x('Open interest on ON 55c is huge')).toEqual(['ON']);
  });

  it('count word-symbols listed with confirmed tickers', () => {
    expect(x('NVDA, AMD, ON and MU')).toEqual(['NVDA', 'AMD', 'ON', 'MU']);
    expect(x('UPS and FDX both warned')).toEqual(['UPS', 'FDX']);
  });

  it('count a word-symbol the post also cashtags, at its first appearance', () => {
    expect(x('ON looks cheap, I hold $ON and NVDA')).toEqual(['ON', 'NVDA']);
  });

  it('need strong context for a single letter opening a sentence', () => {
    expect(x('A stock I like is boring')).toEqual([]);
    expect(x('F is up 3% today')).toEqual(['F']);
  });

  it('count in lower case for big companies whose symbol is no word or slang', () => {
    expect(x('tsla puts and nvda calls, brk.b too')).toEqual(['TSLA', 'NVDA', 'BRK.B']);
    // "hood" and "spy" are words, "ngl" and "meta" chat, "Aapl" mixed case
    expect(x('in the hood, a spy, ngl the meta is Aapl')).toEqual([]);
  });

  it('read "(DD)" as a tag and capitalised English as words, whatever follows', () => {
    expect(x('Why I like Costco (DD)')).toEqual(['COST']);
    expect(x('Ford is cheap, puts printing 🚀 (DD)')).toEqual(['F']);
    expect(x('IT stocks getting hit by AI fears')).toEqual([]);
    expect(x('I went ALL IN and lost IT ALL')).toEqual([]);
  });

  it('count a single letter in clear context: a dividend from it, a sentence about it, its company named', () => {
    expect(x('my first dividend from O today')).toEqual(['O']);
    expect(x('Just bought my first share of O')).toEqual(['O']);
    expect(x('T is a value trap')).toEqual(['T']);
    expect(x('Named my cat after Ford. F is a disaster')).toEqual(['F']);
    expect(x('U is such a mess, unity keeps missing')).toEqual(['U']);
    expect(x('A is for apple. I like plan B')).toEqual([]);
    expect(x('C is the cheapest big bank around')).toEqual(['C']);
  });

  it('count word-symbols listed with company names, and a target after a word-symbol in lower case', () => {
    expect(x('GM and Ford both guided higher')).toEqual(['GM', 'F']);
    expect(x('watching UPS and FedEx, volumes falling')).toEqual(['UPS', 'FDX']);
    expect(x('hood to 100 🚀🚀')).toEqual(['HOOD']);
    expect(x('back to the hood to see my mom')).toEqual([]);
    expect(x('amd vs intel is not even close')).toEqual(['AMD', 'INTC']);
  });

  it('read a letter after a share count or a trade verb in market talk, and a move with a filler word', () => {
    expect(x('Holdings: 300 shares SCHD, 50 shares O')).toEqual(['SCHD', 'O']);
    expect(x('added more O to my roth today')).toEqual(['O']);
    expect(x('added more RAM to my laptop')).toEqual([]);
    expect(x('F down another 4% today')).toEqual(['F']);
  });

  it('prefer a longer name over the symbol that opens it', () => {
    expect(x('GE Vernova is the best performer I own')).toEqual(['GEV']);
    expect(x('ON Semi is a falling knife')).toEqual(['ON']);
    expect(x('GE is up 3%')).toEqual(['GE']);
  });

  it('read AI, IT or EV before a business word as a field, not a stock', () => {
    expect(x("Broadcom's AI revenue doubled")).toEqual(['AVGO']);
    expect(x('EV sales are slowing')).toEqual([]);
    expect(x('AI calls are printing')).toEqual(['AI']);
  });
});

describe('company names', () => {
  it('match distinctive names and nicknames in any case', () => {
    expect(x('nvidia, Palantir and TESLA')).toEqual(['NVDA', 'PLTR', 'TSLA']);
    expect(x('gamestop has cash')).toEqual(['GME']);
  });

  it('strip legal and security suffixes from listing names', () => {
    expect(x('Broadcom and Marvell')).toEqual(['AVGO', 'MRVL']);
    expect(x('Taiwan Semiconductor guidance')).toEqual(['TSM']);
    expect(x('Coca-Cola or Coca Cola')).toEqual(['KO']);
    expect(x('Bank of America and Wells Fargo')).toEqual(['BAC', 'WFC']);
    expect(extractor.companyName('PLTR')).toBe('Palantir Technologies Inc.');
  });

  it('pick the primary listing: the larger market cap when names are shared', () => {
    expect(x('Alphabet')).toEqual(['GOOGL']);
    expect(x('Berkshire Hathaway')).toEqual(['BRK.B']);
    expect(x('Facebook and Google')).toEqual(['META', 'GOOGL']);
  });

  it('want capitals for names that are English words', () => {
    expect(x('an apple a day, the gap year, a visa, a block party')).toEqual([]);
    expect(x('I think Apple will beat')).toEqual(['AAPL']);
    expect(x("Ford's EV unit")).toEqual(['F']);
  });

  it('want finance context for a word-name at a sentence start or in a headline', () => {
    expect(x('Apple pie is great')).toEqual([]);
    expect(x('Apple earnings tonight')).toEqual(['AAPL']);
    expect(x('Target is down 20% since earnings')).toEqual(['TGT']);
    expect(x('Block out the noise')).toEqual([]);
  });

  it('find brands and short names derived from the whole listing, funds by their full names', () => {
    expect(x('Snowflake is getting smoked after hours')).toEqual(['SNOW']);
    expect(x('zoom earnings were decent, stock up 6%')).toEqual(['ZM']);
    expect(x('Ford just recalled another 200k trucks')).toEqual(['F']);
    expect(x('Royal Caribbean bookings at record levels')).toEqual(['RCL']);
    expect(x('Booking Holdings keeps compounding')).toEqual(['BKNG']);
    expect(x("Kohl's is a zombie retailer")).toEqual(['KSS']);
    expect(x('Duolingo user growth slowing, stock tanked')).toEqual(['DUOL']);
    expect(x('SPDR S&P 500 ETF Trust outflows hit a record')).toEqual(['SPY']);
    expect(x('Invesco QQQ Trust at a new high, I own the Vanguard S&P 500 too')).toEqual(['QQQ', 'VOO']);
    expect(x('3M settled the lawsuits')).toEqual(['MMM']);
  });

  it('count names listed with companies found, and not a shop someone goes to', () => {
    expect(x('I own Apple, Costco and Visa, nothing else')).toEqual(['AAPL', 'COST', 'V']);
    expect(x('Dell and HP both benefit from the PC refresh')).toEqual(['DELL', 'HPQ']);
    expect(x("I'll be at Target later to get diapers")).toEqual([]);
    expect(x('I went to Best Buy and bought a TV')).toEqual([]);
    expect(x('Snowflake falling on my car this morning')).toEqual([]);
  });

  it('do not read people or generic words as companies', () => {
    expect(x('Powell spoke and the Dow and Nasdaq fell')).toEqual([]);
    expect(x('General consensus is bearish')).toEqual([]);
  });

  it('take extra aliases from options', () => {
    const e = createTickerExtractor({ securities, extraAliases: { 'cathie fund': 'ARKK', zuck: 'META' } });
    expect(e.extract({ text: 'the Cathie Fund and zuck' })).toEqual(['ARKK', 'META']);
  });
});

describe('context inheritance', () => {
  it('gives a single-stock subreddit its ticker when the text names none', () => {
    expect(x('Delivery numbers tomorrow', { subreddit: 'teslamotors' })).toEqual(['TSLA']);
    expect(x('DRS your shares', { subreddit: 'r/Superstonk' })).toEqual(['GME']);
    expect(x('Also bought NVDA', { subreddit: 'teslamotors' })).toEqual(['NVDA']);
    expect(x('Nothing here', { subreddit: 'stocks' })).toEqual([]);
  });

  it('lets options override and remove subreddit tickers', () => {
    const e = createTickerExtractor({ securities, subredditTickers: { MyHoodClub: 'HOOD', teslamotors: '' } });
    expect(e.extract({ text: 'so good', subreddit: 'myhoodclub' })).toEqual(['HOOD']);
    expect(e.extract({ text: 'so good', subreddit: 'teslamotors' })).toEqual([]);
  });

  it('gives a comment its submission title tickers when it names none', () => {
    expect(x('Same, holding', { parentTitle: 'Bought 500 shares of PLTR' })).toEqual(['PLTR']);
    expect(x('What about AMD?', { parentTitle: 'Nvidia is the only AI stock' })).toEqual(['AMD']);
    expect(x('lol', { parentTitle: 'Worst trade ever?', subreddit: 'gme' })).toEqual(['GME']);
  });
});

describe('explain', () => {
  it('gives the same tickers as extract, with the rule behind each candidate, kept or not', () => {
    const text = 'Named my cat after Ford. F is a disaster, IT stocks too (DD)';
    const e = extractor.explain({ text });
    expect(e.tickers).toEqual(x(text));
    expect(e.source).toBe('text');
    const byText = new Map(e.evidence.map((v) => [v.text, v]));
    expect(byText.get('Ford')).toMatchObject({ symbol: 'F', kind: 'name', counted: true });
    expect(byText.get('F')).toMatchObject({ symbol: 'F', kind: 'symbol', counted: true });
    expect(byText.get('F')!.why).toMatch(/sentence|confirmed/);
    expect(byText.get('IT')).toMatchObject({ counted: false });
    expect(byText.get('DD')).toMatchObject({ counted: false, why: expect.stringMatching(/tag/) });
  });

  it('says when the tickers came from the parent title or the subreddit', () => {
    expect(extractor.explain({ text: 'agreed', parentTitle: '$NVDA earnings' })).toMatchObject({ tickers: ['NVDA'], source: 'parent title' });
    expect(extractor.explain({ text: 'agreed', subreddit: 'teslamotors' })).toMatchObject({ tickers: ['TSLA'], source: 'subreddit' });
  });
});

describe('isKnown and companyName', () => {
  it('accept a symbol in any case, with a cashtag or a slash class', () => {
    expect(extractor.isKnown('aapl')).toBe(true);
    expect(extractor.isKnown('$BRK/B')).toBe(true);
    expect(extractor.isKnown('ZZZZZ')).toBe(false);
    expect(extractor.companyName('AAPL')).toBe('Apple Inc.');
    expect(extractor.companyName('ZZZZZ')).toBeUndefined();
  });

  it('work from any universe handed in', () => {
    const tiny: Security[] = [
      { symbol: 'ACME', name: 'Acme Rockets Inc. Common Stock', exchange: 'NYSE', sector: '', industry: '', marketCapUsd: 2e10, country: 'US' },
    ];
    const e = createTickerExtractor({ securities: tiny });
    expect(e.extract({ text: 'ACME and Acme Rockets and NVDA' })).toEqual(['ACME']);
  });
});

describe('any text', () => {
  it('yields unique upper-case symbols, the same on every call, and never throws', () => {
    const words = fc.constantFrom('$', '$aapl', 'ON', 'calls', 'Apple', 'pie', '5%', '$3.50', "'s", 'BRK', '/B', ',', '.', ' ', 'shares of', 'IT', 'é', '’', '-', '&', '\n');
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), words), { maxLength: 30 }), (parts) => {
        const text = parts.join(' ');
        const first = extractor.extract({ text, subreddit: 'stocks', parentTitle: text.slice(0, 20) });
        expect(new Set(first).size).toBe(first.length);
        for (const s of first) expect(s).toBe(s.toUpperCase());
        expect(extractor.extract({ text, subreddit: 'stocks', parentTitle: text.slice(0, 20) })).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });
});

describe('issue 12, fourth round: subjects, shops, products and typos', () => {
  it('counts a name or word-symbol that is the subject of a sentence about the company', () => {
    expect(x('target is down bad after that guide')).toEqual(['TGT']);
    expect(x('Meta is on a roll')).toEqual(['META']);
    expect(x('is ford a buy under 10?')).toEqual(['F']);
    expect(x('NOW is the best software company out there')).toEqual(['NOW']);
    expect(x('ALL is my favorite insurer, buying more')).toEqual(['ALL']);
    expect(x('ON beat but guided down, stock -6%')).toEqual(['ON']);
    expect(x('V and MA are the best businesses ever made')).toEqual(['V', 'MA']);
    expect(x('hood and coin both ripping with crypto')).toEqual(['HOOD', 'COIN']);
  });

  it('leaves the word where the sentence is not about a company', () => {
    expect(x('Target practice at the range this weekend')).toEqual([]);
    expect(x('Snowflake the cat is asleep on my keyboard')).toEqual([]);
    expect(x('IT spending is slowing everywhere')).toEqual([]);
    expect(x('NOW is the time to buy')).toEqual([]);
    expect(x('Delta lost my luggage again')).toEqual([]);
    expect(x('ZOOM IN on the 5 min chart, clear bull flag')).toEqual([]);
  });

  it('reads shops, products and people as no stock, unless the sentence talks markets', () => {
    expect(x('grabbing lunch at Chipotle, anyone want anything?')).toEqual([]);
    expect(x('heading to Target then Costco, classic Sunday')).toEqual([]);
    expect(x('got a Tesla as a loaner from the dealership')).toEqual([]);
    expect(x('bought my kid an iPhone at the Apple store')).toEqual([]);
    expect(x("my coworker's name is Ford")).toEqual([]);
    expect(x('i work at Costco and the members are loyal af')).toEqual(['COST']);
    expect(x('Just sold all my Rivian')).toEqual(['RIVN']);
    expect(x("Rivian's delivery numbers were a disappointment")).toEqual(['RIVN']);
    expect(x('at Costco the stock is always expensive')).toEqual(['COST']);
  });

  it('reads a word-symbol after "my" or "the" as the word', () => {
    expect(x('did my DD, SOFI is a buy')).toEqual(['SOFI']);
  });

  it('counts a brand mistyped by one letter as the brand, and no English word or person for one', () => {
    expect(x('Nvidea is the best company in the world')).toEqual(['NVDA']);
    expect(x('Tesle robotaxi is a joke')).toEqual(['TSLA']);
    expect(x('Amazn looking weak into the holidays')).toEqual(['AMZN']);
    expect(x('Modern art is a bubble')).toEqual([]);
    const e = extractor.explain({ text: 'Nvidea is the best' });
    expect(e.evidence[0]?.why).toMatch(/mistyped/);
  });

  it('reads a price or a price level after a symbol as the stock', () => {
    expect(x('O at 52 week lows, adding')).toEqual(['O']);
    expect(x('picked up 200 F at 10.50')).toEqual(['F']);
    expect(x('Z trading at 3x sales')).toEqual(['Z']);
  });
});
