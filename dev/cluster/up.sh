#!/usr/bin/env bash
# Starts a real Kubernetes API server with a fake data plane, as plain processes
# on 127.0.0.1 (no containers, no root needed once built):
#   etcd → kube-apiserver → kube-controller-manager → kube-scheduler → kwok,
# then three fake Nodes that kwok keeps Ready, a default StorageClass, and the
# kubeconfig context $CLUSTER_CONTEXT (stockstreamer-kwok) in .cluster/kubeconfig.
#
# What is real: the API server (validation, admission, RBAC, defaulting), etcd,
# every controller (Deployments → ReplicaSets → Pods, StatefulSets and their PVCs,
# Jobs, HPAs, garbage collection, namespace deletion) and the scheduler. What is
# fake: the nodes. kwok marks a scheduled pod Running and Ready (and a Job's pod
# Succeeded) without running a container, so probes, images and NetworkPolicies
# are never exercised, and logs/exec/port-forward have no kubelet to reach.
# Volumes: the controller-manager's built-in hostPath provisioner (testing only,
# as Minikube's) backs the default StorageClass, so StatefulSet PVCs bind.
#
#   dev/cluster/up.sh     start what is not running (builds first: dev/cluster/fetch.sh)
#   then: export KUBECONFIG=$PWD/.cluster/kubeconfig; kubectl --context stockstreamer-kwok get nodes
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"
command -v kubectl >/dev/null || cdie "kubectl is needed (Debian: apt-get install kubernetes-client)"
command -v openssl >/dev/null || cdie "openssl is needed"
bash dev/cluster/fetch.sh >&2
mkdir -p "$CLUSTER_DIR"/{pki,etcd,logs,run}
chmod 0700 "$CLUSTER_DIR/pki" "$CLUSTER_DIR/etcd"
t0=$(date +%s)

# ---- PKI (once) ------------------------------------------------------------
P=$CLUSTER_DIR/pki
if [ ! -s "$P/admin.crt" ]; then
  clog "making a CA, the API server's certificate, an admin client certificate and the service-account key"
  (
    cd "$P"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=stockstreamer-kwok-ca" -keyout ca.key -out ca.crt 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\n' >server.ext
    openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout server.key -out server.csr 2>/dev/null
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile server.ext -out server.crt 2>/dev/null
    # O=system:masters: cluster-admin through RBAC's built-in binding. The controllers
    # and kwok use it too: this cluster exists for tests on one machine.
    printf 'extendedKeyUsage=clientAuth\n' >client.ext
    openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=kubernetes-admin" -keyout admin.key -out admin.csr 2>/dev/null
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile client.ext -out admin.crt 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ./*.ext
  )
fi

KC=$CLUSTER_DIR/kubeconfig
kubectl config --kubeconfig "$KC" set-cluster "$CLUSTER_CONTEXT" --server "https://127.0.0.1:$APISERVER_PORT" \
  --certificate-authority "$P/ca.crt" --embed-certs >/dev/null
kubectl config --kubeconfig "$KC" set-credentials "$CLUSTER_CONTEXT-admin" --client-certificate "$P/admin.crt" \
  --client-key "$P/admin.key" --embed-certs >/dev/null
kubectl config --kubeconfig "$KC" set-context "$CLUSTER_CONTEXT" --cluster "$CLUSTER_CONTEXT" --user "$CLUSTER_CONTEXT-admin" >/dev/null
kubectl config --kubeconfig "$KC" use-context "$CLUSTER_CONTEXT" >/dev/null
chmod 0600 "$KC"

# ---- processes --------------------------------------------------------------
launch() {
  local name=$1 pid
  shift
  if pid=$(crunning_pid "$name"); then clog "$name: already running (pid $pid)"; return 0; fi
  printf '\n===== %s starting %s =====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$name" >>"$(clog_file "$name")"
  # Own session: a Ctrl-C in the caller's terminal or a test runner killing its group leaves it alone.
  # 9>&-: never inherit a lock a caller holds on fd 9 (dev/lib.sh's stack lock).
  setsid "$@" >>"$(clog_file "$name")" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$(cpid_file "$name")"
  clog "$name: started (pid $pid), log $(clog_file "$name")"
}
# wait_for NAME SECONDS CMD...: until CMD succeeds; fails early when the process died.
wait_for() {
  local name=$1 timeout=$2 i
  shift 2
  for ((i = 0; i < timeout * 4; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    crunning_pid "$name" >/dev/null || cdie "$name exited during start-up; last lines of $(clog_file "$name"):
$(tail -n 20 "$(clog_file "$name")")"
    sleep 0.25
  done
  cdie "$name: not ready after ${timeout}s; see $(clog_file "$name")"
}

for port in "$ETCD_CLIENT_PORT" "$ETCD_PEER_PORT" "$APISERVER_PORT"; do
  if cport_open "$port" && ! crunning_pid etcd >/dev/null && ! crunning_pid kube-apiserver >/dev/null; then
    cdie "port $port on 127.0.0.1 is taken by another process (set ETCD_CLIENT_PORT, ETCD_PEER_PORT, APISERVER_PORT)"
  fi
done

B=$CLUSTER_BIN
# --unsafe-no-fsync: a throw-away test cluster; fsync on every write would make each
# apply wait on the disk that Kafka and Cassandra of the local stack also use.
launch etcd "$B/etcd" --name kwok --data-dir "$CLUSTER_DIR/etcd" \
  --listen-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "kwok=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "" \
  --unsafe-no-fsync --log-level warn
wait_for etcd 30 curl -fsS "http://127.0.0.1:$ETCD_CLIENT_PORT/health"

# The API server dials nodes and pods for logs, exec, port-forward and service proxying.
# Nothing here may send traffic off this machine, and the fake nodes and pods have no
# real address: all such "cluster" traffic goes to a Unix socket nobody listens on, so
# those requests fail at once, locally. (kwok's nodes also get 127.0.0.1 as their address.)
cat >"$CLUSTER_DIR/egress.yaml" <<EOF
apiVersion: apiserver.k8s.io/v1beta1
kind: EgressSelectorConfiguration
egressSelections:
- name: cluster
  connection:
    proxyProtocol: HTTPConnect
    transport:
      uds:
        udsName: $CLUSTER_DIR/run/no-cluster-network.sock
EOF
# --endpoint-reconciler-type=none: the loopback advertise address is otherwise rejected every 10 s.
launch kube-apiserver "$B/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$ETCD_CLIENT_PORT" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$APISERVER_PORT" \
  --endpoint-reconciler-type none \
  --authorization-mode RBAC --client-ca-file "$P/ca.crt" \
  --tls-cert-file "$P/server.crt" --tls-private-key-file "$P/server.key" \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$P/sa.pub" --service-account-signing-key-file "$P/sa.key" \
  --service-cluster-ip-range 10.96.0.0/16 \
  --cert-dir "$CLUSTER_DIR/pki/apiserver-generated" \
  --egress-selector-config-file "$CLUSTER_DIR/egress.yaml" \
  --profiling=false --v=1
wait_for kube-apiserver 90 curl -fsS --cacert "$P/ca.crt" --cert "$P/admin.crt" --key "$P/admin.key" "https://127.0.0.1:$APISERVER_PORT/readyz"

launch kube-controller-manager "$B/kube-controller-manager" \
  --kubeconfig "$KC" --secure-port 0 --leader-elect=false \
  --controllers '*,-nodeipam,-cloud-node-lifecycle' \
  --service-account-private-key-file "$P/sa.key" --root-ca-file "$P/ca.crt" \
  --cluster-signing-cert-file "$P/ca.crt" --cluster-signing-key-file "$P/ca.key" \
  --enable-hostpath-provisioner \
  --profiling=false --v=1
launch kube-scheduler "$B/kube-scheduler" --kubeconfig "$KC" --secure-port 0 --leader-elect=false --profiling=false --v=1
# An empty config file: kwok must not read ~/.kwok/kwok.yaml of whoever runs this.
# Node leases: without them kwok refreshes a node's status only about once a minute,
# later than the node lifecycle controller's grace period, which then marks every pod
# on it NotReady (and kwok never makes them Ready again).
: >"$CLUSTER_DIR/kwok.yaml"
launch kwok "$B/kwok" --kubeconfig "$KC" -c "$CLUSTER_DIR/kwok.yaml" \
  --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --node-lease-duration-seconds 40 \
  --cidr 10.244.0.1/16 --node-ip 127.0.0.1

# ---- nodes and storage ------------------------------------------------------
nodes=""
for i in $(seq 1 "$CLUSTER_NODES"); do
  nodes+="
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: \"0\"
  labels:
    kubernetes.io/hostname: kwok-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
status:
  capacity: {cpu: \"4\", memory: 8Gi, pods: \"110\", ephemeral-storage: 50Gi}
  allocatable: {cpu: \"4\", memory: 8Gi, pods: \"110\", ephemeral-storage: 50Gi}
  nodeInfo: {architecture: amd64, operatingSystem: linux, kubeletVersion: kwok-v0.7.0, kubeProxyVersion: kwok-v0.7.0}"
done
kctl apply -f - >/dev/null <<EOF
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: kubernetes.io/host-path
reclaimPolicy: Delete
volumeBindingMode: Immediate
$nodes
EOF
wait_for kwok 60 kctl wait --for=condition=Ready node --all --timeout=1s
# The ServiceAccount controller's first act: proves the controller-manager works.
wait_for kube-controller-manager 60 kctl -n default get serviceaccount default
clog "ready in $(( $(date +%s) - t0 ))s: $(kctl get nodes --no-headers | wc -l) fake nodes Ready, context $CLUSTER_CONTEXT"
clog "use it: export KUBECONFIG=$KC; kubectl --context $CLUSTER_CONTEXT get nodes"
