/**
 * A vitest reporter that writes every error of a run next to the JSON report
 * (`<outputFile.json>.failures.json`): failed tests, and also what vitest's JSON
 * report leaves out — a failed beforeAll/afterAll (its suite's errors), a file that
 * did not load, errors outside any test. CI keeps only the end of the output, so
 * scripts/test-summary.ts prints these right above the closing line; without this a
 * failed hook showed as "test file failed to run: <file>:" with no reason at all.
 */
import { writeFileSync } from 'node:fs';
import type { Reporter, SerializedError, TestModule, Vitest } from 'vitest/node';

export interface Failure { file: string; where: string; message: string; stack?: string }

const flat = (e: SerializedError): Pick<Failure, 'message' | 'stack'> => ({ message: String(e.message ?? e), stack: e.stack });

export default class FailuresReporter implements Reporter {
  private path: string | undefined;

  onInit(vitest: Vitest): void {
    const out = vitest.config.outputFile;
    const json = typeof out === 'string' ? out : out?.json;
    this.path = json === undefined ? undefined : `${json}.failures.json`;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<SerializedError>): void {
    if (this.path === undefined) return;
    const failures: Failure[] = [];
    for (const m of modules) {
      for (const e of m.errors()) failures.push({ file: m.moduleId, where: '(file)', ...flat(e) });
      for (const s of m.children.allSuites()) for (const e of s.errors()) failures.push({ file: m.moduleId, where: `${s.fullName} (hook)`, ...flat(e) });
      for (const t of m.children.allTests('failed')) for (const e of t.result().errors ?? []) failures.push({ file: m.moduleId, where: t.fullName, ...flat(e) });
    }
    for (const e of unhandled) failures.push({ file: '(none)', where: '(unhandled)', ...flat(e) });
    writeFileSync(this.path, JSON.stringify(failures, null, 1));
  }
}
