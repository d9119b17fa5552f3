import type { AlertRule } from '../lib/domain/alerts/index.ts';
import type { AlertRow } from '../lib/io/store/repository.ts';
import { StockstreamerError } from '../lib/runtime/errors.ts';

/**
 * The webhook channel: one JSON POST per alert to a URL from the [WEBHOOK]
 * section of credentials.ini. The body carries the sentence both as `text`
 * (Slack's incoming webhooks and most chat bridges) and as `content`
 * (Discord's), and the whole firing under `alert` for anything else. The URL
 * of an incoming webhook is its secret (Slack's and Discord's carry a token in
 * the path), so logs and errors name only its host.
 */
export interface Webhook {
  /** resolves once the endpoint answered 2xx; rejects with WEBHOOK_UNDELIVERED */
  send(row: AlertRow, rule?: AlertRule): Promise<void>;
  /** for log lines: "hooks.slack.com"; never the path or query */
  readonly describe: string;
}

export interface WebhookOptions {
  url: string;
  /** milliseconds before an unanswered POST counts as undelivered */
  timeoutMs: number;
}

/** The JSON body of one alert. */
export function webhookBody(row: AlertRow, rule?: AlertRule): object {
  const text = `[stockstreamer] ${row.message}`;
  return {
    text,
    content: text,
    alert: {
      ruleId: row.ruleId, kind: row.kind, ticker: row.ticker, firedAt: new Date(row.firedAt).toISOString(),
      message: row.message, value: row.value, threshold: row.threshold, ...(rule?.description ? { description: rule.description } : {}),
    },
  };
}

export function createWebhook(options: WebhookOptions, fetchImpl: typeof fetch = fetch): Webhook {
  const describe = new URL(options.url).host;
  const fail = (reason: string) => new StockstreamerError('WEBHOOK_UNDELIVERED', `${describe} did not accept the alert (${reason})`, { details: { host: describe, reason } });
  return {
    describe,
    async send(row, rule) {
      let res: Response;
      try {
        res = await fetchImpl(options.url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'User-Agent': 'stockstreamer-alerter' },
          body: JSON.stringify(webhookBody(row, rule)),
          signal: AbortSignal.timeout(options.timeoutMs),
          redirect: 'error',
        });
      } catch (err) {
        // the error's message may quote the URL: keep only its kind
        const e = err as Error & { cause?: { code?: string } };
        throw fail(e.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : (e.cause?.code ?? e.name));
      }
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw fail(`HTTP ${res.status}`);
    },
  };
}
