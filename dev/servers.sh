# Per-server configuration and launch commands for the local stack (sourced by lib.sh).
# Each <server>_start renders that server's config under $STACK_DIR/<server>/conf and
# calls launch (lib.sh) with its command line.

# AppCDS: the first run of a server records the classes it loaded and writes them to
# <server>/jvm.jsa.tmp when it exits cleanly; stop_server then promotes that to jvm.jsa,
# which every later start maps instead of parsing ~100 jars again (-30..40% start-up).
# A stale archive (other JDK, other jars) is ignored by the JVM with a warning.
jvm_cds_opts() {
  local dir="$STACK_DIR/$1"
  [ "$STACK_CDS" = 1 ] || return 0
  # Cassandra runs with the jamm agent, which CDS accepts only with this diagnostic flag.
  [ "$(server_kind "$1")" = cassandra ] && echo "-XX:+UnlockDiagnosticVMOptions -XX:+AllowArchivingWithJavaAgent"
  rm -f "$dir/jvm.jsa.tmp"
  if [ -f "$dir/jvm.jsa" ]; then
    echo "-XX:SharedArchiveFile=$dir/jvm.jsa"
  else
    echo "-XX:ArchiveClassesAtExit=$dir/jvm.jsa.tmp"
  fi
}

# ---------------------------------------------------------------- kafka

# The KRaft voters: every node is a broker and a controller, so with three nodes the
# quorum (2 of 3) survives one lost node, as the partitions (3 replicas, 2 in sync) do.
kafka_voters() {
  local i out=""
  for ((i = 1; i <= NODES; i++)); do out+="${out:+,}$i@${NODE_HOSTS[$((i - 1))]}:$KAFKA_CONTROLLER_PORT"; done
  echo "$out"
}

kafka_conf() {
  local name="${1:-kafka}" dir host
  dir="$STACK_DIR/$name"
  host="$(server_host "$name")"
  mkdir -p "$dir/conf" "$dir/data"
  cp "$DEV_DIR/conf/kafka-log4j2.properties" "$dir/conf/log4j2.properties"
  # Static voter list (not --standalone): the quorum is read from this file on every
  # start, so changing KAFKA_CONTROLLER_PORT later needs no re-format.
  cat >"$dir/conf/server.properties" <<EOF
# Rendered by dev/servers.sh on every start; edit there.
process.roles=broker,controller
node.id=$(server_index "$name")
controller.quorum.voters=$(kafka_voters)
listeners=PLAINTEXT://$host:$KAFKA_PORT,CONTROLLER://$host:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$host:$KAFKA_PORT,CONTROLLER://$host:$KAFKA_CONTROLLER_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=$REPLICATION
min.insync.replicas=$MIN_INSYNC
offsets.topic.replication.factor=$REPLICATION
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=$REPLICATION
transaction.state.log.min.isr=$MIN_INSYNC
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=$REPLICATION
share.coordinator.state.topic.min.isr=$MIN_INSYNC
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
delete.topic.enable=true
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=24
log.segment.bytes=67108864
EOF
}

# Heaps: 512 MB for the one broker; 384 MB each for three on this 2-core, 24 GiB box
# (see dev/README.md for what they use).
KAFKA_HEAP_DEFAULT="$([ "$NODES" = 1 ] && echo "-Xms256m -Xmx512m" || echo "-Xms192m -Xmx384m")"

kafka_java_opts() {
  local name="${1:-kafka}" dir
  dir="$STACK_DIR/$name"
  echo "${KAFKA_HEAP_OPTS:-$KAFKA_HEAP_DEFAULT}" \
    "${KAFKA_JVM_PERFORMANCE_OPTS:-$KAFKA_JVM_PERFORMANCE_DEFAULT}" \
    "-Xshare:auto $(jvm_cds_opts "$name") -Djava.awt.headless=true" \
    "-Dlog4j2.configurationFile=file:$dir/conf/log4j2.properties -Dkafka.logs.dir=$STACK_DIR/logs" \
    "${KAFKA_EXTRA_JAVA_OPTS:-}"
}

# Formats the log dir once (a KRaft node refuses to start on an unformatted dir). The
# nodes of one stack share the cluster id (kept beside their folders when there are several).
kafka_format() {
  local name="${1:-kafka}" dir id idfile
  dir="$STACK_DIR/$name"
  idfile="$([ "$NODES" = 1 ] && echo "$dir/cluster.id" || echo "$STACK_DIR/kafka.cluster.id")"
  [ -f "$dir/data/meta.properties" ] && return 0
  if [ -f "$idfile" ]; then
    id="$(cat "$idfile")"
  else
    # A Kafka Uuid is 16 random bytes in unpadded base64url; it must not start with '-'.
    id="-"
    while [[ "$id" == -* ]]; do
      id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    done
    echo "$id" >"$idfile"
  fi
  log "$name: formatting $dir/data (cluster id $id)"
  # shellcheck disable=SC2046
  java -Xmx256m -Xshare:auto -Dlog4j2.configurationFile="file:$dir/conf/log4j2.properties" \
    -cp "$STACK_LIB_DIR/kafka/lib/*" kafka.tools.StorageTool format --ignore-formatted \
    -t "$id" -c "$dir/conf/server.properties" >>"$(log_file "$name")" 2>&1 \
    || die "$name: formatting the storage failed; see $(log_file "$name")"
}

kafka_start() {
  local name="${1:-kafka}" dir
  dir="$STACK_DIR/$name"
  mkdir -p "$STACK_DIR/logs" "$STACK_DIR/run"
  kafka_conf "$name"
  kafka_format "$name"
  # shellcheck disable=SC2046
  launch "$name" java $(kafka_java_opts "$name") -cp "$STACK_LIB_DIR/kafka/lib/*" kafka.Kafka "$dir/conf/server.properties"
}

# ------------------------------------------------------------ cassandra

# Evenly spaced Murmur3 tokens, one per node (num_tokens: 1): node i owns an equal share.
cassandra_token() {
  python3 -c "import sys; n, i = int(sys.argv[1]), int(sys.argv[2]); print(-2**63 + (i - 1) * (2**64 // n))" "$NODES" "$1"
}

cassandra_seeds() {
  local h out=""
  for h in "${NODE_HOSTS[@]}"; do out+="${out:+,}$h:$CASSANDRA_STORAGE_PORT"; done
  echo "$out"
}

cassandra_conf() {
  local name="${1:-cassandra}" dir host token seeds
  dir="$STACK_DIR/$name"
  host="$(server_host "$name")"
  token=0 seeds="127.0.0.1:$CASSANDRA_STORAGE_PORT"
  [ "$NODES" = 1 ] || { token="$(cassandra_token "$(server_index "$name")")"; seeds="$(cassandra_seeds)"; }
  mkdir -p "$dir/conf" "$dir/data/data" "$dir/data/commitlog" "$dir/data/saved_caches" \
    "$dir/data/hints" "$dir/data/cdc_raw" "$dir/triggers"
  cp "$DEV_DIR/conf/cassandra-logback.xml" "$dir/conf/logback.xml"
  # Cassandra rejects unknown keys; everything not listed keeps its 5.0 default.
  cat >"$dir/conf/cassandra.yaml" <<EOF
# Rendered by dev/servers.sh on every start; edit there.
cluster_name: stockstreamer-dev
num_tokens: 1
initial_token: $token
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "$seeds"
listen_address: $host
rpc_address: $host
storage_port: $CASSANDRA_STORAGE_PORT
native_transport_port: $CASSANDRA_PORT
start_native_transport: true
data_file_directories:
  - $dir/data/data
commitlog_directory: $dir/data/commitlog
saved_caches_directory: $dir/data/saved_caches
hints_directory: $dir/data/hints
cdc_raw_directory: $dir/data/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_segment_size: 8MiB
commitlog_total_space: 256MiB
auto_snapshot: false
snapshot_before_compaction: false
storage_compatibility_mode: NONE
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
role_manager: CassandraRoleManager
network_authorizer: AllowAllNetworkAuthorizer
# A 2-core box: few threads, small caches.
concurrent_reads: 4
concurrent_writes: 4
concurrent_counter_writes: 2
concurrent_materialized_view_writes: 2
concurrent_compactors: 1
memtable_flush_writers: 1
native_transport_max_threads: 32
key_cache_size: 16MiB
counter_cache_size: 4MiB
memtable_heap_space: 128MiB
memtable_offheap_space: 128MiB
compaction_throughput: 64MiB/s
hinted_handoff_enabled: false
disk_failure_policy: stop
commit_failure_policy: stop
user_defined_functions_enabled: false
materialized_views_enabled: false
EOF
  # Several nodes: a replica that was down gets the writes it missed from the others'
  # hints when it returns (within max_hint_window, 3 h), and a new, empty cluster's
  # nodes start side by side, each on its own token range (nothing to stream yet; a node
  # whose data was deleted must never rejoin this way, see dev/README.md). The snitch is
  # the cluster stack's (same datacenter1/rack1 names as SimpleSnitch's): it orders a
  # node's own replica first, and without the dynamic snitch reordering by latency a read
  # at ONE coordinated by a replica is answered from that replica's own data, which is
  # how test/nodes shows what a returned node holds.
  if [ "$NODES" != 1 ]; then
    sed -i -e 's/^hinted_handoff_enabled: false$/hinted_handoff_enabled: true/' \
      -e 's/^endpoint_snitch: SimpleSnitch$/endpoint_snitch: GossipingPropertyFileSnitch/' "$dir/conf/cassandra.yaml"
    printf 'auto_bootstrap: false\nmax_hint_window: 3h\ndynamic_snitch: false\n' >>"$dir/conf/cassandra.yaml"
    printf 'dc=datacenter1\nrack=rack1\nprefer_local=true\n' >"$dir/conf/cassandra-rackdc.properties"
  fi
}

# Heaps: 1 GB for one node; 640 MB each for three (memtables take 128 MB of it).
CASSANDRA_HEAP_DEFAULT="$([ "$NODES" = 1 ] && echo "-Xms1g -Xmx1g" || echo "-Xms640m -Xmx640m")"

cassandra_java_opts() {
  local name="${1:-cassandra}" dir jamm
  dir="$STACK_DIR/$name"
  jamm="$STACK_LIB_DIR/cassandra/lib/jamm-$JAMM_VERSION.jar"
  # The --add-exports/--add-opens list is Cassandra 5.0's conf/jvm17-server.options.
  echo "${CASSANDRA_HEAP_OPTS:-$CASSANDRA_HEAP_DEFAULT}" \
    "${CASSANDRA_JVM_PERFORMANCE_OPTS:-$CASSANDRA_JVM_PERFORMANCE_DEFAULT}" \
    "-Xss256k -XX:+PerfDisableSharedMem -XX:+ExitOnOutOfMemoryError -Xshare:auto $(jvm_cds_opts "$name")" \
    "-Djava.net.preferIPv4Stack=true -Djava.awt.headless=true -Djdk.attach.allowAttachSelf=true" \
    "-Dio.netty.tryReflectionSetAccessible=true -Dio.netty.allocator.useCacheForAllThreads=true" \
    "-javaagent:$jamm" \
    "-Dcassandra.config=file://$dir/conf/cassandra.yaml -Dcassandra-foreground=yes" \
    "-Dcassandra.storagedir=$dir/data -Dcassandra.logdir=$STACK_DIR/logs" \
    "-Dcassandra.triggers_dir=$dir/triggers -Dlogback.configurationFile=$dir/conf/logback.xml" \
    "$([ "$NODES" = 1 ] || echo "-Dcassandra-rackdc.properties=file://$dir/conf/cassandra-rackdc.properties")" \
    "-Dcassandra.skip_wait_for_gossip_to_settle=0 -Dcassandra.ring_delay_ms=100" \
    "-Dcassandra.superuser_setup_delay_ms=0 -Dcassandra.migration_delay_ms=0" \
    "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED" \
    "--add-exports java.base/jdk.internal.ref=ALL-UNNAMED" \
    "--add-exports java.base/sun.nio.ch=ALL-UNNAMED" \
    "--add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED" \
    "--add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED" \
    "--add-exports java.rmi/sun.rmi.server=ALL-UNNAMED" \
    "--add-exports java.sql/java.sql=ALL-UNNAMED" \
    "--add-exports java.base/java.lang.ref=ALL-UNNAMED" \
    "--add-exports jdk.unsupported/sun.misc=ALL-UNNAMED" \
    "--add-opens java.base/java.lang.module=ALL-UNNAMED" \
    "--add-opens java.base/jdk.internal.loader=ALL-UNNAMED" \
    "--add-opens java.base/jdk.internal.ref=ALL-UNNAMED" \
    "--add-opens java.base/jdk.internal.reflect=ALL-UNNAMED" \
    "--add-opens java.base/jdk.internal.math=ALL-UNNAMED" \
    "--add-opens java.base/jdk.internal.module=ALL-UNNAMED" \
    "--add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED" \
    "--add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED" \
    "--add-opens java.base/sun.nio.ch=ALL-UNNAMED" \
    "--add-opens java.base/java.io=ALL-UNNAMED" \
    "--add-opens java.base/java.nio=ALL-UNNAMED" \
    "--add-opens java.base/java.util=ALL-UNNAMED" \
    "--add-opens java.base/java.util.concurrent=ALL-UNNAMED" \
    "--add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED" \
    "--add-opens java.base/java.lang=ALL-UNNAMED" \
    "--add-opens java.base/java.lang.reflect=ALL-UNNAMED" \
    "--add-opens java.base/java.math=ALL-UNNAMED" \
    "--add-opens java.base/java.net=ALL-UNNAMED" \
    "${CASSANDRA_EXTRA_JAVA_OPTS:-}"
}

cassandra_start() {
  local name="${1:-cassandra}" lib="$STACK_LIB_DIR/cassandra/lib"
  cassandra_conf "$name"
  [ -f "$lib/jamm-$JAMM_VERSION.jar" ] || die "cassandra: $lib/jamm-$JAMM_VERSION.jar missing; run dev/fetch.sh"
  # shellcheck disable=SC2046
  launch "$name" java $(cassandra_java_opts "$name") -cp "$lib/*" org.apache.cassandra.service.CassandraDaemon
}

# ------------------------------------------------------------- registry

# The registry keeps its schemas in the local Cassandra, keyspace $REGISTRY_KEYSPACE, so a
# schema id means the same schema across registry and stack restarts, as with the
# cluster's Confluent registry (which keeps them in a Kafka topic). With the in-memory
# backend a restart handed ids out from 1 again, and records already in Kafka decoded
# against the wrong schema or none. Cassandra must therefore be up first: up.sh
# launches it before the registry, and this waits for it.
REGISTRY_KEYSPACE="${REGISTRY_KEYSPACE:-schema_registry}"

registry_start() {
  local cport chost hosts="" h first="cassandra" extra=()
  [ "$NODES" = 1 ] || first="cassandra1"
  cport="$(server_port "$first")"
  chost="$(server_host "$first")"
  if ! running_pid "$first" >/dev/null && ! port_open "$chost" "$cport"; then
    die "registry: it keeps its schemas in Cassandra, which is not running; start both: dev/up.sh cassandra registry"
  fi
  node "$DEV_DIR/health.ts" cassandra --host "$chost" --port "$cport" --timeout "$CASSANDRA_START_TIMEOUT" \
    --pid "$(cat "$(pid_file "$first")" 2>/dev/null || echo 0)" --quiet \
    || die "registry: Cassandra ($chost:$cport), where it keeps its schemas, is not healthy; see $(log_file "$first")"
  node "$DEV_DIR/registry-keyspace.ts" --host "$chost" --port "$cport" --keyspace "$REGISTRY_KEYSPACE" --replication "$REPLICATION" >>"$(log_file registry)" 2>&1 \
    || die "registry: could not create the keyspace $REGISTRY_KEYSPACE; see $(log_file registry)"
  for h in "${NODE_HOSTS[@]}"; do hosts+="${hosts:+,}$h"; done
  # Several nodes: the schemas are replicated like the data they describe and read and
  # written at LOCAL_QUORUM, so the registry keeps answering while one node is away.
  [ "$NODES" = 1 ] || extra=(SCHEMA_REGISTRY_CASSANDRA_CONSISTENCY=LOCAL_QUORUM SCHEMA_REGISTRY_CASSANDRA_READ_CONSISTENCY=LOCAL_QUORUM
    SCHEMA_REGISTRY_CASSANDRA_WRITE_CONSISTENCY=LOCAL_QUORUM SCHEMA_REGISTRY_CASSANDRA_SERIAL_CONSISTENCY=LOCAL_SERIAL)
  # The binary is run from this stack's folder (a link to the fetched one when they
  # differ), so running_pid recognises it as this stack's.
  if [ "$STACK_LIB_DIR" != "$STACK_DIR" ]; then
    mkdir -p "$STACK_DIR/bin"
    ln -sfn "$STACK_LIB_DIR/bin/schema-registry" "$STACK_DIR/bin/schema-registry"
  fi
  launch registry env SCHEMA_REGISTRY_HOST="$(server_host registry)" SCHEMA_REGISTRY_PORT="$REGISTRY_PORT" \
    SCHEMA_REGISTRY_STORAGE_TYPE=cassandra SCHEMA_REGISTRY_CASSANDRA_HOSTS="$hosts" \
    SCHEMA_REGISTRY_CASSANDRA_PORT="$cport" SCHEMA_REGISTRY_CASSANDRA_KEYSPACE="$REGISTRY_KEYSPACE" \
    SCHEMA_REGISTRY_CASSANDRA_LOCAL_DC=datacenter1 SCHEMA_REGISTRY_LOG_LEVEL=info "${extra[@]}" \
    "$STACK_DIR/bin/schema-registry"
}
