import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The checkout this package sits in. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The release version: the chart's appVersion, which the chart uses as every image's default tag
 * (the chart release checks it equals the chart version and every workspace package's version).
 * @example releaseVersion() // '0.1.0'
 */
export function releaseVersion(root = REPO_ROOT): string {
  const chart = readFileSync(join(root, 'charts/agentauth/Chart.yaml'), 'utf8');
  const match = /^appVersion:\s*["']?([^"'\s]+)["']?\s*$/m.exec(chart);
  if (!match?.[1]) throw new Error('charts/agentauth/Chart.yaml has no appVersion.');
  return match[1];
}

/** The commit being built (full and 12-character forms); `unknown` outside a git checkout. */
export function gitRevision(root = REPO_ROOT): { full: string; short: string } {
  const result = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' });
  const full = result.status === 0 ? result.stdout.trim() : 'unknown';
  return { full, short: full === 'unknown' ? full : full.slice(0, 12) };
}

/**
 * Where the source lives, for the org.opencontainers.image.source label: the CI's repository
 * URL, else the git remote `origin` (a clone of a local path has a bare path there: made a `file:`
 * URL), else the local checkout.
 * @example sourceUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/agentauth' })
 */
export function sourceUrl(env: Readonly<Record<string, string | undefined>>, root = REPO_ROOT) {
  if (env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY) {
    return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}`;
  }
  const origin = spawnSync('git', ['remote', 'get-url', 'origin'], { cwd: root, encoding: 'utf8' });
  const remote = origin.status === 0 ? origin.stdout.trim() : '';
  if (remote) return isAbsolute(remote) ? pathToFileURL(remote).href : remote;
  return `file://${root.replace(/\/$/, '')}`;
}
