#!/usr/bin/env bash
# `make test`: every test, then one plain "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p .reports
rm -f .reports/vitest.json

# Browser tests drive Debian's Chromium; installed once, never a downloaded browser.
bash scripts/ensure-chromium.sh || echo "test.sh: chromium could not be installed; the browser test will say so" >&2

vitest run --reporter=default --reporter=json --outputFile.json=.reports/vitest.json "$@"
rc=$?

node scripts/test-summary.ts .reports/vitest.json || rc=1
exit $rc
