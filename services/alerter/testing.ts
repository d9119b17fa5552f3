import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { createLogger, type Logger } from '../lib/runtime/logger.ts';

/** Test helpers: a local SMTP server that keeps what it receives, and a logger whose lines can be read back. */

export interface ReceivedMail {
  from: string;
  to: string[];
  /** the login the client authenticated with, if any */
  user: string | null;
  headers: Map<string, string>;
  subject: string;
  text: string;
}

export interface LocalSmtp {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/** Undoes quoted-printable, in case nodemailer chose it for a long or non-ASCII body. */
function decodeQuotedPrintable(s: string): string {
  const bytes = s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function parseMail(raw: string, envelope: { from: string; to: string[]; user: string | null }): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const qp = headers.get('content-transfer-encoding')?.toLowerCase() === 'quoted-printable';
  return { ...envelope, headers, subject: headers.get('subject') ?? '', text: (qp ? decodeQuotedPrintable(body) : body).replace(/\r\n/g, '\n') };
}

/** An SMTP server on 127.0.0.1 (random port unless given), plain text, with a login when `login` is set. */
export async function startLocalSmtp(options: { port?: number; login?: { username: string; password: string } } = {}): Promise<LocalSmtp> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: options.login === undefined,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      const ok = options.login !== undefined && auth.username === options.login.username && auth.password === options.login.password;
      if (ok) callback(null, { user: auth.username });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const from = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        mails.push(parseMail(Buffer.concat(chunks).toString('utf8'), { from, to: session.envelope.rcptTo.map((r) => r.address), user: (session.user as string | undefined) ?? null }));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A port nothing listens on: one a server just gave back. */
export async function freePort(): Promise<number> {
  const s = await startLocalSmtp();
  await s.close();
  return s.port;
}

/** A JSON logger at debug level whose lines the test can read. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      lines.push(...chunk.toString().split('\n').filter((l) => l.length > 0));
      callback();
    },
  });
  return { logger: createLogger({ destination, level: 'debug', pretty: false }), lines };
}
