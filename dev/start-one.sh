#!/usr/bin/env bash
# Starts one server of the local stack (if not already running) and waits until healthy.
#   dev/start-one.sh <kafka|cassandra|registry>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -eq 1 ] || die "usage: dev/start-one.sh <kafka|cassandra|registry>"
stack_lock
start_server "$1"
wait_healthy "$1"
