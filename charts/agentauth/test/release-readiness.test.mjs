// What the release pipeline relies on: helm lint --strict passes, and the chart's version and
// appVersion stay in step with the workspace packages they deploy.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CHART_DIR, findTool, REPO_ROOT, REQUIRED_VALUES, run } from './tools.mjs';

const chart = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(CHART_DIR, 'package.json'), 'utf8'));

describe('release readiness', () => {
  it('passes helm lint --strict', () => {
    const sets = Object.entries(REQUIRED_VALUES).flatMap(([k, v]) => ['--set-string', `${k}=${v}`]);
    const out = run(findTool('helm', 'HELM_BIN'), ['lint', '--strict', CHART_DIR, ...sets]);
    assert.match(out, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('has version = appVersion = the chart package version', () => {
    assert.equal(chart.version, pkg.version);
    assert.equal(String(chart.appVersion), pkg.version);
  });

  it('moves in step with every versioned workspace package', () => {
    const packages = join(REPO_ROOT, 'packages');
    for (const name of readdirSync(packages)) {
      let manifest;
      try {
        manifest = JSON.parse(readFileSync(join(packages, name, 'package.json'), 'utf8'));
      } catch {
        continue;
      }
      if (manifest.version === undefined) continue;
      assert.equal(
        manifest.version,
        pkg.version,
        `${manifest.name} is at ${manifest.version}, the chart at ${pkg.version}`,
      );
    }
  });
});
