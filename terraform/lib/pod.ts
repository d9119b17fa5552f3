import type {
  DeploymentV1SpecTemplate, DeploymentV1SpecTemplateSpecContainer, DeploymentV1SpecTemplateSpecContainerEnv,
  DeploymentV1SpecTemplateSpecVolume,
} from '@cdktf/provider-kubernetes/lib/deployment-v1/index.js';
import { Fn } from 'cdktf';
import { DERIVED, type Settings } from './settings.ts';

/**
 * Pieces every pod of the stack shares. The pod spec types of Deployment,
 * StatefulSet and Job are generated separately but are the same shape, so
 * they are built once here with the Deployment's types.
 */
export type PodTemplate = DeploymentV1SpecTemplate;
export type Container = DeploymentV1SpecTemplateSpecContainer;
export type EnvVar = DeploymentV1SpecTemplateSpecContainerEnv;
export type Volume = DeploymentV1SpecTemplateSpecVolume;

export const NAME_LABEL = 'app.kubernetes.io/name';

/** Labels a NetworkPolicy admits: a pod carries one per backend it may reach. */
export const ACCESS_LABEL = {
  kafka: 'stockstreamer.io/kafka-client',
  registry: 'stockstreamer.io/registry-client',
  cassandra: 'stockstreamer.io/cassandra-client',
} as const;
export type Backend = keyof typeof ACCESS_LABEL;

export function labels(component: string, reaches: readonly Backend[] = []): Record<string, string> {
  const out: Record<string, string> = { [NAME_LABEL]: component, 'app.kubernetes.io/part-of': 'stockstreamer' };
  for (const backend of reaches) out[ACCESS_LABEL[backend]] = 'true';
  return out;
}

export const selectorOf = (component: string) => ({ matchLabels: { [NAME_LABEL]: component } });

export interface Resources { cpu: [request: string, limit: string]; memory: [request: string, limit: string] }
export const resources = (r: Resources) => ({
  requests: { cpu: r.cpu[0], memory: r.memory[0] },
  limits: { cpu: r.cpu[1], memory: r.memory[1] },
});

/** What our own containers run with; third-party images get what they tolerate. */
export const restrictedContainer = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

export const podSecurity = (uid: number) => ({
  runAsNonRoot: true,
  runAsUser: String(uid),
  runAsGroup: String(uid),
  fsGroup: String(uid),
  seccompProfile: { type: 'RuntimeDefault' },
});

/**
 * One pod of `component` per node: two brokers or two Cassandra replicas on one node
 * would both go with it, which is what replication is there to survive. Required, not
 * preferred: with more replicas than nodes the extra pods stay Pending and say why.
 */
export const onePerNode = (component: string) => ({
  podAntiAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: [{ matchLabels: { [NAME_LABEL]: component } }], topologyKey: 'kubernetes.io/hostname' }],
  },
});

/** Service links would inject KAFKA_PORT, SCHEMA_REGISTRY_PORT, … which those images read as configuration. */
export const podDefaults = { enableServiceLinks: false, automountServiceAccountToken: false } as const;

export const env = (vars: Record<string, string>): EnvVar[] => Object.entries(vars).map(([name, value]) => ({ name, value }));

// ---------------------------------------------------------------- stockstreamer pods

/** The node user of the official Node image. */
export const APP_UID = 1000;
export const METRICS_PORT = 9464;
export const DASHBOARD_PORT = 8080;
const CREDENTIALS_DIR = '/etc/stockstreamer';
export const CREDENTIALS_SECRET_KEY = 'credentials.ini';

export interface AppContext {
  settings: Settings;
  /** name of the Secret holding credentials.ini */
  credentialsSecret: string;
  /** changes whenever credentials.ini changes, so pods restart to read it */
  credentialsChecksum: string;
}

/** Addresses are Service names: every resource lives in the one namespace. */
export function appEnv(ctx: AppContext, extra: Record<string, string> = {}): EnvVar[] {
  const s = ctx.settings;
  return env({
    STOCKSTREAMER_CREDENTIALS: `${CREDENTIALS_DIR}/${CREDENTIALS_SECRET_KEY}`,
    STOCKSTREAMER_HOME: '/var/lib/stockstreamer',
    STOCKSTREAMER_LOG_LEVEL: s.logLevel.stringValue,
    STOCKSTREAMER_SOURCE: s.source.stringValue,
    STOCKSTREAMER_METRICS_PORT: String(METRICS_PORT),
    // The services listen on loopback unless told otherwise; the kubelet probes the pod IP,
    // and the dashboard is reached through its Service.
    STOCKSTREAMER_LISTEN_ADDRESS: '0.0.0.0',
    STOCKSTREAMER_KAFKA_BROKERS: DERIVED.kafkaBootstrap,
    STOCKSTREAMER_KAFKA_REPLICATION: DERIVED.kafkaReplication,
    STOCKSTREAMER_KAFKA_MIN_INSYNC_REPLICAS: DERIVED.kafkaMinInsync,
    STOCKSTREAMER_KAFKA_RETENTION_MS: Fn.tostring(s.kafkaRetentionMs.numberValue),
    STOCKSTREAMER_REGISTRY_URL: 'http://schema-registry:8081',
    STOCKSTREAMER_CASSANDRA_CONTACT_POINTS: 'cassandra:9042',
    STOCKSTREAMER_CASSANDRA_DC: 'datacenter1',
    // migrate creates the keyspace with it; reads and writes stay at LOCAL_QUORUM (the default)
    STOCKSTREAMER_CASSANDRA_REPLICATION: DERIVED.cassandraReplication,
    // read by `dashboard` and `alerter`
    STOCKSTREAMER_STORE: 'cassandra',
    STOCKSTREAMER_TRADE_TTL_S: Fn.tostring(s.tradeTtlSeconds.numberValue),
    ...extra,
  });
}

/** Read-only root: the only writable places are these emptyDirs. */
const appVolumes = (ctx: AppContext): Volume[] => [
  { name: 'credentials', secret: { secretName: ctx.credentialsSecret, defaultMode: '0440' } },
  { name: 'home', emptyDir: { sizeLimit: '256Mi' } },
  { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
];
const appMounts = [
  { name: 'credentials', mountPath: CREDENTIALS_DIR, readOnly: true },
  { name: 'home', mountPath: '/var/lib/stockstreamer' },
  { name: 'tmp', mountPath: '/tmp' },
];

export interface AppPodOptions {
  component: string;
  /** the `stockstreamer` subcommand and its flags */
  args: string[];
  reaches: readonly Backend[];
  resources: Resources;
  /** long-running services serve /healthz and /readyz on the metrics port; one-shot jobs do not */
  probes: boolean;
  /** a service without the metrics port says it is alive and ready some other way */
  customProbes?: { liveness: Record<string, unknown>; readiness: Record<string, unknown> };
  extraEnv?: Record<string, string>;
  ports?: { name: string; containerPort: number }[];
  restartPolicy?: string;
  /** more read-only files, e.g. the alerter's rules from a ConfigMap */
  extraVolumes?: { volume: Volume & { name: string }; mountPath: string }[];
  /** more pod annotations, e.g. a checksum that restarts the pod when a ConfigMap changes */
  extraAnnotations?: Record<string, string>;
}

export function appPod(ctx: AppContext, o: AppPodOptions): PodTemplate {
  const health = (path: string) => ({ httpGet: { path, port: 'metrics' } });
  const container: Container = {
    name: o.component,
    image: ctx.settings.image.stringValue,
    imagePullPolicy: 'IfNotPresent',
    args: o.args,
    env: appEnv(ctx, o.extraEnv),
    port: [...(o.probes && !o.customProbes ? [{ name: 'metrics', containerPort: METRICS_PORT }] : []), ...(o.ports ?? [])],
    resources: resources(o.resources),
    securityContext: restrictedContainer,
    volumeMount: [...appMounts, ...(o.extraVolumes ?? []).map((v) => ({ name: v.volume.name, mountPath: v.mountPath, readOnly: true }))],
    ...(o.customProbes ? {
      startupProbe: { ...o.customProbes.liveness, periodSeconds: 5, failureThreshold: 24 },
      livenessProbe: { ...o.customProbes.liveness, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
      readinessProbe: { ...o.customProbes.readiness, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 },
    } : o.probes ? {
      // Liveness only says the process is not wedged; readiness says its backends answer.
      startupProbe: { ...health('/healthz'), periodSeconds: 5, failureThreshold: 24 },
      livenessProbe: { ...health('/healthz'), periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
      readinessProbe: { ...health('/readyz'), periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 },
    } : {}),
  };
  return {
    metadata: {
      labels: labels(o.component, o.reaches),
      annotations: {
        'checksum/credentials': ctx.credentialsChecksum,
        ...o.extraAnnotations,
        ...(o.probes && !o.customProbes ? { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(METRICS_PORT), 'prometheus.io/path': '/metrics' } : {}),
      },
    },
    spec: {
      ...podDefaults,
      securityContext: podSecurity(APP_UID),
      // SIGTERM → the service stops within SHUTDOWN_DEADLINE_MS (25 s), before the kill at 30 s.
      terminationGracePeriodSeconds: 30,
      ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}),
      container: [container],
      volume: [...appVolumes(ctx), ...(o.extraVolumes ?? []).map((v) => v.volume)],
    },
  };
}
