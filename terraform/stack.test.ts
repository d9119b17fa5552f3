import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synth } from './main.ts';
import { toManifests, type Manifest, type TfJson } from './lib/manifests.ts';
import { GRAFANA_IMAGE, GRAFANA_PLUGINS_DIR, IMAGES } from './lib/images.ts';
import { grafanaFiles } from './lib/grafana.ts';
import { POLICIES } from './lib/network-policies.ts';
import { ACCESS_LABEL } from './lib/pod.ts';
import { CONFIG_SPEC } from '../services/lib/runtime/config.ts';
import { SHUTDOWN_DEADLINE_MS } from '../services/lib/runtime/service.ts';
import { topicSpecs } from '../services/lib/io/bus/topics.ts';
import { TOPIC_PARTITIONS } from './lib/settings.ts';

/**
 * `cdktf synth` through the app's own entry (no CLI, no network, no
 * `cdktf get`), then checks on what terraform would apply. The credentials
 * file holds a sentinel: it must never appear in anything synthesized.
 */
const SENTINEL = 'SENTINEL-d1c0ffee-not-a-real-token';
const TEST_IMAGE = 'stockstreamer:test0123';
let tf: TfJson;
let outdir: string;
let manifests: Manifest[];

type Res = Record<string, unknown> & { metadata: { name: string; namespace?: string } };
const resourcesOf = (type: string): Res[] => Object.values(tf.resource?.[type] ?? {}) as Res[];
const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);
type PodSpec = { containers: Container[]; initContainers?: Container[]; volumes?: unknown[]; terminationGracePeriodSeconds?: number; securityContext?: Record<string, unknown> };
type Container = { name: string; image: string; env?: { name: string; value?: string; valueFrom?: unknown }[]; resources?: { requests?: Record<string, string>; limits?: Record<string, string> }; livenessProbe?: unknown; readinessProbe?: unknown; securityContext?: Record<string, unknown>; args?: string[]; command?: string[] };
const podOf = (m: Manifest) => (m as unknown as { spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } }).spec.template;
const workloads = () => manifests.filter((m) => ['Deployment', 'StatefulSet', 'Job'].includes(m.kind));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}

beforeAll(() => {
  const tmp = mkdtempSync(join(tmpdir(), 'ss-synth-'));
  const credentials = join(tmp, 'credentials.ini');
  writeFileSync(credentials, `[RedditCredentials]\nclient_id=${SENTINEL}\nclient_secret=${SENTINEL}\npassword=${SENTINEL}\nusername=someone\nuser_agent=test\n\n[FINNHUB]\nFINNHUB_TOKEN=${SENTINEL}\n`);
  const stackDir = synth({ outdir: join(tmp, 'cdktf.out'), image: TEST_IMAGE, credentialsFile: credentials, statePath: join(tmp, 'state', 'minikube.tfstate') });
  outdir = join(tmp, 'cdktf.out');
  tf = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as TfJson;
  manifests = toManifests(tf);
}, 60_000);

describe('synthesized Minikube stack', () => {
  it('holds every component', () => {
    const names = (kind: string) => byKind(kind).map((m) => m.metadata.name).sort();
    expect(names('StatefulSet')).toEqual(['cassandra', 'kafka']);
    expect(names('Deployment')).toEqual(['alerter', 'dashboard', 'grafana', 'price-producer', 'processor', 'reddit-producer', 'schema-registry']);
    expect(names('Job')).toEqual(['cassandra-migrate', 'kafka-topics']);
    expect(names('HorizontalPodAutoscaler')).toEqual(['processor']);
    expect(names('Secret')).toEqual(['grafana-admin', 'stockstreamer-credentials']);
    expect(tf.terraform).toMatchObject({ backend: { local: { path: expect.stringContaining('minikube.tfstate') } } });
  });

  it('never contains a credential: the file is read by terraform apply, not at synth time', () => {
    for (const file of walk(outdir)) expect(readFileSync(file, 'utf8'), file).not.toContain(SENTINEL);
    const [secret] = resourcesOf('kubernetes_secret_v1').filter((r) => r.metadata.name === 'stockstreamer-credentials');
    expect((secret as unknown as { data: Record<string, string> }).data['credentials.ini']).toBe('${sensitive(file(var.credentials_file))}');
  });

  it('keeps secrets out of ConfigMaps and env literals', () => {
    for (const cm of byKind('ConfigMap')) {
      expect(JSON.stringify(cm.data), cm.metadata.name).not.toMatch(/client_secret|FINNHUB_TOKEN|password\s*[:=]\s*\S|secureJsonData/i);
    }
    for (const w of workloads()) {
      for (const c of podOf(w).spec.containers) {
        for (const e of c.env ?? []) {
          if (/PASSWORD|SECRET|TOKEN|KEY/i.test(e.name)) {
            expect(e.value, `${w.metadata.name}/${c.name} ${e.name} must come from a Secret`).toBeUndefined();
            expect(e.valueFrom).toMatchObject({ secretKeyRef: expect.anything() });
          }
        }
      }
    }
    // the services read credentials.ini from the mounted Secret
    for (const d of byKind('Deployment').filter((m) => podOf(m).spec.containers[0]!.image === TEST_IMAGE)) {
      expect(podOf(d).spec.volumes).toContainEqual({ name: 'credentials', secret: { secretName: 'stockstreamer-credentials', defaultMode: 0o440 } });
    }
  });

  it('gives every Deployment and StatefulSet probes and resources, and every Job resources', () => {
    for (const w of workloads()) {
      for (const c of podOf(w).spec.containers) {
        const where = `${w.kind} ${w.metadata.name}/${c.name}`;
        expect(c.resources?.requests, where).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.resources?.limits, where).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
        // the alerter serves no HTTP port yet: Ready = its container runs (terraform/lib/alerter.ts)
        if (w.kind !== 'Job' && w.metadata.name !== 'alerter') {
          expect(c.livenessProbe, where).toBeDefined();
          expect(c.readinessProbe, where).toBeDefined();
        }
      }
    }
  });

  it('probes our services on /healthz and /readyz and leaves them time to stop', () => {
    expect(SHUTDOWN_DEADLINE_MS).toBeLessThan(30_000);
    for (const name of ['price-producer', 'reddit-producer', 'processor']) {
      const d = byKind('Deployment').find((m) => m.metadata.name === name)!;
      const pod = podOf(d);
      const c = pod.spec.containers[0]!;
      expect(c.livenessProbe).toMatchObject({ httpGet: { path: '/healthz', port: 'metrics' } });
      expect(c.readinessProbe).toMatchObject({ httpGet: { path: '/readyz', port: 'metrics' } });
      expect(pod.spec.terminationGracePeriodSeconds).toBe(30);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false });
      expect(c.image).toBe(TEST_IMAGE);
    }
    const argsOf = (name: string) => podOf(byKind('Deployment').find((m) => m.metadata.name === name)!).spec.containers[0]!.args;
    expect(argsOf('processor')).toEqual(['process']);
    expect(argsOf('price-producer')).toEqual(['produce', 'prices']);
    expect(argsOf('reddit-producer')).toEqual(['produce', 'reddit']);
    expect(argsOf('dashboard')).toEqual(['dashboard']);
    // the dashboard answers on its own port (it has no metrics port yet)
    const dashboard = podOf(byKind('Deployment').find((m) => m.metadata.name === 'dashboard')!);
    expect(dashboard.spec.containers[0]!.readinessProbe).toMatchObject({ httpGet: { path: '/api/symbols', port: 'http' } });
    expect(dashboard.spec.terminationGracePeriodSeconds).toBe(30);
  });

  it('runs subcommands and flags the stockstreamer command accepts', () => {
    const ours = workloads().flatMap((w) => podOf(w).spec.containers).filter((c) => c.image === TEST_IMAGE);
    const argLists = [...new Set(ours.map((c) => JSON.stringify(c.args ?? [])))].map((a) => JSON.parse(a) as string[]);
    expect(argLists.length).toBeGreaterThanOrEqual(5);
    for (const args of argLists) {
      // the subcommand's own help: its name is known, and so is every flag the pod passes
      const out = execFileSync(process.execPath, ['services/cli/main.ts', args[0]!, '--help'], { cwd: resolve(import.meta.dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out, args.join(' ')).toContain(`Usage: stockstreamer ${args[0]} `);
      for (const flag of args.filter((a) => a.startsWith('-'))) expect(out, `${args.join(' ')}: ${flag}`).toContain(flag);
      if (args[0] === 'produce') expect(out).toMatch(/prices \| reddit/);
    }
  });

  it('pins every image', () => {
    const images = workloads().flatMap((w) => podOf(w).spec.containers.map((c) => c.image));
    for (const image of images) {
      expect(image).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9_.-]+$/);
      expect(image).not.toMatch(/:latest$/);
    }
    for (const image of Object.values(IMAGES)) expect(image).toMatch(/:\d+\.\d+\.\d+$/);
    // our own image is a variable: its validation refuses an untagged or :latest value
    const validation = JSON.stringify((tf.variable as Record<string, { validation?: unknown }>).image?.validation);
    expect(validation).toContain('latest');
  });

  it('puts everything in the namespace it creates', () => {
    const [nsId] = Object.keys(tf.resource?.kubernetes_namespace_v1 ?? {});
    const ref = `\${kubernetes_namespace_v1.${nsId}.metadata[0].name}`;
    for (const [type, byId] of Object.entries(tf.resource ?? {})) {
      if (type === 'kubernetes_namespace_v1' || !type.startsWith('kubernetes_')) continue;
      for (const [id, r] of Object.entries(byId)) expect((r as Res).metadata.namespace, `${type}.${id}`).toBe(ref);
    }
    expect(manifests.filter((m) => m.kind !== 'Namespace').every((m) => m.metadata.namespace === 'stockstreamer')).toBe(true);
  });

  it('lets only the pipeline reach Kafka, the registry and Cassandra (and Grafana reach Cassandra)', () => {
    const policies = byKind('NetworkPolicy') as unknown as { spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[]; ingress: { from: { podSelector: { matchLabels: Record<string, string> } }[] }[] } }[];
    const podLabels = (name: string) => podOf(workloads().find((w) => w.metadata.name === name)!).metadata.labels;
    for (const backend of ['kafka', 'schema-registry', 'cassandra']) {
      const policy = policies.find((p) => Object.entries(p.spec.podSelector.matchLabels).every(([k, v]) => podLabels(backend)[k] === v));
      expect(policy, backend).toBeDefined();
      expect(policy!.spec.policyTypes).toEqual(['Ingress']);
      expect(policy!.spec.ingress.flatMap((i) => i.from)).toHaveLength(1);
    }
    const reaches = (name: string) => Object.entries(ACCESS_LABEL).filter(([, label]) => podLabels(name)[label] === 'true').map(([b]) => b).sort();
    expect(reaches('price-producer')).toEqual(['kafka', 'registry']);
    expect(reaches('reddit-producer')).toEqual(['kafka', 'registry']);
    expect(reaches('processor')).toEqual(['cassandra', 'kafka', 'registry']);
    expect(reaches('dashboard')).toEqual(['cassandra']);
    expect(reaches('grafana')).toEqual(['cassandra']);
    expect(reaches('cassandra-migrate')).toEqual(['cassandra']);
    expect(reaches('kafka-topics')).toEqual(['kafka']);
    expect(POLICIES.map((p) => p.backend).sort()).toEqual(['cassandra', 'kafka', 'registry']);
  });

  it('sets only STOCKSTREAMER_* variables the services know (an unknown one stops start-up)', () => {
    for (const w of workloads()) {
      for (const c of podOf(w).spec.containers) {
        for (const e of c.env ?? []) if (e.name.startsWith('STOCKSTREAMER_')) expect(Object.keys(CONFIG_SPEC), `${w.metadata.name} ${e.name}`).toContain(e.name);
      }
    }
  });

  it('creates every topic with the partitions topics.ts defines', () => {
    const job = byKind('Job').find((m) => m.metadata.name === 'kafka-topics')!;
    const script = podOf(job).spec.containers[0]!.command!.join(' ');
    for (const t of topicSpecs()) expect(script).toMatch(new RegExp(`create ${t.name.replaceAll('.', '\\.')} ${t.partitions} `));
    expect(script).not.toContain('${'); // terraform would interpolate it
  });

  it('provisions Grafana from the k8s/grafana files, password from a Secret, anonymous access off', () => {
    const files = grafanaFiles(resolve(import.meta.dirname, '..', 'k8s'));
    const cm = (name: string) => byKind('ConfigMap').find((m) => m.metadata.name === name)!.data as Record<string, string>;
    // Terraform reads "$${" back as "${": the ConfigMaps hold the files exactly
    const unescape = (d: Record<string, string>) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v.replaceAll('$${', '${').replaceAll('%%{', '%{')]));
    expect(unescape(cm('grafana-dashboards'))).toEqual(files.dashboards);
    expect(unescape(cm('grafana-datasources'))).toEqual(files.datasources);
    const grafana = podOf(byKind('Deployment').find((m) => m.metadata.name === 'grafana')!).spec.containers[0]!;
    const envOf = (n: string) => grafana.env!.find((e) => e.name === n);
    expect(envOf('GF_AUTH_ANONYMOUS_ENABLED')?.value).toBe('false');
    // the plugin is in the image: nothing is downloaded at start (an offline cluster has no grafana.com)
    expect(envOf('GF_INSTALL_PLUGINS')).toBeUndefined();
    expect(envOf('GF_PLUGINS_PREINSTALL_DISABLED')?.value).toBe('true');
    expect(envOf('GF_PATHS_PLUGINS')?.value).toBe(GRAFANA_PLUGINS_DIR);
    expect(grafana.image).toBe(GRAFANA_IMAGE);
    expect(readFileSync(resolve(import.meta.dirname, 'grafana-image', 'Dockerfile'), 'utf8')).toContain(`COPY plugins/ ${GRAFANA_PLUGINS_DIR}/`);
    expect(envOf('GF_SECURITY_ADMIN_PASSWORD')?.valueFrom).toEqual({ secretKeyRef: { name: 'grafana-admin', key: 'admin-password' } });
    expect(Object.keys(tf.resource?.random_password ?? {})).toHaveLength(1);
  });

  it('runs one alerter with its rules from a ConfigMap and its SMTP login from the credentials Secret', () => {
    const d = byKind('Deployment').find((m) => m.metadata.name === 'alerter')! as unknown as { spec: { replicas: number; strategy: { type: string } } };
    expect(d.spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } }); // two would mail every firing twice
    const pod = podOf(d as unknown as Manifest);
    const c = pod.spec.containers[0]! as Container & { volumeMounts: { name: string; mountPath: string }[] };
    expect(c.args).toEqual(['alerter']);
    const env = Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
    expect(env).toMatchObject({ STOCKSTREAMER_STORE: 'cassandra', STOCKSTREAMER_ALERT_RULES: '/etc/stockstreamer-alerts/alerts.json', STOCKSTREAMER_SMTP_HOST: '', STOCKSTREAMER_SMTP_TLS: 'starttls' });
    expect(pod.spec.volumes).toContainEqual({ name: 'rules', configMap: { name: 'alerter-rules' } });
    expect(pod.spec.volumes).toContainEqual({ name: 'credentials', secret: { secretName: 'stockstreamer-credentials', defaultMode: 0o440 } });
    expect(c.volumeMounts).toContainEqual({ name: 'rules', mountPath: '/etc/stockstreamer-alerts', readOnly: true });
    const rules = resourcesOf('kubernetes_config_map_v1').find((r) => r.metadata.name === 'alerter-rules') as unknown as { data: Record<string, string> };
    // read by terraform apply from alert_rules_file, like credentials.ini: never copied into cdktf.out
    expect(rules.data).toEqual({ 'alerts.json': '${file(var.alert_rules_file)}' });
  });

  it('scales the processor with a CPU HorizontalPodAutoscaler the Deployment does not fight', () => {
    const [hpa] = byKind('HorizontalPodAutoscaler') as unknown as { spec: Record<string, unknown> }[];
    expect(hpa!.spec).toMatchObject({ scaleTargetRef: { kind: 'Deployment', name: 'processor' }, metrics: [{ type: 'Resource', resource: { name: 'cpu' } }] });
    const processor = resourcesOf('kubernetes_deployment_v1').find((r) => r.metadata.name === 'processor')!;
    expect(processor.lifecycle).toEqual({ ignore_changes: ['spec[0].replicas'] });
  });
});

describe('replica counts (kafka_replicas, cassandra_replicas) and what follows from them', () => {
  const at = (vars: Record<string, number>) => toManifests(tf, { vars });
  const find = (ms: Manifest[], kind: string, name: string) => ms.find((m) => m.kind === kind && m.metadata.name === name)!;
  const envOf = (m: Manifest, container = 0) => Object.fromEntries((podOf(m).spec.containers[container]!.env ?? []).map((e) => [e.name, e.value]));
  const replicasOf = (m: Manifest) => (m as unknown as { spec: { replicas: number } }).spec.replicas;
  const summary = (ms: Manifest[]) => {
    const kafka = envOf(find(ms, 'StatefulSet', 'kafka'));
    const processor = envOf(find(ms, 'Deployment', 'processor'));
    return {
      brokers: replicasOf(find(ms, 'StatefulSet', 'kafka')), cassandraNodes: replicasOf(find(ms, 'StatefulSet', 'cassandra')),
      voters: kafka.KAFKA_CONTROLLER_QUORUM_VOTERS, internalTopics: [kafka.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR, kafka.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR, kafka.KAFKA_MIN_INSYNC_REPLICAS],
      topicsJob: [envOf(find(ms, 'Job', 'kafka-topics')).REPLICATION, envOf(find(ms, 'Job', 'kafka-topics')).MIN_INSYNC],
      registry: envOf(find(ms, 'Deployment', 'schema-registry')).SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR,
      services: [processor.STOCKSTREAMER_KAFKA_BROKERS, processor.STOCKSTREAMER_KAFKA_REPLICATION, processor.STOCKSTREAMER_KAFKA_MIN_INSYNC_REPLICAS, processor.STOCKSTREAMER_CASSANDRA_REPLICATION],
      migrate: envOf(find(ms, 'Job', 'cassandra-migrate')).STOCKSTREAMER_CASSANDRA_REPLICATION,
    };
  };

  it('one of each by default: replication 1 everywhere, as before', () => {
    expect(summary(manifests)).toEqual({
      brokers: 1, cassandraNodes: 1, voters: '1@kafka-0.kafka:9093', internalTopics: ['1', '1', '1'], topicsJob: ['1', '1'], registry: '1',
      services: ['kafka-0.kafka:9092', '1', '1', '1'], migrate: '1',
    });
  });

  it('three of each: replication 3, two in sync, every broker a voter and a bootstrap address', () => {
    expect(summary(at({ kafka_replicas: 3, cassandra_replicas: 3 }))).toEqual({
      brokers: 3, cassandraNodes: 3, voters: '1@kafka-0.kafka:9093,2@kafka-1.kafka:9093,3@kafka-2.kafka:9093', internalTopics: ['3', '2', '2'], topicsJob: ['3', '2'], registry: '3',
      services: ['kafka-0.kafka:9092,kafka-1.kafka:9092,kafka-2.kafka:9092', '3', '2', '3'], migrate: '3',
    });
    // more brokers or nodes spread the same three replicas wider
    const five = summary(at({ kafka_replicas: 5, cassandra_replicas: 4 }));
    expect([five.brokers, five.cassandraNodes, five.internalTopics, five.migrate]).toEqual([5, 4, ['3', '2', '2'], '3']);
  });

  it('spreads brokers and Cassandra nodes one per node and lets a drain take one at a time', () => {
    const ms = at({ kafka_replicas: 3, cassandra_replicas: 3 });
    for (const name of ['kafka', 'cassandra']) {
      const spec = podOf(find(ms, 'StatefulSet', name)).spec as unknown as { affinity: unknown };
      expect(spec.affinity, name).toEqual({
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'app.kubernetes.io/name': name } }, topologyKey: 'kubernetes.io/hostname' }] },
      });
      expect((find(ms, 'PodDisruptionBudget', name) as unknown as { spec: unknown }).spec, name).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': name } } });
    }
    // brokers start together (a quorum needs a majority running); Cassandra nodes join one by one
    expect((find(ms, 'StatefulSet', 'kafka') as unknown as { spec: Record<string, unknown> }).spec.podManagementPolicy).toBe('Parallel');
    expect((find(ms, 'StatefulSet', 'cassandra') as unknown as { spec: Record<string, unknown> }).spec.podManagementPolicy).toBeUndefined();
    expect(envOf(find(ms, 'StatefulSet', 'cassandra')).CASSANDRA_SEEDS).toBe('cassandra-0.cassandra');
    const broker = podOf(find(ms, 'StatefulSet', 'kafka')).spec.containers[0]!;
    expect(broker.args!.join(' ')).toMatch(/KAFKA_NODE_ID=\$\(\(ordinal \+ 1\)\).*exec \/etc\/kafka\/docker\/run/);
    expect(JSON.stringify(broker.args)).not.toContain('${');
  });

  it('bounds the processor by the partitions: an HPA maximum above them is refused', () => {
    expect(topicSpecs({ partitions: TOPIC_PARTITIONS }).filter((t) => !t.name.endsWith('.dlq')).every((t) => t.partitions === TOPIC_PARTITIONS)).toBe(true);
    const v = (tf.variable as Record<string, { default?: number; validation?: { condition: string }[] }>).processor_max_replicas!;
    expect(v.default).toBeLessThanOrEqual(TOPIC_PARTITIONS);
    expect(v.validation?.[0]?.condition).toBe(`\${var.processor_max_replicas >= 1 && var.processor_max_replicas <= ${TOPIC_PARTITIONS} && floor(var.processor_max_replicas) == var.processor_max_replicas}`);
    for (const name of ['kafka_replicas', 'cassandra_replicas']) {
      expect((tf.variable as Record<string, { default?: number; validation?: unknown[] }>)[name], name).toMatchObject({ default: 1, validation: [expect.anything()] });
    }
  });
});

describe('generated manifests against the Kubernetes schemas (kubernetes-models, offline)', () => {
  const MODELS: Record<string, string> = {
    Namespace: 'kubernetes-models/v1/Namespace', Secret: 'kubernetes-models/v1/Secret', ConfigMap: 'kubernetes-models/v1/ConfigMap',
    Service: 'kubernetes-models/v1/Service', Deployment: 'kubernetes-models/apps/v1/Deployment', StatefulSet: 'kubernetes-models/apps/v1/StatefulSet',
    Job: 'kubernetes-models/batch/v1/Job', HorizontalPodAutoscaler: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    NetworkPolicy: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
    PodDisruptionBudget: 'kubernetes-models/policy/v1/PodDisruptionBudget',
  };

  it('validates every object, with one of each and with three brokers and three Cassandra nodes', async () => {
    expect(manifests.length).toBeGreaterThan(20);
    for (const m of [...manifests, ...toManifests(tf, { vars: { kafka_replicas: 3, cassandra_replicas: 3 } })]) {
      const mod = (await import(MODELS[m.kind]!)) as Record<string, new (data: unknown) => { validate(): void }>;
      const Model = mod[m.kind]!;
      expect(() => new Model(m).validate(), `${m.kind} ${m.metadata.name}`).not.toThrow();
    }
  });

  it('left no provider spelling behind (snake_case, singular block names)', () => {
    const MAP_FIELDS = new Set(['labels', 'annotations', 'matchLabels', 'data', 'stringData', 'limits', 'requests']);
    const SINGULAR = new Set(['container', 'volume', 'volumeMount', 'metric', 'toleration', 'volumeClaimTemplate', 'initContainer']);
    const bad: string[] = [];
    const visit = (v: unknown, path: string, key: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${path}[${i}]`, key));
      else if (v && typeof v === 'object' && !MAP_FIELDS.has(key) && !(key === 'selector' && path.startsWith('Service/'))) {
        for (const [k, x] of Object.entries(v)) {
          if (k.includes('_') || SINGULAR.has(k)) bad.push(`${path}.${k}`);
          visit(x, `${path}.${k}`, k);
        }
      }
    };
    for (const m of manifests) visit(m, `${m.kind}/${m.metadata.name}`, '');
    expect(bad).toEqual([]);
    // Service ports, container ports and IntOrString ports came out in the API's shape
    const svc = byKind('Service').find((m) => m.metadata.name === 'kafka') as unknown as { spec: Record<string, unknown> };
    expect(svc.spec).toMatchObject({ clusterIP: 'None', ports: [{ name: 'broker', port: 9092, targetPort: 'broker' }, { name: 'controller', port: 9093, targetPort: 'controller' }] });
    const cassandra = podOf(byKind('StatefulSet').find((m) => m.metadata.name === 'cassandra')!).spec.containers[0] as unknown as Record<string, unknown>;
    expect(cassandra.lifecycle).toEqual({ preStop: { exec: { command: ['nodetool', 'drain'] } } });
    expect(cassandra.startupProbe).toMatchObject({ tcpSocket: { port: 'cql' } });
    const np = byKind('NetworkPolicy').find((m) => m.metadata.name === 'cassandra-clients-only') as unknown as { spec: { ingress: { ports: unknown[] }[] } };
    expect(np.spec.ingress[0]!.ports).toEqual([{ port: 9042, protocol: 'TCP' }, { port: 7000, protocol: 'TCP' }]);
  });
});
