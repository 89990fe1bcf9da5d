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
