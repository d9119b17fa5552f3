#!/usr/bin/env bash
# Stops the processes dev/cluster/up.sh started, by their recorded pids, in
# reverse order (kwok first, etcd last): SIGTERM, then SIGKILL after 20 s.
#
#   dev/cluster/down.sh           stop; etcd's data stays (the next up.sh finds the same objects)
#   dev/cluster/down.sh --purge   stop and delete etcd's data: the next up.sh starts empty
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
for ((i = ${#CLUSTER_PROCS[@]} - 1; i >= 0; i--)); do
  name=${CLUSTER_PROCS[$i]}
  if ! pid=$(crunning_pid "$name"); then rm -f "$(cpid_file "$name")"; continue; fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((t = 0; t < 100; t++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then clog "$name: still alive after 20s, sending KILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$(cpid_file "$name")"
  clog "$name: stopped (pid $pid)"
done
if [ "${1:-}" = --purge ]; then
  rm -rf "$CLUSTER_DIR/etcd"
  clog "etcd data removed"
fi
