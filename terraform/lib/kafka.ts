import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1/index.js';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1/index.js';
import { StatefulSetV1 } from '@cdktf/provider-kubernetes/lib/stateful-set-v1/index.js';
import { JobV1 } from '@cdktf/provider-kubernetes/lib/job-v1/index.js';
import { topicSpecs } from '../../services/lib/io/bus/topics.ts';
import { IMAGES } from './images.ts';
import { env, labels, onePerNode, podDefaults, podSecurity, resources, selectorOf, type Container } from './pod.ts';
import { DERIVED, TOPIC_PARTITIONS, storageClassOf, type Settings } from './settings.ts';

/** uid of appuser in the apache/kafka image */
const KAFKA_UID = 1000;
const DATA_DIR = '/var/lib/kafka/data';

/**
 * Kafka 4 in KRaft mode, `kafka_replicas` combined broker+controller pods (1 on
 * Minikube, which is one node; 3 keep every write with one lost), one per node:
 * a StatefulSet with each log directory on a PVC, a headless Service for the
 * pods' stable names, a PodDisruptionBudget that lets a drain take one broker at
 * a time (the in-sync replicas a write needs stay), and a Job that creates the
 * topics with the partitions services/lib/io/bus/topics.ts defines and the
 * replication the broker count allows.
 */
export class Kafka extends Construct {
  readonly topicsJob: JobV1;
  readonly statefulSet: StatefulSetV1;

  constructor(scope: Construct, id: string, props: { namespace: string; settings: Settings }) {
    super(scope, id);
    const { namespace, settings } = props;
    const name = 'kafka';

    const service = new ServiceV1(this, 'service', {
      metadata: { name, namespace, labels: labels(name) },
      spec: {
        clusterIp: 'None', // headless: kafka-0.kafka resolves to the pod, which advertises that name
        publishNotReadyAddresses: true, // the controller quorum must resolve itself before it is ready
        selector: { 'app.kubernetes.io/name': name },
        port: [{ name: 'broker', port: 9092, targetPort: 'broker' }, { name: 'controller', port: 9093, targetPort: 'controller' }],
      },
    });

    const broker: Container = {
      name,
      image: IMAGES.kafka,
      imagePullPolicy: 'IfNotPresent',
      // kafka-<i> is node i+1 and advertises its own stable name; then the image's own start
      // script (the image's CMD; its entrypoint runs this). No "$" + "{" here: Terraform would read it.
      args: ['/bin/sh', '-c', [
        'ordinal=$(echo "$HOSTNAME" | sed "s/.*-//")',
        'export KAFKA_NODE_ID=$((ordinal + 1))',
        `export KAFKA_ADVERTISED_LISTENERS="PLAINTEXT://$HOSTNAME.${name}:9092"`,
        'exec /etc/kafka/docker/run',
      ].join('; ')],
      // The image writes server.properties from these KAFKA_* variables and formats the log dir on first start.
      env: [
        ...env({
          // KAFKA_NODE_ID and KAFKA_ADVERTISED_LISTENERS come from the pod's ordinal (command below)
          KAFKA_PROCESS_ROLES: 'broker,controller',
          KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
          KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
          KAFKA_CONTROLLER_QUORUM_VOTERS: DERIVED.kafkaVoters,
          KAFKA_INTER_BROKER_LISTENER_NAME: 'PLAINTEXT',
          // A fixed id: the PVC keeps the formatted log dir across restarts and it must match.
          CLUSTER_ID: 'c3RvY2tzdHJlYW1lcjAx',
          KAFKA_LOG_DIRS: DATA_DIR,
          KAFKA_DEFAULT_REPLICATION_FACTOR: DERIVED.kafkaReplication,
          KAFKA_MIN_INSYNC_REPLICAS: DERIVED.kafkaMinInsync,
          KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: DERIVED.kafkaReplication,
          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: DERIVED.kafkaReplication,
          KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: DERIVED.kafkaMinInsync,
          KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: DERIVED.kafkaReplication,
          KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: DERIVED.kafkaMinInsync,
          KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
          KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
          KAFKA_HEAP_OPTS: '-Xms512m -Xmx512m',
        }),
        { name: 'KAFKA_LOG_RETENTION_MS', value: Fn.tostring(settings.kafkaRetentionMs.numberValue) },
      ],
      port: [{ name: 'broker', containerPort: 9092 }, { name: 'controller', containerPort: 9093 }],
      resources: resources({ cpu: ['250m', '1'], memory: ['768Mi', '1Gi'] }),
      securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
      volumeMount: [{ name: 'data', mountPath: DATA_DIR }],
      startupProbe: { tcpSocket: [{ port: 'broker' }], periodSeconds: 5, failureThreshold: 60 },
      livenessProbe: { tcpSocket: [{ port: 'controller' }], periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
      readinessProbe: {
        exec: { command: ['/opt/kafka/bin/kafka-broker-api-versions.sh', '--bootstrap-server', 'localhost:9092'] },
        periodSeconds: 10, timeoutSeconds: 20, failureThreshold: 3,
      },
    };

    this.statefulSet = new StatefulSetV1(this, 'statefulset', {
      metadata: { name, namespace, labels: labels(name) },
      spec: {
        serviceName: service.metadata.name,
        replicas: settings.kafkaReplicas.stringValue,
        // the brokers start side by side: the controller quorum forms only once a majority runs
        podManagementPolicy: 'Parallel',
        selector: selectorOf(name),
        template: {
          metadata: { labels: labels(name, ['kafka']) },
          spec: {
            ...podDefaults,
            affinity: onePerNode(name),
            securityContext: podSecurity(KAFKA_UID),
            terminationGracePeriodSeconds: 60, // a clean shutdown skips log recovery at the next start
            container: [broker],
          },
        },
        volumeClaimTemplate: [{
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: storageClassOf(settings),
            resources: { requests: { storage: settings.kafkaStorage.stringValue } },
          },
        }],
      },
      waitForRollout: true,
      timeouts: { create: '15m', update: '15m' },
    });

    new PodDisruptionBudgetV1(this, 'pdb', {
      metadata: { name, namespace, labels: labels(name) },
      spec: { maxUnavailable: '1', selector: selectorOf(name) },
    });

    // Idempotent: --if-not-exists, then raise partitions that are lower (never lowers them).
    // No "${" in the script: Terraform would read it as an interpolation.
    const topics = topicSpecs({ partitions: TOPIC_PARTITIONS });
    const lines = topics.map((t) => {
      const retention = t.name.endsWith('.dlq') ? String(t.retentionMs) : settings.kafkaRetentionMs.stringValue;
      return `create ${t.name} ${t.partitions} ${retention}`;
    });
    const script = [
      'set -eu',
      'B=$BOOTSTRAP; T=/opt/kafka/bin/kafka-topics.sh',
      'until $T --bootstrap-server $B --list >/dev/null 2>&1; do echo "waiting for $B"; sleep 3; done',
      'create() {',
      '  $T --bootstrap-server $B --create --if-not-exists --topic "$1" --partitions "$2" --replication-factor "$REPLICATION" --config retention.ms="$3" --config min.insync.replicas="$MIN_INSYNC"',
      '  have=$($T --bootstrap-server $B --describe --topic "$1" | sed -n "s/.*PartitionCount: *\\([0-9]*\\).*/\\1/p" | head -1)',
      '  if [ -n "$have" ] && [ "$have" -lt "$2" ]; then $T --bootstrap-server $B --alter --topic "$1" --partitions "$2"; fi',
      '}',
      ...lines,
      '$T --bootstrap-server $B --list',
    ].join('\n');

    this.topicsJob = new JobV1(this, 'topics', {
      metadata: { name: 'kafka-topics', namespace, labels: labels('kafka-topics') },
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { labels: labels('kafka-topics', ['kafka']) },
          spec: {
            ...podDefaults,
            securityContext: podSecurity(KAFKA_UID),
            restartPolicy: 'OnFailure',
            container: [{
              name: 'create-topics',
              image: IMAGES.kafka,
              imagePullPolicy: 'IfNotPresent',
              command: ['/bin/sh', '-c', script],
              env: env({ KAFKA_HEAP_OPTS: '-Xmx128m', BOOTSTRAP: DERIVED.kafkaBootstrap, REPLICATION: DERIVED.kafkaReplication, MIN_INSYNC: DERIVED.kafkaMinInsync }),
              resources: resources({ cpu: ['100m', '500m'], memory: ['192Mi', '384Mi'] }),
              securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMount: [{ name: 'tmp', mountPath: '/tmp' }],
            }],
            volume: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
          },
        },
      },
      waitForCompletion: true,
      timeouts: { create: '10m', update: '10m' },
      dependsOn: [this.statefulSet],
    });
  }
}
