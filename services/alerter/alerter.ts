import { Counter, Gauge } from 'prom-client';
import {
  evaluateRules, snapshotNeeds, stateFromFirings, type AlertFiring, type AlertRule, type AlertSnapshot, type AlertState,
} from '../lib/domain/alerts/index.ts';
import type { BackoffOptions } from '../lib/domain/sources/backoff.ts';
import type { AlertRow, InsightReader, StoreReader, StoreWriter } from '../lib/io/store/repository.ts';
import { windowCounts } from '../lib/io/store/tally-reads.ts';
import { sleep, type Clock } from '../lib/runtime/clock.ts';
import { isStockstreamerError } from '../lib/runtime/errors.ts';
import type { Logger } from '../lib/runtime/logger.ts';
import type { Metrics } from '../lib/runtime/metrics.ts';
import type { Mail, Mailer } from './mailer.ts';
import type { Webhook } from './webhook.ts';
import { createDelivery, type Channel } from './delivery.ts';

/**
 * The alerter: every intervalMs it reads what the rules need from the store,
 * evaluates them (pure, lib/domain/alerts), stores each firing, then mails it.
 *
 * Order matters for "never lose an alert": the firing is written (delivered =
 * false) before the mail is tried, and marked delivered only after the SMTP
 * server accepted it. A crash in between mails it again after the restart
 * (at least once; the Message-ID is the same, so clients fold the copy).
 *
 * While the SMTP server (or the webhook) refuses, its messages wait in a queue
 * in firing order and that channel backs off as a whole (one failing server,
 * one backoff), logging one MAIL_UNDELIVERED (WEBHOOK_UNDELIVERED) line per
 * failed attempt; evaluation, storing and the other channel go on
 * (delivery.ts). A firing records the channels it is delivered on, so the
 * page shows "pending" only where something is to be sent.
 */

export type AlertStore = Pick<StoreReader, 'latestPrices' | 'candles' | 'sentimentWindows' | 'mentionsHours' | 'alerts'> & Pick<StoreWriter, 'writeAlerts'> & Pick<InsightReader, 'mentionTallies'>;

export interface AlerterDeps {
  store: AlertStore;
  rules: readonly AlertRule[];
  /** null = mail is off: firings are stored (and shown on the dashboard), not sent */
  mailer: Mailer | null;
  /** the JSON webhook ([WEBHOOK] of credentials.ini); absent or null = off */
  webhook?: Webhook | null;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  /** milliseconds between evaluations */
  intervalMs: number;
  /** backoff of mail retries while the server refuses */
  retry?: BackoffOptions;
  /** jitter source of the backoff; injected so tests are exact */
  random?: () => number;
  /** undelivered firings younger than this are mailed after a restart, milliseconds */
  redeliverWithinMs?: number;
}

export interface TickReport {
  /** firings stored in this evaluation */
  fired: AlertRow[];
  /** firings held back by a cooldown */
  suppressed: number;
  /** messages a channel accepted in this tick (new or retried) */
  delivered: number;
  /** firings some channel has not accepted yet */
  waiting: number;
}

export interface Alerter {
  readonly rules: readonly AlertRule[];
  /** evaluates every intervalMs until `signal` aborts; a failing store or SMTP server never ends it */
  run(signal: AbortSignal): Promise<void>;
  /** one evaluation plus the mail that is due: what run does each interval */
  tick(): Promise<TickReport>;
}

const DEFAULT_RETRY: BackoffOptions = { initialMs: 5_000, maxMs: 300_000 }; // milliseconds
const DEFAULT_REDELIVER_MS = 86_400_000; // milliseconds: a day
const MINUTE_MS = 60_000;

const num = (n: number): string => String(Number(n.toPrecision(6)));

/** The alert mail: the message as the subject, the figures and the cooldown in the body. */
export function formatAlertMail(row: AlertRow, rule?: AlertRule): Mail {
  const lines = [
    row.message,
    '',
    `Rule:      ${row.ruleId} (${row.kind})${rule?.description ? `: ${rule.description}` : ''}`,
    `Ticker:    ${row.ticker}`,
    `Value:     ${num(row.value)}`,
    `Threshold: ${num(row.threshold)}`,
    `Fired at:  ${new Date(row.firedAt).toISOString()}`,
    '',
  ];
  if (rule !== undefined) lines.push(`This rule stays quiet for ${row.ticker} for ${num(rule.cooldownMinutes)} minutes after firing.`);
  lines.push('-- stockstreamer', '');
  return {
    subject: `[stockstreamer] ${row.message}`,
    text: lines.join('\n'),
    messageId: `<alert.${row.firedAt}.${encodeURIComponent(row.ruleId)}.${encodeURIComponent(row.ticker)}@stockstreamer>`,
    headers: { 'X-Stockstreamer-Alert': `${row.ruleId} ${row.ticker} ${row.firedAt}` },
  };
}

/** Alert metrics live on the service's registry; get-or-create so two alerters can share one. */
function alertMetrics(metrics: Metrics) {
  const r = metrics.registry;
  const fired = (r.getSingleMetric('stockstreamer_alerts_fired_total') as Counter<'rule'> | undefined)
    ?? new Counter({ name: 'stockstreamer_alerts_fired_total', help: 'alerts fired, by rule', labelNames: ['rule'], registers: [r] });
  const waiting = (r.getSingleMetric('stockstreamer_alert_mails_waiting') as Gauge | undefined)
    ?? new Gauge({ name: 'stockstreamer_alert_mails_waiting', help: 'alert mails the SMTP server has not accepted yet', registers: [r] });
  return { fired, waiting };
}

export function createAlerter(deps: AlerterDeps): Alerter {
  const { store, rules, mailer, clock, logger, metrics } = deps;
  const webhook = deps.webhook ?? null;
  const redeliverWithinMs = deps.redeliverWithinMs ?? DEFAULT_REDELIVER_MS;
  const ruleById = new Map(rules.map((r) => [r.id, r]));
  const am = alertMetrics(metrics);
  const channels: Channel[] = [];
  if (mailer !== null) channels.push({ name: 'mail', code: 'MAIL_UNDELIVERED', describe: mailer.describe, send: (row) => mailer.send(formatAlertMail(row, ruleById.get(row.ruleId))) });
  if (webhook !== null) channels.push({ name: 'webhook', code: 'WEBHOOK_UNDELIVERED', describe: webhook.describe, send: (row) => webhook.send(row, ruleById.get(row.ruleId)) });
  const delivery = createDelivery({
    channels, clock, logger, metrics, retry: deps.retry ?? DEFAULT_RETRY, random: deps.random ?? Math.random,
    delivered: (row) => store.writeAlerts([{ ...row, delivered: true }]),
  });

  let state: AlertState = new Map();
  let restored = false;

  /** Cooldowns and undelivered messages survive a restart: both are rebuilt from the alerts table. */
  async function restore(now: number): Promise<void> {
    const cooldownMs = Math.max(0, ...rules.map((r) => r.cooldownMinutes * MINUTE_MS));
    const recent = await store.alerts(now - Math.max(cooldownMs, redeliverWithinMs), now + 1, 10_000);
    state = stateFromFirings(recent.filter((a) => ruleById.has(a.ruleId) && a.firedAt >= now - cooldownMs));
    if (channels.length > 0) {
      // a firing stored with no channel (none was configured then) is not sent late
      const undelivered = recent.filter((a) => !a.delivered && a.firedAt >= now - redeliverWithinMs && (a.channels === undefined || a.channels.length > 0)).reverse();
      for (const row of undelivered) delivery.enqueue({ ...row, channels: delivery.names() });
      if (undelivered.length > 0) logger.info(`${undelivered.length} alerts from before the restart are still to be delivered`);
    }
    restored = true;
  }

  async function readSnapshot(now: number): Promise<AlertSnapshot> {
    const needs = snapshotNeeds(rules, now);
    const [prices, candles, sentiment, mentions, windows] = await Promise.all([
      needs.prices ? store.latestPrices() : [],
      Promise.all(needs.candles.map((n) => store.candles(n.symbol, n.fromMs, n.toMs))).then((x) => x.flat()),
      Promise.all(needs.sentiment.map((n) => store.sentimentWindows(n.ticker, n.fromMs, n.toMs))).then((x) => x.flat()),
      needs.mentions === null ? [] : store.mentionsHours(needs.mentions.fromMs, needs.mentions.toMs),
      Promise.all(needs.windows.map(async (w) => ({ ...w, counts: await windowCounts(store, w.fromMs, w.toMs) }))),
    ]);
    return { prices, candles, sentiment, mentions, windows };
  }

  async function tick(): Promise<TickReport> {
    const now = clock.now();
    if (!restored) await restore(now);
    const e = evaluateRules(rules, await readSnapshot(now), now, state);
    const fired = e.firings.map((f: AlertFiring): AlertRow => ({ ...f, delivered: false, channels: delivery.names() }));
    if (fired.length > 0) {
      await store.writeAlerts(fired);
      metrics.recordsOut.inc({ table: 'alerts' }, fired.length);
    }
    // Only once the firings are durable: a failed write re-fires on the next tick.
    state = e.state;
    for (const row of fired) {
      am.fired.inc({ rule: row.ruleId });
      logger.info({ ruleId: row.ruleId, ticker: row.ticker, value: row.value, threshold: row.threshold },
        `alert ${row.ruleId}: ${row.message}${channels.length === 0 ? ' (not sent: neither STOCKSTREAMER_SMTP_HOST nor a [WEBHOOK] url is set)' : ''}`);
      delivery.enqueue(row);
    }
    for (const s of e.suppressed) logger.debug({ ruleId: s.ruleId, ticker: s.ticker }, `alert ${s.ruleId} held back by its cooldown: ${s.message}`);
    am.waiting.set(delivery.waiting());
    const delivered = await delivery.pump();
    am.waiting.set(delivery.waiting());
    return { fired, suppressed: e.suppressed.length, delivered, waiting: delivery.waiting() };
  }

  return {
    rules,
    tick,
    async run(signal) {
      if (rules.length === 0) {
        // Nothing to evaluate: idle until the run ends rather than poll the store for nothing.
        await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
        return;
      }
      let failing: string | null = null;
      while (!signal.aborted) {
        try {
          await tick();
          if (failing !== null) logger.info('alert evaluation works again');
          failing = null;
        } catch (err) {
          const message = (err as Error).message;
          if (isStockstreamerError(err)) metrics.errors.inc({ code: err.code });
          // One line per kind of failure, not one per interval.
          if (message !== failing) logger.error({ err }, `alert evaluation failed, retrying every ${deps.intervalMs} ms: ${message}`);
          failing = message;
        }
        await sleep(deps.intervalMs, signal);
      }
    },
  };
}
