import { readFile } from 'node:fs/promises';
import { parse } from 'ini';
import { z } from 'zod';
import { StockstreamerError } from './errors.ts';

/**
 * secrets/credentials.ini, in the original project's format:
 *
 *   [RedditCredentials]          all five keys, or the section left empty
 *   client_id=… client_secret=… password=… username=… user_agent=…
 *   [FINNHUB]
 *   FINNHUB_TOKEN=…
 *   [SMTP]                       both keys, or the section left empty (no SMTP login)
 *   username=… password=…
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
const KNOWN_SECTIONS = ['RedditCredentials', 'FINNHUB', 'SMTP'];

function fail(file: string, key: string, why: string): never {
  throw new StockstreamerError('CREDENTIALS_INVALID', `${file}: ${key} ${why}`, { details: { file, key } });
}

function isBlankSection(section: unknown): boolean {
  if (section === undefined) return true;
  if (typeof section !== 'object' || section === null) return false;
  return Object.values(section).every((v) => v === '' || v === true || v === null);
}

export function parseCredentials(text: string, file: string): Credentials {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch {
    fail(file, '(file)', 'is not a valid INI file');
  }
  for (const [name, value] of Object.entries(doc)) {
    if (!KNOWN_SECTIONS.includes(name)) {
      // ini puts keys written before any [section] at the top level.
      fail(file, typeof value === 'object' ? `[${name}]` : name, `is not known (sections: ${KNOWN_SECTIONS.map((s) => `[${s}]`).join(', ')})`);
    }
  }
  const check = <T>(sectionName: string, schema: z.ZodType<T>, section: unknown): T | null => {
    if (isBlankSection(section)) return null;
    const parsed = schema.safeParse(section);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const key = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : String(issue.path[0] ?? '');
    const why = issue.code === 'unrecognized_keys' ? 'is not a known key'
      : issue.code === 'invalid_type' ? 'is missing' : issue.message;
    fail(file, `[${sectionName}] ${key}`, why);
  };
  const r = check('RedditCredentials', redditSection, doc.RedditCredentials);
  const f = check('FINNHUB', finnhubSection, doc.FINNHUB);
  const m = check('SMTP', smtpSection, doc.SMTP);
  return {
    reddit: r && { clientId: r.client_id, clientSecret: r.client_secret, username: r.username, password: r.password, userAgent: r.user_agent },
    finnhubToken: f?.FINNHUB_TOKEN ?? null,
    smtp: m && { username: m.username, password: m.password },
  };
}

/** A missing file is not an error: everything runs on synthetic sources. */
export async function loadCredentials(file: string): Promise<Credentials & { fileFound: boolean }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { reddit: null, finnhubToken: null, smtp: null, fileFound: false };
    throw new StockstreamerError('CREDENTIALS_INVALID', `${file}: cannot be read (${(err as NodeJS.ErrnoException).code})`, { details: { file } });
  }
  return { ...parseCredentials(text, file), fileFound: true };
}
