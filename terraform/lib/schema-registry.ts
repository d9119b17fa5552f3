import { Construct } from 'constructs';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1/index.js';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1/index.js';
import type { ITerraformDependable } from 'cdktf';
import { IMAGES } from './images.ts';
import { env, labels, podDefaults, podSecurity, resources, selectorOf } from './pod.ts';
import { DERIVED } from './settings.ts';

/** uid of appuser in the Confluent images */
const CONFLUENT_UID = 1000;

/**
 * Confluent Schema Registry on the Kafka above: its schemas live in the
 * compacted _schemas topic, so the Deployment itself is stateless.
 */
export class SchemaRegistry extends Construct {
  readonly deployment: DeploymentV1;

  constructor(scope: Construct, id: string, props: { namespace: string; dependsOn: ITerraformDependable[] }) {
    super(scope, id);
    const { namespace } = props;
    const name = 'schema-registry';
    new ServiceV1(this, 'service', {
      metadata: { name, namespace, labels: labels(name) },
      spec: { selector: { 'app.kubernetes.io/name': name }, port: [{ name: 'http', port: 8081, targetPort: 'http' }] },
    });
    const probe = (path: string) => ({ httpGet: { path, port: 'http' } });
    this.deployment = new DeploymentV1(this, 'deployment', {
      metadata: { name, namespace, labels: labels(name) },
      spec: {
        replicas: '1',
        selector: selectorOf(name),
        template: {
          metadata: { labels: labels(name, ['kafka', 'registry']) },
          spec: {
            ...podDefaults,
            securityContext: podSecurity(CONFLUENT_UID),
            terminationGracePeriodSeconds: 30,
            container: [{
              name,
              image: IMAGES.schemaRegistry,
              imagePullPolicy: 'IfNotPresent',
              env: [
                { name: 'SCHEMA_REGISTRY_HOST_NAME', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
                ...env({
                  SCHEMA_REGISTRY_LISTENERS: 'http://0.0.0.0:8081',
                  SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: 'PLAINTEXT://kafka:9092',
                  // _schemas is replicated like the topics whose records it describes
                  SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR: DERIVED.kafkaReplication,
                  SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL: 'BACKWARD',
                  SCHEMA_REGISTRY_HEAP_OPTS: '-Xms256m -Xmx256m',
                }),
              ],
              port: [{ name: 'http', containerPort: 8081 }],
              resources: resources({ cpu: ['100m', '500m'], memory: ['384Mi', '640Mi'] }),
              securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
              startupProbe: { ...probe('/subjects'), periodSeconds: 5, failureThreshold: 60 },
              livenessProbe: { ...probe('/'), periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6 },
              readinessProbe: { ...probe('/subjects'), periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3 },
            }],
          },
        },
      },
      waitForRollout: true,
      timeouts: { create: '10m', update: '10m' },
      dependsOn: props.dependsOn,
    });
  }
}
