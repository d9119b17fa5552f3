# Shared by dev/cluster/{up,down,status}.sh (sourced, not run).
# Layout under $CLUSTER_DIR (default <repo>/.cluster, git-ignored):
#   pki/            a CA made for this cluster, the API server's serving cert, an admin
#                   client cert (O=system:masters), the service-account key pair
#   etcd/           etcd's data
#   kubeconfig      context $CLUSTER_CONTEXT (export KUBECONFIG=<that file>)
#   logs/<name>.log stdout+stderr of each process
#   run/<name>.pid  pid of each running process
# Ports stay clear of the local stack's (9092, 9093, 8081, 9042, 7000, 8080, 9464).

CLUSTER_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$CLUSTER_LIB_DIR/../.." && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-$REPO_DIR/.cluster}"
CLUSTER_BIN="$REPO_DIR/.tools/cluster/bin"
CLUSTER_CONTEXT="${CLUSTER_CONTEXT:-stockstreamer-kwok}"
ETCD_CLIENT_PORT="${ETCD_CLIENT_PORT:-23790}"
ETCD_PEER_PORT="${ETCD_PEER_PORT:-23800}"
APISERVER_PORT="${APISERVER_PORT:-16443}"
# Three fake nodes, each as big as a Minikube started with --cpus 4 --memory 8g.
CLUSTER_NODES="${CLUSTER_NODES:-3}"
# Processes in start order; stopped in reverse.
CLUSTER_PROCS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

clog() { printf '[cluster] %s\n' "$*" >&2; }
cdie() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }

cpid_file() { echo "$CLUSTER_DIR/run/$1.pid"; }
clog_file() { echo "$CLUSTER_DIR/logs/$1.log"; }

# The recorded pid, if that process is alive and is ours (its command line names
# $CLUSTER_DIR, so a recycled pid is never taken for one of ours).
crunning_pid() {
  local f pid
  f="$(cpid_file "$1")"
  [ -f "$f" ] || return 1
  pid="$(cat "$f" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$CLUSTER_DIR" || return 1
  echo "$pid"
}

cport_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

kctl() { kubectl --kubeconfig "$CLUSTER_DIR/kubeconfig" --context "$CLUSTER_CONTEXT" "$@"; }
