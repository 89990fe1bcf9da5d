import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSecret, verifyToken } from '@agentauth/auth-core';
import { describe, expect, it } from 'vitest';
import { podman, REPO_ROOT, releaseVersion } from '../src/index.js';
import { STORY_FILES, storyCommand, storyCommands, storyIn } from './install-story.js';

// The install story (README, chart README, docs/chart.md, docs/rollout.md) run as far as it can
// run without a cluster: the release, the packaged chart with the story's own flags, the token
// CLI. Its two curl checks run against the real images in gateway.image.test.ts.
const sh = (command: string, env: Record<string, string> = {}) =>
  spawnSync('bash', ['-euo', 'pipefail', '-c', command], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 64 * 1024 * 1024,
  });

/** `--set a=b` pairs of a command line. */
const sets = (command: string) =>
  Object.fromEntries([...command.matchAll(/--set (\S+?)=(\S+)/g)].map((m) => [m[1], m[2]]));

describe('the install story', () => {
  it('is the same in all four documents', () => {
    const first = storyIn(STORY_FILES[0]);
    for (const file of STORY_FILES.slice(1)) expect(storyIn(file), file).toBe(first);
  });

  it('names the real token CLI entry and an API root with /v1', () => {
    const text = storyIn(STORY_FILES[0]);
    expect(text).toContain('node packages/auth-core/dist/bin.js token');
    expect(text).not.toContain('cli.js');
    expect(sets(storyCommand('helm upgrade'))['agentService.llm.baseUrl']).toMatch(/\/v1$/);
  });

  let release: {
    version: string;
    registry: string;
    images: { ref: string; id: string }[];
    chart: { file: string; sha256: string };
  };

  it('releases images and chart with one version for the story’s registry', () => {
    // The story's command, without the build and the tests this very test run has done.
    const command = `${storyCommand('pnpm release')} --skip-build --skip-tests`;
    const run = sh(command);
    expect(run.status, run.stderr).toBe(0);
    release = JSON.parse(readFileSync(join(REPO_ROOT, 'dist/release/release.json'), 'utf8'));
    const registry = /--registry (\S+)/.exec(command)?.[1];
    expect(release.registry).toBe(registry);
    expect(release.version).toBe(releaseVersion());
    expect(release.images.map((i) => i.ref).sort()).toEqual(
      ['access-control-service', 'agent-service', 'web'].map(
        (n) => `${registry}/agentauth/${n}:${releaseVersion()}`,
      ),
    );
    for (const image of release.images) {
      expect(podman(['image', 'inspect', '--format', '{{.Id}}', image.ref]).stdout.trim()).toBe(
        image.id,
      );
    }
    expect(createHash('sha256').update(readFileSync(release.chart.file)).digest('hex')).toBe(
      release.chart.sha256,
    );
    // Three image builds and the chart's lint and package on a shared two-core machine.
  }, 300_000);

  it('installs from the packaged file with its flags: the released images and the story’s Secrets', () => {
    const install = storyCommand('helm upgrade --install');
    const chartPath = /\s(charts\/agentauth\/dist\/\S+\.tgz)\s/.exec(install)?.[1];
    expect(join(REPO_ROOT, chartPath ?? '')).toBe(release.chart.file);
    // The chart tests' lookup: HELM_BIN, then the setup's tools folder.
    const helm =
      process.env.HELM_BIN ??
      join(process.env.AGENTAUTH_TOOLS ?? join(REPO_ROOT, '.tools'), 'bin/helm');
    expect(existsSync(helm), `${helm} is missing: run bash scripts/setup helm-tools`).toBe(true);
    const rendered = sh(install.replace(/^helm upgrade --install/, `${helm} template`));
    expect(rendered.status, rendered.stderr).toBe(0);
    const images = [
      ...new Set([...rendered.stdout.matchAll(/^\s+image: (\S+)$/gm)].map((m) => m[1])),
    ];
    expect(images.sort()).toEqual(release.images.map((i) => i.ref).sort());
    // The Secrets step 2 creates are the ones the pods read.
    const created = storyCommands()
      .filter((c) => c.includes('create secret generic'))
      .map((c) => /create secret generic (\S+) --from-literal=(\w+)=/.exec(c)?.slice(1, 3));
    for (const [name, key] of created as [string, string][]) {
      expect(rendered.stdout).toContain(`name: ${name}\n                  key: ${key}`);
    }
    expect(rendered.stdout).toContain('value: "http://litellm.texera:4000/v1"');
  });

  it('mints a token with the auth core CLI that verifies against the secret', async () => {
    const secret = 'install-story-secret-0123456789abcdef-0123';
    const lines = storyCommands();
    const exportLine = lines.find((c) => c.startsWith('export AUTH_JWT_SECRET='));
    const tokenLine = lines.find((c) =>
      c.startsWith('TOKEN=$(node packages/auth-core/dist/bin.js'),
    );
    expect(exportLine && tokenLine).toBeTruthy();
    const run = sh(`${exportLine}\n${tokenLine}\nprintf %s "$TOKEN"`, {
      PLATFORM_JWT_SECRET: secret,
    });
    expect(run.status, run.stderr).toBe(0);
    const verified = await verifyToken(
      run.stdout,
      (await loadSecret({ AUTH_JWT_SECRET: secret })).key,
    );
    expect(verified.user).toMatchObject({ name: 'ops-check', role: 'REGULAR' });
  });
});
