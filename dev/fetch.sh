#!/usr/bin/env bash
# Fetches the local stack's servers into .stack/ (idempotent: a server whose pinned
# version is already there is skipped). Versions: dev/versions.env.
#   dev/fetch.sh [kafka|cassandra|registry ...]     default: all three
# With NODES=3 the three-node stack's servers run from the same fetched copies (in .stack/).
# Env: STACK_MAVEN_REPO=<dir> uses that Maven local repository instead of ~/.m2.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

MVN_ARGS=(-B -q -Dstyle.color=never)
if [ -n "${STACK_MAVEN_REPO:-}" ]; then
  MVN_ARGS+=("-Dmaven.repo.local=$STACK_MAVEN_REPO")
fi

# copy_jars POM_DIR OUT_DIR -Dprop=value...: the POM's runtime closure into OUT_DIR.
copy_jars() {
  local pom_dir="$1" out="$2"
  shift 2
  rm -rf "$out.tmp"
  mkdir -p "$out.tmp"
  mvn "${MVN_ARGS[@]}" -f "$pom_dir/pom.xml" "$@" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$out.tmp" -DexcludeTypes=pom >>"$FETCH_LOG" 2>&1 \
    || die "maven could not resolve $(basename "$pom_dir") ($*); last lines of $FETCH_LOG:
$(tail -n 30 "$FETCH_LOG")"
  rm -rf "$out"
  mv "$out.tmp" "$out"
  # A class-data archive recorded against other jars would only be ignored with a warning.
  rm -f "$(dirname "$out")/jvm.jsa" "$(dirname "$out")/jvm.jsa.tmp"
}

fetch_kafka() {
  local lib="$STACK_LIB_DIR/kafka/lib"
  if fetched kafka; then log "kafka $KAFKA_VERSION: already fetched"; return 0; fi
  log "kafka $KAFKA_VERSION: copying jars from Maven Central"
  copy_jars "$DEV_DIR/maven/kafka" "$lib" -Dkafka.version="$KAFKA_VERSION" \
    -Dlog4j.version="$LOG4J_VERSION" -Dslf4j.version="$SLF4J_VERSION"
  # Two slf4j APIs on one classpath would pick one at random.
  local apis=("$lib"/slf4j-api-*.jar)
  [ ${#apis[@]} = 1 ] || die "kafka: more than one slf4j-api in $lib: ${apis[*]}"
  touch "$lib/.fetched-$KAFKA_VERSION-$LOG4J_VERSION"
  log "kafka $KAFKA_VERSION: $(find "$lib" -name '*.jar' | wc -l) jars in $lib"
}

fetch_cassandra() {
  local lib="$STACK_LIB_DIR/cassandra/lib"
  if fetched cassandra; then log "cassandra $CASSANDRA_VERSION: already fetched"; return 0; fi
  log "cassandra $CASSANDRA_VERSION: copying jars from Maven Central"
  copy_jars "$DEV_DIR/maven/cassandra" "$lib" -Dcassandra.version="$CASSANDRA_VERSION"
  [ -f "$lib/jamm-$JAMM_VERSION.jar" ] \
    || die "cassandra: expected jamm-$JAMM_VERSION.jar in $lib (found: $(cd "$lib" && echo jamm-*.jar)); update JAMM_VERSION in dev/versions.env"
  touch "$lib/.fetched-$CASSANDRA_VERSION"
  log "cassandra $CASSANDRA_VERSION: $(find "$lib" -name '*.jar' | wc -l) jars in $lib"
}

fetch_registry() {
  local bin="$STACK_LIB_DIR/bin" dir
  if fetched registry; then log "schema registry $REGISTRY_VERSION: already fetched"; return 0; fi
  command -v go >/dev/null || die "registry: the go command is needed to build $REGISTRY_MODULE"
  mkdir -p "$bin"
  rm -f "$bin"/.schema-registry-*
  log "schema registry $REGISTRY_VERSION: go install $REGISTRY_MODULE/cmd/schema-registry"
  if GOBIN="$bin" GOFLAGS=-buildvcs=false go install -trimpath -ldflags='-s -w' \
    "$REGISTRY_MODULE/cmd/schema-registry@$REGISTRY_VERSION" >>"$FETCH_LOG" 2>&1; then
    :
  else
    # `go install mod@version` also asks the proxy for the module's version list (to
    # report deprecations); this proxy answers that with 403 while it serves the
    # version itself. Building inside the downloaded module uses its own go.mod and
    # go.sum, exactly what `go install` would have built.
    log "registry: go install failed ($(grep -m1 -oE '[0-9]{3} [A-Za-z ]+$|reading [^:]+: [0-9]{3} [A-Za-z]+' "$FETCH_LOG" | tail -n1 || echo "see $FETCH_LOG")); building from the downloaded module instead"
    dir="$(go mod download -json "$REGISTRY_MODULE@$REGISTRY_VERSION" 2>>"$FETCH_LOG" \
      | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
    [ -n "$dir" ] && [ -d "$dir" ] || die "registry: go mod download $REGISTRY_MODULE@$REGISTRY_VERSION failed; see $FETCH_LOG"
    (cd "$dir" && GOFLAGS=-buildvcs=false go build -trimpath -ldflags='-s -w' \
      -o "$bin/schema-registry" ./cmd/schema-registry) >>"$FETCH_LOG" 2>&1 \
      || die "registry: building $REGISTRY_MODULE@$REGISTRY_VERSION failed; last lines of $FETCH_LOG:
$(tail -n 30 "$FETCH_LOG")"
  fi
  [ -x "$bin/schema-registry" ] || die "registry: $bin/schema-registry was not produced"
  touch "$bin/.schema-registry-$REGISTRY_VERSION"
  log "schema registry $REGISTRY_VERSION: $bin/schema-registry"
}

mkdir -p "$STACK_DIR/logs"
FETCH_LOG="$STACK_DIR/logs/fetch.log"
printf '\n===== %s fetch %s =====\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${*:-all}" >>"$FETCH_LOG"

expand_targets "$@"
# what is fetched is per kind of server, whatever the number of nodes
kinds=()
for s in "${TARGETS[@]}"; do
  k="$(server_kind "$s")"
  [[ " ${kinds[*]} " == *" $k "* ]] || kinds+=("$k")
done
command -v java >/dev/null || die "java (17+) is needed"
stack_lock
for k in "${kinds[@]}"; do
  if ! fetched "$k"; then
    for s in "${SERVERS[@]}"; do
      if [ "$(server_kind "$s")" = "$k" ] && running_pid "$s" >/dev/null; then
        die "$s is running from the jars about to be replaced; run dev/down.sh $s first"
      fi
    done
  fi
  case "$k" in
    kafka|cassandra) command -v mvn >/dev/null || die "mvn is needed to fetch $k" ;;
  esac
  "fetch_$k"
done
