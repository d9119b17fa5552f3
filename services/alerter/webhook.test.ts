import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAlertRules, type AlertRule } from '../lib/domain/alerts/index.ts';
import { createSqliteStore } from '../lib/io/store/sqlite.ts';
import { createMetrics } from '../lib/runtime/metrics.ts';
import { createAlerter } from './alerter.ts';
import { createMailer } from './mailer.ts';
import { capturingLogger } from './testing.ts';
import { createWebhook } from './webhook.ts';

/**
 * The JSON webhook beside mail, against a local HTTP endpoint: what it
 * receives (Slack's `text`, Discord's `content`, the firing), retries with
 * backoff while it fails, each channel on its own, and "pending" only where
 * a channel is configured.
 */
const T0 = Date.UTC(2026, 10, 23, 14, 0);
const MIN = 60_000;
const rules = (...raw: object[]): readonly AlertRule[] => parseAlertRules({ rules: raw }, 'test');
const cross = { id: 'aapl-200', description: 'Apple breaks out', kind: 'price_cross', tickers: ['AAPL'], level: 200, direction: 'up', cooldownMinutes: 30 };
const trade = (price: number, timestamp: number) => ({ symbol: 'AAPL', price, volume: 1, timestamp, conditions: [], seq: 0 });
const SECRET_PATH = '/services/T000/B000/s3cr3t-t0ken';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function endpoint(): Promise<{ url: string; bodies: unknown[]; failNext: number }> {
  const state = { url: '', bodies: [] as unknown[], failNext: 0 };
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (state.failNext > 0) {
        state.failNext--;
        res.writeHead(500).end('no');
        return;
      }
      expect(req.headers['content-type']).toBe('application/json');
      state.bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SECRET_PATH}`;
  return state;
}

async function setup(options: { webhook: boolean; mailPort?: number }) {
  const store = createSqliteStore({ path: ':memory:' });
  cleanup.push(() => store.close());
  const hook = await endpoint();
  let t = T0;
  const clock = { now: () => t, advance: (ms: number) => { t += ms; } };
  const { logger, lines } = capturingLogger();
  const alerter = createAlerter({
    store, logger, clock, metrics: createMetrics(), intervalMs: 5_000, retry: { initialMs: 1_000, maxMs: 8_000 }, random: () => 0, rules: rules(cross),
    mailer: options.mailPort === undefined ? null : createMailer({ host: '127.0.0.1', port: options.mailPort, tls: 'none', from: 'a@b.c', to: ['x@y.z'], auth: null, timeoutMs: 500 }),
    webhook: options.webhook ? createWebhook({ url: hook.url, timeoutMs: 2_000 }) : null,
  });
  await store.writeTrades([trade(199, T0 - 1000)]);
  await alerter.tick(); // arms the crossing
  await store.writeTrades([trade(201.5, T0 + 1000)]);
  clock.advance(5_000);
  return { store, hook, clock, alerter, lines };
}

describe('alert webhook', () => {
  it('POSTs each firing as JSON that Slack and Discord read, and marks it delivered', async () => {
    const { store, hook, alerter } = await setup({ webhook: true });
    expect(await alerter.tick()).toMatchObject({ delivered: 1, waiting: 0 });
    expect(hook.bodies).toEqual([{
      text: '[stockstreamer] AAPL crossed above 200 at 201.5',
      content: '[stockstreamer] AAPL crossed above 200 at 201.5',
      alert: {
        ruleId: 'aapl-200', kind: 'price_cross', ticker: 'AAPL', firedAt: new Date(T0 + 5_000).toISOString(),
        message: 'AAPL crossed above 200 at 201.5', value: 201.5, threshold: 200, description: 'Apple breaks out',
      },
    }]);
    expect(await store.alerts(T0, T0 + MIN, 10)).toMatchObject([{ delivered: true, channels: ['webhook'] }]);
  });

  it('retries with backoff while the endpoint fails, logging WEBHOOK_UNDELIVERED without the URL\'s secret path', async () => {
    const { store, hook, clock, alerter, lines } = await setup({ webhook: true });
    hook.failNext = 2;
    expect(await alerter.tick()).toMatchObject({ delivered: 0, waiting: 1 });
    expect(await store.alerts(T0, T0 + MIN, 10)).toMatchObject([{ delivered: false, channels: ['webhook'] }]);
    clock.advance(400);
    expect(await alerter.tick()).toMatchObject({ delivered: 0, waiting: 1 }); // still backing off (500 ms): no request
    expect(hook.failNext).toBe(1);
    clock.advance(1_000);
    expect(await alerter.tick()).toMatchObject({ delivered: 0, waiting: 1 });
    clock.advance(2_000);
    expect(await alerter.tick()).toMatchObject({ delivered: 1, waiting: 0 });
    expect(hook.bodies).toHaveLength(1);
    const failures = lines.filter((l) => l.includes('WEBHOOK_UNDELIVERED'));
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(/alert webhook for \\"aapl-200\\" for AAPL was not accepted by 127\.0\.0\.1:\d+ \(HTTP 500\)/);
    for (const l of lines) expect(l).not.toContain('s3cr3t');
  });

  it('each channel on its own: mail down does not hold back the webhook; delivered once both accepted', async () => {
    const { store, hook, alerter } = await setup({ webhook: true, mailPort: 1 }); // nothing listens on port 1
    expect(await alerter.tick()).toMatchObject({ delivered: 1, waiting: 1 });
    expect(hook.bodies).toHaveLength(1);
    expect(await store.alerts(T0, T0 + MIN, 10)).toMatchObject([{ delivered: false, channels: ['mail', 'webhook'] }]);
  });

  it('with no channel configured a firing is stored and shown, with no channel to be pending on', async () => {
    const { store, hook, alerter } = await setup({ webhook: false });
    expect(await alerter.tick()).toMatchObject({ delivered: 0, waiting: 0 });
    expect(hook.bodies).toEqual([]);
    expect(await store.alerts(T0, T0 + MIN, 10)).toMatchObject([{ delivered: false, channels: [] }]);
  });
});
