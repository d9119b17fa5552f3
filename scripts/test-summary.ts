/**
 * Reads vitest's JSON reports (one per test phase) and prints the closing line
 * CI looks for: "N passed, N failed, N skipped", summed. A missing report
 * (vitest crashed before writing it) counts as a failure rather than "0 failed".
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface Report {
  numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number;
  testResults: {
    name: string; status: string; message?: string;
    assertionResults: { status: string; fullName?: string; title: string; failureMessages?: string[] }[];
  }[];
}

const paths = process.argv.length > 2 ? process.argv.slice(2) : ['.reports/vitest.json'];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const path of paths) {
  let report: Report;
  try {
    report = JSON.parse(readFileSync(path, 'utf8')) as Report;
  } catch {
    console.error(`no test report at ${path}: the test runner did not finish`);
    failed += 1;
    continue;
  }
  // A file that fails to load has no failed tests but must still fail the run.
  const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'));
  for (const f of brokenFiles) console.error(`test file failed to run: ${f.name}: ${(f.message ?? '').split('\n')[0]}`);
  // CI keeps only the end of the output: name every failed test (and its first
  // message line) here, next to the closing line, so a red run says which test.
  for (const f of report.testResults) {
    for (const a of f.assertionResults.filter((x) => x.status === 'failed')) {
      const why = ((a.failureMessages?.[0] ?? '').split('\n')[0] ?? '').slice(0, 300);
      console.log(`FAILED ${relative(process.cwd(), f.name)} > ${a.fullName ?? a.title}: ${why}`);
    }
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests + brokenFiles.length;
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
