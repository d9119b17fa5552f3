import { createTransport, type Transporter } from 'nodemailer';
import type { Config } from '../lib/runtime/config.ts';
import type { Credentials, SmtpCredentials } from '../lib/runtime/credentials.ts';
import { StockstreamerError } from '../lib/runtime/errors.ts';

/**
 * The SMTP adapter: nodemailer behind a two-method port, so the alerter can be
 * tested against a local smtp-server and nothing else in the code base knows
 * about nodemailer. A failed send is always MAIL_UNDELIVERED with a one-line
 * reason that never carries the login: nodemailer's own logging stays off and
 * its messages are scrubbed before they leave this file.
 */

export interface MailerOptions {
  host: string;
  port: number;
  /** starttls = STARTTLS required, tls = TLS from the first byte (465), none = plain text */
  tls: 'starttls' | 'tls' | 'none';
  from: string;
  to: readonly string[];
  /** null = send without AUTH */
  auth: SmtpCredentials | null;
  /** milliseconds to connect, greet or answer */
  timeoutMs: number;
}

export interface Mail {
  subject: string;
  text: string;
  /** "<…@…>": the same alert mailed twice carries the same id, so mail clients can fold the copies */
  messageId?: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  /** resolves once the server accepted the mail; rejects with MAIL_UNDELIVERED */
  send(mail: Mail): Promise<void>;
  /** the server, for log lines: "smtp.example.com:587"; never the login */
  readonly describe: string;
  close(): void;
}

/**
 * Mail settings from the configuration and [SMTP] of credentials.ini; null
 * when STOCKSTREAMER_SMTP_HOST is empty (alerts are then stored, not mailed).
 */
export function mailerOptionsFromConfig(config: Config, credentials: Pick<Credentials, 'smtp'>): MailerOptions | null {
  if (config.smtpHost === '') return null;
  if (config.alertTo.length === 0) {
    throw new StockstreamerError('CONFIG_INVALID', 'STOCKSTREAMER_ALERT_TO is empty: alert mails need at least one recipient when STOCKSTREAMER_SMTP_HOST is set', { details: { key: 'STOCKSTREAMER_ALERT_TO' } });
  }
  return {
    host: config.smtpHost, port: config.smtpPort, tls: config.smtpTls, from: config.alertFrom, to: config.alertTo,
    auth: credentials.smtp ?? null, timeoutMs: config.smtpTimeoutMs,
  };
}

/** Removes the login, raw or base64-encoded as AUTH PLAIN / LOGIN carry it, from a server or library message. */
function scrubber(auth: SmtpCredentials | null): (text: string) => string {
  if (auth === null) return (text) => text;
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  // The password goes however short it is; the rest only when long enough not to shred ordinary words.
  const secrets = [
    b64(`\u0000${auth.username}\u0000${auth.password}`), b64(auth.password), b64(auth.username), auth.username,
  ].filter((s) => s.length >= 3).concat(auth.password).sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((t, s) => t.split(s).join('[redacted]'), text);
}

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
}

export function createMailer(options: MailerOptions, transport?: Transporter): Mailer {
  const scrub = scrubber(options.auth);
  const t = transport ?? createTransport({
    host: options.host,
    port: options.port,
    secure: options.tls === 'tls',
    requireTLS: options.tls === 'starttls',
    ignoreTLS: options.tls === 'none',
    auth: options.auth === null ? undefined : { user: options.auth.username, pass: options.auth.password },
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    // nodemailer's logger would print the SMTP dialogue, AUTH included
    logger: false,
    debug: false,
  });
  const describe = `${options.host}:${options.port}`;
  return {
    describe,
    async send(mail) {
      try {
        await t.sendMail({
          from: options.from, to: [...options.to], subject: mail.subject, text: mail.text,
          ...(mail.messageId === undefined ? {} : { messageId: mail.messageId }),
          ...(mail.headers === undefined ? {} : { headers: mail.headers }),
        });
      } catch (err) {
        const e = err as NodemailerError;
        const code = e.code ?? 'ERROR';
        const reason = scrub(`${code}${e.responseCode === undefined ? '' : ` ${e.responseCode}`}: ${e.message ?? String(err)}`).replace(/\s+/g, ' ').trim();
        // No `cause`: the library's error object may hold the SMTP dialogue, and loggers serialise causes.
        throw new StockstreamerError('MAIL_UNDELIVERED', `${options.host}:${options.port} did not accept the mail (${reason})`, {
          details: { host: options.host, port: options.port, smtpCode: code, responseCode: e.responseCode ?? null, reason },
        });
      }
    },
    close() {
      t.close();
    },
  };
}
