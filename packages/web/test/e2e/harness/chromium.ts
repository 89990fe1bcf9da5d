import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_INSTALL_HINT = 'run bash scripts/setup chromium';

/**
 * The flags every e2e browser runs with: headless, no sandbox (containers, root), and nothing that
 * phones home (component updates, sync, background networking, QUIC).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

const isExecutable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Debian's Chromium: `CHROMIUM_BIN`, else `/usr/bin/chromium`, else `chromium` on PATH. Never a
 * downloaded browser. Missing → an error that says how to install it (the test fails, never skips).
 * @example const bin = findChromium(process.env)
 */
export function findChromium(env: Readonly<Record<string, string | undefined>>): string {
  if (env.CHROMIUM_BIN) {
    if (isExecutable(env.CHROMIUM_BIN)) return env.CHROMIUM_BIN;
    throw new Error(
      `CHROMIUM_BIN=${env.CHROMIUM_BIN} is not an executable file; ${CHROMIUM_INSTALL_HINT}.`,
    );
  }
  const candidates = [
    '/usr/bin/chromium',
    ...(env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, 'chromium')),
  ];
  const found = candidates.find(isExecutable);
  if (found) return found;
  throw new Error(`Chromium is not installed; ${CHROMIUM_INSTALL_HINT}.`);
}

/**
 * Starts Debian's Chromium through playwright-core. playwright gives every launch a fresh
 * temporary user-data-dir (deleted on close), and each scenario gets its own context on top, so
 * no storage leaks between scenarios or runs.
 * @example const browser = await launchChromium(); const page = await (await browser.newContext()).newPage();
 */
export function launchChromium(env = process.env): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(env),
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout: 30_000,
  });
}
