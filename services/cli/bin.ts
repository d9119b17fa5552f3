#!/usr/bin/env node
/**
 * The `stockstreamer` command as installed (package.json "bin", compiled to
 * dist/ by `make build`). It only checks the Node version, then loads
 * main.ts: main's imports (node:sqlite, commander 15) fail on an older Node
 * with a stack trace about a missing module, before any code of ours could
 * say what is wrong. So this file imports nothing and uses no syntax newer
 * than Node 12 can parse.
 *
 * 22.13 is the first release with node:sqlite unflagged (the embedded store);
 * package.json "engines" says the same (a test keeps the two in step).
 */
const MIN_NODE = [22, 13];

const have = process.versions.node.split('.').map(Number);
const tooOld = have[0]! < MIN_NODE[0]! || (have[0] === MIN_NODE[0] && have[1]! < MIN_NODE[1]!);
if (tooOld) {
  process.stderr.write(`stockstreamer: Node ${process.versions.node} is too old; it needs Node ${MIN_NODE.join('.')} or newer (Node 24 recommended; \`make deps\` installs it into .tools/node)\n`);
  process.exit(2);
} else {
  import('./main.ts').catch((err: unknown) => {
    process.stderr.write(`stockstreamer: cannot start: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
