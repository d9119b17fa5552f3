/**
 * Every third-party image the stack runs, pinned to an exact version: the same
 * versions the local stack (dev/versions.env) and the tests run, so what is
 * deployed is what was tested. Bump them here, in one place; a test refuses a
 * tag that is missing, `latest`, or not a version number.
 */
export const IMAGES = {
  kafka: 'apache/kafka:4.4.0',
  schemaRegistry: 'confluentinc/cp-schema-registry:8.0.0',
  cassandra: 'cassandra:5.0.9',
  grafana: 'grafana/grafana:12.2.0',
} as const;

/** The Grafana plugin that reads Cassandra, pinned like the images. */
export const GRAFANA_CASSANDRA_PLUGIN = { id: 'hadesarchitect-cassandra-datasource', version: '3.3.0' } as const;
