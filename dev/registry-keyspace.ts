// Creates the Cassandra keyspace the local schema registry keeps its schemas in.
// AxonOps Schema Registry v0.2.1 creates its tables itself, but it opens its
// session *in* the keyspace before it would create it, so on an empty Cassandra
// it stops with "no connections were made when creating the session".
// Usage: node dev/registry-keyspace.ts --port N --keyspace NAME
import { parseArgs } from 'node:util';
import cassandra from 'cassandra-driver';

const { values } = parseArgs({ options: { port: { type: 'string', default: '9042' }, keyspace: { type: 'string', default: 'schema_registry' } } });
const keyspace = values.keyspace;
if (!/^[a-z][a-z0-9_]{0,47}$/.test(keyspace)) {
  console.error(`registry-keyspace: "${keyspace}" is not a plain keyspace name`);
  process.exit(64);
}
const client = new cassandra.Client({ contactPoints: [`127.0.0.1:${values.port}`], localDataCenter: 'datacenter1', socketOptions: { readTimeout: 30_000 } });
try {
  // RF 1 like every keyspace of the one-node local stack.
  await client.execute(`CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
  console.log(`registry-keyspace: ${keyspace} ready on 127.0.0.1:${values.port}`);
} catch (err) {
  console.error(`registry-keyspace: cannot create ${keyspace} on 127.0.0.1:${values.port}: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await client.shutdown();
}
