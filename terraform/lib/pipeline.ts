import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1/index.js';
import { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2/index.js';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1/index.js';
import { PROCESSOR_NODE_OPTIONS } from '../../services/lib/runtime/config.ts';
import { appPod, DASHBOARD_PORT, labels, selectorOf, type AppContext, type AppPodOptions } from './pod.ts';

/** The `stockstreamer` subcommand each Deployment runs, and what it may reach. */
export const SERVICES = {
  'price-producer': { args: ['produce', 'prices'], reaches: ['kafka', 'registry'], resources: { cpu: ['50m', '500m'], memory: ['128Mi', '256Mi'] } },
  'reddit-producer': { args: ['produce', 'reddit'], reaches: ['kafka', 'registry'], resources: { cpu: ['50m', '500m'], memory: ['128Mi', '256Mi'] } },
  processor: { args: ['process'], reaches: ['kafka', 'registry', 'cassandra'], resources: { cpu: ['200m', '1'], memory: ['256Mi', '512Mi'] } },
  // The page has no login: no Ingress, reach it with port-forward. With STOCKSTREAMER_STORE=cassandra it listens on 0.0.0.0.
  dashboard: { args: ['dashboard'], reaches: ['cassandra'], resources: { cpu: ['50m', '500m'], memory: ['128Mi', '256Mi'] } },
} as const satisfies Record<string, Pick<AppPodOptions, 'args' | 'reaches' | 'resources'>>;

export type ServiceName = keyof typeof SERVICES;

/**
 * The streaming services: producers, processor (scaled on CPU by an HPA, at
 * most one pod per partition is useful) and the built-in dashboard. They start
 * after the topics exist and the schema is migrated.
 */
export class Pipeline extends Construct {
  readonly deployments: Record<ServiceName, DeploymentV1>;

  constructor(scope: Construct, id: string, props: { namespace: string; app: AppContext; dependsOn: ITerraformDependable[] }) {
    super(scope, id);
    const { namespace, app } = props;
    const s = app.settings;
    const replicas: Record<ServiceName, string> = {
      'price-producer': s.priceProducerReplicas.stringValue,
      'reddit-producer': s.redditProducerReplicas.stringValue,
      processor: s.processorMinReplicas.stringValue,
      dashboard: s.dashboardReplicas.stringValue,
    };
    const deployments = {} as Record<ServiceName, DeploymentV1>;
    for (const [name, spec] of Object.entries(SERVICES) as [ServiceName, (typeof SERVICES)[ServiceName]][]) {
      deployments[name] = new DeploymentV1(this, name, {
        metadata: { name, namespace, labels: labels(name) },
        spec: {
          replicas: replicas[name],
          selector: selectorOf(name),
          // Producers and the processor hand partitions over on restart; one pod at a time keeps that calm.
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '1', maxUnavailable: '0' } },
          template: appPod(app, {
            component: name,
            args: [...spec.args],
            reaches: spec.reaches,
            resources: { cpu: [...spec.resources.cpu], memory: [...spec.resources.memory] },
            probes: true,
            // bounded V8 heap: RSS stays flat while draining a backlog (see PROCESSOR_NODE_OPTIONS)
            ...(name === 'processor' ? { extraEnv: { NODE_OPTIONS: PROCESSOR_NODE_OPTIONS } } : {}),
            ...(name === 'dashboard' ? {
              ports: [{ name: 'http', containerPort: DASHBOARD_PORT }],
              // `stockstreamer dashboard` serves no metrics port yet: alive = accepts connections, ready = answers from the store
              customProbes: { liveness: { tcpSocket: [{ port: 'http' }] }, readiness: { httpGet: { path: '/api/symbols', port: 'http' } } },
            } : {}),
          }),
        },
        waitForRollout: true,
        timeouts: { create: '10m', update: '10m' },
        dependsOn: props.dependsOn,
        // The HPA owns the processor's replica count once it exists.
        ...(name === 'processor' ? { lifecycle: { ignoreChanges: ['spec[0].replicas'] } } : {}),
      });
    }
    this.deployments = deployments;

    new HorizontalPodAutoscalerV2(this, 'processor-hpa', {
      metadata: { name: 'processor', namespace, labels: labels('processor') },
      spec: {
        minReplicas: s.processorMinReplicas.numberValue,
        maxReplicas: s.processorMaxReplicas.numberValue,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployments.processor.metadata.name },
        metric: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
        // A rebalance costs seconds of lag: scale down only after 5 calm minutes.
        // selectPolicy is spelled out: the provider sends "" when it is unset, which the
        // API server rejects (found by applying to a real one, dev/cluster).
        behavior: { scaleDown: [{ stabilizationWindowSeconds: 300, selectPolicy: 'Max', policy: [{ type: 'Pods', value: 1, periodSeconds: 60 }] }] },
      },
    });

    new ServiceV1(this, 'dashboard-service', {
      metadata: { name: 'dashboard', namespace, labels: labels('dashboard') },
      spec: { selector: { 'app.kubernetes.io/name': 'dashboard' }, port: [{ name: 'http', port: DASHBOARD_PORT, targetPort: 'http' }] },
    });
  }
}
