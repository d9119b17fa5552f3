import { backoffDelayMs, type BackoffOptions } from '../lib/domain/sources/backoff.ts';
import type { AlertRow } from '../lib/io/store/repository.ts';
import type { Clock } from '../lib/runtime/clock.ts';
import { isStockstreamerError } from '../lib/runtime/errors.ts';
import type { Logger } from '../lib/runtime/logger.ts';
import type { Metrics } from '../lib/runtime/metrics.ts';

/**
 * Delivery of stored firings to the configured channels (mail, webhook).
 * Each channel has its own queue in firing order and its own backoff: a
 * failing SMTP server does not hold back the webhook, or the other way round.
 * A firing is marked delivered once every channel accepted it; until then it
 * stays stored with delivered = false and, after a restart, goes out again on
 * every channel (at least once).
 */
export interface Channel {
  name: 'mail' | 'webhook';
  /** the error code of a refusal, for the log and the metrics */
  code: 'MAIL_UNDELIVERED' | 'WEBHOOK_UNDELIVERED';
  /** "smtp.example.com:587", "hooks.slack.com": never a secret */
  describe: string;
  send(row: AlertRow): Promise<void>;
}

interface Lane {
  channel: Channel;
  queue: AlertRow[];
  failures: number;
  blockedUntil: number;
}

const keyOf = (r: AlertRow): string => `${r.ruleId}\u0000${r.ticker}\u0000${r.firedAt}`;

export function createDelivery(deps: {
  channels: readonly Channel[]; clock: Clock; logger: Logger; metrics: Metrics; retry: BackoffOptions; random: () => number;
  /** called once every channel accepted the row */
  delivered(row: AlertRow): Promise<void>;
}) {
  const lanes: Lane[] = deps.channels.map((channel) => ({ channel, queue: [], failures: 0, blockedUntil: -Infinity }));
  /** firing → channels still to accept it */
  const outstanding = new Map<string, Set<string>>();

  const pumpLane = async (lane: Lane): Promise<number> => {
    const { channel } = lane;
    let done = 0;
    if (lane.queue.length === 0 || deps.clock.now() < lane.blockedUntil) return 0;
    while (lane.queue.length > 0) {
      const row = lane.queue[0]!;
      try {
        await channel.send(row);
      } catch (err) {
        lane.failures++;
        const delayMs = backoffDelayMs(lane.failures - 1, deps.retry, deps.random);
        lane.blockedUntil = deps.clock.now() + delayMs;
        deps.metrics.errors.inc({ code: channel.code });
        // Only the scrubbed one-line reason is logged, never the error object: see mailer.ts and webhook.ts.
        const reason = isStockstreamerError(err) ? String(err.details.reason) : (err as Error).message;
        const what = channel.name === 'mail' ? 'alert' : 'alert webhook for';
        deps.logger.warn(
          { code: channel.code, ruleId: row.ruleId, ticker: row.ticker, firedAt: row.firedAt, [channel.name === 'mail' ? 'smtp' : 'webhook']: channel.describe, reason, attempt: lane.failures, retryInMs: delayMs, waiting: lane.queue.length },
          `${channel.code}: ${what} "${row.ruleId}" for ${row.ticker} was not accepted by ${channel.describe} (${reason}); `
          + `it is stored and ${channel.name === 'mail' ? 'mailed' : 'sent'} again in ${Math.ceil(delayMs / 1000)} s (${lane.queue.length} waiting)`,
        );
        break;
      }
      lane.queue.shift();
      done++;
      if (lane.failures > 0) deps.logger.info({ [channel.name]: channel.describe, failedAttempts: lane.failures }, `alert ${channel.name} delivered again after ${lane.failures} failed attempts`);
      lane.failures = 0;
      const left = outstanding.get(keyOf(row));
      left?.delete(channel.name);
      if (left !== undefined && left.size === 0) {
        outstanding.delete(keyOf(row));
        try {
          await deps.delivered(row);
        } catch (err) {
          // Sent; only the flag is stale. Not worth a second message.
          deps.logger.warn({ err, ruleId: row.ruleId, ticker: row.ticker }, 'alert delivered but could not be marked delivered');
        }
      }
    }
    return done;
  };

  return {
    /** the channel names a firing is delivered on now: stored with it, so the page says "pending" only when there is somewhere to send it */
    names: (): string[] => lanes.map((l) => l.channel.name),
    enqueue(row: AlertRow): void {
      if (lanes.length === 0) return;
      outstanding.set(keyOf(row), new Set(lanes.map((l) => l.channel.name)));
      for (const lane of lanes) lane.queue.push(row);
    },
    /** sends what is due on every channel; the number of sends accepted */
    async pump(): Promise<number> {
      const counts = await Promise.all(lanes.map(pumpLane));
      return counts.reduce((a, b) => a + b, 0);
    },
    /** firings some channel has not accepted yet */
    waiting: (): number => outstanding.size,
  };
}
