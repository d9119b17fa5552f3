# Shared helpers for the local stack scripts (sourced, not run).
# Layout under $STACK_DIR (default <repo>/.stack, git-ignored):
#   kafka/lib, cassandra/lib     jars copied from Maven Central by dev/fetch.sh
#   bin/schema-registry          AxonOps Schema Registry, built from the Go module proxy
#   <server>/conf                configs rendered on every start (ports come from env)
#   <server>/data                state (the registry keeps its schemas in Cassandra, keyspace schema_registry)
#   logs/<server>.log            stdout+stderr of each server, appended across restarts
#   run/<server>.pid             pid of each running server
#
# NODES=1 (the default): one Kafka, one Cassandra and the registry on 127.0.0.1, as above.
# NODES=3 (2 to 9): that many Kafka brokers (KRaft, each broker and controller) and
# Cassandra nodes, servers kafka1..N, cassandra1..N and registry. Node i runs on its own
# loopback address (NODE_ADDRESSES, default 127.0.0.1i: 127.0.0.11, .12, .13; Linux routes
# all of 127/8 to lo, no setup needed) with the single-node stack's ports, so both stacks
# run side by side; its state is in <repo>/.stack-<N>nodes and it uses the jars and the
# registry binary fetched into .stack/.

DEV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$DEV_DIR/.." && pwd)"
NODES="${NODES:-1}"
if ! [[ "$NODES" =~ ^[1-9]$ ]]; then
  printf '[stack] ERROR: NODES=%s: expected a number of nodes from 1 to 9\n' "$NODES" >&2
  exit 1
fi
if [ "$NODES" = 1 ]; then
  STACK_DIR="${STACK_DIR:-$REPO_DIR/.stack}"
  STACK_LIB_DIR="${STACK_LIB_DIR:-$STACK_DIR}"
  NODE_HOSTS=(127.0.0.1)
  SERVERS=(kafka cassandra registry)
else
  STACK_DIR="${STACK_DIR:-$REPO_DIR/.stack-${NODES}nodes}"
  # jars and binaries are fetched once, into the single-node stack's folder
  STACK_LIB_DIR="${STACK_LIB_DIR:-$REPO_DIR/.stack}"
  read -r -a NODE_HOSTS <<<"${NODE_ADDRESSES:-$(for ((i = 1; i <= NODES; i++)); do printf '127.0.0.1%d ' "$i"; done)}"
  [ "${#NODE_HOSTS[@]}" = "$NODES" ] || { printf '[stack] ERROR: NODE_ADDRESSES names %s addresses for NODES=%s\n' "${#NODE_HOSTS[@]}" "$NODES" >&2; exit 1; }
  SERVERS=()
  for ((i = 1; i <= NODES; i++)); do SERVERS+=("kafka$i"); done
  for ((i = 1; i <= NODES; i++)); do SERVERS+=("cassandra$i"); done
  SERVERS+=(registry)
fi
# Replicas of what the stack replicates itself (Kafka's internal topics, the registry's
# keyspace) and the in-sync replicas a write needs: 1/1 on one node, 3/2 from three on:
# one node may be lost without losing a write or stopping one.
REPLICATION=$((NODES < 3 ? NODES : 3))
MIN_INSYNC=$((REPLICATION >= 3 ? 2 : 1))
# shellcheck source=versions.env
. "$DEV_DIR/versions.env"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
CASSANDRA_PORT="${CASSANDRA_PORT:-9042}"
CASSANDRA_STORAGE_PORT="${CASSANDRA_STORAGE_PORT:-7000}"
REGISTRY_PORT="${REGISTRY_PORT:-8081}"

# Seconds to wait for a server to become healthy, and for it to stop before SIGKILL.
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
CASSANDRA_START_TIMEOUT="${CASSANDRA_START_TIMEOUT:-150}"
REGISTRY_START_TIMEOUT="${REGISTRY_START_TIMEOUT:-$((NODES > 1 ? 60 : 30))}"
STOP_GRACE="${STOP_GRACE:-30}"


# JVM tuning, overridable like Kafka's own scripts (KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS)
# plus *_EXTRA_JAVA_OPTS appended last. See dev/README.md for the start-up measurements.
# STACK_JIT=c1 (default) stops at the C1 compiler: start-up is about twice as fast on this
# 2-core box and the servers do not steal CPU from the tests for C2 compilation; use
# STACK_JIT=full for benchmarks that measure the servers' steady state.
STACK_JIT="${STACK_JIT:-c1}"
# STACK_CDS=1 (default) keeps an AppCDS archive per server (see jvm_cds_opts).
STACK_CDS="${STACK_CDS:-1}"
JIT_OPTS=""
[ "$STACK_JIT" = c1 ] && JIT_OPTS="-XX:TieredStopAtLevel=1"
KAFKA_JVM_PERFORMANCE_DEFAULT="-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExplicitGCInvokesConcurrent $JIT_OPTS"
CASSANDRA_JVM_PERFORMANCE_DEFAULT="-XX:+UseG1GC -XX:MaxGCPauseMillis=300 -XX:+ParallelRefProcEnabled $JIT_OPTS"

# Node 24 for the health checks: the repo's private copy first, as the Makefile does.
if [ -x "$REPO_DIR/.tools/node/node_modules/.bin/node" ]; then
  PATH="$REPO_DIR/.tools/node/node_modules/.bin:$PATH"
fi
export PATH

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

check_server_name() {
  local s
  for s in "${SERVERS[@]}"; do [ "$s" = "${1:-}" ] && return 0; done
  die "unknown server '${1:-}' (expected one of: ${SERVERS[*]})"
}

# expand_targets ARG...: sets TARGETS to the servers named, all when none; with NODES>1
# "kafka" and "cassandra" stand for every node of that kind.
expand_targets() {
  local a s
  TARGETS=()
  [ $# -gt 0 ] || set -- "${SERVERS[@]}"
  for a in "$@"; do
    if [ "$NODES" != 1 ] && { [ "$a" = kafka ] || [ "$a" = cassandra ]; }; then
      for s in "${SERVERS[@]}"; do [ "$(server_kind "$s")" = "$a" ] && TARGETS+=("$s"); done
    else
      check_server_name "$a"
      TARGETS+=("$a")
    fi
  done
}

# kafka2 → kafka, 2; registry → registry, 1. Node i runs on NODE_HOSTS[i-1]; the
# registry on node 1's address.
server_kind() { echo "${1%%[0-9]*}"; }
server_index() { local n="${1##*[a-z]}"; echo "${n:-1}"; }
server_host() { echo "${NODE_HOSTS[$(($(server_index "$1") - 1))]}"; }
kind_upper() { server_kind "$1" | tr '[:lower:]' '[:upper:]'; }

pid_file() { echo "$STACK_DIR/run/$1.pid"; }
log_file() { echo "$STACK_DIR/logs/$1.log"; }

# The port a server listens on: the one recorded when it was started if it is running,
# else the configured one.
server_port() {
  local f="$STACK_DIR/run/$1.port"
  if [ -f "$f" ] && running_pid "$1" >/dev/null; then
    cat "$f"
    return 0
  fi
  configured_port "$1"
}

configured_port() {
  case "$(server_kind "$1")" in
    kafka) echo "$KAFKA_PORT" ;;
    cassandra) echo "$CASSANDRA_PORT" ;;
    registry) echo "$REGISTRY_PORT" ;;
  esac
}

# Prints the recorded pid if that process is alive and is one of ours (its command
# line mentions $STACK_DIR/, so a recycled pid, or a server of the other stack, is never
# mistaken for one of this stack's servers).
running_pid() {
  local f pid
  f="$(pid_file "$1")"
  [ -f "$f" ] || return 1
  pid="$(cat "$f" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$STACK_DIR/" || return 1
  echo "$pid"
}

# port_open HOST PORT
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

fetched() {
  case "$(server_kind "$1")" in
    kafka) [ -f "$STACK_LIB_DIR/kafka/lib/.fetched-$KAFKA_VERSION-$LOG4J_VERSION" ] ;;
    cassandra) [ -f "$STACK_LIB_DIR/cassandra/lib/.fetched-$CASSANDRA_VERSION" ] ;;
    registry) [ -f "$STACK_LIB_DIR/bin/.schema-registry-$REGISTRY_VERSION" ] ;;
  esac
}

# How each server is configured and launched: <server>_start functions.
# shellcheck source=servers.sh
. "$DEV_DIR/servers.sh"

# ---------------------------------------------------------- life cycle

# launch NAME CMD...: runs CMD in its own session (so a Ctrl-C or a test runner killing
# its process group does not take the server down), appending to the server's log.
launch() {
  local name="$1" pid
  shift
  mkdir -p "$STACK_DIR/logs" "$STACK_DIR/run"
  # Logs are appended across restarts (tests restart servers mid-run); keep one old
  # generation once a log passes 50 MB.
  if [ "$(stat -c %s "$(log_file "$name")" 2>/dev/null || echo 0)" -gt 52428800 ]; then
    mv -f "$(log_file "$name")" "$(log_file "$name").1"
  fi
  printf '\n===== %s starting %s =====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" >>"$(log_file "$name")"
  # 9>&-: the server must not inherit the stack lock (see stack_lock).
  setsid "$@" >>"$(log_file "$name")" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$(pid_file "$name")"
  configured_port "$name" >"$STACK_DIR/run/$name.port"
}

# Serialises the scripts that start or stop servers (parallel test workers may call
# them at once); held until the calling script exits.
stack_lock() {
  mkdir -p "$STACK_DIR/run"
  exec 9>"$STACK_DIR/run/.lock"
  if ! flock -w "${STACK_LOCK_TIMEOUT:-300}" 9; then
    die "another dev/ script has held $STACK_DIR/run/.lock for ${STACK_LOCK_TIMEOUT:-300}s"
  fi
}

start_server() {
  local name="$1" pid
  check_server_name "$name"
  if pid="$(running_pid "$name")"; then
    log "$name: already running (pid $pid, port $(server_port "$name"))"
    if [ "$(server_port "$name")" != "$(configured_port "$name")" ]; then
      log "$name: WARNING: it listens on $(server_port "$name"), not on the requested $(configured_port "$name"); restart it to change"
    fi
    return 0
  fi
  fetched "$name" || die "$name: not fetched yet; run dev/fetch.sh (or make up)"
  if port_open "$(server_host "$name")" "$(server_port "$name")"; then
    die "$name: port $(server_port "$name") on $(server_host "$name") is taken by another process; stop it or set $(kind_upper "$name")_PORT"
  fi
  log "$name: starting on $(server_host "$name"):$(server_port "$name"), log $(log_file "$name")"
  "$(server_kind "$name")_start" "$name"
}

# Blocks until the server answers a real request (see dev/health.ts), the process
# dies, or the timeout passes; the error names the log to look at.
# wait_healthy NAME [health.ts options...]
wait_healthy() {
  local name="$1" timeout pid t0 rc extra
  shift
  case "$(server_kind "$name")" in
    kafka) timeout="$KAFKA_START_TIMEOUT" ;;
    cassandra) timeout="$CASSANDRA_START_TIMEOUT" ;;
    registry) timeout="$REGISTRY_START_TIMEOUT" ;;
  esac
  pid="$(cat "$(pid_file "$name")" 2>/dev/null || true)"
  t0=$SECONDS
  rc=0
  extra=("$@")
  # one broker: create the coordinators' topics now (see dev/health.ts); with more, once
  # every broker is up (kafka_warm), since those topics need all their replicas
  [ "$name" = kafka ] && [ "$NODES" = 1 ] && extra+=(--warm)
  node "$DEV_DIR/health.ts" "$(server_kind "$name")" --host "$(server_host "$name")" --port "$(server_port "$name")" \
    --timeout "$timeout" --pid "${pid:-0}" "${extra[@]}" || rc=$?
  case $rc in
    0) log "$name: ready in $((SECONDS - t0))s" ;;
    2) die "$name: the process exited during start-up; last lines of $(log_file "$name"):
$(tail -n 25 "$(log_file "$name")")" ;;
    *) die "$name: not healthy after ${timeout}s; see $(log_file "$name")" ;;
  esac
}

stop_server() {
  local name="$1" pid i
  check_server_name "$name"
  if ! pid="$(running_pid "$name")"; then
    rm -f "$(pid_file "$name")" "$STACK_DIR/run/$name.port"
    log "$name: not running"
    return 0
  fi
  log "$name: stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < STOP_GRACE * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name: still alive after ${STOP_GRACE}s, sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
    rm -f "$STACK_DIR/$name/jvm.jsa.tmp"
  elif [ -s "$STACK_DIR/$name/jvm.jsa.tmp" ]; then
    mv -f "$STACK_DIR/$name/jvm.jsa.tmp" "$STACK_DIR/$name/jvm.jsa"
    log "$name: saved the class-data archive for faster starts ($STACK_DIR/$name/jvm.jsa)"
  fi
  rm -f "$(pid_file "$name")" "$STACK_DIR/run/$name.port"
  log "$name: stopped"
}
