import { readFile } from 'node:fs/promises';
import { unsafe } from 'ini';
import { z } from 'zod';
import { StockstreamerError } from './errors.ts';
import { closest } from './suggest.ts';

/**
 * secrets/credentials.ini, in the original project's format:
 *
 *   [RedditCredentials]          all five keys, or the section left empty
 *   client_id=… client_secret=… password=… username=… user_agent=…
 *   [FINNHUB]
 *   FINNHUB_TOKEN=…
 *   [SMTP]                       both keys, or the section left empty (no SMTP login)
 *   username=… password=…
 *   [WEBHOOK]                    where alerts are POSTed as JSON (Slack, Discord or any
 *   url=https://…                endpoint); empty = no webhook. The URL is the secret.
 *
 * A section that is absent or whose values are all empty means "use the
 * synthetic source". A section filled in part, an unknown key or a malformed
 * value stops start-up with one line naming the file and the key — and never
 * the value: error messages and logs must not carry secrets.
 */
export interface RedditCredentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  userAgent: string;
}

/** Login of the SMTP server that sends alert mails; null = send without AUTH. */
export interface SmtpCredentials {
  username: string;
  password: string;
}

export interface Credentials {
  reddit: RedditCredentials | null;
  finnhubToken: string | null;
  /** absent is read as null: callers that build Credentials by hand need not know about SMTP */
  smtp?: SmtpCredentials | null;
  /** the alert webhook's URL ([WEBHOOK] url); absent or null = no webhook */
  webhookUrl?: string | null;
}

const nonBlank = z.string().trim().min(1, 'is empty').refine((s) => !/\s/.test(s), 'contains whitespace');
const redditSection = z.strictObject({
  client_id: nonBlank,
  client_secret: nonBlank,
  username: nonBlank,
  password: z.string().min(1, 'is empty'),
  user_agent: z.string().trim().min(1, 'is empty'),
});
const finnhubSection = z.strictObject({
  FINNHUB_TOKEN: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'is not a Finnhub API token (8-128 letters and digits)'),
});
const smtpSection = z.strictObject({
  username: nonBlank,
  password: z.string().min(1, 'is empty'),
});
const webhookSection = z.strictObject({
  url: z.string().trim().refine((u) => {
    try {
      const parsed = new URL(u);
      return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname));
    } catch {
      return false;
    }
  }, 'is not an https:// URL (plain http only to this machine)'),
});
const SECTIONS = { RedditCredentials: redditSection, FINNHUB: finnhubSection, SMTP: smtpSection, WEBHOOK: webhookSection } as const;
const KNOWN_SECTIONS = Object.keys(SECTIONS);
const sectionList = KNOWN_SECTIONS.map((s) => `[${s}]`).join(', ');

/** Every problem is one line: the file, what is wrong, never a value. */
function fail(file: string, what: string): never {
  throw new StockstreamerError('CREDENTIALS_INVALID', `${file}: ${what}`, { details: { file } });
}

const didYouMean = (word: string, candidates: readonly string[], wrap = (s: string) => s) => {
  const c = closest(word, candidates);
  return c === undefined ? '' : `; did you mean ${wrap(c)}?`;
};

/**
 * A key is a name, not a secret, so an unknown one is named. A line that is
 * really a pasted token with a `=` in it (base64 padding) would make the token
 * its "key": a long run without separators is not echoed.
 */
const keyAt = (key: string, line: number) => (/^[A-Za-z][A-Za-z0-9_.[\]-]{0,39}$/.test(key) && (key.length < 16 || /[_.-]/.test(key))
  ? `${key} (line ${line})` : `the key on line ${line} (not shown: it looks like a pasted secret)`);

interface Entry { line: number; value: string }
interface Section { line: number; keys: Map<string, Entry> }

/**
 * The file's structure, line by line, so that each problem can be named with
 * its line. Values are unquoted and stripped of `; comments` by ini's own
 * `unsafe`, exactly as ini.parse would. ini.parse itself is not used: it
 * silently keeps the last of two equal keys, reads a line without `=` as
 * `true`, turns `true`/`false`/`null` values into keywords and nests dotted
 * section names, each of which would turn a typo into a confusing message
 * about another key.
 */
function scan(text: string, file: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  let current: { name: string; section: Section } | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith(';') || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      const m = /^\[([^\]]*)\]\s*(?:[;#].*)?$/.exec(line);
      if (!m) fail(file, `line ${n} is not a [section] header (it needs one closing ])`);
      const name = unsafe(m[1]!);
      if (!KNOWN_SECTIONS.includes(name)) fail(file, `[${name}] (line ${n}) is not a known section${didYouMean(name, KNOWN_SECTIONS, (s) => `[${s}]`)} (sections: ${sectionList})`);
      const seen = sections.get(name);
      if (seen) fail(file, `[${name}] appears twice (lines ${seen.line} and ${n}); keep one`);
      current = { name, section: { line: n, keys: new Map() } };
      sections.set(name, current.section);
      continue;
    }
    const eq = line.indexOf('=');
    // The line itself is not shown: it may be a pasted secret.
    if (eq < 0) fail(file, `line ${n}${current ? ` in [${current.name}]` : ''} has no "=" (write key=value; key= leaves it empty)`);
    const key = unsafe(line.slice(0, eq));
    if (key === '') fail(file, `line ${n} has no key before "="`);
    if (!current) {
      const home = KNOWN_SECTIONS.find((s) => Object.keys(SECTIONS[s as keyof typeof SECTIONS].shape).includes(key));
      fail(file, `${keyAt(key, n)} is outside any [section]${home ? `; it belongs under [${home}]` : ''}`);
    }
    const seen = current.section.keys.get(key);
    if (seen) fail(file, `[${current.name}] ${keyAt(key, n)} is set twice (lines ${seen.line} and ${n}); keep one`);
    current.section.keys.set(key, { line: n, value: unsafe(line.slice(eq + 1)) });
  }
  return sections;
}

export function parseCredentials(text: string, file: string): Credentials {
  const sections = scan(text, file);
  const check = <S extends z.ZodObject>(name: keyof typeof SECTIONS, schema: S): z.output<S> | null => {
    const section = sections.get(name);
    if (!section) return null;
    // An unknown key first, even in a section left empty: a misspelt key also
    // leaves the real one missing, and "X is missing" would send the reader
    // to the wrong line (or, empty, silently to the synthetic feed).
    const known = Object.keys(schema.shape);
    for (const [key, { line }] of section.keys) {
      if (!known.includes(key)) fail(file, `[${name}] ${keyAt(key, line)} is not a known key${didYouMean(key, known)} (keys: ${known.join(', ')})`);
    }
    // every value empty: that source runs on its synthetic feed
    if ([...section.keys.values()].every((e) => e.value === '')) return null;
    const parsed = schema.safeParse(Object.fromEntries([...section.keys].map(([k, e]) => [k, e.value])));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const key = String(issue.path[0] ?? '');
      fail(file, `[${name}] ${key} ${issue.code === 'invalid_type' ? 'is missing' : issue.message}`);
    }
    return parsed.data;
  };
  const r = check('RedditCredentials', redditSection);
  const f = check('FINNHUB', finnhubSection);
  const m = check('SMTP', smtpSection);
  const w = check('WEBHOOK', webhookSection);
  return {
    reddit: r && { clientId: r.client_id, clientSecret: r.client_secret, username: r.username, password: r.password, userAgent: r.user_agent },
    finnhubToken: f?.FINNHUB_TOKEN ?? null,
    smtp: m && { username: m.username, password: m.password },
    webhookUrl: w?.url ?? null,
  };
}

/**
 * The file's bytes as text. Editors on Windows save UTF-8 with a byte-order
 * mark (accepted and dropped) or, as "Unicode", UTF-16: that is said in
 * plain words rather than parsed into nonsense.
 */
export function decodeCredentials(bytes: Uint8Array, file: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    fail(file, 'is saved as UTF-16; save it as UTF-8 (in Notepad: Save as, Encoding: UTF-8)');
  }
  try {
    // fatal: a byte that is not UTF-8 is an error, not a silent U+FFFD in a password
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(file, 'is not UTF-8 text; save it as UTF-8');
  }
}

/** A missing file is not an error: everything runs on synthetic sources. */
export async function loadCredentials(file: string): Promise<Credentials & { fileFound: boolean }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { reddit: null, finnhubToken: null, smtp: null, webhookUrl: null, fileFound: false };
    throw new StockstreamerError('CREDENTIALS_INVALID', `${file}: cannot be read (${(err as NodeJS.ErrnoException).code})`, { details: { file } });
  }
  return { ...parseCredentials(decodeCredentials(bytes, file), file), fileFound: true };
}
