import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A stand-in for the built web app (`index.html` only): the suite attacks the API, not the page.
 * @example const root = writeStaticSite(join(tmp, 'www'))
 */
export function writeStaticSite(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>agentauth e2e</title>\n');
  // nginx workers may run as another user than the test.
  chmodSync(dir, 0o755);
  return dir;
}
