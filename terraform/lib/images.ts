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

/**
 * Grafana with that plugin inside (terraform/grafana-image/, `make grafana-image`):
 * the official image downloads the plugin at start, which an offline cluster cannot.
 */
export const GRAFANA_IMAGE = `stockstreamer-grafana:${IMAGES.grafana.split(':')[1]}-cassandra-${GRAFANA_CASSANDRA_PLUGIN.version}`;
/** where that image holds its plugins (GF_PATHS_PLUGINS): outside /var/lib/grafana, which is a volume */
export const GRAFANA_PLUGINS_DIR = '/opt/stockstreamer/grafana-plugins';
