import { resolve } from 'node:path';
import { Construct } from 'constructs';
import { LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider/index.js';
import { RandomProvider } from '@cdktf/provider-random/lib/provider/index.js';
import { Alerter } from './alerter.ts';
import { Cassandra } from './cassandra.ts';
import { Grafana, GRAFANA_ADMIN_SECRET, GRAFANA_PORT } from './grafana.ts';
import { Kafka } from './kafka.ts';
import { Namespace } from './namespace.ts';
import { NetworkPolicies } from './network-policies.ts';
import { Pipeline } from './pipeline.ts';
import { SchemaRegistry } from './schema-registry.ts';
import { Settings, type StackDefaults } from './settings.ts';

/**
 * Provider versions the stack requires: the ones scripts/ensure-tofu.sh builds
 * into the offline mirror, which the tests apply to a real API server with both
 * terraform and tofu. The prebuilt bindings were generated for kubernetes 2.38.0
 * and random 3.7.2 and would pin those; the Go module proxy serves neither
 * release, so the stack pins what is tested instead (both are releases on the
 * public registries too, so a user with internet gets the same versions).
 */
export const PROVIDER_VERSIONS = { kubernetes: '3.2.1', random: '3.9.0' } as const;

export interface MinikubeStackProps extends StackDefaults {
  /** the repository's k8s/ folder (Grafana provisioning files are read from it at synth time) */
  k8sDir: string;
  /** where terraform keeps its state; outside cdktf.out/ so a re-synth never loses it */
  statePath: string;
}

/**
 * The whole system on one Minikube node, one construct per component, in
 * dependency order: namespace and credentials → Kafka (+ topics) → schema
 * registry → Cassandra (+ migrate) → producers, processor, dashboard, alerter; Grafana
 * and the NetworkPolicies alongside.
 */
export class MinikubeStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: MinikubeStackProps) {
    super(scope, id);
    new LocalBackend(this, { path: props.statePath });
    const settings = new Settings(this, 'settings', props);
    new KubernetesProvider(this, 'kubernetes', { configPath: settings.kubeConfigPath.stringValue, configContext: settings.kubeContext.stringValue });
    new RandomProvider(this, 'random');
    for (const [name, version] of Object.entries(PROVIDER_VERSIONS)) {
      this.addOverride(`terraform.required_providers.${name}`, { source: `hashicorp/${name}`, version });
    }

    const ns = new Namespace(this, 'ns', settings);
    const namespace = ns.name;
    const kafka = new Kafka(this, 'kafka', { namespace, settings });
    const registry = new SchemaRegistry(this, 'schema-registry', { namespace, dependsOn: [kafka.statefulSet] });
    const cassandra = new Cassandra(this, 'cassandra', { namespace, app: ns.app });
    new Pipeline(this, 'pipeline', { namespace, app: ns.app, dependsOn: [kafka.topicsJob, registry.deployment, cassandra.migrateJob] });
    new Alerter(this, 'alerter', { namespace, app: ns.app, dependsOn: [cassandra.migrateJob] });
    new Grafana(this, 'grafana', { namespace, settings, k8sDir: props.k8sDir });
    new NetworkPolicies(this, 'network-policies', { namespace });

    new TerraformOutput(this, 'namespace_name', { value: namespace });
    new TerraformOutput(this, 'grafana_access', {
      // with the context: the one deployed to need not be kubectl's current one
      value: `kubectl --context ${settings.kubeContext.stringValue} -n ${namespace} port-forward svc/grafana ${GRAFANA_PORT}:${GRAFANA_PORT}  (user admin; password: kubectl --context ${settings.kubeContext.stringValue} -n ${namespace} get secret ${GRAFANA_ADMIN_SECRET} -o jsonpath='{.data.admin-password}' | base64 -d)`,
    });
  }
}

export const repoRootOf = (terraformDir: string): string => resolve(terraformDir, '..');
