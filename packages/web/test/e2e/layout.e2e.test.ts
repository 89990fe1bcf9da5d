import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, deleteAgent } from './harness/agents-api.js';
import { axeSerious } from './harness/axe.js';
import { launchChromium } from './harness/chromium.js';
import { PageLog } from './harness/pages.js';
import { screenshot } from './harness/screenshots.js';
import { type Stack, startStack } from './harness/stack.js';
import { mintToken, type TestUser } from './harness/tokens.js';
import { VIEWPORT_NAMES } from './harness/viewports.js';

// Issue 18, problems 6–11 (addresses, many agents, the phone layout, settings, focus, the
// smaller items), on a laptop and a phone. Each screen size gets its own stack, so each starts
// from an empty agent list.

let browser: Browser;
const log = new PageLog();

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await log.close();
  await browser?.close();
});

const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 25_000 });
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el
      ? `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? ''}`
      : '';
  });
const isFocused = (_page: Page, locator: ReturnType<Page['locator']>) =>
  locator.evaluate((el) => el === document.activeElement);
const pageScroll = (page: Page) =>
  page.evaluate(() => ({
    top: document.scrollingElement?.scrollTop ?? 0,
    height: document.scrollingElement?.scrollHeight ?? 0,
  }));

describe.each(VIEWPORT_NAMES)('the workspace on a %s', (viewport) => {
  const phone = viewport === 'phone';
  let stack: Stack;
  let userToken = '';
  const token = () => userToken;
  beforeAll(async () => {
    stack = await startStack();
    const user: TestUser = { uid: 100, name: `user-${viewport}`, role: 'REGULAR' };
    userToken = await mintToken(stack.secret, user, 3600);
  });
  afterAll(async () => {
    await log.close();
    await stack?.stop();
  });

  const signIn = (page: Page, path = '/') =>
    page.goto(`${stack.baseUrl}${path}#access_token=${token()}`);

  it('11 · with no agents, the empty state says how to start; 10 · Create puts the cursor in the message box', async () => {
    const page = await log.newPage(browser, viewport);
    await signIn(page);
    await page.getByText('No agents yet. Create your first one with New agent.').waitFor();
    expect(await page.getByText(/Pick an agent on the left/).count()).toBe(0);
    await screenshot(page, `${viewport}-20-empty`);
    expect(await axeSerious(page)).toEqual([]);
    const form = page.getByRole('form', { name: 'Create an agent' });
    await form.getByLabel('Name').fill('First agent');
    await form.getByRole('button', { name: 'Create agent' }).click();
    await page.getByRole('heading', { name: 'First agent', level: 2 }).waitFor();
    await eventually(() => isFocused(page, page.getByRole('textbox', { name: 'Message' }))).toBe(
      true,
    );
  });

  it('6 · every agent has an address: deep link, reload and Back work', async () => {
    const a = await createAgent(stack, token(), 'Address A');
    const b = await createAgent(stack, token(), 'Address B');
    const page = await log.newPage(browser, viewport);
    await signIn(page, `/agents/${a.id}`);
    await page.getByRole('heading', { name: 'Address A', level: 2 }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Address A', level: 2 }).waitFor();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await eventually(async () => new URL(page.url()).pathname).toBe(`/agents/${a.id}/settings`);
    await page.goBack();
    await eventually(async () => new URL(page.url()).pathname).toBe(`/agents/${a.id}`);
    await page.getByRole('tab', { name: 'Chat', selected: true }).waitFor();
    if (phone) await page.getByRole('link', { name: 'Agents' }).click();
    // 10 · Picked with the keyboard, the agent opens with the cursor in its message box: no Tab
    // presses to start typing.
    await page.getByRole('link', { name: /Address B/ }).press('Enter');
    await page.getByRole('heading', { name: 'Address B', level: 2 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/agents/${b.id}`);
    await eventually(() => isFocused(page, page.getByRole('textbox', { name: 'Message' }))).toBe(
      true,
    );
    await page.goBack();
    if (phone) await page.goBack();
    await page.getByRole('heading', { name: 'Address A', level: 2 }).waitFor();
  });

  it('7 · thirty agents: the page never scrolls, the list does; search, running marks and self-refresh', async () => {
    const agents = [];
    for (let i = 1; i <= 30; i++) {
      agents.push(
        await createAgent(stack, token(), `Bulk agent ${String(i).padStart(2, '0')}`, {
          tools: [],
        }),
      );
    }
    const page = await log.newPage(browser, viewport);
    await signIn(page);
    const list = page.locator('.sidebar-list');
    await list.getByRole('link', { name: /Bulk agent 30/ }).waitFor();
    const viewportHeight = page.viewportSize()?.height ?? 0;
    expect((await pageScroll(page)).height).toBeLessThanOrEqual(viewportHeight);
    expect(await list.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    // New agent stays at the top, above the list.
    const newAgent = await page.getByRole('button', { name: 'New agent' }).boundingBox();
    expect((newAgent?.y ?? 999) + (newAgent?.height ?? 0)).toBeLessThan(200);
    await screenshot(page, `${viewport}-21-many-agents`);
    expect(await axeSerious(page)).toEqual([]);

    const last = list.getByRole('link', { name: /Bulk agent 30/ });
    await last.scrollIntoViewIfNeeded();
    await last.click();
    await page.getByRole('heading', { name: 'Bulk agent 30', level: 2 }).waitFor();
    expect((await pageScroll(page)).top).toBe(0);
    await page.locator('.topbar').waitFor();
    expect((await page.locator('.topbar').boundingBox())?.y).toBe(0);

    // A run started elsewhere (another browser) shows as running here, without a reload;
    // an agent created elsewhere appears by itself.
    const other = await log.newPage(browser, 'laptop');
    await other.goto(`${stack.baseUrl}/agents/${agents[4]?.id}#access_token=${token()}`);
    await other.getByTestId('connection-status').getByText('Connected').waitFor();
    await other.getByRole('textbox', { name: 'Message' }).fill('count to 2000');
    await other.getByRole('textbox', { name: 'Message' }).press('Enter');
    await createAgent(stack, token(), 'Made elsewhere');
    if (phone) await page.getByRole('link', { name: 'Agents' }).click();
    const search = page.getByRole('searchbox', { name: 'Search agents' });
    await search.fill('05');
    const busy = page.locator('.sidebar-list').getByRole('link', { name: /Bulk agent 05/ });
    await busy.getByTestId('running-marker').waitFor({ timeout: 25_000 });
    expect(await page.locator('.sidebar-list').getByRole('link').count()).toBe(1);
    await screenshot(page, `${viewport}-22-search-running`);
    expect(await axeSerious(page)).toEqual([]);
    await search.fill('elsewhere');
    await page
      .locator('.sidebar-list')
      .getByRole('link', { name: /Made elsewhere/ })
      .waitFor({
        timeout: 25_000,
      });
    await other.keyboard.press('Escape');
    await other.getByTestId('run-status').getByText('Stopped').waitFor();
  });

  it('8 · the layout keeps the message box on screen, with no nested page scrolling or wrapped buttons', async () => {
    const agent = await createAgent(stack, token(), 'Layout check');
    const page = await log.newPage(browser, viewport);
    await signIn(page, `/agents/${agent.id}`);
    await page.getByTestId('connection-status').getByText('Connected').waitFor();
    const height = page.viewportSize()?.height ?? 0;
    const composer = await page.getByRole('textbox', { name: 'Message' }).boundingBox();
    expect((composer?.y ?? 0) + (composer?.height ?? 0)).toBeLessThanOrEqual(height);
    expect((await pageScroll(page)).height).toBeLessThanOrEqual(height);
    for (const name of ['Sign out', 'Delete agent']) {
      const lines = await page
        .getByRole('button', { name })
        .evaluate((el) =>
          Math.round(
            el.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(el).lineHeight),
          ),
        );
      expect(lines, `${name} stays on one line`).toBeLessThanOrEqual(2);
      const wraps = await page
        .getByRole('button', { name })
        .evaluate((el) => getComputedStyle(el).whiteSpace);
      expect(wraps).toBe('nowrap');
    }
    if (phone) {
      // A phone shows the chat alone; the list is one tap away.
      expect(await page.locator('.sidebar').isVisible()).toBe(false);
      await page.getByRole('link', { name: 'Agents' }).click();
      await page.locator('.sidebar').waitFor();
      expect(await page.locator('.main').isVisible()).toBe(false);
      await screenshot(page, `${viewport}-23-list-view`);
      expect(await axeSerious(page)).toEqual([]);
      await page.getByRole('link', { name: /Layout check/ }).click();
      await page.locator('.chat').waitFor();
    }
    await screenshot(page, `${viewport}-24-chat-view`);
  });

  it('9 · settings: errors per field in words, ranges shown, and a warning before unsaved changes are dropped; 10 · Save keeps focus', async () => {
    const agent = await createAgent(stack, token(), 'Settings check');
    const page = await log.newPage(browser, viewport);
    await signIn(page, `/agents/${agent.id}`);
    // Straight to Settings: the chat's socket is closed while it may still be connecting (the
    // client waits for it to open, so the browser never prints its URL).
    await page.getByRole('tab', { name: 'Settings' }).click();
    const steps = page.getByLabel('Max steps');
    await steps.waitFor();
    await page.getByText('A whole number from 1 to 50.', { exact: false }).waitFor();
    await page.getByText('A number from 0 to 2', { exact: false }).waitFor();
    await steps.fill('99');
    await page.getByLabel('Temperature').fill('7');
    await page.getByText('Max steps must be a whole number from 1 to 50.').waitFor();
    await page.getByText('Temperature must be a number from 0 to 2.').waitFor();
    expect(await steps.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByText(/maxSteps|temperature must/).count()).toBe(0);
    await screenshot(page, `${viewport}-25-settings-errors`);
    expect(await axeSerious(page)).toEqual([]);

    await steps.fill('4');
    await page.getByLabel('Temperature').fill('0.5');
    await page.getByRole('tab', { name: 'Chat' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard unsaved changes?' });
    await dialog.waitFor();
    expect(await isFocused(page, dialog.getByRole('button', { name: 'Keep editing' }))).toBe(true);
    await screenshot(page, `${viewport}-26-unsaved-changes`);
    expect(await axeSerious(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await steps.inputValue()).toBe('4');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    expect(await isFocused(page, page.getByText('Settings saved.'))).toBe(true);

    // Back asks too, and goes back once agreed.
    await steps.fill('6');
    await page.goBack();
    await dialog.waitFor();
    expect(new URL(page.url()).pathname).toBe(`/agents/${agent.id}/settings`);
    await dialog.getByRole('button', { name: 'Discard changes' }).click();
    await eventually(async () => new URL(page.url()).pathname).toBe(`/agents/${agent.id}`);
    await page.getByRole('tab', { name: 'Chat', selected: true }).waitFor();
  });

  it('10 · focus after Stop and Delete; the delete confirmation takes focus; 11 · an agent deleted in another tab is said once', async () => {
    const agent = await createAgent(stack, token(), 'Focus check', { tools: [] });
    const doomed = await createAgent(stack, token(), 'Deleted elsewhere');
    const page = await log.newPage(browser, viewport);
    await signIn(page, `/agents/${agent.id}`);
    await page.getByTestId('connection-status').getByText('Connected').waitFor();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('count to 400');
    await box.press('Enter');
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByTestId('run-status').getByText('Stopped').waitFor();
    expect(await isFocused(page, box), await focused(page)).toBe(true);

    await page.getByRole('button', { name: 'Delete agent' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Focus check”?' });
    await dialog.waitFor();
    expect(await isFocused(page, dialog.getByRole('button', { name: 'Cancel' }))).toBe(true);
    await screenshot(page, `${viewport}-27-delete-confirmation`);
    expect(await axeSerious(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Yes, delete' }).click();
    await eventually(async () => new URL(page.url()).pathname).toBe('/');
    await eventually(() =>
      isFocused(page, page.getByRole('searchbox', { name: 'Search agents' })),
    ).toBe(true);

    await page.getByRole('link', { name: /Deleted elsewhere/ }).click();
    await page.getByTestId('connection-status').getByText('Connected').waitFor();
    await deleteAgent(stack, token(), doomed.id);
    await page
      .getByText('This agent was deleted, here or in another tab.', { exact: false })
      .waitFor();
    expect(await page.getByText(/This agent was deleted/).count()).toBe(1);
    expect(await page.getByRole('textbox', { name: 'Message' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Delete agent' }).isDisabled()).toBe(true);
    await screenshot(page, `${viewport}-28-deleted-elsewhere`);
    expect(await axeSerious(page)).toEqual([]);
  });
});

describe('hygiene', () => {
  it('no page logged a token, broke the content security policy or threw', () => {
    expect(log.tokenLines()).toEqual([]);
    expect(log.unexpected()).toEqual([]);
  });
});
