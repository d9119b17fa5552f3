import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Construct } from 'constructs';
import { TerraformVariable } from 'cdktf';
import { GRAFANA_IMAGE } from './images.ts';

/** Partitions of each main topic (the topics Job creates them); a processor beyond this many would idle. */
export const TOPIC_PARTITIONS = 6;

/**
 * What follows from the replica counts, as Terraform expressions (the counts are
 * variables): replication 3 from three brokers or nodes on (1 or 2 below that), two
 * replicas in sync for a write from three brokers on, so one broker or node may be
 * lost or drained without losing a write or refusing one.
 */
export const DERIVED = {
  kafkaReplication: '${tostring(min(var.kafka_replicas, 3))}',
  kafkaMinInsync: '${tostring(var.kafka_replicas >= 3 ? 2 : 1)}',
  cassandraReplication: '${tostring(min(var.cassandra_replicas, 3))}',
  /** every broker, so a client bootstraps from whichever answers */
  kafkaBootstrap: '${join(",", formatlist("kafka-%d.kafka:9092", range(var.kafka_replicas)))}',
  /** the KRaft controller quorum: every broker is a voter (node id = ordinal + 1) */
  kafkaVoters: '${join(",", formatlist("%d@kafka-%d.kafka:9093", range(1, var.kafka_replicas + 1), range(var.kafka_replicas)))}',
} as const;

/**
 * The knobs a user turns with `-var name=value` (or TF_VAR_name). Defaults fit
 * a Minikube started with `--cpus 4 --memory 8g`.
 */
export interface StackDefaults {
  /** the stockstreamer image, tagged with a revision (the Makefile passes the git one) */
  image: string;
  /** absolute path of credentials.ini; read by `terraform apply`, never at synth time */
  credentialsFile: string;
  /** absolute path of the alerter's rules (config/alerts.json, or the example when there is none); read by `terraform apply` */
  alertRulesFile: string;
}

export class Settings extends Construct {
  readonly namespace: TerraformVariable;
  readonly kubeConfigPath: TerraformVariable;
  readonly kubeContext: TerraformVariable;
  readonly image: TerraformVariable;
  readonly credentialsFile: TerraformVariable;
  readonly source: TerraformVariable;
  readonly logLevel: TerraformVariable;
  readonly priceProducerReplicas: TerraformVariable;
  readonly redditProducerReplicas: TerraformVariable;
  readonly processorMinReplicas: TerraformVariable;
  readonly processorMaxReplicas: TerraformVariable;
  readonly dashboardReplicas: TerraformVariable;
  readonly kafkaReplicas: TerraformVariable;
  readonly cassandraReplicas: TerraformVariable;
  readonly storageClass: TerraformVariable;
  readonly kafkaStorage: TerraformVariable;
  readonly cassandraStorage: TerraformVariable;
  readonly kafkaRetentionMs: TerraformVariable;
  readonly tradeTtlSeconds: TerraformVariable;
  readonly grafanaAdminPassword: TerraformVariable;
  readonly grafanaImage: TerraformVariable;
  readonly alertRulesFile: TerraformVariable;
  readonly smtpHost: TerraformVariable;
  readonly smtpPort: TerraformVariable;
  readonly smtpTls: TerraformVariable;
  readonly alertTo: TerraformVariable;

  constructor(scope: Construct, id: string, defaults: StackDefaults) {
    super(scope, id);
    const text = (name: string, description: string, def?: string, extra: Partial<ConstructorParameters<typeof TerraformVariable>[2]> = {}) =>
      new TerraformVariable(scope, name, { type: 'string', description, ...(def === undefined ? {} : { default: def }), ...extra });
    const number = (name: string, description: string, def: number) => new TerraformVariable(scope, name, { type: 'number', description, default: def });

    this.namespace = text('namespace', 'Kubernetes namespace that holds every resource of the stack', 'stockstreamer', {
      validation: [{ condition: '${can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))}', errorMessage: 'namespace must be a DNS-1123 label' }],
    });
    this.kubeConfigPath = text('kube_config_path', 'kubeconfig file', '~/.kube/config');
    this.kubeContext = text('kube_context', 'kubeconfig context to deploy to', 'minikube');
    this.image = text('image', 'stockstreamer image, tagged with a revision (make deploy passes stockstreamer:<git short sha>)', defaults.image, {
      validation: [{
        condition: '${can(regex("^[^:@]+(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?(@sha256:[a-f0-9]{64})?$", var.image)) && (strcontains(var.image, "@sha256:") || (can(regex(":[^/]+$", var.image)) && !endswith(var.image, ":latest")))}',
        errorMessage: 'image must be pinned: a tag other than latest, or a digest',
      }],
    });
    this.credentialsFile = text('credentials_file', 'credentials.ini to store in the credentials Secret (see secrets/credentials.ini.example)', defaults.credentialsFile, {
      validation: [{ condition: '${fileexists(var.credentials_file)}', errorMessage: 'credentials file not found: cp secrets/credentials.ini.example secrets/credentials.ini (empty sections run the synthetic feeds)' }],
    });
    this.source = text('feed_source', 'STOCKSTREAMER_SOURCE: auto (live where credentials are filled), live, synthetic or replay', 'auto', {
      validation: [{ condition: '${contains(["auto", "live", "synthetic", "replay"], var.feed_source)}', errorMessage: 'feed_source must be auto, live, synthetic or replay' }],
    });
    this.logLevel = text('log_level', 'STOCKSTREAMER_LOG_LEVEL of every service', 'info');
    this.priceProducerReplicas = number('price_producer_replicas', 'price-producer pods (0 stops it)', 1);
    this.redditProducerReplicas = number('reddit_producer_replicas', 'reddit-producer pods (0 stops it)', 1);
    this.processorMinReplicas = number('processor_min_replicas', 'processor pods at least (HorizontalPodAutoscaler)', 1);
    this.processorMaxReplicas = new TerraformVariable(scope, 'processor_max_replicas', {
      type: 'number', default: 3, description: `processor pods at most (HorizontalPodAutoscaler); at most ${TOPIC_PARTITIONS}, the partitions of a topic: one more would idle`,
      validation: [{
        condition: `\${var.processor_max_replicas >= 1 && var.processor_max_replicas <= ${TOPIC_PARTITIONS} && floor(var.processor_max_replicas) == var.processor_max_replicas}`,
        errorMessage: `processor_max_replicas must be a whole number from 1 to ${TOPIC_PARTITIONS} (the partitions of each topic): a processor beyond that gets no partition`,
      }],
    });
    this.dashboardReplicas = number('dashboard_replicas', 'built-in dashboard pods', 1);
    const replicas = (name: string, what: string) => new TerraformVariable(scope, name, {
      type: 'number', default: 1, description: what,
      validation: [{
        condition: `\${var.${name} >= 1 && var.${name} <= 9 && floor(var.${name}) == var.${name}}`,
        errorMessage: `${name} must be a whole number from 1 to 9`,
      }],
    });
    this.kafkaReplicas = replicas('kafka_replicas', 'Kafka brokers, each a KRaft controller too, one per node (anti-affinity): 1 on one node; from 3 on, topics get 3 replicas with 2 in sync and one broker may be lost. Chosen at the first deploy: the controller quorum is formed with it');
    this.cassandraReplicas = replicas('cassandra_replicas', 'Cassandra nodes, one per Kubernetes node (anti-affinity): 1 on one node; from 3 on, the keyspace gets replication 3 and reads and writes at LOCAL_QUORUM go on with one node lost. Raising it later needs ALTER KEYSPACE and a repair (migrate says so)');
    this.storageClass = text('storage_class', 'StorageClass of the Kafka and Cassandra volumes; empty = the cluster default (Minikube: standard)', '');
    this.kafkaStorage = text('kafka_storage_size', 'size of the Kafka data volume', '5Gi');
    this.cassandraStorage = text('cassandra_storage_size', 'size of the Cassandra data volume', '5Gi');
    this.kafkaRetentionMs = number('kafka_retention_ms', 'retention of the main topics in milliseconds (-1 = forever); dead-letter topics keep 30 days', 604_800_000);
    this.tradeTtlSeconds = number('trade_ttl_seconds', 'seconds raw trades are kept in Cassandra (0 = forever)', 1_209_600);
    this.grafanaAdminPassword = text('grafana_admin_password', 'Grafana admin password; empty = a generated one (read it with make grafana)', '', { sensitive: true });
    this.grafanaImage = text('grafana_image', 'Grafana image with the Cassandra datasource plugin inside (make grafana-image builds it), so Grafana needs no internet', GRAFANA_IMAGE, {
      validation: [{ condition: '${can(regex(":[^/:]+$", var.grafana_image)) && !endswith(var.grafana_image, ":latest")}', errorMessage: 'grafana_image must be pinned: a tag other than latest' }],
    });
    this.alertRulesFile = text('alert_rules_file', 'alert rules (JSON, see config/alerts.example.json) put in the alerter\'s ConfigMap', defaults.alertRulesFile, {
      validation: [{ condition: '${fileexists(var.alert_rules_file)}', errorMessage: 'alert rules file not found: cp config/alerts.example.json config/alerts.json' }],
    });
    this.smtpHost = text('smtp_host', 'STOCKSTREAMER_SMTP_HOST of the alerter; empty = alerts are stored and shown, not mailed (the login goes in [SMTP] of credentials.ini)', '');
    this.smtpPort = number('smtp_port', 'STOCKSTREAMER_SMTP_PORT of the alerter', 587);
    this.smtpTls = text('smtp_tls', 'STOCKSTREAMER_SMTP_TLS of the alerter: starttls, tls or none', 'starttls', {
      validation: [{ condition: '${contains(["starttls", "tls", "none"], var.smtp_tls)}', errorMessage: 'smtp_tls must be starttls, tls or none' }],
    });
    this.alertTo = text('alert_to', 'STOCKSTREAMER_ALERT_TO: recipients of alert mails, comma-separated; required with smtp_host', '');
  }
}

/** Where `make deploy` finds the credentials by default: secrets/credentials.ini of this checkout. */
export const defaultCredentialsFile = (repoRoot: string): string => resolve(repoRoot, 'secrets', 'credentials.ini');

/** The alerter's rules by default: config/alerts.json, else the example (as `stockstreamer run` would find none and idle). */
export const defaultAlertRulesFile = (repoRoot: string): string => {
  const own = resolve(repoRoot, 'config', 'alerts.json');
  return existsSync(own) ? own : resolve(repoRoot, 'config', 'alerts.example.json');
};

/** The StorageClass variable as a PVC field: empty means "leave it out" (the cluster default). */
export const storageClassOf = (_settings: Settings): string => '${var.storage_class == "" ? null : var.storage_class}';
