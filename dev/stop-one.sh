#!/usr/bin/env bash
# Stops one server of the local stack: TERM, then KILL after $STOP_GRACE seconds (30).
#   dev/stop-one.sh <kafka|cassandra|registry>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -eq 1 ] || die "usage: dev/stop-one.sh <kafka|cassandra|registry>"
stack_lock
stop_server "$1"
