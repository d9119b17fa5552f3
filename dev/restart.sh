#!/usr/bin/env bash
# Restarts one server of the local stack and waits until it is healthy again.
# State survives (Kafka topics and offsets, Cassandra tables, and the registry's schemas,
# which it keeps in Cassandra).
#   dev/restart.sh <kafka|cassandra|registry>
#   NODES=3 dev/restart.sh <kafka1..3|cassandra1..3|registry>   one node of the three-node stack
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -eq 1 ] || die "usage: dev/restart.sh <${SERVERS[*]// /|}>"
check_server_name "$1"
stack_lock
stop_server "$1"
start_server "$1"
wait_healthy "$1"
