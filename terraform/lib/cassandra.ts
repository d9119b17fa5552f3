import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1/index.js';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1/index.js';
import { StatefulSetV1 } from '@cdktf/provider-kubernetes/lib/stateful-set-v1/index.js';
import { JobV1 } from '@cdktf/provider-kubernetes/lib/job-v1/index.js';
import { IMAGES } from './images.ts';
import { appPod, env, labels, onePerNode, podDefaults, podSecurity, resources, selectorOf, type AppContext } from './pod.ts';
import { storageClassOf } from './settings.ts';

/** uid of the cassandra user in the official image */
const CASSANDRA_UID = 999;
const DATA_DIR = '/var/lib/cassandra';

/**
 * Cassandra 5, `cassandra_replicas` nodes (1 on Minikube), one per node, each
 * with its data on a PVC at the image's data directory; ready only once CQL
 * answers. They join one at a time (OrderedReady), the first one the seed; a
 * PodDisruptionBudget lets a drain take one node at a time (LOCAL_QUORUM of
 * replication 3 needs two). Then a Job runs `stockstreamer migrate` (idempotent:
 * it applies only the k8s/cassandra/*.cql files not applied yet), which creates
 * the keyspace with the replication the node count allows. A new image replaces
 * the Job, so every deploy of new code migrates first.
 */
export class Cassandra extends Construct {
  readonly statefulSet: StatefulSetV1;
  readonly migrateJob: JobV1;

  constructor(scope: Construct, id: string, props: { namespace: string; app: AppContext; dependsOn?: ITerraformDependable[] }) {
    super(scope, id);
    const { namespace, app } = props;
    const name = 'cassandra';
    const settings = app.settings;

    const service = new ServiceV1(this, 'service', {
      metadata: { name, namespace, labels: labels(name) },
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true, // a joining node must resolve the seed, cassandra-0, before it is ready
        selector: { 'app.kubernetes.io/name': name },
        port: [{ name: 'cql', port: 9042, targetPort: 'cql' }],
      },
    });

    const cql = ['cqlsh', '-e', 'select release_version from system.local'];
    this.statefulSet = new StatefulSetV1(this, 'statefulset', {
      metadata: { name, namespace, labels: labels(name) },
      spec: {
        serviceName: service.metadata.name,
        replicas: settings.cassandraReplicas.stringValue,
        selector: selectorOf(name),
        template: {
          // carries the client label too: nodes of a larger ring talk to each other on 7000
          metadata: { labels: labels(name, ['cassandra']) },
          spec: {
            ...podDefaults,
            affinity: onePerNode(name),
            securityContext: podSecurity(CASSANDRA_UID),
            terminationGracePeriodSeconds: 60,
            container: [{
              name,
              image: IMAGES.cassandra,
              imagePullPolicy: 'IfNotPresent',
              env: env({
                CASSANDRA_CLUSTER_NAME: 'stockstreamer',
                CASSANDRA_DC: 'datacenter1',
                CASSANDRA_RACK: 'rack1',
                CASSANDRA_ENDPOINT_SNITCH: 'GossipingPropertyFileSnitch',
                // the first node is the seed every other one joins through (its stable name)
                CASSANDRA_SEEDS: `${name}-0.${name}`,
                // Heap for a Minikube node: well under the 2 GiB limit, leaving room for off-heap.
                MAX_HEAP_SIZE: '768M',
                HEAP_NEWSIZE: '192M',
              }),
              port: [{ name: 'cql', containerPort: 9042 }, { name: 'intra-node', containerPort: 7000 }],
              resources: resources({ cpu: ['500m', '2'], memory: ['1536Mi', '2Gi'] }),
              securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
              volumeMount: [{ name: 'data', mountPath: DATA_DIR }],
              // A first start takes a minute or two; CQL answering is the only honest readiness.
              startupProbe: { tcpSocket: [{ port: 'cql' }], periodSeconds: 10, failureThreshold: 36 },
              livenessProbe: { tcpSocket: [{ port: 'cql' }], periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 4 },
              readinessProbe: { exec: { command: cql }, periodSeconds: 15, timeoutSeconds: 15, failureThreshold: 3 },
              lifecycle: { preStop: [{ exec: { command: ['nodetool', 'drain'] } }] },
            }],
          },
        },
        volumeClaimTemplate: [{
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: storageClassOf(settings),
            resources: { requests: { storage: settings.cassandraStorage.stringValue } },
          },
        }],
      },
      waitForRollout: true,
      timeouts: { create: '15m', update: '15m' },
      ...(props.dependsOn ? { dependsOn: props.dependsOn } : {}),
    });

    new PodDisruptionBudgetV1(this, 'pdb', {
      metadata: { name, namespace, labels: labels(name) },
      spec: { maxUnavailable: '1', selector: selectorOf(name) },
    });

    this.migrateJob = new JobV1(this, 'migrate', {
      metadata: { name: 'cassandra-migrate', namespace, labels: labels('cassandra-migrate') },
      spec: {
        backoffLimit: 10,
        template: appPod(app, {
          component: 'cassandra-migrate',
          args: ['migrate'],
          reaches: ['cassandra'],
          resources: { cpu: ['100m', '500m'], memory: ['192Mi', '384Mi'] },
          probes: false,
          restartPolicy: 'OnFailure',
        }) as never,
      },
      waitForCompletion: true,
      timeouts: { create: '10m', update: '10m' },
      dependsOn: [this.statefulSet],
    });
  }
}
