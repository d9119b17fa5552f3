#!/usr/bin/env bash
# Starts one server of the local stack (if not already running) and waits until healthy.
#   dev/start-one.sh <kafka|cassandra|registry>
#   NODES=3 dev/start-one.sh <kafka1..3|cassandra1..3|registry>   one node of the three-node stack
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -eq 1 ] || die "usage: dev/start-one.sh <${SERVERS[*]// /|}>"
check_server_name "$1"
stack_lock
start_server "$1"
wait_healthy "$1"
