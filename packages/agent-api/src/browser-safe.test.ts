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

describe('agent-api runtime code', () => {
  it.each(sources(here).map((p) => [p.slice(here.length), p]))(
    '%s imports only zod and itself',
    (_, path) => {
      const text = readFileSync(path, 'utf8');
      // `import type` is erased at compile time (e.g. the auth core's error-code union), so only
      // imports that stay in the emitted JavaScript are checked.
      const runtime = text.replace(/^import type [^;]+;$/gm, '');
      const imports = [...runtime.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const spec of imports) expect(spec === 'zod' || spec?.startsWith('.')).toBe(true);
      expect(text).not.toMatch(/\b(process|Buffer|require)\b[.(]/);
    },
  );
});
