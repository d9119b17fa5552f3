#!/usr/bin/env bash
# Prints, for each server of the local stack, whether it is up, its port and its log.
# Exit code 0 when all three are up, 1 otherwise.
#   dev/status.sh [--check]     --check also sends each running server a real request
set -uo pipefail
. "$(dirname "$0")/lib.sh"

check=0
[ "${1:-}" = "--check" ] && check=1
all_up=0
for s in "${SERVERS[@]}"; do
  port="$(server_port "$s")"
  if pid="$(running_pid "$s")"; then
    if ! port_open "$port"; then
      state="starting (pid $pid, port $port not open yet)"
      all_up=1
    elif [ $check = 1 ] && ! node "$DEV_DIR/health.ts" "$s" --port "$port" --timeout 0 --quiet 2>/dev/null; then
      state="unhealthy (pid $pid, port $port open but not answering)"
      all_up=1
    else
      state="up (pid $pid)"
    fi
  else
    state="down"
    all_up=1
    if port_open "$port"; then state="down (port $port is used by another process)"; fi
  fi
  printf '%-10s %-45s 127.0.0.1:%-6s %s\n' "$s" "$state" "$port" "$(log_file "$s")"
done
exit $all_up
