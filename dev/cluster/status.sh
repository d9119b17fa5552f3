#!/usr/bin/env bash
# Which process of the test cluster is up; exits 0 only when all are.
set -uo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
all=0
for name in "${CLUSTER_PROCS[@]}"; do
  if pid=$(crunning_pid "$name"); then
    printf '%-24s up (pid %s)   %s\n' "$name" "$pid" "$(clog_file "$name")"
  else
    printf '%-24s down             %s\n' "$name" "$(clog_file "$name")"
    all=1
  fi
done
[ "$all" = 0 ] && printf 'kubeconfig %s  context %s  server https://127.0.0.1:%s\n' "$CLUSTER_DIR/kubeconfig" "$CLUSTER_CONTEXT" "$APISERVER_PORT"
exit $all
