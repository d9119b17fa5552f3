#!/usr/bin/env bash
# Runs one service of the stockstreamer image with podman the way its pod runs
# it (terraform/lib/pod.ts), against the local stack on 127.0.0.1:
#   - as the image's own user (USER 1000:1000 in the Dockerfile), no capabilities,
#     no privilege escalation, read-only root filesystem;
#   - credentials.ini mounted read-only at /etc/stockstreamer/ as the Secret
#     volume mounts it (root-owned, group 1000, mode 0440);
#   - writable only: tmpfs at /tmp and STOCKSTREAMER_HOME, as the pod's emptyDirs;
#     (the home one owned by the container user, as fsGroup makes an emptyDir writable;
#     podman 4.3 ignores a tmpfs mode here, so U=true chowns it instead);
#   - host network: the local stack listens on 127.0.0.1, and host networking
#     changes nothing on the host (bridge/CNI networking would edit iptables).
# podman runs in the foreground and forwards SIGTERM/SIGINT to the service (PID 1).
#
#   dev/image/run.sh [--image IMAGE] [--name NAME] [--credentials FILE] [-e NAME=VALUE]... SUBCOMMAND [ARGS]
#   dev/image/run.sh process
#   dev/image/run.sh -e STOCKSTREAMER_METRICS_PORT=9470 produce prices
#
# IMAGE defaults to stockstreamer:<git short sha> (dev/image/build.sh makes it);
# FILE defaults to secrets/credentials.ini, or an empty file (synthetic feeds).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
image="stockstreamer:$(git rev-parse --short HEAD 2>/dev/null || echo dev)"
name=""
creds=secrets/credentials.ini
envs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --image) image=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --credentials) creds=$2; shift 2 ;;
    -e) envs+=(-e "$2"); shift 2 ;;
    --) shift; break ;;
    -*) echo "image-run: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: dev/image/run.sh [--image IMAGE] [--name NAME] [--credentials FILE] [-e NAME=VALUE]... SUBCOMMAND [ARGS]" >&2; exit 2; }
[ -n "$name" ] || name="stockstreamer-$(echo "$*" | tr -c 'a-z0-9\n' '-' | sed 's/-*$//')-$$"
podman image exists "$image" || { echo "image-run: no image $image; build it: dev/image/build.sh $image" >&2; exit 2; }

# What the Secret volume holds: the one file, root-owned, readable by the pod's fsGroup.
secret_dir="$ROOT/.tools/image/run/$name"
rm -rf "$secret_dir" && mkdir -p "$secret_dir"
if [ -f "$creds" ]; then cp "$creds" "$secret_dir/credentials.ini"; else : >"$secret_dir/credentials.ini"; fi
chown -R 0:1000 "$secret_dir" 2>/dev/null || true
chmod 0750 "$secret_dir" && chmod 0440 "$secret_dir/credentials.ini"

# This host lets no process raise RLIMIT_NOFILE, and podman's defaults would: the
# container gets the caller's open-file limit, and a process limit (podman's default
# is higher still) that runc may set here and that a service's few dozen threads never reach.
nofile=$(ulimit -Sn):$(ulimit -Hn)
nproc=4096:4096
exec podman --runtime runc run --rm --pull=never --name "$name" \
  --network host \
  --read-only --read-only-tmpfs=false \
  --tmpfs /tmp:rw,nosuid,nodev,size=64m,mode=1777 \
  --mount type=tmpfs,destination=/var/lib/stockstreamer,tmpfs-size=256m,U=true \
  -v "$secret_dir:/etc/stockstreamer:ro" \
  --cap-drop ALL --security-opt no-new-privileges \
  --ulimit "nofile=$nofile" --ulimit "nproc=$nproc" \
  --stop-timeout 30 \
  "${envs[@]}" \
  "$image" "$@"
