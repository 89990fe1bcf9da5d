import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Logger, Plugin } from 'vite';

/**
 * The most a first visit may download, gzip-compressed: index.html plus every script, module
 * preload and stylesheet it names (chunks loaded later on demand, like the markdown renderer, do
 * not count). Measured at 110.8 kB when set; raise it only on purpose.
 */
export const FIRST_LOAD_BUDGET_BYTES = 125 * 1024;

/**
 * The files a browser fetches before the first paint: index.html and what it links.
 * @example firstLoadFiles('<script type="module" src="/assets/index-1.js"></script>') // ['/assets/index-1.js']
 */
export function firstLoadFiles(html: string): string[] {
  const files = new Set<string>();
  for (const match of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g))
    files.add(match[1] as string);
  for (const match of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = match[0];
    if (!/\brel="(stylesheet|modulepreload)"/.test(tag)) continue;
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (href) files.add(href);
  }
  return [...files].filter((file) => file.startsWith('/'));
}

export interface FirstLoad {
  readonly files: readonly { readonly path: string; readonly gzipBytes: number }[];
  readonly totalGzipBytes: number;
}

/**
 * Measures the first load of a built app directory (gzip level 9, as a server would send it).
 * @example measureFirstLoad('dist').totalGzipBytes
 */
export function measureFirstLoad(distDir: string): FirstLoad {
  const html = readFileSync(join(distDir, 'index.html'));
  const files = [
    { path: '/index.html', gzipBytes: gzipSync(html, { level: 9 }).length },
    ...firstLoadFiles(html.toString('utf8')).map((path) => ({
      path,
      gzipBytes: gzipSync(readFileSync(join(distDir, path)), { level: 9 }).length,
    })),
  ];
  return { files, totalGzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0) };
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/**
 * A Vite plugin that reports the first-load size after every build and fails the build when it
 * is over the budget.
 * @example plugins: [react(), bundleBudget()]
 */
export function bundleBudget(budgetBytes = FIRST_LOAD_BUDGET_BYTES): Plugin {
  let outDir = 'dist';
  let logger: Pick<Logger, 'info'> | undefined;
  return {
    name: 'agentauth-bundle-budget',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
      logger = config.logger;
    },
    closeBundle() {
      const load = measureFirstLoad(outDir);
      const line = `first load ${kB(load.totalGzipBytes)} gzip (budget ${kB(budgetBytes)})`;
      if (load.totalGzipBytes > budgetBytes) {
        const detail = load.files.map((f) => `${f.path} ${kB(f.gzipBytes)}`).join(', ');
        throw new Error(`The web app's ${line} is over budget: ${detail}.`);
      }
      logger?.info(`bundle budget: ${line}`);
    },
  };
}
