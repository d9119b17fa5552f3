#!/usr/bin/env bash
# `make test-nodes`, and the last phase of `make test`: the tests of test/nodes on the
# three-node stack (`make up NODES=3`: three Kafka brokers and three Cassandra nodes on
# 127.0.0.11-13). Starts that stack when it is not up, runs the files one at a time (each
# stops or kills nodes on purpose), and stops what it started, also when tests fail.
# Report: .reports/vitest-nodes.json. Extra arguments go to vitest (e.g. one file).
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .reports
rm -f .reports/vitest-nodes.json .reports/vitest-nodes.json.failures.json
export NODES=3
started=0
cleanup() {
  if [ "$started" = 1 ]; then bash dev/down.sh || true; fi
  started=0
}
trap cleanup EXIT
if ! bash dev/status.sh >/dev/null 2>&1; then
  echo "test-nodes.sh: starting the three-node stack (make up NODES=3)"
  started=1
  t0=$SECONDS
  if bash dev/fetch.sh && bash dev/up.sh; then
    echo "test-nodes.sh: three-node stack up in $((SECONDS - t0)) s"
  else
    echo "test-nodes.sh: the three-node stack did not start; test/nodes will fail and say why" >&2
  fi
fi
t0=$SECONDS
vitest run --no-file-parallelism --reporter=default --reporter=json --reporter=./scripts/failures-reporter.ts --outputFile.json=.reports/vitest-nodes.json "${@:-test/nodes/}"
rc=$?
echo "test-nodes.sh: test/nodes took $((SECONDS - t0)) s"
cleanup
trap - EXIT
exit $rc
