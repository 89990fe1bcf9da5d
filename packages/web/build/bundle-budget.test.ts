import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleBudget, firstLoadFiles, measureFirstLoad } from './bundle-budget.js';

const HTML = `<!doctype html><html><head>
<script type="module" crossorigin src="/assets/index-a.js"></script>
<link rel="modulepreload" crossorigin href="/assets/vendor-b.js">
<link rel="stylesheet" crossorigin href="/assets/index-c.css">
<link rel="icon" href="data:image/svg+xml,x">
</head><body></body></html>`;

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function builtApp(sizes: Record<string, number>) {
  dir = mkdtempSync(join(tmpdir(), 'budget-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), HTML);
  // Random bytes do not compress, so their gzip size is about their size.
  for (const [name, size] of Object.entries(sizes)) {
    writeFileSync(join(dir, 'assets', name), crypto.getRandomValues(new Uint8Array(size)));
  }
  return dir;
}

describe('the first-load budget', () => {
  it('counts the scripts, module preloads and stylesheets index.html names, nothing else', () => {
    expect(firstLoadFiles(HTML)).toEqual([
      '/assets/index-a.js',
      '/assets/vendor-b.js',
      '/assets/index-c.css',
    ]);
  });

  it('measures their gzip sizes, leaving out chunks loaded later', () => {
    const app = builtApp({
      'index-a.js': 4000,
      'vendor-b.js': 2000,
      'index-c.css': 1000,
      'later.js': 50_000,
    });
    const load = measureFirstLoad(app);
    expect(load.files.map((f) => f.path)).toEqual([
      '/index.html',
      '/assets/index-a.js',
      '/assets/vendor-b.js',
      '/assets/index-c.css',
    ]);
    expect(load.totalGzipBytes).toBeGreaterThan(7000);
    expect(load.totalGzipBytes).toBeLessThan(9000);
  });

  it('fails the build when the first load is over budget, and passes under it', () => {
    const app = builtApp({ 'index-a.js': 4000, 'vendor-b.js': 2000, 'index-c.css': 1000 });
    const run = (budget: number) => {
      const plugin = bundleBudget(budget) as unknown as {
        configResolved(config: { root: string; build: { outDir: string } }): void;
        closeBundle(): void;
      };
      plugin.configResolved({ root: app, build: { outDir: '.' } });
      plugin.closeBundle();
    };
    expect(() => run(5000)).toThrow(/over budget: \/index\.html/);
    expect(() => run(20_000)).not.toThrow();
  });
});
