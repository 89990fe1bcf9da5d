import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeSerious } from './harness/axe.js';
import { screenshot } from './harness/screenshots.js';
import { e2eSuite } from './harness/suite.js';
import { ALICE, mintToken } from './harness/tokens.js';
import { VIEWPORT_NAMES } from './harness/viewports.js';

// Issue 18, problem 5 and the sign-in parts of 11, on a laptop and a phone.

const suite = e2eSuite();
const { log } = suite;

/** The token with its payload swapped for one that claims more (the signature no longer fits). */
function tampered(token: string): string {
  const [header, , signature] = token.split('.');
  const claims = {
    sub: 'demo',
    userId: 1,
    role: 'ADMIN',
    exp: Math.floor(Date.now() / 1000) + 3600,
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

const bodyText = (page: Page) =>
  page
    .locator('body')
    .textContent()
    .then((t) => t ?? '');

/** The dialog's centre is the viewport's centre (within a pixel or two). */
async function expectCentred(page: Page, selector: string) {
  const box = await page.locator(selector).boundingBox();
  const size = page.viewportSize();
  expect(box).not.toBeNull();
  if (!box || !size) return;
  expect(Math.abs(box.x + box.width / 2 - size.width / 2)).toBeLessThanOrEqual(2);
  expect(Math.abs(box.y + box.height / 2 - size.height / 2)).toBeLessThanOrEqual(2);
}

describe.each(VIEWPORT_NAMES)('sign-in on a %s', (viewport) => {
  it('5 · a tampered link says it is not valid and shows nothing from the token', async () => {
    const page = await log.newPage(suite.browser, viewport);
    const forged = tampered(await mintToken(suite.stack.secret, ALICE, 3600));
    await page.goto(`${suite.stack.baseUrl}/#access_token=${forged}`);
    await page.getByRole('heading', { name: 'This sign-in link is not valid' }).waitFor();
    const text = await bodyText(page);
    expect(text).toMatch(/Ask for a new sign-in link/);
    expect(text).not.toMatch(/ADMIN|demo|expired/i);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Agents' }).count()).toBe(0);
    // The field has the focus, ready for a new link.
    expect(
      await page
        .getByLabel('Sign-in link or token')
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await screenshot(page, `${viewport}-10-link-not-valid`);
    expect(await axeSerious(page)).toEqual([]);
  });

  it('5 · a token signed with another secret is not valid either; an expired one has expired', async () => {
    const page = await log.newPage(suite.browser, viewport);
    const foreign = await mintToken('f'.repeat(64), ALICE, 3600);
    await page.goto(`${suite.stack.baseUrl}/#access_token=${foreign}`);
    await page.getByRole('heading', { name: 'This sign-in link is not valid' }).waitFor();
    const expired = await mintToken(suite.stack.secret, ALICE, -120);
    await page.goto(`${suite.stack.baseUrl}/#access_token=${expired}`);
    const stored = await page.evaluate(() => localStorage.getItem('access_token'));
    expect(stored === expired, `stored the new token; page says: ${await bodyText(page)}`).toBe(
      true,
    );
    await page.getByRole('heading', { name: 'This sign-in link has expired' }).waitFor();
    expect(await bodyText(page)).not.toMatch(/alice|REGULAR|session has expired/);
  });

  it('11 · pasting the whole sign-in link works, Enter submits, and no developer command shows', async () => {
    const page = await log.newPage(suite.browser, viewport);
    await page.goto(`${suite.stack.baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await bodyText(page)).not.toMatch(/pnpm/);
    await screenshot(page, `${viewport}-11-sign-in`);
    expect(await axeSerious(page)).toEqual([]);
    const link = `${suite.stack.baseUrl}/#access_token=${await mintToken(suite.stack.secret, ALICE, 3600)}`;
    await page.getByLabel('Sign-in link or token').fill(link);
    await page.getByLabel('Sign-in link or token').press('Enter');
    // Identity appears only once the service accepted the token.
    await page.locator('.user-badge').getByText('alice').waitFor();
    expect(await bodyText(page)).not.toMatch(/pnpm/);
  });

  it('5 · a session that expires opens a centred sign-in dialog that takes focus', async () => {
    const page = await log.newPage(suite.browser, viewport);
    // Expires within the verifiers' 30 s clock skew plus a few seconds.
    await page.goto(
      `${suite.stack.baseUrl}/#access_token=${await mintToken(suite.stack.secret, ALICE, -25)}`,
    );
    await page.locator('.user-badge').getByText('alice').waitFor();
    // The list refreshes itself; once the token is past the skew the service refuses it.
    const dialog = page.getByRole('dialog');
    await dialog
      .getByRole('heading', { name: 'Your session has expired' })
      .waitFor({ timeout: 30_000 });
    expect(
      await dialog
        .getByLabel('Sign-in link or token')
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await expectCentred(page, 'dialog.sign-in-dialog');
    await screenshot(page, `${viewport}-12-session-expired`);
    expect(await axeSerious(page)).toEqual([]);
    await dialog
      .getByLabel('Sign-in link or token')
      .fill(await mintToken(suite.stack.secret, ALICE, 3600));
    await dialog.getByLabel('Sign-in link or token').press('Enter');
    await dialog.waitFor({ state: 'detached' });
  });
});

describe('hygiene', () => {
  it('no page logged a token, broke the content security policy or threw', () => {
    expect(log.tokenLines()).toEqual([]);
    expect(log.unexpected()).toEqual([]);
  });
});
