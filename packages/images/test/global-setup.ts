import type { TestProject } from 'vitest/node';
import { givenImages } from '../src/given-images.js';
import { type BuiltImage, buildImages } from '../src/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `<repository>:<version>` of each image, built once for every suite. */
    images: Record<BuiltImage['name'], string>;
  }
}

/**
 * Builds the three images once (local Debian bases, reused from podman's storage when present),
 * as `pnpm images` does (named for AGENTAUTH_IMAGE_REGISTRY when set), and hands their names to
 * the suites. Build times go to stderr: they are reported (docs/chart.md), not asserted.
 * `pnpm release` instead names the images it has just built and will release in
 * AGENTAUTH_TEST_IMAGES: those very images are tested (after `podman image exists` on each),
 * nothing is built again.
 */
export default async function setup(project: TestProject): Promise<void> {
  const given = givenImages(process.env);
  if (given) {
    process.stderr.write(`images: testing the given images ${Object.values(given).join(', ')}\n`);
    project.provide('images', given);
    return;
  }
  const result = await buildImages({
    registry: process.env.AGENTAUTH_IMAGE_REGISTRY || undefined,
    log: (line) => process.stderr.write(`images: ${line}\n`),
  });
  const times = result.images.map((i) => `${i.name} ${i.buildSeconds.toFixed(1)} s`).join(', ');
  process.stderr.write(`images: bases ${result.baseSeconds.toFixed(1)} s; ${times}\n`);
  project.provide(
    'images',
    Object.fromEntries(result.images.map((i) => [i.name, i.ref])) as Record<
      BuiltImage['name'],
      string
    >,
  );
}
