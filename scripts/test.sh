#!/usr/bin/env bash
# `make test`: every test, then one plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .reports
rm -f .reports/vitest.json

vitest run --reporter=default --reporter=json --outputFile.json=.reports/vitest.json "$@"
rc=$?

node scripts/test-summary.ts .reports/vitest.json || rc=1
exit $rc
