import type { Config } from '../lib/runtime/config.ts';
import type { Credentials } from '../lib/runtime/credentials.ts';
import { systemClock, type Clock } from '../lib/runtime/clock.ts';
import type { Logger } from '../lib/runtime/logger.ts';
import type { Metrics } from '../lib/runtime/metrics.ts';
import { createAlerter, type Alerter, type AlertStore } from './alerter.ts';
import { createMailer, mailerOptionsFromConfig } from './mailer.ts';
import { loadAlertRulesFile } from './rules-file.ts';
import { createWebhook } from './webhook.ts';

export { createAlerter, formatAlertMail } from './alerter.ts';
export type { Alerter, AlerterDeps, AlertStore, TickReport } from './alerter.ts';
export { createMailer, mailerOptionsFromConfig } from './mailer.ts';
export type { Mail, Mailer, MailerOptions } from './mailer.ts';
export { loadAlertRulesFile } from './rules-file.ts';
export { createWebhook, webhookBody } from './webhook.ts';
export type { Webhook } from './webhook.ts';

/** milliseconds a webhook endpoint has to answer before the alert counts as undelivered (and is retried) */
const WEBHOOK_TIMEOUT_MS = 10_000;

/**
 * The alerter as `stockstreamer run` and `stockstreamer alerter` start it:
 * rules from STOCKSTREAMER_ALERT_RULES, mail settings from the STOCKSTREAMER_SMTP_*
 * and STOCKSTREAMER_ALERT_* variables, the login from [SMTP] of credentials.ini.
 *
 * Throws CONFIG_INVALID (one line naming the file, rule and field, or the
 * variable) for a broken rules file or mail setting: call it at start-up.
 * A missing rules file is not an error; the returned alerter then idles.
 * The returned run() closes the mailer when it ends.
 */
export async function createConfiguredAlerter(deps: {
  config: Config;
  credentials: Pick<Credentials, 'smtp' | 'webhookUrl'>;
  store: AlertStore;
  logger: Logger;
  metrics: Metrics;
  clock?: Clock;
}): Promise<Alerter> {
  const { config, logger } = deps;
  const { rules, found } = await loadAlertRulesFile(config.alertRulesFile);
  const mailOptions = mailerOptionsFromConfig(config, deps.credentials);
  if (!found) {
    logger.info(`no alert rules file at ${config.alertRulesFile}: alerts are off (start from config/alerts.example.json)`);
  } else if (rules.length === 0) {
    logger.info(`${config.alertRulesFile} holds no rules: alerts are off`);
  } else if (mailOptions === null) {
    logger.info(`${rules.length} alert rules from ${config.alertRulesFile}; alert mail is off (STOCKSTREAMER_SMTP_HOST is not set)${deps.credentials.webhookUrl ? '' : ' and no [WEBHOOK] url is set: alerts are stored and shown on the dashboard only'}`);
  }
  const mailer = rules.length > 0 && mailOptions !== null ? createMailer(mailOptions) : null;
  const webhookUrl = deps.credentials.webhookUrl ?? null;
  const webhook = rules.length > 0 && webhookUrl !== null ? createWebhook({ url: webhookUrl, timeoutMs: WEBHOOK_TIMEOUT_MS }) : null;
  if (webhook !== null) logger.info(`alerts are also POSTed as JSON to ${webhook.describe} ([WEBHOOK] of the credentials file)`);
  if (mailer !== null && mailOptions !== null) {
    logger.info(`${rules.length} alert rules from ${config.alertRulesFile}, checked every ${config.alertIntervalMs} ms; `
      + `mail to ${mailOptions.to.join(', ')} via ${mailer.describe} (${mailOptions.tls}${mailOptions.auth ? ', with login' : ''})`);
  }
  const alerter = createAlerter({
    store: deps.store, rules, mailer, webhook, clock: deps.clock ?? systemClock, logger, metrics: deps.metrics, intervalMs: config.alertIntervalMs,
  });
  return {
    rules: alerter.rules,
    tick: alerter.tick,
    async run(signal) {
      try {
        await alerter.run(signal);
      } finally {
        mailer?.close();
      }
    },
  };
}
