// Creates the Cassandra keyspace the local schema registry keeps its schemas in.
// AxonOps Schema Registry v0.2.1 creates its tables itself, but it opens its
// session *in* the keyspace before it would create it, so on an empty Cassandra
// it stops with "no connections were made when creating the session".
// Usage: node dev/registry-keyspace.ts [--host H] --port N --keyspace NAME [--replication RF]
import { parseArgs } from 'node:util';
import cassandra from 'cassandra-driver';

const { values } = parseArgs({ options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '9042' }, keyspace: { type: 'string', default: 'schema_registry' }, replication: { type: 'string', default: '1' } } });
const keyspace = values.keyspace;
if (!/^[a-z][a-z0-9_]{0,47}$/.test(keyspace)) {
  console.error(`registry-keyspace: "${keyspace}" is not a plain keyspace name`);
  process.exit(64);
}
const replication = Number(values.replication);
if (!Number.isInteger(replication) || replication < 1 || replication > 9) {
  console.error(`registry-keyspace: --replication ${values.replication} is not a replication factor from 1 to 9`);
  process.exit(64);
}
const where = `${values.host}:${values.port}`;
const client = new cassandra.Client({ contactPoints: [where], localDataCenter: 'datacenter1', socketOptions: { readTimeout: 30_000 } });
try {
  // RF 1 on the one-node stack; 3 on three nodes (dev/lib.sh REPLICATION), as the data.
  await client.execute(`CREATE KEYSPACE IF NOT EXISTS ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': ${replication}}`);
  console.log(`registry-keyspace: ${keyspace} ready on ${where} (replication ${replication})`);
} catch (err) {
  console.error(`registry-keyspace: cannot create ${keyspace} on ${where}: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await client.shutdown();
}
