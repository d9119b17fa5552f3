#!/usr/bin/env bash
# podman, buildah, runc and debootstrap from Debian's packages, once.
# runc, not crun: crun refuses this kind of host ("cgroups in hybrid mode not
# supported"); every podman/buildah call of dev/image/ passes --runtime runc.
set -euo pipefail
missing=()
for cmd in podman buildah runc debootstrap; do command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd"); done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "image-tools: ${missing[*]} missing; install them: sudo apt-get install podman buildah runc debootstrap" >&2
  exit 1
fi
echo "image-tools: installing ${missing[*]} from Debian's packages"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends podman buildah runc debootstrap >/dev/null 2>&1 \
  || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends podman buildah runc debootstrap >/dev/null; } \
  || { echo "image-tools: apt-get install podman buildah runc debootstrap failed" >&2; exit 1; }
