#!/usr/bin/env node
// One command for the chart release: check versions are in step, helm lint --strict, run the
// chart tests, package dist/agentauth-<version>.tgz and check what went into it.
//
//   pnpm chart:release                 # from the repository root
//   node scripts/release.mjs --skip-tests   # when the same commit's tests already ran (CI)
//   node scripts/release.mjs --registry ghcr.io/acme   # images pushed there (pnpm release)
// --registry stamps imageRegistry into the packaged chart's values, so its defaults point at the
// images `pnpm images --registry` built and the release pushes.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { CHART_DIR, findTool, REPO_ROOT, REQUIRED_VALUES, run } from '../test/tools.mjs';

const { values: args } = parseArgs({
  options: { 'skip-tests': { type: 'boolean', default: false }, registry: { type: 'string' } },
});
const skipTests = args['skip-tests'];
const registry = args.registry ?? '';
if (!/^([^/\s:"]+(:[0-9]+)?(\/[^\s:"]+)*)?$/.test(registry)) {
  process.stderr.write(
    `chart-release: --registry ${registry} is not a registry path such as ghcr.io/acme\n`,
  );
  process.exit(2);
}
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
// Package a copy whose values name the registry (the chart in the repository stays unstamped).
const staged = join(mkdtempSync(join(tmpdir(), 'agentauth-chart-')), 'agentauth');
cpSync(CHART_DIR, staged, {
  recursive: true,
  filter: (src) => !/\/(dist|node_modules|test-results)(\/|$)/.test(src.slice(CHART_DIR.length)),
});
const valuesFile = join(staged, 'values.yaml');
const values = readFileSync(valuesFile, 'utf8');
if (!/^imageRegistry: ""$/m.test(values)) fail('values.yaml has no top-level imageRegistry: ""');
writeFileSync(
  valuesFile,
  values.replace(/^imageRegistry: ""$/m, `imageRegistry: ${JSON.stringify(registry)}`),
);
run(helm, ['package', staged, '--destination', dist]);
rmSync(join(staged, '..'), { recursive: true, force: true });
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
const rendered = run(helm, ['template', 'release-check', tgz, ...sets]);
const images = [...new Set([...rendered.matchAll(/^\s+image: (\S+)$/gm)].map((m) => m[1]))].sort();
const want = ['access-control-service', 'agent-service', 'web']
  .map((name) => `${registry ? `${registry}/` : ''}agentauth/${name}:${version}`)
  .sort();
if (JSON.stringify(images) !== JSON.stringify(want))
  fail(`the packaged chart's images are ${images.join(', ')}; expected ${want.join(', ')}`);
log(`images ${images.join(', ')}`);

const sha256 = createHash('sha256').update(readFileSync(tgz)).digest('hex');
log(`packaged ${tgz}`);
log(`sha256 ${sha256}`);
