import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/index.js';

/** The four documents that carry the install story, which must be identical in each. */
export const STORY_FILES = [
  'README.md',
  'charts/agentauth/README.md',
  'docs/chart.md',
  'docs/rollout.md',
] as const;

const BLOCK = /<!-- install-story:[^>]*-->\n```sh\n([\s\S]*?)```\n<!-- \/install-story -->/;

/** The shell text of the install story in `file` (relative to the repository). */
export function storyIn(file: string): string {
  const match = BLOCK.exec(readFileSync(join(REPO_ROOT, file), 'utf8'));
  if (!match?.[1]) throw new Error(`${file} has no install-story block`);
  return match[1];
}

/** The story's commands: comments dropped, `\` continuations joined, one string each. */
export function storyCommands(): string[] {
  return storyIn(STORY_FILES[0])
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'));
}

/** The one command starting with `prefix`; fails when there is none or several. */
export function storyCommand(prefix: string): string {
  const found = storyCommands().filter((c) => c.startsWith(prefix));
  if (found.length !== 1)
    throw new Error(`the install story has ${found.length} "${prefix}" commands`);
  return found[0] as string;
}

/**
 * The shell commands of docs/rollout.md's "Verifying a live deployment" section, in order, without
 * the ones that need a cluster (kubectl, and GW=, which asks kubectl for the gateway's address).
 */
export function rolloutChecks(): string[] {
  const doc = readFileSync(join(REPO_ROOT, 'docs/rollout.md'), 'utf8');
  const section = /## Verifying a live deployment\n([\s\S]*?)\n## /.exec(doc)?.[1] ?? '';
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => (m[1] ?? '').replace(/\\\n\s*/g, '').split('\n'))
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#') && !/^(kubectl|GW=)/.test(l));
}
