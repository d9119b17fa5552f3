import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1/index.js';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1/index.js';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1/index.js';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1/index.js';
import { Password } from '@cdktf/provider-random/lib/password/index.js';
import { GRAFANA_PLUGINS_DIR } from './images.ts';
import { env, labels, podDefaults, podSecurity, resources, restrictedContainer, selectorOf } from './pod.ts';
import type { Settings } from './settings.ts';

/** uid of the grafana user in the official image */
const GRAFANA_UID = 472;
export const GRAFANA_PORT = 3000;
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

/** Files under k8s/grafana/ that become ConfigMaps, by the folder Grafana reads them from. */
export function grafanaFiles(k8sDir: string) {
  const read = (rel: string) => readFileSync(`${k8sDir}/grafana/${rel}`, 'utf8');
  return {
    datasources: { 'cassandra.yaml': read('provisioning/datasources/cassandra.yaml') },
    providers: { 'stockstreamer.yaml': read('provisioning/dashboards/stockstreamer.yaml') },
    dashboards: { 'stockstreamer.json': read('dashboards/stockstreamer.json') },
  };
}

/**
 * Literal text inside Terraform JSON: "${" and "%{" would start an
 * interpolation or a directive (the dashboard is full of ${ticker}), so they
 * are doubled, which Terraform reads back as the literal characters.
 */
export const escapeTerraform = (text: string): string => text.replaceAll('${', () => '$${').replaceAll('%{', () => '%%{');

/**
 * Grafana with the Cassandra datasource plugin inside its image (the
 * grafana_image variable; terraform/grafana-image/ builds it from the official
 * image and the plugin's zip), so it needs no internet at start: the official
 * image alone would download the plugin (GF_INSTALL_PLUGINS), which an offline
 * cluster never gets. Datasource and dashboard
 * provisioned from ConfigMaps (k8s/grafana/), so a restart or a new pod
 * always shows the dashboard of this revision. The admin password is a
 * generated Secret unless a variable sets it; anonymous access is off.
 */
export class Grafana extends Construct {
  constructor(scope: Construct, id: string, props: { namespace: string; settings: Settings; k8sDir: string }) {
    super(scope, id);
    const { namespace, settings } = props;
    const name = 'grafana';
    const files = grafanaFiles(props.k8sDir);

    const generated = new Password(this, 'admin-password', { length: 24, special: false });
    const admin = new SecretV1(this, 'admin', {
      metadata: { name: GRAFANA_ADMIN_SECRET, namespace, labels: labels(name) },
      type: 'Opaque',
      data: {
        'admin-user': 'admin',
        // coalesce skips an empty string: the variable when set, the generated password otherwise
        'admin-password': Fn.coalesce([settings.grafanaAdminPassword.stringValue, generated.result]),
      },
    });

    const configMap = (cmId: string, cmName: string, data: Record<string, string>) => new ConfigMapV1(this, cmId, {
      metadata: { name: cmName, namespace, labels: labels(name) },
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, escapeTerraform(v)])),
    });
    const datasources = configMap('datasources', 'grafana-datasources', files.datasources);
    const providers = configMap('providers', 'grafana-dashboard-providers', files.providers);
    const dashboards = configMap('dashboards', 'grafana-dashboards', files.dashboards);

    new ServiceV1(this, 'service', {
      metadata: { name, namespace, labels: labels(name) },
      spec: { selector: { 'app.kubernetes.io/name': name }, port: [{ name: 'http', port: GRAFANA_PORT, targetPort: 'http' }] },
    });

    const fromAdmin = (key: string) => ({ secretKeyRef: { name: admin.metadata.name, key } });
    const probe = { httpGet: { path: '/api/health', port: 'http' } };
    new DeploymentV1(this, 'deployment', {
      metadata: { name, namespace, labels: labels(name) },
      spec: {
        replicas: '1',
        selector: selectorOf(name),
        strategy: { type: 'Recreate' },
        template: {
          metadata: {
            labels: labels(name, ['cassandra']),
            // Provisioned files are read at start: a changed dashboard restarts the pod.
            annotations: { 'checksum/provisioning': createHash('sha256').update(JSON.stringify(files)).digest('hex') },
          },
          spec: {
            ...podDefaults,
            securityContext: podSecurity(GRAFANA_UID),
            terminationGracePeriodSeconds: 30,
            container: [{
              name,
              image: settings.grafanaImage.stringValue,
              imagePullPolicy: 'IfNotPresent',
              env: [
                { name: 'GF_SECURITY_ADMIN_USER', valueFrom: fromAdmin('admin-user') },
                { name: 'GF_SECURITY_ADMIN_PASSWORD', valueFrom: fromAdmin('admin-password') },
                ...env({
                  // No download at start: the plugin is in the image, and the plugins Grafana
                  // would otherwise preinstall from grafana.com are not needed.
                  GF_PLUGINS_PREINSTALL_DISABLED: 'true',
                  GF_AUTH_ANONYMOUS_ENABLED: 'false',
                  GF_AUTH_BASIC_ENABLED: 'true',
                  GF_USERS_ALLOW_SIGN_UP: 'false',
                  GF_ANALYTICS_REPORTING_ENABLED: 'false',
                  GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
                  GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: 'false',
                  GF_PATHS_DATA: '/var/lib/grafana',
                  GF_PATHS_LOGS: '/var/log/grafana',
                  // in the image, outside the data volume that would hide it
                  GF_PATHS_PLUGINS: GRAFANA_PLUGINS_DIR,
                  GF_PATHS_PROVISIONING: '/etc/grafana/provisioning',
                  GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: '/etc/grafana/dashboards/stockstreamer.json',
                }),
              ],
              port: [{ name: 'http', containerPort: GRAFANA_PORT }],
              resources: resources({ cpu: ['100m', '500m'], memory: ['192Mi', '512Mi'] }),
              securityContext: restrictedContainer,
              volumeMount: [
                { name: 'data', mountPath: '/var/lib/grafana' },
                { name: 'logs', mountPath: '/var/log/grafana' },
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: true },
                { name: 'providers', mountPath: '/etc/grafana/provisioning/dashboards', readOnly: true },
                { name: 'dashboards', mountPath: '/etc/grafana/dashboards', readOnly: true },
              ],
              // Grafana migrates its SQLite database on a first start.
              startupProbe: { ...probe, periodSeconds: 5, failureThreshold: 60 },
              livenessProbe: { ...probe, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 6 },
              readinessProbe: { ...probe, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
            }],
            volume: [
              // Dashboards and the datasource are provisioned on every start: nothing here needs to persist.
              { name: 'data', emptyDir: { sizeLimit: '512Mi' } },
              { name: 'logs', emptyDir: { sizeLimit: '128Mi' } },
              { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
              { name: 'datasources', configMap: { name: datasources.metadata.name } },
              { name: 'providers', configMap: { name: providers.metadata.name } },
              { name: 'dashboards', configMap: { name: dashboards.metadata.name } },
            ],
          },
        },
      },
      waitForRollout: true,
      timeouts: { create: '10m', update: '10m' },
    });
  }
}
