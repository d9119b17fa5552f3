import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAlertRules, type AlertRule } from '../lib/domain/alerts/index.ts';
import { createSqliteStore } from '../lib/io/store/sqlite.ts';
import type { Store } from '../lib/io/store/repository.ts';
import type { Clock } from '../lib/runtime/clock.ts';
import { loadConfig } from '../lib/runtime/config.ts';
import { StockstreamerError } from '../lib/runtime/errors.ts';
import { createMetrics } from '../lib/runtime/metrics.ts';
import { createAlerter } from './alerter.ts';
import { createConfiguredAlerter } from './index.ts';
import { createMailer, type MailerOptions } from './mailer.ts';
import { capturingLogger, freePort, startLocalSmtp, type LocalSmtp } from './testing.ts';

const MIN = 60_000;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 23, 14, 30);
const USER = 'alerts-bot@example.com';
const PASSWORD = 'pA55-w0rd-sEcReT';
const RETRY = { initialMs: 1_000, maxMs: 8_000 }; // milliseconds

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function fakeClock(start = T0): Clock & { advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

function memoryStore(): Store {
  const store = createSqliteStore({ path: ':memory:' });
  cleanup.push(() => store.close());
  return store;
}

async function smtp(options: Parameters<typeof startLocalSmtp>[0] = {}): Promise<LocalSmtp> {
  const s = await startLocalSmtp(options);
  cleanup.push(() => s.close());
  return s;
}

const mailOptions = (port: number, auth: MailerOptions['auth'] = null): MailerOptions =>
  ({ host: '127.0.0.1', port, tls: 'none', from: 'stockstreamer <alerts@stockstreamer.test>', to: ['ops@example.com'], auth, timeoutMs: 2_000 });

const rules = (...raw: object[]): readonly AlertRule[] => parseAlertRules({ rules: raw }, 'test');
const aaplCross = { id: 'aapl-200', description: 'Apple breaks out', kind: 'price_cross', tickers: ['AAPL'], level: 200, direction: 'up', cooldownMinutes: 30 };
const trade = (symbol: string, price: number, timestamp: number) => ({ symbol, price, volume: 1, timestamp, conditions: [], seq: 0 });

describe('alerter against SQLite and a local SMTP server', () => {
  it('stores and mails a firing of every rule kind, once per crossing', async () => {
    const store = memoryStore();
    const server = await smtp();
    const clock = fakeClock();
    const { logger } = capturingLogger();
    await store.writeTrades([trade('AAPL', 199, T0 - 1_000), trade('TSLA', 207, T0 - 500)]);
    await store.writeCandles([{ symbol: 'TSLA', minute: T0 - 10 * MIN, open: 201, high: 202, low: 200, close: 201, volume: 5, trades: 5 }], 1);
    await store.writeSentimentWindows([{ ticker: 'GME', minute: T0 - 5 * MIN, count: 10, sum: -5, sumSquares: 2.5, pos: 0, neg: 10, neu: 0 }], 1);
    await store.writeMentionsHours([{ ticker: 'PLTR', hour: T0 - 30 * MIN, count: 40, sentimentSum: 4, pos: 10, neg: 5, neu: 25 }], 1);
    // the store held data before the trailing 4 hours: the spike rule is warm
    await store.writeMentionsHours([{ ticker: 'XOM', hour: Math.floor((T0 - 4 * HOUR) / HOUR) * HOUR, count: 1, sentimentSum: 0, pos: 0, neg: 0, neu: 1 }], 1);

    const alerter = createAlerter({
      store, logger, clock, metrics: createMetrics(), intervalMs: 5_000, mailer: createMailer(mailOptions(server.port)),
      rules: rules(
        aaplCross,
        { id: 'tsla-move', kind: 'price_move', tickers: ['TSLA'], percent: 3, withinMinutes: 15 },
        { id: 'gme-gloom', kind: 'sentiment', tickers: ['GME'], windowMinutes: 30, threshold: -0.25, direction: 'below', minMentions: 5 },
        { id: 'buzz', kind: 'mention_spike', tickers: ['*'], factor: 3, trailingHours: 4 },
      ),
    });

    const first = await alerter.tick(); // the AAPL price only arms its rule
    expect(first.fired.map((r) => r.ruleId).sort()).toEqual(['buzz', 'gme-gloom', 'tsla-move']);
    expect(first.delivered).toBe(3);

    await store.writeTrades([trade('AAPL', 201.25, T0 + 4_000)]);
    clock.advance(5_000);
    expect((await alerter.tick()).fired.map((r) => r.message)).toEqual(['AAPL crossed above 200 at 201.25']);
    await store.writeTrades([trade('AAPL', 203, T0 + 9_000)]);
    clock.advance(5_000);
    expect((await alerter.tick()).fired).toEqual([]);

    expect(server.mails.map((m) => m.subject).sort()).toEqual([
      '[stockstreamer] AAPL crossed above 200 at 201.25',
      '[stockstreamer] GME mean sentiment -0.50 over the last 30 minutes is below -0.25 (10 mentions)',
      '[stockstreamer] PLTR had 40 mentions in the last hour, none in the 4 hours before',
      '[stockstreamer] TSLA rose 3.5% within 15 minutes, from 200 to 207',
    ]);
    const mail = server.mails.find((m) => m.subject.includes('AAPL'))!;
    expect(mail.from).toBe('alerts@stockstreamer.test');
    expect(mail.to).toEqual(['ops@example.com']);
    expect(mail.text).toBe([
      'AAPL crossed above 200 at 201.25',
      '',
      'Rule:      aapl-200 (price_cross): Apple breaks out',
      'Ticker:    AAPL',
      'Value:     201.25',
      'Threshold: 200',
      `Fired at:  ${new Date(T0 + 5_000).toISOString()}`,
      '',
      'This rule stays quiet for AAPL for 30 minutes after firing.',
      '-- stockstreamer',
      '',
    ].join('\n'));
    expect(mail.headers.get('message-id')).toBe(`<alert.${T0 + 5_000}.aapl-200.AAPL@stockstreamer>`);

    const stored = await store.alerts(T0 - HOUR, T0 + HOUR, 10);
    expect(stored).toHaveLength(4);
    expect(stored[0]).toEqual({
      ruleId: 'aapl-200', ticker: 'AAPL', firedAt: T0 + 5_000, kind: 'price_cross', message: 'AAPL crossed above 200 at 201.25',
      value: 201.25, threshold: 200, delivered: true, channels: ['mail'],
    });
    expect(stored.every((a) => a.delivered)).toBe(true);
  });

  it('SMTP down: the alert is stored undelivered, logged as MAIL_UNDELIVERED, and mailed once the server is back', async () => {
    const store = memoryStore();
    const clock = fakeClock();
    const { logger, lines } = capturingLogger();
    const port = await freePort();
    const metrics = createMetrics();
    const alerter = createAlerter({
      store, logger, clock, metrics, intervalMs: 5_000, retry: RETRY, random: () => 0,
      mailer: createMailer(mailOptions(port, { username: USER, password: PASSWORD })),
      rules: rules(aaplCross),
    });
    await store.writeTrades([trade('AAPL', 199, T0 - 1_000)]);
    await alerter.tick();
    await store.writeTrades([trade('AAPL', 201, T0 + 1_000)]);
    clock.advance(5_000);

    const down = await alerter.tick();
    expect(down).toMatchObject({ delivered: 0, waiting: 1 });
    expect(await store.alerts(T0, T0 + HOUR, 10)).toMatchObject([{ ruleId: 'aapl-200', delivered: false }]);
    const undelivered = lines.filter((l) => l.includes('MAIL_UNDELIVERED'));
    expect(undelivered).toHaveLength(1);
    expect(JSON.parse(undelivered[0]!)).toMatchObject({ level: 40, code: 'MAIL_UNDELIVERED', ruleId: 'aapl-200', ticker: 'AAPL', attempt: 1, retryInMs: 500 });
    expect(undelivered[0]).toMatch(/MAIL_UNDELIVERED: alert \\"aapl-200\\" for AAPL was not accepted by 127\.0\.0\.1:\d+ .*ECONNREFUSED.*stored and mailed again in 1 s/);

    // within the backoff nothing is tried again: no log flood while the server is down
    clock.advance(100);
    await alerter.tick();
    expect(lines.filter((l) => l.includes('MAIL_UNDELIVERED'))).toHaveLength(1);

    const server = await smtp({ port, login: { username: USER, password: PASSWORD } });
    clock.advance(RETRY.maxMs);
    expect(await alerter.tick()).toMatchObject({ delivered: 1, waiting: 0 });
    expect(server.mails).toHaveLength(1);
    expect(server.mails[0]).toMatchObject({ user: USER, subject: '[stockstreamer] AAPL crossed above 200 at 201' });
    expect(await store.alerts(T0, T0 + HOUR, 10)).toMatchObject([{ ruleId: 'aapl-200', delivered: true }]);
    expect(lines.some((l) => l.includes('alert mail delivered again after 1 failed attempts'))).toBe(true);
    expect((await metrics.errors.get()).values).toContainEqual(expect.objectContaining({ labels: { code: 'MAIL_UNDELIVERED' }, value: 1 }));

    for (const line of lines) {
      expect(line).not.toContain(PASSWORD);
      expect(line).not.toContain(USER);
    }
  });

  it('a rejected login is MAIL_UNDELIVERED and no log line carries the credentials', async () => {
    const store = memoryStore();
    const server = await smtp({ login: { username: USER, password: 'the-right-one' } });
    const clock = fakeClock();
    const { logger, lines } = capturingLogger();
    const alerter = createAlerter({
      store, logger, clock, metrics: createMetrics(), intervalMs: 5_000, retry: RETRY, random: () => 0,
      mailer: createMailer(mailOptions(server.port, { username: USER, password: PASSWORD })),
      rules: rules({ id: 'pltr', kind: 'mention_spike', tickers: ['PLTR'], factor: 2 }),
    });
    await store.writeMentionsHours([
      { ticker: 'PLTR', hour: T0 - 30 * MIN, count: 40, sentimentSum: 0, pos: 0, neg: 0, neu: 40 },
      { ticker: 'XOM', hour: Math.floor((T0 - 24 * HOUR) / HOUR) * HOUR, count: 1, sentimentSum: 0, pos: 0, neg: 0, neu: 1 },
    ], 1);
    expect(await alerter.tick()).toMatchObject({ delivered: 0, waiting: 1 });
    expect(server.mails).toEqual([]);
    const line = lines.find((l) => l.includes('MAIL_UNDELIVERED'));
    expect(line).toMatch(/EAUTH/);
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    for (const l of lines) {
      for (const secret of [PASSWORD, USER, b64(PASSWORD), b64(`\u0000${USER}\u0000${PASSWORD}`)]) expect(l).not.toContain(secret);
    }
  });

  it('after a restart: undelivered mail goes out and cooldowns still hold', async () => {
    const store = memoryStore();
    const server = await smtp();
    const clock = fakeClock();
    const { logger } = capturingLogger();
    await store.writeAlerts([
      { ruleId: 'aapl-200', ticker: 'AAPL', firedAt: T0 - 10 * MIN, kind: 'price_cross', message: 'AAPL crossed above 200 at 200.5', value: 200.5, threshold: 200, delivered: false },
      { ruleId: 'aapl-200', ticker: 'AAPL', firedAt: T0 - 2 * HOUR, kind: 'price_cross', message: 'AAPL crossed above 200 at 200.1', value: 200.1, threshold: 200, delivered: true },
    ]);
    await store.writeTrades([trade('AAPL', 199, T0 - 1_000)]);
    const alerter = createAlerter({ store, logger, clock, metrics: createMetrics(), intervalMs: 5_000, mailer: createMailer(mailOptions(server.port)), rules: rules(aaplCross) });
    expect(await alerter.tick()).toMatchObject({ fired: [], delivered: 1 });
    expect(server.mails.map((m) => m.subject)).toEqual(['[stockstreamer] AAPL crossed above 200 at 200.5']);

    await store.writeTrades([trade('AAPL', 202, T0 + 1_000)]);
    clock.advance(5_000);
    // crossed again 10 minutes after the stored firing: inside the 30-minute cooldown
    expect(await alerter.tick()).toMatchObject({ fired: [], suppressed: 1 });
    expect((await store.alerts(T0 - 3 * HOUR, T0 + HOUR, 10)).every((a) => a.delivered)).toBe(true);
  });

  it('run() evaluates every interval and stops when asked', async () => {
    const store = memoryStore();
    const server = await smtp();
    const { logger } = capturingLogger();
    let price = 199;
    const alerter = createAlerter({
      store, logger, clock: { now: () => Date.now() }, metrics: createMetrics(), intervalMs: 20,
      mailer: createMailer(mailOptions(server.port)), rules: rules({ ...aaplCross, level: 200 }),
    });
    await store.writeTrades([trade('AAPL', price, Date.now())]);
    const stop = new AbortController();
    const running = alerter.run(stop.signal);
    await new Promise((r) => setTimeout(r, 100));
    price = 205;
    await store.writeTrades([trade('AAPL', price, Date.now())]);
    for (let i = 0; i < 100 && server.mails.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    await running;
    expect(server.mails.map((m) => m.subject)).toEqual(['[stockstreamer] AAPL crossed above 200 at 205']);
  });
});

describe('createConfiguredAlerter', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'alerts-'));

  it('a missing rules file means no alerts, said once in the log', async () => {
    const { logger, lines } = capturingLogger();
    const file = join(dir(), 'alerts.json');
    const alerter = await createConfiguredAlerter({
      config: loadConfig({ STOCKSTREAMER_ALERT_RULES: file }), credentials: { smtp: null }, store: memoryStore(), logger, metrics: createMetrics(),
    });
    expect(alerter.rules).toEqual([]);
    const stop = new AbortController();
    const running = alerter.run(stop.signal);
    stop.abort();
    await running;
    expect(lines.filter((l) => l.includes('alert'))).toHaveLength(1);
    expect(lines[0]).toContain(`no alert rules file at ${file}: alerts are off`);
  });

  it('an invalid rules file stops start-up with one line naming the rule and the field', async () => {
    const file = join(dir(), 'alerts.json');
    writeFileSync(file, JSON.stringify({ rules: [aaplCross, { id: 'tsla-move', kind: 'price_move', tickers: ['TSLA'], percent: '3%', withinMinutes: 15 }] }));
    const { logger } = capturingLogger();
    const err = await createConfiguredAlerter({
      config: loadConfig({ STOCKSTREAMER_ALERT_RULES: file }), credentials: { smtp: null }, store: memoryStore(), logger, metrics: createMetrics(),
    }).catch((e: unknown) => e as StockstreamerError);
    expect(err).toBeInstanceOf(StockstreamerError);
    expect((err as StockstreamerError).code).toBe('CONFIG_INVALID');
    expect((err as StockstreamerError).message).toBe(`${file}: rule "tsla-move" (rules[1]) field "percent" must be a number (a percentage), got "3%"`);
  });

  it('a rules file that is not JSON is named', async () => {
    const file = join(dir(), 'alerts.json');
    writeFileSync(file, '{ "rules": [ }');
    const { logger } = capturingLogger();
    await expect(createConfiguredAlerter({
      config: loadConfig({ STOCKSTREAMER_ALERT_RULES: file }), credentials: {}, store: memoryStore(), logger, metrics: createMetrics(),
    })).rejects.toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not valid JSON`));
  });

  it('an SMTP host without recipients names STOCKSTREAMER_ALERT_TO', async () => {
    const file = join(dir(), 'alerts.json');
    writeFileSync(file, JSON.stringify({ rules: [aaplCross] }));
    const { logger } = capturingLogger();
    await expect(createConfiguredAlerter({
      config: loadConfig({ STOCKSTREAMER_ALERT_RULES: file, STOCKSTREAMER_SMTP_HOST: 'smtp.example.com' }), credentials: {}, store: memoryStore(), logger, metrics: createMetrics(),
    })).rejects.toThrow(/^STOCKSTREAMER_ALERT_TO is empty/);
  });

  it('wires rules, config and [SMTP] credentials into a working alerter', async () => {
    const server = await smtp({ login: { username: USER, password: PASSWORD } });
    const file = join(dir(), 'alerts.json');
    writeFileSync(file, JSON.stringify({ rules: [aaplCross] }));
    const store = memoryStore();
    const clock = fakeClock();
    const { logger, lines } = capturingLogger();
    const alerter = await createConfiguredAlerter({
      config: loadConfig({
        STOCKSTREAMER_ALERT_RULES: file, STOCKSTREAMER_SMTP_HOST: '127.0.0.1', STOCKSTREAMER_SMTP_PORT: String(server.port),
        STOCKSTREAMER_SMTP_TLS: 'none', STOCKSTREAMER_ALERT_TO: 'a@example.com, b@example.com',
      }),
      credentials: { smtp: { username: USER, password: PASSWORD } }, store, logger, metrics: createMetrics(), clock,
    });
    await store.writeTrades([trade('AAPL', 199, T0 - 1_000)]);
    await alerter.tick();
    await store.writeTrades([trade('AAPL', 200, T0 + 1_000)]);
    clock.advance(5_000);
    await alerter.tick();
    expect(server.mails).toHaveLength(1);
    expect(server.mails[0]).toMatchObject({ user: USER, to: ['a@example.com', 'b@example.com'], from: 'stockstreamer@localhost' });
    expect(lines.join('\n')).not.toContain(PASSWORD);
    expect(lines.some((l) => l.includes('1 alert rules from') && l.includes('with login'))).toBe(true);
  });
});
