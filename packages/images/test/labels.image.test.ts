import { describe, expect, inject, it } from 'vitest';
import {
  gitRevision,
  IMAGE_NAMES,
  imageRepository,
  podman,
  podmanRuntimeArgs,
  RUN_ULIMITS,
  releaseVersion,
} from '../src/index.js';

describe('every image', () => {
  it.each(IMAGE_NAMES)('%s carries the OCI source, version and revision labels', (name) => {
    const ref = inject('images')[name];
    const labels = JSON.parse(
      podman(['image', 'inspect', '--format', '{{json .Labels}}', ref]).stdout,
    ) as Record<string, string>;
    expect(labels['org.opencontainers.image.version']).toBe(releaseVersion());
    expect(labels['org.opencontainers.image.revision']).toBe(gitRevision().full);
    expect(labels['org.opencontainers.image.source']).toMatch(/^(https?|file|git|ssh):|@/);
    expect(ref).toBe(
      `${imageRepository(name, process.env.AGENTAUTH_IMAGE_REGISTRY)}:${releaseVersion()}`,
    );
  });

  it.each(IMAGE_NAMES)('%s is also tagged with the git revision', (name) => {
    const ref = inject('images')[name];
    const revisionRef = `${ref}-${gitRevision().short}`;
    const id = (r: string) => podman(['image', 'inspect', '--format', '{{.Id}}', r]).stdout.trim();
    expect(id(revisionRef)).toBe(id(ref));
  });

  it.each(['access-control-service', 'agent-service'] as const)(
    '%s holds production dependencies only',
    (name) => {
      const ref = inject('images')[name];
      const listing = podman([
        ...podmanRuntimeArgs(process.env),
        'run',
        '--rm',
        ...RUN_ULIMITS,
        '--network=none',
        '--entrypoint=sh',
        ref,
        '-c',
        'ls /app/node_modules /app/node_modules/.pnpm',
      ]).stdout;
      for (const devOnly of ['vitest', 'typescript', 'autocannon', '@biomejs']) {
        expect(listing).not.toContain(devOnly);
      }
      expect(listing).toMatch(/express@/);
    },
  );
});
