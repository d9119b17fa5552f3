import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStockstreamerError } from '../../runtime/errors.ts';
import { createSentimentScorer } from './index.ts';

const scorer = createSentimentScorer();
const score = (text: string): number => scorer.score(text).score;
const label = (text: string) => scorer.score(text).label;

describe('sentiment scorer: basics', () => {
  it('scores the empty string and whitespace as neutral zero', () => {
    expect(scorer.score('')).toEqual({ score: 0, label: 'neu' });
    expect(scorer.score('   \n\t ')).toEqual({ score: 0, label: 'neu' });
  });

  it('gives a neutral zero to text with no opinion in it', () => {
    expect(scorer.score('$AAPL reports on Thursday after the close')).toEqual({ score: 0, label: 'neu' });
  });

  it('is deterministic, across calls and across scorer instances', () => {
    const text = 'NVDA to the moon 🚀🚀 but guidance looks weak, not buying more!!!';
    const first = scorer.score(text);
    for (let i = 0; i < 5; i++) expect(scorer.score(text)).toEqual(first);
    expect(createSentimentScorer().score(text)).toEqual(first);
  });

  it('does not let one call leak state into the next', () => {
    const alone = score('bullish');
    score('not not not very very extremely "unclosed');
    expect(score('bullish')).toBe(alone);
  });

  it('keeps every score inside [-1, 1] and labels it consistently, for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const result = scorer.score(text);
        expect(Number.isFinite(result.score)).toBe(true);
        expect(result.score).toBeGreaterThanOrEqual(-1);
        expect(result.score).toBeLessThanOrEqual(1);
        const expected = result.score > 0.1 ? 'pos' : result.score < -0.1 ? 'neg' : 'neu';
        expect(result.label).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('stays in bounds for pathological input: thousands of boosters, emoji and exclamation marks', () => {
    for (const text of [
      'very '.repeat(5000) + 'bullish',
      '🚀'.repeat(10000),
      'crash '.repeat(10000),
      'moon!!!!!!!!!!!!!!!!!!!!!!!!!!'.repeat(500),
    ]) {
      const s = score(text);
      expect(Number.isFinite(s)).toBe(true);
      expect(Math.abs(s)).toBeLessThanOrEqual(1);
    }
  });
});

describe('sentiment scorer: finance and Reddit vocabulary', () => {
  it.each([
    'Bullish on $AMD',
    'Loading calls before earnings',
    'TSLA to the moon',
    'Tendies incoming',
    'Analyst upgrade this morning',
    'They beat estimates and raised guidance',
    'Clean breakout above resistance',
    'Oversold, expecting a bounce',
    'Short squeeze is on',
    'Buy the dip',
    'Diamond hands, holding forever',
    'New all-time high today',
    'Fresh 52-week high',
    'Huge rally into the close',
    'Buyback announced',
  ])('reads "%s" as positive', (text) => {
    expect(label(text)).toBe('pos');
  });

  it.each([
    'Bearish on $AMD',
    'Bought puts on SPY',
    'Total rug pull',
    'Bagholding since January',
    'Paper hands sold the bottom',
    'Earnings miss, guidance cut',
    'Downgraded to underperform',
    'Filed for bankruptcy',
    'More dilution from this company',
    'Breakdown below support',
    'Overbought and due for a pullback',
    'Stock tanked after hours',
    'Market crash incoming',
    'New 52-week low',
    'This is going to dump',
  ])('reads "%s" as negative', (text) => {
    expect(label(text)).toBe('neg');
  });

  it('lets a phrase outrank its words', () => {
    expect(score('short squeeze')).toBeGreaterThan(0); // "short" alone is bearish
    expect(score('short')).toBeLessThan(0);
    expect(score('holding long term')).toBeLessThan(score('long'));
    expect(score('Best Buy')).toBe(0); // a retailer, not a rating
    expect(score('shares outstanding: 2.4 billion')).toBe(0);
  });

  it('reads hyphenated and spaced spellings of a phrase alike', () => {
    expect(score('big sell-off today')).toBe(score('big sell off today'));
    expect(score('new 52-week high')).toBe(score('new 52 week high'));
    expect(score('all-time high')).toBe(score('all time high'));
  });

  it('ignores tickers, dollar amounts, links and mentions', () => {
    expect(score('$LOW $UP $BEAT $1,000 https://example.com/moon-crash @bullish_trader')).toBe(0);
  });
});

describe('sentiment scorer: negation', () => {
  it.each([
    ['bullish', 'not bullish'],
    ['buy this', "don't buy this"],
    ['buy this', 'dont buy this'],
    ['buy this', 'don’t buy this'],
    ['a good company', 'never a good company'],
    ['bearish', 'not bearish at all'],
    ['selling', 'not selling'],
  ])('"%s" and "%s" have opposite signs', (plain, negated) => {
    expect(Math.sign(score(negated))).toBe(-Math.sign(score(plain)));
    expect(score(plain)).not.toBe(0);
  });

  it('makes "not bullish" weaker than "bearish"', () => {
    expect(score('not bullish')).toBeLessThan(0);
    expect(score('not bullish')).toBeGreaterThan(score('bearish'));
  });

  it('stops at the end of the clause', () => {
    expect(score("I wasn't sure, but bullish now")).toBeGreaterThan(0);
    expect(score('Not selling. Bullish.')).toBeGreaterThan(score('bullish'));
  });

  it('does not treat "non-GAAP" or "can\'t wait" as negations', () => {
    expect(score('non-GAAP EPS beat')).toBe(score('EPS beat'));
    expect(score("can't wait for earnings")).toBeGreaterThan(0);
    expect(score('never been more bullish')).toBeGreaterThan(score('bullish'));
  });
});

describe('sentiment scorer: intensity', () => {
  it('strengthens with boosters, capitals and exclamation marks, and softens with hedges', () => {
    const plain = score('bullish');
    expect(score('very bullish')).toBeGreaterThan(plain);
    expect(score('extremely bullish')).toBeGreaterThan(score('very bullish'));
    expect(score('I am BULLISH on this')).toBeGreaterThan(score('I am bullish on this'));
    expect(score('bullish!!!')).toBeGreaterThan(plain);
    expect(score('slightly bullish')).toBeLessThan(plain);
    expect(score('slightly bullish')).toBeGreaterThan(0);
    expect(score('fucking mooning')).toBeGreaterThan(score('mooning'));
  });

  it('does not read a post written all in capitals as shouting every word', () => {
    expect(score('BULLISH ON THIS')).toBe(score('bullish on this'));
  });

  it('reads elongated words ("loooong", "sooooo")', () => {
    expect(score('loooooong')).toBe(score('long'));
    expect(score('sooooo bullish')).toBeGreaterThan(score('bullish'));
  });

  it('weights the clause after "but" over the one before', () => {
    expect(score('weak quarter but raised guidance')).toBeGreaterThan(0);
    expect(score('great product but the stock is overvalued')).toBeLessThan(0);
  });

  it('damps questions: asking is not asserting', () => {
    expect(label('Anyone holding through earnings?')).toBe('neu');
    expect(label('When is the next dividend paid?')).toBe('neu');
    expect(Math.abs(score('Should I buy calls?'))).toBeLessThan(Math.abs(score('I should buy calls.')));
  });

  it('saturates with agreement but never reaches ±1 for ordinary posts', () => {
    const one = score('bullish');
    const three = score('bullish, buying calls, breakout 🚀');
    expect(three).toBeGreaterThan(one);
    expect(three).toBeLessThan(1);
  });
});

describe('sentiment scorer: price moves', () => {
  it.each([
    ['+5% premarket', 1],
    ['-5% premarket', -1],
    ['up 3% today', 1],
    ['down 10% today', -1],
    ['gained 12% this week', 1],
    ['fell 8% on the news', -1],
    ['shares 7% higher', 1],
    ['down nearly 20% from the peak', -1],
    ['−4% (unicode minus)', -1],
  ])('"%s" reads as a move of sign %i', (text, sign) => {
    expect(Math.sign(score(text))).toBe(sign);
  });

  it('grows with the size of the move', () => {
    expect(score('up 20%')).toBeGreaterThan(score('up 2%'));
    expect(score('down 20%')).toBeLessThan(score('down 2%'));
  });

  it('gives a percentage with no direction no sentiment', () => {
    expect(score('They own 10% of the company')).toBe(0);
    expect(score('a 3% dividend yield')).toBe(score('a dividend yield'));
  });
});

describe('sentiment scorer: emoji and emoticons', () => {
  it.each([
    ['🚀', 'pos'],
    ['💎🙌', 'pos'],
    ['📈', 'pos'],
    ['🐂', 'pos'],
    ['🔥', 'pos'],
    ['📉', 'neg'],
    ['🐻', 'neg'],
    ['🤡', 'neg'],
    ['💀', 'neg'],
    ['😭', 'neg'],
    [':)', 'pos'],
    [':(', 'neg'],
  ] as const)('%s reads as %s', (emoji, expected) => {
    expect(label(`$GME ${emoji}`)).toBe(expected);
  });

  it('counts each emoji: more rockets, more bullish', () => {
    expect(score('🚀🚀🚀')).toBeGreaterThan(score('🚀'));
    expect(score('AMC 🚀')).toBeGreaterThan(score('AMC'));
  });

  it('scores an emoji the same with or without its variation selector or skin tone', () => {
    expect(score('❤️')).toBe(score('❤'));
    expect(score('👍🏽')).toBe(score('👍'));
    expect(score('❤')).toBeGreaterThan(0);
  });
});

describe('createSentimentScorer options', () => {
  it('uses the neutral band for labels only', () => {
    const wide = createSentimentScorer({ neutralBand: 0.9 });
    const narrow = createSentimentScorer({ neutralBand: 0 });
    expect(wide.score('bullish').score).toBe(narrow.score('bullish').score);
    expect(wide.score('bullish').label).toBe('neu');
    expect(narrow.score('dividend').label).toBe('pos');
    expect(narrow.score('').label).toBe('neu');
  });

  it.each([-0.1, 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects neutralBand %s with CONFIG_INVALID', (band) => {
    let error: unknown;
    try {
      createSentimentScorer({ neutralBand: band });
    } catch (err) {
      error = err;
    }
    expect(isStockstreamerError(error, 'CONFIG_INVALID')).toBe(true);
  });

  it('rejects unknown options instead of ignoring a typo', () => {
    expect(() => createSentimentScorer({ neutralband: 0.2 } as never)).toThrow(/unknown option "neutralband"/);
  });
});

describe('sentiment scorer: finance polarity that general lexicons get wrong (issue 12)', () => {
  it('lets the clause after "but" / "however" decide', () => {
    expect(label('Beat on revenue but guidance was weak')).toBe('neg');
    expect(label('Revenue missed, however margins expanded and they raised the outlook')).toBe('pos');
  });

  it.each([
    ['puts printing', 'neg'],
    ['my AAPL puts are printing', 'neg'],
    ['SPY puts are free money this week', 'neg'],
    ['closed my puts for a 300% gain', 'neg'],
    ['calls printing', 'pos'],
    ['my calls expired worthless', 'neg'],
    ['my puts got crushed, it ripped 10%', 'pos'],
    ['bought puts on this garbage', 'neg'],
    ['sold puts on KO, happy to own it lower', 'pos'],
    ['selling cash secured puts every month', 'pos'],
    ['wrote puts at the 20 strike', 'pos'],
  ] as const)('reads the option direction in "%s" as %s for the stock', (text, expected) => {
    expect(label(text)).toBe(expected);
  });

  it('reads finance senses of general words', () => {
    expect(label('weight loss drug sales keep exploding')).toBe('pos');
    expect(label('the Fed will cut rates, small caps love it')).toBe('pos');
    expect(score('massive beat')).toBeGreaterThan(score('beat'));
    expect(label('net loss narrowed again')).toBe('pos');
    expect(label('debt paid down by $2B this quarter')).toBe('pos');
    expect(label('costs rose 10%')).toBe('neg');
    expect(label('trading at 100x earnings')).toBe('neg');
    expect(label('10x from here')).toBe('pos');
    expect(label('Chewy is getting crushed today')).toBe('neg');
    expect(label('they crushed earnings')).toBe('pos');
  });

  it('damps questions and hedges to neutral unless they carry a hard fact', () => {
    expect(label('Is Tesla a buy at these levels?')).toBe('neu');
    expect(label('maybe it runs after earnings, maybe not, idk')).toBe('neu');
    expect(label('not sure if it can keep growing at this pace')).toBe('neu');
    expect(label('Why is it down 10% today?')).toBe('neg');
    expect(label("Could be wrong but I think it bottomed")).toBe('pos');
  });

  it('damps a hedged clause alone, and a whole sentence when the hedge stands in a clause of its own', () => {
    expect(label('raised its outlook, a bottom might be in')).toBe('pos');
    expect(label('probably going to trim some, not sure yet')).toBe('neu');
    expect(label('is now a good time to buy or wait?')).toBe('neu');
  });

  it('reads company names made of sentiment words as names', () => {
    expect(label('Rocket Lab delayed the launch again, ugh')).toBe('neg');
    expect(score('Plug Power')).toBe(0);
    expect(score('Dollar General')).toBe(0);
  });

  it('does not let emoji decide the sign on their own', () => {
    expect(label('AMD missed and guided down 🚀🚀')).toBe('neg');
    expect(label('Lost 50% on my position 🚀🚀')).toBe('neg');
    expect(label('earnings tomorrow 😬')).toBe('neu');
    expect(label('GME 🚀🚀🚀')).toBe('pos');
    expect(score('great quarter 🚀')).toBeGreaterThan(score('great quarter'));
  });

  it('keeps portfolio listings, disclaimers and plain facts neutral', () => {
    for (const text of [
      'Positions: 100 AAPL, 50 MSFT, long NVDA calls',
      'My portfolio: 40% VTI, 30% VXUS, 20% BND, 10% cash',
      'Disclosure: I am long NVDA.',
      'Not financial advice. Past performance does not guarantee future results.',
      'Bought 3 shares of NVDA today',
      'The ex-dividend date for KO is June 13.',
      'The stock market is closed on Good Friday.',
    ]) {
      expect(label(text), text).toBe('neu');
    }
  });

  it('reads what happens to the shorts or the bears as the opposite for the stock', () => {
    expect(label('short sellers getting absolutely cooked')).toBe('pos');
    expect(label('posted a profit again, shorts in shambles')).toBe('pos');
    expect(label('bears eating good tonight')).toBe('neg');
    expect(label('my shorts are printing')).toBe('neg');
  });

  it('reads a good quantity falling as bad news and a bad one falling as good news', () => {
    expect(label('sales growth is slowing hard')).toBe('neg');
    expect(label('margins expanded')).toBe('pos');
    expect(label('losses narrowed')).toBe('pos');
  });

  it('weighs general English against finance facts that disagree with it', () => {
    expect(label('Thanks Jerome, my portfolio loves you, -15% this week')).toBe('neg');
  });
});

describe('sentiment scorer: explain', () => {
  it('gives the same score and label as score(), with the words and rules that made it', () => {
    for (const text of ['puts printing on TSLA', 'Beat on revenue but guidance was weak', 'Positions: 100 AAPL', 'GME 🚀', '']) {
      const e = scorer.explain(text);
      expect({ score: e.score, label: e.label }).toEqual(scorer.score(text));
    }
    const e = scorer.explain('bought puts on TSLA and they are printing');
    expect(e.steps.map((s) => s.rule).join('\n')).toMatch(/option decides[\s\S]*bearish option position/);
    const contrast = scorer.explain('Beat on revenue but guidance was weak');
    expect(contrast.steps.some((s) => s.text === 'but' && /contrast/.test(s.rule))).toBe(true);
  });
});

describe('sentiment scorer: idioms, irony and other language of issue 12 (fourth round)', () => {
  it('gives an evaluative idiom its own polarity, whatever its words say alone', () => {
    // "firing" is -2 in AFINN and "perfection" +3
    expect(label('AMD is firing on all cylinders')).toBe('pos');
    expect(label('Caterpillar is priced for perfection')).toBe('neg');
    expect(label('Moderna is circling the drain')).toBe('neg');
    expect(label('JPM keeps knocking it out of the park')).toBe('pos');
  });

  it('lets a booster stand inside an idiom and scale it', () => {
    expect(label('my calls got absolutely crushed')).toBe('neg');
    expect(score('Snowflake got utterly crushed')).toBeLessThan(score('Snowflake got crushed'));
    expect(scorer.explain('Snowflake got utterly crushed').steps.some((s) => s.text === 'got utterly crushed')).toBe(true);
    expect(label('Broadcom knocked it out of the park again')).toBe('pos');
    expect(label('Pfizer keeps shooting itself in the foot')).toBe('neg');
  });

  it('reads praise around bad news as sarcasm, and praise around good news as praise', () => {
    expect(label('great, another -40% day, love this for me')).toBe('neg');
    expect(label('oh wonderful, the Fed says higher for longer again')).toBe('neg');
    expect(label('cool cool cool, my whole port is red again')).toBe('neg');
    expect(label('love waking up to my calls down 60%, best feeling ever')).toBe('neg');
    expect(label('Woke up to this 📉💀 thanks TSLA')).toBe('neg');
    expect(label('Great, just bought more and it is up 10%')).toBe('pos');
    expect(label('thanks to strong demand, sales rose 10%')).toBe('pos');
    const e = scorer.explain('wow what a shocker, Intel guided down again');
    expect(e.label).toBe('neg');
    expect(e.steps.some((s) => /irony/.test(s.rule))).toBe(true);
  });

  it('takes a fall next to buying as the occasion, not the verdict', () => {
    expect(label('Eli Lilly dropped 10% on the trial data, buying more')).toBe('pos');
    expect(label('love buying NVDA when it is down 10%')).toBe('pos');
    expect(label("it dropped 10%, don't buy this")).toBe('neg');
    // bought is done: "at 120, now 65" is a loss
    expect(label('bought NKE at 120, now 65')).toBe('neg');
  });

  it('lets two negations cancel', () => {
    expect(label("Ford can't build anything without a recall")).toBe('neg');
  });

  it('leaves what came before a contrast in full when nothing follows it', () => {
    expect(label("Tesla's margins shrank again, but hey")).toBe('neg');
  });

  it('reads "though" and "although" by where they stand', () => {
    expect(label('NVDA dipped today, still up 80% this year though')).toBe('pos');
    expect(label('Nice earnings from Walmart, although the guide was conservative')).toBe('pos');
    expect(label('Strong quarter, yet the stock fell 10%')).toBe('neg');
  });

  it('signs the move of a quantity by what the quantity is', () => {
    expect(label('Netflix churn hit a record low')).toBe('pos');
    expect(label('Lululemon inventory is piling up')).toBe('neg');
    expect(label("AMD's debt is basically zero")).toBe('pos');
    expect(label('Coinbase trading volume dried up')).toBe('neg');
  });

  it('keeps purchases of goods, listings said with a verb and price targets apart from views', () => {
    expect(label('bought my kid an iPhone at the Apple store')).toBe('neu');
    expect(label('bought a few more shares, love this company')).toBe('pos');
    expect(label('Current positions are 100 shares of AMD and 2 NVDA calls')).toBe('neu');
    expect(label('hood to 100 by summer')).toBe('pos');
  });

  it('does not damp a rhetorical question that asserts', () => {
    expect(label('is Costco overvalued?')).toBe('neu');
    expect(label('is it just me or is Costco way overvalued?')).toBe('neg');
  });
});
