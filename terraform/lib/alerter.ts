import { Construct } from 'constructs';
import { Fn, type ITerraformDependable } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1/index.js';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1/index.js';
import { appPod, labels, selectorOf, type AppContext } from './pod.ts';

const RULES_DIR = '/etc/stockstreamer-alerts';
export const ALERT_RULES_KEY = 'alerts.json';

/**
 * `stockstreamer alerter`: evaluates the rules against Cassandra, stores every
 * firing (the dashboard shows it) and mails it when an SMTP server is set.
 * Rules come from a ConfigMap (the file `alert_rules_file` names, read by
 * `terraform apply`); mail settings are plain variables; the SMTP login is the
 * [SMTP] section of credentials.ini, i.e. the credentials Secret every pod of
 * ours mounts, never a ConfigMap or an env value.
 *
 * One pod, replaced with Recreate: two alerters at once would mail each
 * firing twice. It serves no HTTP port (no /healthz yet), so it has no probes:
 * Ready means its container runs.
 */
export class Alerter extends Construct {
  readonly deployment: DeploymentV1;

  constructor(scope: Construct, id: string, props: { namespace: string; app: AppContext; dependsOn: ITerraformDependable[] }) {
    super(scope, id);
    const { namespace, app } = props;
    const s = app.settings;
    const name = 'alerter';
    const rules = Fn.file(s.alertRulesFile.stringValue);
    const rulesMap = new ConfigMapV1(this, 'rules', {
      metadata: { name: 'alerter-rules', namespace, labels: labels(name) },
      data: { [ALERT_RULES_KEY]: rules },
    });
    this.deployment = new DeploymentV1(this, 'deployment', {
      metadata: { name, namespace, labels: labels(name) },
      spec: {
        replicas: '1',
        selector: selectorOf(name),
        strategy: { type: 'Recreate' },
        template: appPod(app, {
          component: name,
          args: ['alerter'],
          reaches: ['cassandra'],
          resources: { cpu: ['50m', '250m'], memory: ['128Mi', '256Mi'] },
          probes: false,
          extraEnv: {
            STOCKSTREAMER_ALERT_RULES: `${RULES_DIR}/${ALERT_RULES_KEY}`,
            STOCKSTREAMER_SMTP_HOST: s.smtpHost.stringValue,
            STOCKSTREAMER_SMTP_PORT: Fn.tostring(s.smtpPort.numberValue),
            STOCKSTREAMER_SMTP_TLS: s.smtpTls.stringValue,
            STOCKSTREAMER_ALERT_TO: s.alertTo.stringValue,
          },
          extraVolumes: [{ volume: { name: 'rules', configMap: { name: rulesMap.metadata.name } }, mountPath: RULES_DIR }],
          // Rules are read at start: changed rules restart the pod.
          extraAnnotations: { 'checksum/alert-rules': Fn.sha256(rules) },
        }),
      },
      waitForRollout: true,
      timeouts: { create: '10m', update: '10m' },
      dependsOn: props.dependsOn,
    });
  }
}
