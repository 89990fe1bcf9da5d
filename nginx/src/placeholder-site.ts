import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A stand-in for the built web app (an `index.html` and one hashed asset), for gateways started by
 * tests and benchmarks that exercise the API rather than the page.
 * @example renderNginxConf({ staticRoot: writePlaceholderSite(join(tmp, 'www')), … })
 */
export function writePlaceholderSite(dir: string): string {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>agentauth</title><div id="root"></div>\n',
  );
  writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app");\n');
  // nginx workers may run as another user than the caller (a root master).
  chmodSync(dir, 0o755);
  return dir;
}
