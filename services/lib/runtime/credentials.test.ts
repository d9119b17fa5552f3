import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCredentials, parseCredentials } from './credentials.ts';
import { StockstreamerError } from './errors.ts';

const FILE = 'secrets/credentials.ini';
const SECRET = 'sUpErSeCrEt42';
const filled = `
[RedditCredentials]
client_id=abc123
client_secret=${SECRET}
password=${SECRET}pw
username=bot_user
user_agent=stockstreamer/0.1 by bot_user

[FINNHUB]
FINNHUB_TOKEN=${SECRET}tok

[SMTP]
username=alerts@example.com
password=${SECRET}smtp
`;

function errorOf(text: string): StockstreamerError {
  try {
    parseCredentials(text, FILE);
  } catch (err) {
    return err as StockstreamerError;
  }
  throw new Error('expected parseCredentials to fail');
}

describe('credentials.ini', () => {
  it('reads both sections of a filled file', () => {
    const c = parseCredentials(filled, FILE);
    expect(c.reddit).toEqual({ clientId: 'abc123', clientSecret: SECRET, username: 'bot_user', password: `${SECRET}pw`, userAgent: 'stockstreamer/0.1 by bot_user' });
    expect(c.finnhubToken).toBe(`${SECRET}tok`);
    expect(c.smtp).toEqual({ username: 'alerts@example.com', password: `${SECRET}smtp` });
  });

  it('treats the committed example (all values empty) as "synthetic for both"', () => {
    const c = parseCredentials(readFileSync('secrets/credentials.ini.example', 'utf8'), FILE);
    expect(c).toEqual({ reddit: null, finnhubToken: null, smtp: null, webhookUrl: null });
  });

  it('a missing file means synthetic sources, not an error', async () => {
    const c = await loadCredentials(join(mkdtempSync(join(tmpdir(), 'ss-')), 'nope.ini'));
    expect(c).toEqual({ reddit: null, finnhubToken: null, smtp: null, webhookUrl: null, fileFound: false });
  });

  it('an [SMTP] section left empty or absent means "send without login"', () => {
    expect(parseCredentials(filled.replace(/\[SMTP\][^]*$/, '[SMTP]\nusername=\npassword=\n'), FILE).smtp).toBeNull();
    expect(parseCredentials(filled.replace(/\[SMTP\][^]*$/, ''), FILE).smtp).toBeNull();
  });

  it('an [SMTP] section filled in part names the missing key, never the password', () => {
    const noUser = errorOf(filled.replace('username=alerts@example.com\n', ''));
    expect(noUser.code).toBe('CREDENTIALS_INVALID');
    expect(noUser.message).toBe(`${FILE}: [SMTP] username is missing`);
    expect(`${noUser.message} ${JSON.stringify(noUser.details)}`).not.toContain(SECRET);
    expect(errorOf(filled.replace(`password=${SECRET}smtp`, 'password=')).message).toBe(`${FILE}: [SMTP] password is empty`);
    expect(errorOf(filled.replace('[SMTP]', '[SMTP]\nhost=smtp.example.com')).message).toBe(`${FILE}: [SMTP] host (line 13) is not a known key (keys: username, password)`);
  });

  it('a section filled in part names the file and the missing key in one line', () => {
    const err = errorOf(filled.replace(/username=bot_user\n/, ''));
    expect(err.code).toBe('CREDENTIALS_INVALID');
    expect(err.message).toBe(`${FILE}: [RedditCredentials] username is missing`);
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('an empty value in a filled section is named', () => {
    const err = errorOf(filled.replace('client_id=abc123', 'client_id='));
    expect(err.message).toBe(`${FILE}: [RedditCredentials] client_id is empty`);
  });

  it('rejects unknown keys and sections', () => {
    expect(errorOf(filled.replace('[FINNHUB]', '[FINNHUB]\nFINNHUB_SECRET=x')).message).toContain('[FINNHUB] FINNHUB_SECRET (line 10) is not a known key');
    expect(errorOf(`${filled}\n[Twitter]\nkey=1\n`).message).toContain('[Twitter] (line 16) is not a known section (sections: [RedditCredentials], [FINNHUB], [SMTP], [WEBHOOK])');
  });

  it('a malformed token is rejected without echoing it', () => {
    const err = errorOf(filled.replace(`FINNHUB_TOKEN=${SECRET}tok`, `FINNHUB_TOKEN=${SECRET} tok!`));
    expect(err.message).toContain('[FINNHUB] FINNHUB_TOKEN is not a Finnhub API token');
    expect(JSON.stringify({ m: err.message, d: err.details, s: err.stack })).not.toContain(SECRET);
  });

  it('no secret value appears in any error for any broken variant', () => {
    const variants = [
      filled.replace('username=bot_user', 'username=bot user'),
      filled.replace('client_id=abc123', 'client_id=a b'),
      filled.replace('[FINNHUB]', '[FINNHUB]\nextra=1'),
      `oops=${SECRET}\n${filled}`,
    ];
    for (const v of variants) {
      const err = errorOf(v);
      expect(`${err.message} ${JSON.stringify(err.details)}`).not.toContain(SECRET);
    }
  });

  it('loads from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-'));
    writeFileSync(join(dir, 'c.ini'), filled);
    const c = await loadCredentials(join(dir, 'c.ini'));
    expect(c.fileFound).toBe(true);
    expect(c.reddit?.username).toBe('bot_user');
  });

  describe('names the real problem in one line', () => {
    const finnhub = (body: string) => `[FINNHUB]\n${body}\n`;
    const TOKEN = 'c0ffee00deadbeef1234';
    const oneLine = (err: StockstreamerError) => {
      expect(err.code).toBe('CREDENTIALS_INVALID');
      expect(err.message.split('\n')).toHaveLength(1);
      expect(`${err.message} ${JSON.stringify(err.details)}`).not.toContain(TOKEN);
      return err.message;
    };

    it('a byte-order mark (Notepad\'s "UTF-8 with BOM") is accepted, from disk or as text', async () => {
      expect(parseCredentials(`\uFEFF${finnhub(`FINNHUB_TOKEN=${TOKEN}`)}`, FILE).finnhubToken).toBe(TOKEN);
      const dir = mkdtempSync(join(tmpdir(), 'ss-'));
      writeFileSync(join(dir, 'bom.ini'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(filled)]));
      const c = await loadCredentials(join(dir, 'bom.ini'));
      expect(c.reddit?.clientId).toBe('abc123');
      expect(c.finnhubToken).toBe(`${SECRET}tok`);
    });

    it('CRLF line ends (and lone CR) read as LF, with no \\r left in a value', () => {
      expect(parseCredentials(filled.replaceAll('\n', '\r\n'), FILE)).toEqual(parseCredentials(filled, FILE));
      expect(parseCredentials(filled.replaceAll('\n', '\r'), FILE)).toEqual(parseCredentials(filled, FILE));
      // and line numbers still count lines, not line-end characters
      expect(oneLine(errorOf(`[FINNHUB]\r\n\r\nFINHUB_TOKEN=${TOKEN}\r\n`))).toBe(`${FILE}: [FINNHUB] FINHUB_TOKEN (line 3) is not a known key; did you mean FINNHUB_TOKEN? (keys: FINNHUB_TOKEN)`);
    });

    it('a file saved as UTF-16 or in a legacy code page says so', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ss-'));
      writeFileSync(join(dir, 'u16.ini'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(filled, 'utf16le')]));
      await expect(loadCredentials(join(dir, 'u16.ini'))).rejects.toThrow(`${join(dir, 'u16.ini')}: is saved as UTF-16; save it as UTF-8`);
      writeFileSync(join(dir, 'latin1.ini'), Buffer.from(finnhub('FINNHUB_TOKEN=caf\xe9caf\xe9'), 'latin1'));
      await expect(loadCredentials(join(dir, 'latin1.ini'))).rejects.toThrow(`${join(dir, 'latin1.ini')}: is not UTF-8 text; save it as UTF-8`);
    });

    it('an unknown or misspelt key is named, with the key it probably meant, before any "is missing"', () => {
      expect(oneLine(errorOf(finnhub(`FINHUB_TOKEN=${TOKEN}`)))).toBe(`${FILE}: [FINNHUB] FINHUB_TOKEN (line 2) is not a known key; did you mean FINNHUB_TOKEN? (keys: FINNHUB_TOKEN)`);
      expect(oneLine(errorOf(finnhub(`finnhub_token=${TOKEN}`)))).toContain('[FINNHUB] finnhub_token (line 2) is not a known key; did you mean FINNHUB_TOKEN?');
      expect(oneLine(errorOf(finnhub(`FINNHUB_TOKEN=${TOKEN}\nregion=us`)))).toBe(`${FILE}: [FINNHUB] region (line 3) is not a known key (keys: FINNHUB_TOKEN)`);
      // a synonym is not a typo: no guess, but the known keys are listed
      expect(oneLine(errorOf(finnhub(`FINNHUB_KEY=${TOKEN}`)))).toBe(`${FILE}: [FINNHUB] FINNHUB_KEY (line 2) is not a known key (keys: FINNHUB_TOKEN)`);
      expect(oneLine(errorOf(filled.replace('user_agent=', 'useragent=')))).toContain('[RedditCredentials] useragent (line 7) is not a known key; did you mean user_agent?');
      expect(oneLine(errorOf(filled.replace('client_secret=', 'client_secert=')))).toContain('[RedditCredentials] client_secert (line 4) is not a known key; did you mean client_secret?');
    });

    it('a misspelt key in a section left empty is named too, not silently run on the synthetic feed', () => {
      expect(oneLine(errorOf(finnhub('FINNHUB_TOKN=')))).toContain('[FINNHUB] FINNHUB_TOKN (line 2) is not a known key; did you mean FINNHUB_TOKEN?');
    });

    it('a misspelt or unknown section is named, with the section it probably meant', () => {
      expect(oneLine(errorOf(`[Finnhub]\nFINNHUB_TOKEN=${TOKEN}\n`))).toBe(`${FILE}: [Finnhub] (line 1) is not a known section; did you mean [FINNHUB]? (sections: [RedditCredentials], [FINNHUB], [SMTP], [WEBHOOK])`);
      expect(oneLine(errorOf(filled.replace('[RedditCredentials]', '[Reddit_Credentials]')))).toContain('did you mean [RedditCredentials]?');
      expect(oneLine(errorOf(filled.replace('[RedditCredentials]', '[reddit]')))).toContain('[reddit] (line 2) is not a known section (sections:');
    });

    it('a section header without its closing bracket names the line', () => {
      expect(oneLine(errorOf(`[FINNHUB\nFINNHUB_TOKEN=${TOKEN}\n`))).toBe(`${FILE}: line 1 is not a [section] header (it needs one closing ])`);
      // a comment after a header is fine
      expect(parseCredentials(`[FINNHUB]   ; from finnhub.io\nFINNHUB_TOKEN=${TOKEN}\n`, FILE).finnhubToken).toBe(TOKEN);
    });

    it('a key given twice, or a section given twice, names both lines', () => {
      expect(oneLine(errorOf(finnhub(`FINNHUB_TOKEN=${TOKEN}\nFINNHUB_TOKEN=${TOKEN}x`)))).toBe(`${FILE}: [FINNHUB] FINNHUB_TOKEN (line 3) is set twice (lines 2 and 3); keep one`);
      expect(oneLine(errorOf(`${finnhub(`FINNHUB_TOKEN=${TOKEN}`)}[FINNHUB]\n`))).toBe(`${FILE}: [FINNHUB] appears twice (lines 1 and 3); keep one`);
    });

    it('a line without "=" is named by its number only: it may be a pasted token', () => {
      expect(oneLine(errorOf(finnhub(TOKEN)))).toBe(`${FILE}: line 2 in [FINNHUB] has no "=" (write key=value; key= leaves it empty)`);
      expect(oneLine(errorOf(finnhub('FINNHUB_TOKEN')))).toBe(`${FILE}: line 2 in [FINNHUB] has no "=" (write key=value; key= leaves it empty)`);
    });

    it('a key before any section says where it belongs', () => {
      expect(oneLine(errorOf(`FINNHUB_TOKEN=${TOKEN}\n`))).toBe(`${FILE}: FINNHUB_TOKEN (line 1) is outside any [section]; it belongs under [FINNHUB]`);
      expect(oneLine(errorOf(`; comment\nfoo=bar\n${filled}`))).toBe(`${FILE}: foo (line 2) is outside any [section]`);
    });

    it('a pasted token that happens to hold "=" is not echoed as a key', () => {
      const b64 = 'c2VjcmV0dG9rZW4xMjM0NTY3OA';
      const err = errorOf(finnhub(`${b64}==`));
      expect(oneLine(err)).toBe(`${FILE}: [FINNHUB] the key on line 2 (not shown: it looks like a pasted secret) is not a known key (keys: FINNHUB_TOKEN)`);
      expect(err.message).not.toContain(b64);
    });

    it('values written as true, false or null stay text, and dotted section names stay flat', () => {
      const c = parseCredentials(filled.replace(`password=${SECRET}smtp`, 'password=null'), FILE);
      expect(c.smtp).toEqual({ username: 'alerts@example.com', password: 'null' });
      expect(oneLine(errorOf(`[FINNHUB.extra]\nx=1\n`))).toContain('[FINNHUB.extra] (line 1) is not a known section');
    });
  });
});
