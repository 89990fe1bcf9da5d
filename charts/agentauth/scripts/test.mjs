#!/usr/bin/env node
// The chart package's `test`: node's test runner over test/*.test.mjs (helm-unittest, the ext-auth
// rule, schemas, egctl translate, secrets, release readiness), spec output plus JUnit for CI.
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
process.exit(run.status ?? 1);
