import { Construct } from 'constructs';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1/index.js';
import { ACCESS_LABEL, NAME_LABEL, labels, type Backend } from './pod.ts';

/**
 * Only pods labelled as clients of a backend reach it, on its ports only
 * (the labels come from each pod's `reaches` list). Enforced only by a CNI
 * that implements NetworkPolicy: start Minikube with `--cni=calico`.
 */
export const POLICIES: { backend: Backend; component: string; ports: number[] }[] = [
  { backend: 'kafka', component: 'kafka', ports: [9092, 9093] },
  { backend: 'registry', component: 'schema-registry', ports: [8081] },
  { backend: 'cassandra', component: 'cassandra', ports: [9042, 7000] },
];

export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, props: { namespace: string }) {
    super(scope, id);
    for (const p of POLICIES) {
      new NetworkPolicyV1(this, p.component, {
        metadata: { name: `${p.component}-clients-only`, namespace: props.namespace, labels: labels(p.component) },
        spec: {
          podSelector: { matchLabels: { [NAME_LABEL]: p.component } },
          policyTypes: ['Ingress'],
          ingress: [{
            from: [{ podSelector: { matchLabels: { [ACCESS_LABEL[p.backend]]: 'true' } } }],
            ports: p.ports.map((port) => ({ port: String(port), protocol: 'TCP' })),
          }],
        },
      });
    }
  }
}
