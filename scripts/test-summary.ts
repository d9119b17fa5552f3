/**
 * Reads vitest's JSON reports (one per test phase) and prints the closing line
 * CI looks for: "N passed, N failed, N skipped", summed. A missing report
 * (vitest crashed before writing it) counts as a failure rather than "0 failed".
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Failure } from './failures-reporter.ts';

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
  // A file that fails to load (or whose beforeAll failed) has no failed tests but
  // must still fail the run.
  const brokenFiles = report.testResults.filter((f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'));
  // CI keeps only the end of the output: name every failure (test, hook, file) and
  // its reason here, next to the closing line. scripts/failures-reporter.ts wrote
  // them, hooks included; vitest's JSON report alone has no reason for a failed hook.
  const detailed = readFailures(`${path}.failures.json`);
  if (detailed !== undefined) {
    for (const f of detailed) console.log(`FAILED ${relative(process.cwd(), f.file)} > ${f.where}: ${reason(f)}`);
  } else {
    for (const f of brokenFiles) console.log(`FAILED ${relative(process.cwd(), f.name)}: ${(f.message ?? '').split('\n')[0]}`);
    for (const f of report.testResults) {
      for (const a of f.assertionResults.filter((x) => x.status === 'failed')) {
        console.log(`FAILED ${relative(process.cwd(), f.name)} > ${a.fullName ?? a.title}: ${reason({ message: a.failureMessages?.[0] ?? '' })}`);
      }
    }
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests + brokenFiles.length;
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);

function readFailures(path: string): Failure[] | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Failure[];
  } catch {
    return undefined;
  }
}

/** The first lines of the message that say something, and where in the project it was thrown. */
function reason(f: Pick<Failure, 'message' | 'stack'>): string {
  const lines = f.message.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const at = (f.stack ?? '').split('\n').map((l) => l.trim()).find((l) => l.startsWith('at ') && !l.includes('node_modules') && !l.includes('node:'));
  return `${lines.slice(0, 4).join(' | ').slice(0, 600)}${at === undefined ? '' : ` (${at})`}`;
}
