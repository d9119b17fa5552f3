#!/usr/bin/env bash
# Builds the Grafana image the cluster runs: the official Grafana image plus the
# Cassandra datasource plugin, unpacked from its zip, so Grafana needs no internet.
#
#   terraform/grafana-image/build.sh BUILDER GRAFANA_BASE IMAGE PLUGIN_ID PLUGIN_VERSION [ZIP]
#     BUILDER       minikube | buildah | docker
#     GRAFANA_BASE  the official image (terraform/lib/images.ts IMAGES.grafana)
#     IMAGE         the tag to build (GRAFANA_IMAGE in the same file)
#     ZIP           the plugin's zip (default plugins/<id>-<version>.zip beside this script)
#
# The plugin's zip: terraform/grafana-image/plugins/<id>-<version>.zip (git-ignored).
# Place it there yourself (e.g. on a machine without internet), or let this script
# download it from grafana.com when it is missing. Called by `make grafana-image`.
set -euo pipefail
cd "$(dirname "$0")"
builder=$1 base=$2 image=$3 id=$4 version=$5
zip=${6:-plugins/$id-$version.zip}
url="https://grafana.com/api/plugins/$id/versions/$version/download?os=linux&arch=amd64"
if [ ! -s "$zip" ]; then
  mkdir -p plugins
  echo "grafana-image: $zip is missing; downloading it from grafana.com"
  if ! curl -fsSL --retry 2 -o "$zip.tmp" "$url"; then
    rm -f "$zip.tmp"
    echo "grafana-image: could not download the plugin. Download it where you have internet and place it at terraform/grafana-image/$zip:" >&2
    echo "  curl -fL -o $zip '$url'" >&2
    exit 2
  fi
  mv "$zip.tmp" "$zip"
fi
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
mkdir -p "$ctx/plugins"
# The zip holds one folder named after the plugin; Grafana finds it by its plugin.json.
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$ctx/plugins"
found=$(find "$ctx/plugins" -maxdepth 2 -name plugin.json | head -1)
[ -n "$found" ] && grep -q "\"id\": *\"$id\"" "$found" || { echo "grafana-image: $zip holds no plugin.json with id $id" >&2; exit 2; }
# zip files keep no execute bit reliably: the backend binaries must run
find "$ctx/plugins" -type f -name 'gpx_*' -exec chmod 0755 {} +
chmod -R a+rX "$ctx/plugins"
cp Dockerfile "$ctx/Dockerfile"
echo "grafana-image: building $image from $base with $id $version ($builder)"
case "$builder" in
  minikube) minikube image build -t "$image" --build-opt "build-arg=GRAFANA_IMAGE=$base" "$ctx" ;;
  docker) docker build -t "$image" --build-arg "GRAFANA_IMAGE=$base" "$ctx" ;;
  buildah) buildah --runtime runc bud --network host --build-arg "GRAFANA_IMAGE=$base" -t "$image" "$ctx" ;;
  *) echo "grafana-image: unknown builder $builder (minikube, buildah or docker)" >&2; exit 2 ;;
esac
