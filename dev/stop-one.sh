#!/usr/bin/env bash
# Stops one server of the local stack: TERM, then KILL after $STOP_GRACE seconds (30).
#   dev/stop-one.sh <kafka|cassandra|registry>
#   NODES=3 dev/stop-one.sh <kafka1..3|cassandra1..3|registry>   one node of the three-node stack
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -eq 1 ] || die "usage: dev/stop-one.sh <${SERVERS[*]// /|}>"
check_server_name "$1"
stack_lock
stop_server "$1"
