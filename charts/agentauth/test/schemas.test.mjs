// Rendered manifests validate, in strict mode (no unknown fields), against the Kubernetes,
// Gateway API and Envoy Gateway schemas generated offline by `bash scripts/setup helm-tools`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { COMBINATIONS, findTool, KUBE_VERSIONS, render, run, schemasDir } from './tools.mjs';

const work = mkdtempSync(join(tmpdir(), 'agentauth-kubeconform-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** kubeconform over one file; returns its JSON report. */
function kubeconform(file, kubeVersion) {
  const dir = schemasDir();
  const out = run(findTool('kubeconform'), [
    '-strict',
    '-summary',
    '-output',
    'json',
    '-kubernetes-version',
    kubeVersion,
    '-schema-location',
    dir,
    '-schema-location',
    `${dir}/crds/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json`,
    file,
  ]).trim();
  return JSON.parse(out);
}

describe('rendered manifests validate against the schemas', () => {
  let index = 0;
  for (const [name, values] of Object.entries(COMBINATIONS)) {
    for (const kubeVersion of KUBE_VERSIONS) {
      it(`with ${name} on Kubernetes ${kubeVersion}`, () => {
        const file = join(work, `manifest-${index++}.yaml`);
        const { docs, yaml } = render(values, { kubeVersion });
        writeFileSync(file, yaml);
        const report = kubeconform(file, kubeVersion);
        assert.deepEqual(report.summary, {
          valid: docs.length,
          invalid: 0,
          errors: 0,
          skipped: 0,
        });
      });
    }
  }

  it('catches an invented SecurityPolicy field (the schemas are strict)', () => {
    const file = join(work, 'invented.yaml');
    const { yaml } = render();
    writeFileSync(file, yaml.replace('failOpen: false', 'failOpen: false\n    cacheTTL: 30s'));
    assert.throws(
      () => kubeconform(file, KUBE_VERSIONS[0]),
      /additional properties 'cacheTTL' not allowed/,
    );
  });
});
