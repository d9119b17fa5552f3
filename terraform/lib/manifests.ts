/**
 * Turns the synthesized stack (cdk.tf.json) back into the Kubernetes objects
 * terraform would create, so they can be checked offline against the
 * Kubernetes schemas (terraform/stack.test.ts). The Terraform kubernetes
 * provider spells the API in snake_case, singular block names (container,
 * volume_mount, port), some single objects as one-element lists (tcp_socket,
 * pre_stop), and strings where the API has integers (replicas, run_as_user,
 * default_mode); this undoes exactly that and fails on anything it does not know.
 *
 * Interpolations are resolved from the stack itself: variables take their
 * default (or the value given), a resource's metadata[0].name its name.
 * Anything computed at apply time (file(), random_password, sha256) becomes
 * a placeholder of the right type.
 */

export interface TfJson {
  variable?: Record<string, { default?: unknown; type?: string; sensitive?: boolean }>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  [key: string]: unknown;
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export const KINDS: Record<string, { apiVersion: string; kind: string }> = {
  kubernetes_namespace_v1: { apiVersion: 'v1', kind: 'Namespace' },
  kubernetes_secret_v1: { apiVersion: 'v1', kind: 'Secret' },
  kubernetes_config_map_v1: { apiVersion: 'v1', kind: 'ConfigMap' },
  kubernetes_service_v1: { apiVersion: 'v1', kind: 'Service' },
  kubernetes_deployment_v1: { apiVersion: 'apps/v1', kind: 'Deployment' },
  kubernetes_stateful_set_v1: { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  kubernetes_job_v1: { apiVersion: 'batch/v1', kind: 'Job' },
  kubernetes_horizontal_pod_autoscaler_v2: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler' },
  kubernetes_network_policy_v1: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy' },
  kubernetes_pod_disruption_budget_v1: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget' },
};
/** resources that are not Kubernetes objects */
const NOT_KUBERNETES = new Set(['random_password']);
/** meta-arguments and provider-only attributes */
const TF_ONLY = new Set(['//', 'depends_on', 'lifecycle', 'timeouts', 'wait_for_rollout', 'wait_for_completion', 'wait_for_load_balancer', 'provider', 'count', 'for_each']);

/** block name (a list in the provider) → field name in the API */
const PLURAL: Record<string, string> = {
  container: 'containers', init_container: 'initContainers', volume: 'volumes', volume_mount: 'volumeMounts',
  port: 'ports', metric: 'metrics', policy: 'policies', toleration: 'tolerations', volume_claim_template: 'volumeClaimTemplates',
  image_pull_secrets: 'imagePullSecrets', host_aliases: 'hostAliases', readiness_gate: 'readinessGates',
  topology_spread_constraint: 'topologySpreadConstraints', sysctl: 'sysctls', match_expressions: 'matchExpressions',
};
/** one-element lists in the provider that are single objects in the API */
const UNWRAP = new Set(['tcp_socket', 'grpc', 'pre_stop', 'post_start', 'scale_down', 'scale_up', 'update_strategy', 'persistent_volume_claim_retention_policy', 'label_selector']);
/** camelCase the generic rule gets wrong */
const IRREGULAR: Record<string, string> = {
  cluster_ip: 'clusterIP', cluster_ips: 'clusterIPs', external_ips: 'externalIPs', load_balancer_ip: 'loadBalancerIP',
  host_ip: 'hostIP', pod_ip: 'podIP', host_ipc: 'hostIPC', host_pid: 'hostPID', downward_api: 'downwardAPI',
};
/** maps whose keys are data, not field names */
const MAPS = new Set(['labels', 'annotations', 'match_labels', 'data', 'binary_data', 'limits', 'requests', 'node_selector', 'string_data']);
/** a Service's selector is a map; every other selector is a LabelSelector object */
const isStringMap = (v: object) => Object.values(v).every((x) => typeof x === 'string');
/** integers in the API that the provider takes as strings */
const INTS = new Set(['replicas', 'runAsUser', 'runAsGroup', 'fsGroup', 'defaultMode', 'mode']);
/** IntOrString in the API: a numeric string is a number, anything else a port name */
const INT_OR_STRING = new Set(['port', 'targetPort', 'maxSurge', 'maxUnavailable']);

const camel = (key: string) => IRREGULAR[key] ?? key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export interface ConvertOptions {
  /** values for variables (overrides defaults), e.g. { image: 'stockstreamer:test' } */
  vars?: Record<string, unknown>;
}

export function toManifests(tf: TfJson, options: ConvertOptions = {}): Manifest[] {
  const vars: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(tf.variable ?? {})) vars[name] = v.default;
  Object.assign(vars, options.vars);
  const resources = tf.resource ?? {};

  const resolveRef = (type: string, id: string, path: string): unknown => {
    const res = resources[type]?.[id];
    if (!res) throw new Error(`reference to unknown resource ${type}.${id}`);
    if (path === 'metadata[0].name') return resolve((res.metadata as { name: unknown }).name);
    if (type === 'random_password' && path === 'result') return 'generated-at-apply';
    throw new Error(`cannot resolve ${type}.${id}.${path}`);
  };

  const resolveExpr = (expr: string, value: string): unknown => {
    let r: RegExpExecArray | null;
    if ((r = /^var\.([a-z0-9_]+)$/.exec(expr))) {
      if (!(r[1]! in vars)) throw new Error(`variable ${r[1]} has no default and no value`);
      return vars[r[1]!];
    }
    if ((r = /^tostring\(var\.([a-z0-9_]+)\)$/.exec(expr))) return String(vars[r[1]!]);
    // what settings.ts DERIVED computes from the replica counts
    const n = (name: string) => Number(vars[name]);
    if ((r = /^tostring\(min\(var\.([a-z0-9_]+), (\d+)\)\)$/.exec(expr))) return String(Math.min(n(r[1]!), Number(r[2])));
    if ((r = /^tostring\(var\.([a-z0-9_]+) >= (\d+) \? (\d+) : (\d+)\)$/.exec(expr))) return n(r[1]!) >= Number(r[2]) ? r[3]! : r[4]!;
    if ((r = /^join\(",", formatlist\("([^"%]*)%d([^"%]*)", range\(var\.([a-z0-9_]+)\)\)\)$/.exec(expr))) {
      return Array.from({ length: n(r[3]!) }, (_, i) => `${r![1]}${i}${r![2]}`).join(',');
    }
    if ((r = /^join\(",", formatlist\("%d([^"%]*)%d([^"%]*)", range\(1, var\.([a-z0-9_]+) \+ 1\), range\(var\.\3\)\)\)$/.exec(expr))) {
      return Array.from({ length: n(r[3]!) }, (_, i) => `${i + 1}${r![1]}${i}${r![2]}`).join(',');
    }
    if ((r = /^([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.(.+)$/.exec(expr)) && r[1] !== 'var') return resolveRef(r[1]!, r[2]!, r[3]!);
    if (/^var\.storage_class == "" \? null : var\.storage_class$/.test(expr)) return vars.storage_class === '' ? undefined : vars.storage_class;
    if (expr.includes('file(var.credentials_file)')) return expr.startsWith('nonsensitive(sha256(') ? '0'.repeat(64) : 'credentials-read-at-apply';
    if (expr === 'file(var.alert_rules_file)') return '{"rules":[]}';
    if (expr === 'sha256(file(var.alert_rules_file))') return '1'.repeat(64);
    if ((r = /^coalesce\(var\.([a-z0-9_]+), (random_password\.[A-Za-z0-9_-]+)\.result\)$/.exec(expr))) return vars[r[1]!] || 'generated-at-apply';
    throw new Error(`unknown expression: ${value}`);
  };

  // "$${" and "%%{" are Terraform's escapes for the literal text; "${…}" an expression.
  const EXPR = /(?<!\$)\$\{([^{}]*)\}/g;
  const resolve = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    const whole = /^\$\{([^{}]*)\}$/.exec(value);
    if (whole) return resolveExpr(whole[1]!, value);
    return value.replace(EXPR, (_, expr: string) => String(resolveExpr(expr, value))).replaceAll('$${', '${').replaceAll('%%{', '%{');
  };

  const convert = (value: unknown, key: string): unknown => {
    const v = resolve(value);
    if (Array.isArray(v)) {
      if (UNWRAP.has(key)) {
        if (v.length !== 1) throw new Error(`${key}: expected one element, got ${v.length}`);
        return convertObject(v[0], key);
      }
      return v.map((item) => (item !== null && typeof item === 'object' ? convertObject(item, key) : resolve(item)));
    }
    if (v !== null && typeof v === 'object') {
      const isMap = MAPS.has(key) || (key === 'selector' && isStringMap(v));
      return isMap ? convertMap(v as Record<string, unknown>) : convertObject(v, key);
    }
    return v;
  };
  const convertMap = (m: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(m)) {
      const r = resolve(v);
      if (r !== undefined) out[k] = r;
    }
    return out;
  };
  const convertObject = (o: unknown, parent: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [k, raw] of Object.entries(o as Record<string, unknown>)) {
      // meta-arguments exist only at the top of a resource (a container has a lifecycle of its own)
      if (parent in KINDS && TF_ONLY.has(k)) continue;
      const isList = Array.isArray(raw) && !UNWRAP.has(k);
      const name = isList && PLURAL[k] ? PLURAL[k] : camel(k);
      let v = convert(raw, k);
      if (v === undefined || v === null) continue;
      if (INTS.has(name) && typeof v === 'string') v = name === 'defaultMode' || name === 'mode' ? Number.parseInt(v, 8) : Number(v);
      if (INT_OR_STRING.has(name) && typeof v === 'string' && /^\d+$/.test(v)) v = Number(v);
      out[name] = v;
    }
    return out;
  };

  const out: Manifest[] = [];
  for (const [type, byId] of Object.entries(resources)) {
    if (NOT_KUBERNETES.has(type)) continue;
    const kind = KINDS[type];
    if (!kind) throw new Error(`no Kubernetes kind known for ${type}`);
    for (const res of Object.values(byId)) {
      const body = convertObject(res, type);
      if (kind.kind === 'Secret' && body.data) {
        // the provider's data is plain text; the API's data is base64, stringData plain
        body.stringData = body.data;
        delete body.data;
      }
      out.push({ ...kind, ...body } as Manifest);
    }
  }
  return out;
}
