#!/usr/bin/env bash
# Starts the local stack (Kafka, Cassandra, schema registry) on 127.0.0.1 and waits
# until each answers a real request. Servers already running are left alone.
#   dev/up.sh [kafka|cassandra|registry ...]     default: all three
#   NODES=3 dev/up.sh [server ...]               three brokers and three Cassandra nodes on
#                                                127.0.0.11-13 (kafka1..3, cassandra1..3,
#                                                registry; "kafka"/"cassandra" = every node)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

expand_targets "$@"
targets=("${TARGETS[@]}")
[ -d "$REPO_DIR/node_modules/kafkajs" ] && [ -d "$REPO_DIR/node_modules/cassandra-driver" ] \
  || die "node_modules is missing kafkajs/cassandra-driver (needed for the health checks); run make deps"

has() { [[ " ${targets[*]} " == *" $1 "* ]]; }
stack_lock
t0=$SECONDS
if [ "$NODES" = 1 ]; then
  # Launch everything first so the JVMs start side by side, then wait for each.
  for s in "${targets[@]}"; do start_server "$s"; done
  for s in registry kafka cassandra; do
    has "$s" && wait_healthy "$s"
  done
else
  # The JVMs start side by side; the registry waits for a Cassandra ring that can
  # answer at LOCAL_QUORUM, and the coordinators' topics (3 replicas each) for every broker.
  for s in "${targets[@]}"; do [ "$s" = registry ] || start_server "$s"; done
  for s in "${targets[@]}"; do [ "$(server_kind "$s")" = cassandra ] && wait_healthy "$s"; done
  if has cassandra1 && has "cassandra$NODES"; then
    wait_healthy cassandra1 --nodes "$NODES" --quiet
    log "cassandra: $NODES nodes in the ring"
  fi
  if has registry; then start_server registry; fi
  for s in "${targets[@]}"; do [ "$(server_kind "$s")" = kafka ] && wait_healthy "$s"; done
  if has kafka1 && has "kafka$NODES"; then
    wait_healthy kafka1 --brokers "$NODES" --warm --quiet
    log "kafka: $NODES brokers, the coordinators' topics created"
  fi
  has registry && wait_healthy registry
fi
log "ready in $((SECONDS - t0))s: $(for s in "${targets[@]}"; do printf '%s %s:%s  ' "$s" "$(server_host "$s")" "$(server_port "$s")"; done)(logs in $STACK_DIR/logs)"
