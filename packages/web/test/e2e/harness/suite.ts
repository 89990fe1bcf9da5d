import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './chromium.js';
import { PageLog } from './pages.js';
import { type Stack, startStack } from './stack.js';

/** What one e2e file shares: Debian's Chromium, the stack, and the log of every page it opened. */
export interface Suite {
  readonly browser: Browser;
  readonly stack: Stack;
  readonly log: PageLog;
}

/**
 * Starts Chromium (first: a missing browser fails fast with the install hint) and the stack before
 * the file's tests, and closes the pages, the browser and the stack after them.
 * @example const suite = e2eSuite(); it('…', async () => { const page = await suite.log.newPage(suite.browser, 'phone') })
 */
export function e2eSuite(options: Parameters<typeof startStack>[0] = {}): Suite {
  const suite = { log: new PageLog() } as { browser: Browser; stack: Stack; log: PageLog };
  beforeAll(async () => {
    suite.browser = await launchChromium();
    suite.stack = await startStack(options);
  });
  afterAll(async () => {
    await suite.log.close();
    await suite.browser?.close();
    await suite.stack?.stop();
  });
  return suite;
}
