import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parse as parseIni } from 'ini';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toManifests, type TfJson } from '../../terraform/lib/manifests.ts';
import { CONTEXT, KUBECONFIG, assertClusterReady, kubectl, kubectlJson, run, world, type K8sObject } from './kwok.ts';

/**
 * `make deploy KUBE_CONTEXT=stockstreamer-kwok` — the target a user runs — against
 * a real kube-apiserver, etcd, controller-manager and scheduler with kwok's fake
 * nodes (dev/cluster/up.sh; scripts/test.sh starts it). Once with Terraform, once
 * with OpenTofu, each in a namespace of its own, providers from the offline
 * mirror scripts/ensure-tofu.sh builds.
 *
 * What a fake node cannot show: containers never run, so probes, images, the
 * NetworkPolicies and Grafana's plugin are not exercised here (test/image runs
 * the image for real); kwok marks every scheduled pod Ready and every Job's pod
 * Succeeded. What is real: validation, defaulting and admission of every object,
 * the controllers that turn Deployments, StatefulSets (with PVCs), Jobs and the
 * HPA into pods, scheduling onto nodes with the requested CPU and memory, the
 * provider's rollout and completion waits, and namespace deletion.
 */
/** Values that must reach the credentials Secret and nothing else. */
const CANARY = `canary${randomBytes(6).toString('hex')}`;
const CREDENTIALS = [
  '[RedditCredentials]', `client_id=${CANARY}id`, `client_secret=${CANARY}secret`, `password=${CANARY}pw`, 'username=someone', 'user_agent=stockstreamer-test/0.1',
  '', '[FINNHUB]', `FINNHUB_TOKEN=${CANARY}token`,
  '', '[SMTP]', 'username=alerts', `password=${CANARY}smtp`, '',
].join('\n');
const SECRET_VALUES = [`${CANARY}id`, `${CANARY}secret`, `${CANARY}pw`, `${CANARY}token`, `${CANARY}smtp`];

let tmp: string;
let credentialsFile: string;

beforeAll(() => {
  assertClusterReady();
  tmp = mkdtempSync(join(tmpdir(), 'ss-cluster-'));
  credentialsFile = join(tmp, 'credentials.ini');
  writeFileSync(credentialsFile, CREDENTIALS);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe.each(['terraform', 'tofu'] as const)('make deploy with %s on a real API server (kwok nodes)', (tool) => {
  let w: ReturnType<typeof world>;
  let expected: { kind: string; name: string }[];
  const timings: Record<string, number> = {};

  beforeAll(() => {
    w = world(tool, tmp, credentialsFile);
  });

  afterAll(() => {
    // whatever failed above, leave no namespace behind
    if (w && kubectl(['get', 'namespace', w.ns]).status === 0) {
      w.make('destroy');
      kubectl(['delete', 'namespace', w.ns, '--wait=false']);
    }
    console.info(`${tool}: ${Object.entries(timings).map(([k, v]) => `${k} ${v.toFixed(0)} s`).join(', ')}`);
  });

  it('applies: image built, stack synthesized, every resource created', () => {
    const r = w.make('deploy');
    timings.deploy = r.seconds;
    expect(r.status, r.out.slice(-4000)).toBe(0);
    expect(r.out).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
    // the image step ran without minikube: buildah on this machine, and said it is not loaded anywhere
    expect(r.out).toMatch(/image-build: stockstreamer:\S+ built in/);
    expect(r.out).toContain("is in this machine's image store only");

    const tf = JSON.parse(readFileSync(join(w.stackDir, 'cdk.tf.json'), 'utf8')) as TfJson;
    const manifests = toManifests(tf, { vars: { namespace: w.ns } });
    expected = manifests.map((m) => ({ kind: m.kind, name: m.metadata.name }));
    expect(expected.length).toBeGreaterThan(25);
    const missing = expected.filter((e) => kubectl(['get', e.kind, e.name, ...(e.kind === 'Namespace' ? [] : ['-n', w.ns])]).status !== 0);
    expect(missing).toEqual([]);
  }, 900_000);

  it('has Kafka and Cassandra, the registry, producers, processor, alerter, dashboard and Grafana Ready', () => {
    const sets = kubectlJson<{ items: K8sObject[] }>(['get', 'statefulsets,deployments', '-n', w.ns]).items;
    const readiness = Object.fromEntries(sets.map((o) => [`${o.kind}/${o.metadata.name}`, `${String(o.status?.readyReplicas ?? 0)}/${String(o.spec?.replicas)}`]));
    expect(readiness).toEqual({
      'StatefulSet/kafka': '1/1', 'StatefulSet/cassandra': '1/1',
      'Deployment/schema-registry': '1/1', 'Deployment/price-producer': '1/1', 'Deployment/reddit-producer': '1/1',
      'Deployment/processor': '1/1', 'Deployment/alerter': '1/1', 'Deployment/dashboard': '1/1', 'Deployment/grafana': '1/1',
    });
    // each StatefulSet's volume claim is bound to a provisioned volume
    const pvcs = kubectlJson<{ items: { metadata: { name: string }; status: { phase: string } }[] }>(['get', 'pvc', '-n', w.ns]).items;
    expect(Object.fromEntries(pvcs.map((p) => [p.metadata.name, p.status.phase]))).toEqual({ 'data-kafka-0': 'Bound', 'data-cassandra-0': 'Bound' });
    // the README's step 3, `kubectl get pods`: every pod Running, the Jobs' Completed
    const pods = kubectlJson<{ items: { metadata: { name: string; ownerReferences?: { kind: string }[] }; status: { phase: string } }[] }>(['get', 'pods', '-n', w.ns]).items;
    expect(pods.length).toBe(11);
    for (const p of pods) expect(p.status.phase, p.metadata.name).toBe(p.metadata.ownerReferences?.[0]?.kind === 'Job' ? 'Succeeded' : 'Running');
  });

  it('accepts the topic and migration Jobs, and they complete (kwok finishes a Job\'s pod)', () => {
    const jobs = kubectlJson<{ items: K8sObject[] }>(['get', 'jobs', '-n', w.ns]).items;
    expect(Object.fromEntries(jobs.map((j) => [j.metadata.name, j.status?.succeeded]))).toEqual({ 'kafka-topics': 1, 'cassandra-migrate': 1 });
  });

  it('keeps the credentials in the Secret, exactly the keys of credentials.ini, and nowhere else', () => {
    const secret = kubectlJson<K8sObject>(['get', 'secret', 'stockstreamer-credentials', '-n', w.ns]);
    expect(Object.keys(secret.data ?? {})).toEqual(['credentials.ini']);
    const stored = Buffer.from(secret.data!['credentials.ini']!, 'base64').toString('utf8');
    expect(stored).toBe(CREDENTIALS);
    const keysOf = (text: string) => Object.entries(parseIni(text) as Record<string, Record<string, string>>).flatMap(([section, kv]) => Object.keys(kv).map((k) => `${section}.${k}`)).sort();
    expect(keysOf(stored)).toEqual(keysOf(CREDENTIALS));

    // Everything else in the namespace, as the API server stores it: no ConfigMap,
    // env value, annotation or other Secret holds a credential, plain or base64.
    const all = kubectlJson<{ items: K8sObject[] }>(['get', 'configmaps,secrets,deployments,statefulsets,jobs,pods,services,horizontalpodautoscalers,networkpolicies,persistentvolumeclaims', '-n', w.ns]).items;
    expect(all.length).toBeGreaterThan(30);
    const leaks: string[] = [];
    for (const o of all) {
      if (o.kind === 'Secret' && o.metadata.name === 'stockstreamer-credentials') continue;
      const text = JSON.stringify(o);
      for (const v of SECRET_VALUES) {
        if (text.includes(v) || text.includes(Buffer.from(v).toString('base64').slice(0, 12))) leaks.push(`${o.kind}/${o.metadata.name} holds ${v}`);
      }
    }
    expect(leaks).toEqual([]);
    // and our pods get the file from the Secret volume, never through env
    const pods = kubectlJson<{ items: { metadata: { name: string; labels: Record<string, string> }; spec: { containers: { env?: { name: string; valueFrom?: unknown }[] }[]; volumes?: { secret?: { secretName: string } }[] } }[] }>(['get', 'pods', '-n', w.ns]).items;
    const mounting = pods.filter((p) => p.spec.volumes?.some((v) => v.secret?.secretName === 'stockstreamer-credentials')).map((p) => p.metadata.labels['app.kubernetes.io/name']);
    expect(mounting.sort()).toEqual(['alerter', 'cassandra-migrate', 'dashboard', 'price-producer', 'processor', 'reddit-producer']);
    const fromCredentials = pods.flatMap((p) => p.spec.containers.flatMap((c) => (c.env ?? []).filter((e) => JSON.stringify(e.valueFrom ?? {}).includes('stockstreamer-credentials')).map((e) => `${p.metadata.name} ${e.name}`)));
    expect(fromCredentials).toEqual([]);
  });

  it('plans no change on a second run', () => {
    const r = w.make('plan', ['PLAN_ARGS=-detailed-exitcode -no-color']);
    timings.plan = r.seconds;
    // -detailed-exitcode: 0 = no changes, 2 = changes, 1 = error
    expect(r.status, r.out.slice(-4000)).toBe(0);
    expect(r.out).toContain('No changes.');
  }, 300_000);

  it('plans exactly one change when one variable changes (processor_max_replicas)', () => {
    const planFile = join(w.dir, 'max-replicas.plan');
    const r = w.make('plan', ['TF_VARS=-var processor_max_replicas=5', `PLAN_ARGS=-detailed-exitcode -no-color -out=${planFile}`]);
    expect(r.status, r.out.slice(-4000)).toBe(2);
    const show = run(w.bin, ['show', '-json', planFile], { cwd: w.stackDir, env: w.env });
    expect(show.status, show.stderr).toBe(0);
    const plan = JSON.parse(show.stdout) as { resource_changes: { address: string; type: string; change: { actions: string[]; before: Record<string, unknown>; after: Record<string, unknown> } }[] };
    const changes = plan.resource_changes.filter((c) => c.change.actions.join() !== 'no-op');
    expect(changes.map((c) => [c.type, c.change.actions])).toEqual([['kubernetes_horizontal_pod_autoscaler_v2', ['update']]]);
    const [hpa] = changes;
    const spec = (x: Record<string, unknown>) => (x.spec as Record<string, unknown>[])[0]!;
    expect(spec(hpa!.change.before).max_replicas).toBe(3);
    expect(spec(hpa!.change.after).max_replicas).toBe(5);
    // nothing else in the HPA moves
    expect({ ...hpa!.change.after, spec: [{ ...spec(hpa!.change.after), max_replicas: 3 }] }).toEqual(hpa!.change.before);
  }, 300_000);

  it('shows the README\'s watch-pods step, and port-forward reaches the API server but no kubelet', () => {
    const watch = kubectl(['-n', w.ns, 'get', 'pods', '--no-headers']);
    expect(watch.status).toBe(0);
    expect(watch.stdout.trim().split('\n')).toHaveLength(11);
    // `make grafana` runs this; the API server accepts it, then has no kubelet to forward to:
    // a fake node's address leads nowhere (dev/cluster sends such traffic to a dead socket).
    const pf = run('kubectl', ['--kubeconfig', KUBECONFIG, '--context', CONTEXT, '-n', w.ns, 'port-forward', 'svc/grafana', '0:3000'], { timeoutMs: 20_000 });
    expect(pf.status).not.toBe(0);
    expect(pf.stderr).toMatch(/error upgrading connection|dialing backend/);
    expect(pf.stderr).not.toMatch(/not found|forbidden/i); // the Service, its pod and the RBAC were all there
  }, 60_000);

  it('make destroy removes the namespace and everything in it, volumes included', async () => {
    const r = w.make('destroy');
    timings.destroy = r.seconds;
    expect(r.status, r.out.slice(-4000)).toBe(0);
    expect(r.out).toMatch(/Destroy complete! Resources: \d+ destroyed/);
    const gone = kubectl(['get', 'namespace', w.ns]);
    expect(gone.stderr).toContain('NotFound');
    // the volume controller deletes the released volumes (reclaimPolicy Delete) shortly after
    const left = () => kubectlJson<{ items: { metadata: { name: string }; spec: { claimRef?: { namespace: string } } }[] }>(['get', 'pv']).items
      .filter((pv) => pv.spec.claimRef?.namespace === w.ns).map((pv) => pv.metadata.name);
    const deadline = Date.now() + 60_000;
    while (left().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
    expect(left()).toEqual([]);
  }, 900_000);
});
