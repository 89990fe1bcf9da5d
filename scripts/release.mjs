#!/usr/bin/env node
// One release, one version: the three images and the chart, built and tested together.
//   pnpm release --registry ghcr.io/acme      # images ghcr.io/acme/agentauth/<name>:<version>
//   pnpm release --registry … --skip-tests    # when CI already ran this commit's tests
//   pnpm release --registry … --skip-build    # when the workspace is already built (a test)
// Steps: build (turbo), the images for the registry, the image tests on those very images (named
// in AGENTAUTH_TEST_IMAGES, not built again), their OCI archives into dist/release/oci (after the
// tests: the install story among them runs a release of its own), then the chart release (version
// check, helm lint --strict, chart tests, package with imageRegistry stamped so its defaults point
// at these images). Writes dist/release/release.json (version, revision, image ids, archives, chart
// file and sha256).
// Pushing is the workflow's job (.github/workflows/release.yaml).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = (line) => process.stderr.write(`release: ${line}\n`);
const { values: args } = parseArgs({
  options: {
    registry: { type: 'string' },
    'skip-tests': { type: 'boolean', default: false },
    'skip-build': { type: 'boolean', default: false },
  },
});
const registry = args.registry ?? process.env.AGENTAUTH_IMAGE_REGISTRY ?? '';
const out = join(root, 'dist', 'release');

function step(what, command, commandArgs, env = {}) {
  log(what);
  const result = spawnSync(command, commandArgs, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) {
    log(`${what}: failed (exit ${result.status}); nothing released`);
    process.exit(1);
  }
}

if (!args['skip-build'])
  step('build', 'pnpm', [
    'turbo',
    'run',
    'build',
    '--filter=@agentauth/images...',
    '--filter=@agentauth/chart-agentauth...',
    '--output-logs=errors-only',
  ]);
mkdirSync(out, { recursive: true });
const { buildImages, saveArchives } = await import(join(root, 'packages/images/dist/index.js'));
log(`images for ${registry || '(no registry)'}`);
const images = await buildImages({ registry, log: (line) => log(line) });
if (!args['skip-tests']) {
  // The tests run the images just built (their global setup checks they exist, builds nothing).
  step('image tests', 'pnpm', ['--filter', '@agentauth/images', 'test'], {
    AGENTAUTH_IMAGE_REGISTRY: registry,
    AGENTAUTH_TEST_IMAGES: JSON.stringify(
      Object.fromEntries(images.images.map((i) => [i.name, i.ref])),
    ),
  });
}
log('archives');
const built = saveArchives(images, join(out, 'oci'));
step('chart', process.execPath, [
  join(root, 'charts/agentauth/scripts/release.mjs'),
  '--registry',
  registry,
  ...(args['skip-tests'] ? ['--skip-tests'] : []),
]);

const chart = join(root, 'charts/agentauth/dist', `agentauth-${built.version}.tgz`);
const manifest = {
  version: built.version,
  revision: built.revision,
  registry,
  images: built.images.map((i) => ({
    ref: i.ref,
    revisionRef: i.revisionRef,
    id: i.id,
    archive: i.archive,
  })),
  chart: {
    file: chart,
    sha256: createHash('sha256').update(readFileSync(chart)).digest('hex'),
  },
};
writeFileSync(join(out, 'release.json'), `${JSON.stringify(manifest, null, 2)}\n`);
log(`version ${built.version}: ${built.images.map((i) => i.ref).join(', ')}; chart ${chart}`);
