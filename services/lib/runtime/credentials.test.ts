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
    expect(c).toEqual({ reddit: null, finnhubToken: null, smtp: null });
  });

  it('a missing file means synthetic sources, not an error', async () => {
    const c = await loadCredentials(join(mkdtempSync(join(tmpdir(), 'ss-')), 'nope.ini'));
    expect(c).toEqual({ reddit: null, finnhubToken: null, smtp: null, fileFound: false });
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
    expect(errorOf(filled.replace('[SMTP]', '[SMTP]\nhost=smtp.example.com')).message).toBe(`${FILE}: [SMTP] host is not a known key`);
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
    expect(errorOf(filled.replace('[FINNHUB]', '[FINNHUB]\nFINNHUB_SECRET=x')).message).toContain('[FINNHUB] FINNHUB_SECRET is not a known key');
    expect(errorOf(`${filled}\n[Twitter]\nkey=1\n`).message).toContain('[Twitter] is not known');
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
});
