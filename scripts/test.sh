#!/usr/bin/env bash
# `make test`: every test, then one plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .reports
rm -f .reports/vitest*.json .reports/vitest*.failures.json

# Browser tests drive Debian's Chromium; installed once, never a downloaded browser.
bash scripts/ensure-chromium.sh || echo "test.sh: chromium could not be installed; the browser test will say so" >&2
# OpenTofu and the kubernetes provider, built from the Go module proxy (once; ~8 min cold), for `tofu validate`.
bash scripts/ensure-tofu.sh || echo "test.sh: OpenTofu could not be built; terraform/tofu-validate.test.ts will say so" >&2
# test/image: podman, buildah and the Dockerfile's base image, made locally (no registry can be pulled from; ~1.5 min once).
bash dev/image/base.sh || echo "test.sh: the base image could not be made; test/image will say why" >&2
# test/cluster: etcd (PyPI), kube-apiserver, -controller-manager, -scheduler and kwok (Go module proxy; ~7 min cold, once).
bash dev/cluster/fetch.sh || echo "test.sh: the test cluster could not be built; test/cluster will say why" >&2

# Integration tests run against the real Kafka, registry and Cassandra of
# dev/: start them when they are not running, and stop what we started
# afterwards, also when tests fail.
stack_started=0
cluster_started=0
cleanup() {
  if [ "$stack_started" = 1 ]; then bash dev/down.sh || true; fi
  if [ "$cluster_started" = 1 ]; then bash dev/cluster/down.sh --purge || true; fi
}
trap cleanup EXIT
if compgen -G 'test/integration/*.test.ts' >/dev/null; then
  [ -f scripts/ensure-test-tools.sh ] && { bash scripts/ensure-test-tools.sh || echo "test.sh: independent Kafka clients could not be installed" >&2; }
  if ! bash dev/status.sh >/dev/null 2>&1; then
    echo "test.sh: starting the local stack for the integration tests (make up)"
    stack_started=1
    bash dev/fetch.sh && bash dev/up.sh || echo "test.sh: the local stack did not start; the integration tests will fail and say why" >&2
  fi
fi

# test/cluster deploys to a real API server with fake nodes (dev/cluster): start it
# when it is not running, and stop (and empty) what we started.
if compgen -G 'test/cluster/*.test.ts' >/dev/null && ! bash dev/cluster/status.sh >/dev/null 2>&1; then
  echo "test.sh: starting the test cluster for test/cluster (make cluster-up)"
  cluster_started=1
  bash dev/cluster/up.sh || echo "test.sh: the test cluster did not start; test/cluster will fail and say why" >&2
fi

# Phase 1: everything that can run side by side. Phase 2: the pipeline tests,
# one file at a time, after phase 1 — they stop Cassandra and restart the broker
# on purpose, which would break tests running next to them; with them the image's
# containers on the stack (test/image) and make deploy to the test cluster (test/cluster),
# which build the same image.
rm -f .reports/vitest-pipeline.json .reports/vitest-pipeline.json.failures.json
vitest run --reporter=default --reporter=json --reporter=./scripts/failures-reporter.ts --outputFile.json=.reports/vitest.json --exclude 'test/integration/pipeline-*.test.ts' --exclude 'test/image/*.test.ts' --exclude 'test/cluster/*.test.ts' --exclude 'test/nodes/**' "$@"
rc=$?
if [ $# -eq 0 ] && compgen -G 'test/integration/pipeline-*.test.ts' >/dev/null; then
  vitest run --no-file-parallelism --reporter=default --reporter=json --reporter=./scripts/failures-reporter.ts --outputFile.json=.reports/vitest-pipeline.json test/integration/pipeline- test/image/ test/cluster/
  [ $? -eq 0 ] || rc=1
fi

# Phase 3: the three-node tests (test/nodes) on their own stack (make up NODES=3,
# scripts/test-nodes.sh starts and stops it), once the single-node stack and the test
# cluster this script started are stopped: six more JVMs on two cores.
if [ $# -eq 0 ] && compgen -G 'test/nodes/*.test.ts' >/dev/null; then
  cleanup >/dev/null 2>&1
  stack_started=0
  cluster_started=0
  nodes_ran=1
  bash scripts/test-nodes.sh || rc=1
fi

# Stop the stack before the closing line, so that line stays the last one.
cleanup >/dev/null 2>&1
trap - EXIT
reports=(.reports/vitest.json)
[ -f .reports/vitest-pipeline.json ] && reports+=(.reports/vitest-pipeline.json)
[ "${nodes_ran:-0}" = 1 ] && reports+=(.reports/vitest-nodes.json)
node scripts/test-summary.ts "${reports[@]}" || rc=1
exit $rc
