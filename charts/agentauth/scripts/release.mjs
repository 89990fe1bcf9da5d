#!/usr/bin/env node
// One command for the chart release: check versions are in step, helm lint --strict, run the
// chart tests, package dist/agentauth-<version>.tgz and check what went into it.
//
//   pnpm chart:release                 # from the repository root
//   node scripts/release.mjs --skip-tests   # when the same commit's tests already ran (CI)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CHART_DIR, findTool, REPO_ROOT, REQUIRED_VALUES, run } from '../test/tools.mjs';

const skipTests = process.argv.includes('--skip-tests');
const log = (line) => process.stderr.write(`chart-release: ${line}\n`);

function fail(message) {
  log(message);
  process.exit(1);
}

function checkVersions() {
  const chart = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8'));
  const pkg = JSON.parse(readFileSync(join(CHART_DIR, 'package.json'), 'utf8'));
  const problems = [];
  if (chart.version !== pkg.version)
    problems.push(`Chart.yaml version ${chart.version} != package.json ${pkg.version}`);
  if (String(chart.appVersion) !== chart.version)
    problems.push(`appVersion ${chart.appVersion} != version ${chart.version}`);
  for (const dir of [join(REPO_ROOT, 'packages'), REPO_ROOT]) {
    const names = dir === REPO_ROOT ? ['nginx'] : readdirSync(dir);
    for (const name of names) {
      let manifest;
      try {
        manifest = JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      if (manifest.version !== undefined && manifest.version !== chart.version) {
        problems.push(`${manifest.name} is at ${manifest.version}, the chart at ${chart.version}`);
      }
    }
  }
  if (problems.length > 0) fail(`versions are not in step:\n  ${problems.join('\n  ')}`);
  return chart.version;
}

const version = checkVersions();
log(`version ${version} (chart, appVersion and workspace packages agree)`);

const helm = findTool('helm', 'HELM_BIN');
const sets = Object.entries(REQUIRED_VALUES).flatMap(([k, v]) => ['--set-string', `${k}=${v}`]);
process.stderr.write(run(helm, ['lint', '--strict', CHART_DIR, ...sets]));

if (!skipTests) {
  const tests = spawnSync(process.execPath, [join(CHART_DIR, 'scripts', 'test.mjs')], {
    stdio: 'inherit',
  });
  if (tests.status !== 0) fail('chart tests failed; nothing packaged');
}

const dist = join(CHART_DIR, 'dist');
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
run(helm, ['package', CHART_DIR, '--destination', dist]);
const tgz = join(dist, `agentauth-${version}.tgz`);

// The package must hold the chart only (tests, scripts and node files stay out via .helmignore)
// and must render with the required values.
const listing = spawnSync('tar', ['-tzf', tgz], { encoding: 'utf8' });
if (listing.status !== 0) fail(`cannot list ${tgz}: ${listing.stderr}`);
const stray = listing.stdout
  .split('\n')
  .filter((f) => /\/(tests|test|scripts|node_modules)\/|package\.json$/.test(f));
if (stray.length > 0)
  fail(`the package contains files that are not part of the chart:\n  ${stray.join('\n  ')}`);
run(helm, ['template', 'release-check', tgz, ...sets]);

const sha256 = createHash('sha256').update(readFileSync(tgz)).digest('hex');
log(`packaged ${tgz}`);
log(`sha256 ${sha256}`);
