import type { Browser, BrowserContext, Page } from 'playwright-core';
import { VIEWPORTS, type ViewportName } from './viewports.js';

/**
 * Every console line, uncaught error and content-security-policy violation of the pages a suite
 * opened, so its last test can check that none happened (and that no token was ever logged).
 */
export class PageLog {
  readonly lines: string[] = [];
  readonly contexts: BrowserContext[] = [];

  /**
   * A fresh, isolated browser profile (own localStorage) on a laptop or phone screen.
   * @example const page = await log.newPage(browser, 'phone')
   */
  async newPage(browser: Browser, viewport: ViewportName): Promise<Page> {
    const context = await browser.newContext({ ...VIEWPORTS[viewport] });
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => this.lines.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => this.lines.push(`pageerror: ${String(error)}`));
    // The browser reports CSP refusals as console errors too; this names them unmistakably.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    page.setDefaultTimeout(15_000);
    return page;
  }

  /** Lines that show a token, whatever else they say. */
  tokenLines(): string[] {
    return this.lines.filter((line) => /eyJ[\w-]+\.[\w-]+/.test(line));
  }

  /**
   * Lines that are not the browser's own note about an HTTP refusal the test caused on purpose
   * (a 401 for a bad sign-in link, a 403 for a restricted role, a 404 for a deleted agent, or a
   * network failure while the test takes the browser offline).
   */
  unexpected(allowed: RegExp[] = []): string[] {
    const expected = [
      /^error: Failed to load resource: the server responded with a status of 40[134]/,
      ...allowed,
    ];
    return this.lines.filter((line) => !expected.some((pattern) => pattern.test(line)));
  }

  /** Closes every page opened so far (before its stack stops, so no page retries against it). */
  async close(): Promise<void> {
    const open = this.contexts.splice(0);
    for (const context of open) await context.close().catch(() => {});
  }
}
