#!/usr/bin/env bash
# Builds the project's Dockerfile, unchanged, with buildah on a machine with no
# Docker engine and no container registry: the base image comes from
# dev/image/base.sh. This is what `make image` runs when IMAGE_BUILDER=buildah
# (the default for a context that is not minikube).
#
#   dev/image/build.sh [IMAGE]     IMAGE defaults to stockstreamer:<git short sha>
#
# Flags, and why:
#   --runtime runc        crun fails on this host's hybrid cgroups
#   --pull=never          the base is local; without it the name is looked up in a registry and fails
#   --network host        RUN npm ci reaches the npm registry; host networking changes
#                         nothing on the host (bridge/CNI networking would edit iptables)
#   --ulimit nofile=…     a build container may not raise RLIMIT_NOFILE above the caller's here
#   -v CA + npmrc         where this machine reaches the npm registry through a TLS proxy
#                         with its own CA (npm's cafile / NODE_EXTRA_CA_CERTS set on the host),
#                         `npm ci` must trust that CA too: both are bind-mounted into the RUN
#                         steps only, so neither enters a layer of the image
set -euo pipefail
cd "$(dirname "$0")/../.."
IMAGE=${1:-stockstreamer:$(git rev-parse --short HEAD 2>/dev/null || echo dev)}
say() { echo "image-build: $*"; }

bash dev/image/base.sh
start=$(date +%s)
say "buildah bud -t $IMAGE ."
nofile=$(ulimit -n)
mounts=()
cafile=$(npm config get cafile 2>/dev/null || true)
case "$cafile" in ''|null|undefined) cafile=${NODE_EXTRA_CA_CERTS:-} ;; esac
if [ -n "$cafile" ] && [ -f "$cafile" ]; then
  # Mounted over /usr/local/etc, which the base already has (npm reads its global
  # npmrc there): a mount point the base lacks would stay behind as an empty file.
  etc=.tools/image/npm-etc
  rm -rf "$etc" && mkdir -p "$etc"
  cp "$cafile" "$etc/build-ca.crt"
  printf 'cafile=/usr/local/etc/build-ca.crt\n' >"$etc/npmrc"
  mounts=(-v "$PWD/$etc:/usr/local/etc:ro")
  say "npm in the build trusts this machine's CA bundle $cafile (mounted, not copied into a layer)"
fi
buildah --runtime runc bud --pull=never --network host --layers \
  --ulimit "nofile=$nofile:$nofile" "${mounts[@]}" \
  -f Dockerfile -t "$IMAGE" . >&2
size=$(podman image inspect --format '{{.Size}}' "$IMAGE")
say "$IMAGE built in $(( $(date +%s) - start ))s, $(numfmt --to=iec "$size") ($size bytes)"
