#!/usr/bin/env bash
# Starts the local stack (Kafka, Cassandra, schema registry) on 127.0.0.1 and waits
# until each answers a real request. Servers already running are left alone.
#   dev/up.sh [kafka|cassandra|registry ...]     default: all three
set -euo pipefail
. "$(dirname "$0")/lib.sh"

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${SERVERS[@]}")
for s in "${targets[@]}"; do check_server_name "$s"; done
[ -d "$REPO_DIR/node_modules/kafkajs" ] && [ -d "$REPO_DIR/node_modules/cassandra-driver" ] \
  || die "node_modules is missing kafkajs/cassandra-driver (needed for the health checks); run make deps"

stack_lock
t0=$SECONDS
# Launch everything first so the JVMs start side by side, then wait for each.
for s in "${targets[@]}"; do start_server "$s"; done
for s in registry kafka cassandra; do
  [[ " ${targets[*]} " == *" $s "* ]] && wait_healthy "$s"
done
log "ready in $((SECONDS - t0))s: $(for s in "${targets[@]}"; do printf '%s 127.0.0.1:%s  ' "$s" "$(server_port "$s")"; done)(logs in $STACK_DIR/logs)"
