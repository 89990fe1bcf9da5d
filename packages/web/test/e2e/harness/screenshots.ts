import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** Test artifacts: `packages/web/test-results/screenshots/<name>.png` (git-ignored). */
export const SCREENSHOT_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../test-results/screenshots',
);

/**
 * Saves a screenshot of the whole viewport as a test artifact.
 * @example await screenshot(page, '03-chat-streamed-answer')
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  // Hide the blinking cursor's timing from the picture and wait for fonts.
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path, animations: 'disabled' });
  return path;
}
