/**
 * Reads vitest's JSON report and prints the closing line CI looks for:
 * "N passed, N failed, N skipped". A missing report (vitest crashed before
 * writing it) counts as a failure rather than as "0 failed".
 */
import { readFileSync } from 'node:fs';

interface Report {
  numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number;
  testResults: { name: string; status: string; message?: string; assertionResults: { status: string }[] }[];
}

const path = process.argv[2] ?? '.reports/vitest.json';
let report: Report;
try {
  report = JSON.parse(readFileSync(path, 'utf8')) as Report;
} catch {
  console.log('0 passed, 1 failed');
  console.error(`no test report at ${path}: the test runner did not finish`);
  process.exit(1);
}
// A suite that fails to load has no failed tests but must still fail the run.
const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'));
for (const f of brokenFiles) console.error(`test file failed to run: ${f.name}: ${(f.message ?? '').split('\n')[0]}`);
const failed = report.numFailedTests + brokenFiles.length;
console.log(`${report.numPassedTests} passed, ${failed} failed, ${report.numPendingTests + report.numTodoTests} skipped`);
process.exit(failed > 0 ? 1 : 0);
