import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './options.js';

// The packages measured here have no benchmark scripts of their own: their `bench` script runs
// this benchmark with --only their suites, so there is one set of figures (docs/performance.md).
const PACKAGES = {
  'auth-core': ['verification'],
  'access-control-service': ['decision'],
  'agent-service': ['service', 'websocket'],
} as const;

function benchScript(pkg: string): string {
  const url = new URL(`../../${pkg}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { scripts: Record<string, string> }).scripts
    .bench as string;
}

describe("each measured package's bench script", () => {
  it.each(Object.entries(PACKAGES))('%s runs pnpm bench --only %s', (pkg, suites) => {
    const script = benchScript(pkg);
    const match = /^pnpm --workspace-root bench (--only \S+)$/.exec(script);
    expect(match, script).not.toBeNull();
    const argv = (match?.[1] ?? '').split(' ');
    expect(parseBenchArgs(argv, '/repo').suites).toEqual(suites);
  });
});
