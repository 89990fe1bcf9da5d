import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sourceUrl } from '../src/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'agentauth-source-url-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]) => {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
};

describe('sourceUrl', () => {
  it('names the CI repository when the CI says which it is', () => {
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/agentauth' };
    expect(sourceUrl(env, scratch)).toBe('https://github.com/acme/agentauth');
  });

  it('turns the bare path origin of a clone of a local checkout into a file: URL', () => {
    const upstream = join(scratch, 'upstream');
    git(scratch, 'init', '-q', upstream);
    git(scratch, 'clone', '-q', upstream, join(scratch, 'clone'));
    expect(sourceUrl({}, join(scratch, 'clone'))).toBe(`file://${upstream}`);
  });

  it('keeps a remote URL as it is', () => {
    const repo = join(scratch, 'remote');
    git(scratch, 'init', '-q', repo);
    git(repo, 'remote', 'add', 'origin', 'https://example.org/acme/agentauth.git');
    expect(sourceUrl({}, repo)).toBe('https://example.org/acme/agentauth.git');
  });
});
