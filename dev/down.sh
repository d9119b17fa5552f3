#!/usr/bin/env bash
# Stops the local stack by recorded pid: TERM, then KILL after $STOP_GRACE seconds (30).
#   dev/down.sh [kafka|cassandra|registry ...]     default: all three
#   NODES=3 dev/down.sh [server ...]               the three-node stack (see dev/up.sh)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

expand_targets "$@"
targets=("${TARGETS[@]}")
stack_lock
# Stop in parallel: Cassandra and Kafka each take a few seconds to shut down cleanly.
pids=()
for s in "${targets[@]}"; do
  stop_server "$s" &
  pids+=($!)
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
exit $rc
