import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The web app bundles this package, so its runtime code must not reach for Node.
const here = new URL('.', import.meta.url).pathname;
const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });

/** What a runtime source file reaches for that a browser bundle cannot have. */
function nodeOnlyUses(text: string): string[] {
  // `import type` is erased at compile time (e.g. the auth core's error-code union), so only
  // imports that stay in the emitted JavaScript are checked.
  const runtime = text.replace(/^import type [^;]+;$/gm, '');
  const imports = [...runtime.matchAll(/from '([^']+)'/g)].map((m) => m[1] ?? '');
  return [
    ...imports.filter((spec) => spec !== 'zod' && !spec.startsWith('.')).map((s) => `import ${s}`),
    ...[...text.matchAll(/\b(process|Buffer|require)\b[.(]/g)].map((m) => `uses ${m[1]}`),
  ];
}

describe('agent-api runtime code', () => {
  // One case for the package (the property is one), with the files it read as its table rows.
  it('imports only zod and itself, and uses no Node global', async ({ annotate }) => {
    const files = sources(here);
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.flatMap((path) =>
      nodeOnlyUses(readFileSync(path, 'utf8')).map((use) => `${path.slice(here.length)}: ${use}`),
    );
    expect(offenders).toEqual([]);
    await annotate(String(files.length), 'table-rows');
  });

  it('the check sees a Node import and a Node global', () => {
    expect(nodeOnlyUses("import { readFileSync } from 'node:fs';\nprocess.exit(1);\n")).toEqual([
      'import node:fs',
      'uses process',
    ]);
    expect(nodeOnlyUses("import type { X } from 'node:fs';\nimport { z } from 'zod';\n")).toEqual(
      [],
    );
  });
});
