import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/runtime/config.ts';
import { StockstreamerError } from '../lib/runtime/errors.ts';
import { createMailer, mailerOptionsFromConfig, type MailerOptions } from './mailer.ts';
import { startLocalSmtp, type LocalSmtp } from './testing.ts';

const PASSWORD = 'never-in-a-message-42';
const servers: LocalSmtp[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const options = (port: number, over: Partial<MailerOptions> = {}): MailerOptions => ({
  host: '127.0.0.1', port, tls: 'none', from: 'alerts@stockstreamer.test', to: ['ops@example.com'], auth: null, timeoutMs: 2_000, ...over,
});

async function sendError(o: MailerOptions): Promise<StockstreamerError> {
  try {
    await createMailer(o).send({ subject: 's', text: 't' });
  } catch (err) {
    return err as StockstreamerError;
  }
  throw new Error('expected the send to fail');
}

describe('mailer', () => {
  it('delivers subject and body to the server', async () => {
    const server = await startLocalSmtp();
    servers.push(server);
    await createMailer(options(server.port)).send({ subject: 'Hello', text: 'line one\nline two\n', headers: { 'X-Test': '1' } });
    expect(server.mails).toMatchObject([{ subject: 'Hello', text: 'line one\nline two\n', from: 'alerts@stockstreamer.test', to: ['ops@example.com'] }]);
    expect(server.mails[0]!.headers.get('x-test')).toBe('1');
  });

  it('starttls refuses a server that cannot upgrade rather than send the login in plain text', async () => {
    const server = await startLocalSmtp({ login: { username: 'u', password: PASSWORD } });
    servers.push(server);
    const err = await sendError(options(server.port, { tls: 'starttls', auth: { username: 'u', password: PASSWORD } }));
    expect(err.code).toBe('MAIL_UNDELIVERED');
    expect(err.retriable).toBe(true);
    expect(server.mails).toEqual([]);
    expect(`${err.message} ${JSON.stringify(err.details)}`).not.toContain(PASSWORD);
  });

  it('an unreachable server is one MAIL_UNDELIVERED line naming host and port', async () => {
    const server = await startLocalSmtp();
    await server.close();
    const err = await sendError(options(server.port));
    expect(err.code).toBe('MAIL_UNDELIVERED');
    expect(err.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:${server.port} did not accept the mail \\(ESOCKET: connect ECONNREFUSED`));
    expect(err.message.split('\n')).toHaveLength(1);
    expect(err.cause).toBeUndefined();
  });

  it('reads its settings from the configuration and [SMTP]', () => {
    expect(mailerOptionsFromConfig(loadConfig({}), { smtp: null })).toBeNull();
    const o = mailerOptionsFromConfig(loadConfig({ STOCKSTREAMER_SMTP_HOST: 'smtp.example.com', STOCKSTREAMER_ALERT_TO: 'a@x.org' }), { smtp: { username: 'u', password: PASSWORD } });
    expect(o).toEqual({ host: 'smtp.example.com', port: 587, tls: 'starttls', from: 'stockstreamer <stockstreamer@localhost>', to: ['a@x.org'], auth: { username: 'u', password: PASSWORD }, timeoutMs: 10_000 });
    expect(() => mailerOptionsFromConfig(loadConfig({ STOCKSTREAMER_SMTP_HOST: 'smtp.example.com' }), {})).toThrow(/STOCKSTREAMER_ALERT_TO/);
  });
});
