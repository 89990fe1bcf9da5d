#!/usr/bin/env node
// The chart package's `test`: node's test runner over test/*.test.mjs (the ext-auth rule, schemas,
// egctl translate, secrets, release readiness), then the helm-unittest suites with the real CLI.
// Spec output plus one JUnit file each for CI; every helm-unittest case is counted once, in its own
// file. Exits non-zero when either part fails or a tool is missing.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const chartDir = fileURLToPath(new URL('..', import.meta.url));
const results = join(chartDir, 'test-results');
mkdirSync(results, { recursive: true });
const files = readdirSync(join(chartDir, 'test'))
  .filter((name) => name.endsWith('.test.mjs'))
  .sort()
  .map((name) => join('test', name));

const run = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=junit',
    `--test-reporter-destination=${join(results, 'node-test.xml')}`,
    ...files,
  ],
  { cwd: chartDir, stdio: 'inherit' },
);

let problems;
try {
  const { runHelmUnittest } = await import('../test/helm-unittest.mjs');
  problems = runHelmUnittest();
} catch (error) {
  problems = [error instanceof Error ? error.message : String(error)];
}
for (const problem of problems) console.error(`helm-unittest: ${problem}`);
process.exit(run.status === 0 && problems.length === 0 ? 0 : 1);
