#!/usr/bin/env bash
# Prints, for each server of the local stack, whether it is up, its address and its log.
# Exit code 0 when all are up, 1 otherwise.
#   dev/status.sh [--check]     --check also sends each running server a real request
#   NODES=3 dev/status.sh       the three-node stack: one line per node; --check adds what
#                               the cluster says (brokers, leaders, under-replicated
#                               partitions; the Cassandra nodes up and down)
set -uo pipefail
. "$(dirname "$0")/lib.sh"

check=0
[ "${1:-}" = "--check" ] && check=1
all_up=0
for s in "${SERVERS[@]}"; do
  port="$(server_port "$s")"
  host="$(server_host "$s")"
  if pid="$(running_pid "$s")"; then
    if ! port_open "$host" "$port"; then
      state="starting (pid $pid, port $port not open yet)"
      all_up=1
    elif [ $check = 1 ] && ! node "$DEV_DIR/health.ts" "$(server_kind "$s")" --host "$host" --port "$port" --timeout 0 --quiet 2>/dev/null; then
      state="unhealthy (pid $pid, port $port open but not answering)"
      all_up=1
    else
      state="up (pid $pid)"
    fi
  else
    state="down"
    all_up=1
    if port_open "$host" "$port"; then state="down (port $port is used by another process)"; fi
  fi
  printf '%-10s %-45s %s:%-6s %s\n' "$s" "$state" "$host" "$port" "$(log_file "$s")"
done
if [ $check = 1 ] && [ "$NODES" != 1 ]; then
  for kind in kafka cassandra; do
    for s in "${SERVERS[@]}"; do
      [ "$(server_kind "$s")" = "$kind" ] && running_pid "$s" >/dev/null || continue
      node "$DEV_DIR/health.ts" "$kind" --host "$(server_host "$s")" --port "$(server_port "$s")" --timeout 0 --describe 2>&1 | sed "s/^/  (asked $s) /"
      break
    done
  done
fi
exit $all_up
