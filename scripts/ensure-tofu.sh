#!/usr/bin/env bash
# OpenTofu and the Terraform providers of the synthesized stack, built from the
# Go module proxy into .tools/tofu/ (git-ignored), for terraform/tofu-validate.test.ts.
# Idempotent: does nothing when every pinned piece is already built.
#
#   .tools/tofu/bin/tofu              OpenTofu, built through a wrapper module
#                                     that copies OpenTofu's own hcl/v2 replace line
#   .tools/tofu/mirror/<host>/hashicorp/<name>/<version>/<os>_<arch>/terraform-provider-<name>_v<version>
#                                     providers, for registry.terraform.io and
#                                     registry.opentofu.org (tofu's default host)
#   .tools/tofu/tofurc                TF_CLI_CONFIG_FILE: filesystem_mirror only
#   .tools/tofu/providers.json        what the mirror holds (read by the test)
#
# Use: TF_CLI_CONFIG_FILE=.tools/tofu/tofurc .tools/tofu/bin/tofu init -backend=false
#
# Pins. The Go module proxy reachable here serves exact versions only, and for
# the providers only the ones its @v/list names: their v2.x/v3.x release tags
# are not Go module versions (no /v2 or /v3 in the module path), and it answers
# "403 This module version is not available" to a commit hash, a branch, or any
# other pseudo-version (e.g. one for the kubernetes v2.38.0 tag). So the providers
# are built at the one served commit each, and labelled with the release that
# commit carries:
#   kubernetes  v1.13.4-0.20260821094251-3a33fb6cc605  main after 3.2.1: version/VERSION
#               says 3.2.1; the only unreleased change is a grpc/x/crypto bump
#   random      v1.3.2-0.20260513075824-f8d869dc98d9   the commit after the 3.9.0
#               release (no unreleased changes); module path is terraform-providers/…
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=$ROOT/.tools/tofu

TOFU_VERSION=v1.10.10
# name|Go module|exact module version|provider version it is installed as
PROVIDERS=(
  "kubernetes|github.com/hashicorp/terraform-provider-kubernetes|v1.13.4-0.20260821094251-3a33fb6cc605|3.2.1"
  "random|github.com/terraform-providers/terraform-provider-random|v1.3.2-0.20260513075824-f8d869dc98d9|3.9.0"
)
HOSTS=(registry.terraform.io registry.opentofu.org)

say() { echo "ensure-tofu: $*"; }
die() { echo "ensure-tofu: $*" >&2; exit 1; }
command -v go >/dev/null 2>&1 || die "the go command is needed (Go 1.26 or newer) to build OpenTofu and the providers"
PLATFORM="$(go env GOOS)_$(go env GOARCH)"
mkdir -p "$DIR/bin" "$DIR/build" "$DIR/stamps" "$DIR/mirror"
total_start=$(date +%s)
built=0

# ---- OpenTofu --------------------------------------------------------------
stamp_is() { [ -f "$DIR/stamps/$1" ] && [ "$(cat "$DIR/stamps/$1")" = "$2" ]; }

if stamp_is tofu "$TOFU_VERSION" && [ -x "$DIR/bin/tofu" ]; then
  :
else
  say "building OpenTofu $TOFU_VERSION (about 4 minutes on 2 cores with cold Go caches, seconds with warm ones)"
  start=$(date +%s)
  W="$DIR/build/tofu-wrapper"
  rm -rf "$W" && mkdir -p "$W"
  printf 'module stockstreamer.local/tofu-build\n\ngo 1.24\n' >"$W/go.mod"
  src=$(cd "$W" && go mod download -json "github.com/opentofu/opentofu@$TOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  { [ -n "$src" ] && [ -f "$src/go.mod" ]; } || die "could not download github.com/opentofu/opentofu@$TOFU_VERSION from the Go module proxy"
  # OpenTofu's go.mod replaces hashicorp/hcl/v2 with its fork; a dependency's
  # replace lines are ignored, so the wrapper must carry the same line.
  replace=$(awk '
    /^replace[[:space:]]*\(/ { block = 1; next }
    block && /^\)/ { block = 0; next }
    (block || /^replace[[:space:]]/) && /github\.com\/hashicorp\/hcl\/v2[[:space:]]/ {
      sub(/^replace[[:space:]]+/, ""); sub(/^[[:space:]]+/, ""); print }' "$src/go.mod")
  [ -n "$replace" ] || die "no 'replace github.com/hashicorp/hcl/v2 => …' line in $src/go.mod"
  go_line=$(grep -m1 '^go ' "$src/go.mod")
  cat >"$W/go.mod" <<EOF
module stockstreamer.local/tofu-build

$go_line

require github.com/opentofu/opentofu $TOFU_VERSION

replace $replace
EOF
  cat >"$W/tools.go" <<'EOF'
//go:build tools

// Pulls OpenTofu's command into this module's dependency graph, so that
// `go build github.com/opentofu/opentofu/cmd/tofu` resolves with the replace line.
package tools

import _ "github.com/opentofu/opentofu/cmd/tofu"
EOF
  say "wrapper module: replace $replace"
  (cd "$W" && go mod tidy && go build -trimpath -buildvcs=false \
     -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
     -o "$DIR/bin/tofu.new" github.com/opentofu/opentofu/cmd/tofu)
  mv -f "$DIR/bin/tofu.new" "$DIR/bin/tofu"
  echo "$TOFU_VERSION" >"$DIR/stamps/tofu"
  say "OpenTofu $TOFU_VERSION built in $(( $(date +%s) - start ))s: $("$DIR/bin/tofu" version 2>/dev/null | head -1)"
  built=1
fi

# ---- providers -------------------------------------------------------------
json="{"
sep=""
for spec in "${PROVIDERS[@]}"; do
  IFS='|' read -r name module modver version <<<"$spec"
  binary="terraform-provider-${name}_v${version}"
  pin="$module@$modver $version $PLATFORM"
  have=1
  for host in "${HOSTS[@]}"; do
    [ -x "$DIR/mirror/$host/hashicorp/$name/$version/$PLATFORM/$binary" ] || have=0
  done
  if [ "$have" = 1 ] && stamp_is "provider-$name" "$pin"; then
    :
  else
    say "building the $name provider $version ($module@$modver)"
    start=$(date +%s)
    gobin="$DIR/build/gobin"
    rm -rf "$gobin" && mkdir -p "$gobin"
    # `go install mod@version` builds outside any module; run it where no go.mod is.
    (cd "$DIR/build" && GOBIN="$gobin" go install -trimpath -buildvcs=false \
       -ldflags "-s -w -X main.Version=$version" "$module@$modver")
    [ -x "$gobin/terraform-provider-$name" ] || die "go install $module@$modver produced no terraform-provider-$name"
    first=""
    for host in "${HOSTS[@]}"; do
      d="$DIR/mirror/$host/hashicorp/$name"
      rm -rf "$d" && mkdir -p "$d/$version/$PLATFORM"
      if [ -z "$first" ]; then
        first="$d/$version/$PLATFORM/$binary"
        cp "$gobin/terraform-provider-$name" "$first"
      else  # same file for the other host (hard link; a copy where links fail)
        ln -f "$first" "$d/$version/$PLATFORM/$binary" 2>/dev/null || cp "$first" "$d/$version/$PLATFORM/$binary"
      fi
    done
    rm -rf "$gobin"
    echo "$pin" >"$DIR/stamps/provider-$name"
    say "$name provider $version built in $(( $(date +%s) - start ))s"
    built=1
  fi
  json+="$sep\"$name\":{\"source\":\"hashicorp/$name\",\"version\":\"$version\",\"module\":\"$module\",\"moduleVersion\":\"$modver\"}"
  sep=","
done
json+="}"

# ---- CLI configuration and manifest (cheap: always rewritten) ---------------
cat >"$DIR/tofurc" <<EOF
# Written by scripts/ensure-tofu.sh: providers come from the local mirror only.
provider_installation {
  filesystem_mirror {
    path    = "$DIR/mirror"
    include = ["registry.terraform.io/hashicorp/*", "registry.opentofu.org/hashicorp/*"]
  }
}
EOF
printf '{"tofu":"%s","platform":"%s","providers":%s}\n' "$TOFU_VERSION" "$PLATFORM" "$json" >"$DIR/providers.json"

if [ "$built" = 1 ]; then
  say "done in $(( $(date +%s) - total_start ))s; use: TF_CLI_CONFIG_FILE=$DIR/tofurc $DIR/bin/tofu"
else
  say "up to date (OpenTofu $TOFU_VERSION; $(for s in "${PROVIDERS[@]}"; do IFS='|' read -r n _ _ v <<<"$s"; printf '%s %s ' "$n" "$v"; done)on $PLATFORM)"
fi
