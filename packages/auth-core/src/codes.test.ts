import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// `@agentauth/auth-core/codes` is bundled by the web app (through agent-api and agent-client), so
// everything it reaches at runtime must be free of Node.
function runtimeImports(file: string): string[] {
  const text = readFileSync(new URL(file, import.meta.url), 'utf8').replace(
    /^import type [^;]+;$/gm,
    '',
  );
  return [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1] as string);
}

function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of runtimeImports(file)) {
      expect(spec.startsWith('./'), `${file} imports ${spec}`).toBe(true);
      visit(spec.replace(/\.js$/, '.ts'));
    }
  };
  visit(entry);
  return [...seen];
}

describe('@agentauth/auth-core/codes', () => {
  it('reaches only its own modules, none of which uses Node', () => {
    const files = reachable('./codes.ts');
    expect(files).toEqual(
      expect.arrayContaining(['./codes.ts', './errors.ts', './error-codes.ts', './http-status.ts']),
    );
    for (const file of files) {
      const text = readFileSync(new URL(file, import.meta.url), 'utf8');
      expect(text, file).not.toMatch(/\b(process|Buffer|require)\b[.(]/);
      expect(text, file).not.toMatch(/from 'node:/);
    }
  });
});
