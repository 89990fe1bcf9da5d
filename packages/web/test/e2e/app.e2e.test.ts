import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeSerious } from './harness/axe.js';
import { launchChromium } from './harness/chromium.js';
import { screenshot } from './harness/screenshots.js';
import { type Stack, startStack } from './harness/stack.js';
import { ALICE, mintToken, type TestUser } from './harness/tokens.js';

// The real product, end to end: Debian's Chromium → nginx (auth_request → access-control-service)
// → agent-service (+ the development model server), started by the same script as `pnpm start`.

const RITA: TestUser = { uid: 9, name: 'rita', role: 'RESTRICTED' };

let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Every console line and uncaught error of every page, to check that no token is ever logged. */
const consoleLines: string[] = [];

beforeAll(async () => {
  // Chromium first: a missing browser fails fast with the install hint.
  browser = await launchChromium();
  stack = await startStack();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await stack?.stop();
});

/** A fresh, isolated browser profile (own localStorage) with a desktop-sized window. */
async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(String(error)));
  page.setDefaultTimeout(15_000);
  return page;
}

const linkFor = (token: string) => `${stack.baseUrl}/#access_token=${token}`;

describe('agentauth in Chromium through nginx', () => {
  let page: Page;

  it('shows the sign-in page without a token', async () => {
    const anonymous = await newPage();
    await anonymous.goto(`${stack.baseUrl}/`);
    await anonymous.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(anonymous, '01-sign-in');
  });

  it('signs in from the link, removes the token from the address bar and shows who is signed in', async () => {
    page = await newPage();
    const link = stack.signInLink ?? linkFor(await mintToken(stack.secret, ALICE, 3600));
    await page.goto(link);
    await page
      .locator('.user-badge')
      .getByText(/REGULAR/)
      .waitFor();
    expect(new URL(page.url()).hash).toBe('');
    expect(await page.evaluate(() => localStorage.getItem('access_token'))).toMatch(/^eyJ/);
    await page
      .getByText('No agents yet', { exact: false })
      .or(page.getByRole('list', { name: 'Your agents' }))
      .first()
      .waitFor();
  });

  it('creates agents with a model from the model list', async () => {
    const form = page.getByRole('form', { name: 'Create an agent' });
    for (const [name, model] of [
      ['Data summarizer', 'dev-model-large'],
      ['Research helper', 'dev-model'],
    ] as const) {
      if ((await form.count()) === 0) await page.getByRole('button', { name: 'New agent' }).click();
      await form.getByLabel('Model').selectOption(model);
      await form.getByLabel('Name').fill(name);
      await form.getByRole('button', { name: 'Create agent' }).click();
      await page.getByRole('heading', { name, level: 2 }).waitFor();
    }
    const list = page.getByRole('list', { name: 'Your agents' });
    await list.getByRole('link', { name: /Data summarizer/ }).waitFor();
    expect(
      await list.getByRole('link', { name: /Research helper/ }).getAttribute('aria-current'),
    ).toBe('page');
    await page.getByText('No messages yet', { exact: false }).waitFor();
    await screenshot(page, '02-agents');
    expect(await axeSerious(page)).toEqual([]);
  });

  it('chats: the answer streams in, with the tool call and its result', async () => {
    await page.getByTestId('connection-status').getByText('Connected').waitFor();
    // Record every text the streaming bubble shows and every run state, however briefly.
    await page.evaluate(() => {
      const seen = { streamed: [] as string[], states: [] as string[] };
      Object.assign(window, { __seen: seen });
      new MutationObserver(() => {
        for (const el of document.querySelectorAll('.step.streaming p')) {
          seen.streamed.push(el.textContent ?? '');
        }
        const state = document.querySelector('[data-testid="run-status"]')?.textContent ?? '';
        if (seen.states.at(-1) !== state) seen.states.push(state);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole('textbox', { name: 'Message' }).fill('What is (2+3)*4?');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    const log = page.getByRole('log', { name: 'Conversation' });
    await log.getByText('Used Calculator').waitFor();
    await log.locator('.final-answer').getByText('The answer is 20.').waitFor({ timeout: 30_000 });
    await page.getByTestId('run-status').getByText('Completed').waitFor();
    const seen = await page.evaluate(
      () => (window as unknown as { __seen: { streamed: string[]; states: string[] } }).__seen,
    );
    // Model text was on screen while it streamed, growing word by word before the step completed.
    const partial = seen.streamed.filter(
      (t) => t.length > 0 && t.trim() !== 'Let me use the calculator tool.',
    );
    expect(partial.length).toBeGreaterThan(1);
    expect(seen.states).toContain('Running…');
    await screenshot(page, '04-chat-answer');
  });

  it('edits settings with PATCH and keeps them after a reload', async () => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    const steps = page.getByLabel('Max steps');
    await steps.fill('5');
    await page.getByLabel('Temperature').fill('0.7');
    await page.getByLabel('System prompt').fill('You are a careful research assistant.');
    // Without tools the development model just streams, which the stop scenario needs.
    for (const tool of ['Calculator', 'Current time', 'Word count']) {
      await page.getByLabel(tool).uncheck();
    }
    await screenshot(page, '05-settings');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();

    // The address names the agent and the tab: a reload comes back to the same place.
    await page.reload();
    await expect
      .poll(() => page.getByLabel('Max steps').inputValue(), { timeout: 15_000 })
      .toBe('5');
    expect(await page.getByLabel('Temperature').inputValue()).toBe('0.7');
    expect(await page.getByLabel('Calculator').isChecked()).toBe(false);
  });

  it('stops a running prompt', async () => {
    await page.getByRole('tab', { name: 'Chat' }).click();
    await page.getByTestId('connection-status').getByText('Connected').waitFor();
    await page.getByRole('textbox', { name: 'Message' }).fill('count to 400');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('run-status').getByText('Running…').waitFor();
    const streaming = page.locator('.step.streaming').first();
    await streaming.waitFor();
    // Several words in, and still going: the text is rendered as it arrives.
    await expect
      .poll(async () => (await streaming.textContent())?.length ?? 0, { timeout: 15_000 })
      .toBeGreaterThan(40);
    await screenshot(page, '03-chat-streaming');
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByTestId('run-status').getByText('Stopped').waitFor();
    expect(await page.getByRole('button', { name: 'Stop' }).count()).toBe(0);
    await screenshot(page, '06-chat-stopped');
  });
});

describe('sessions that end', () => {
  it('an expired link says so and asks for a new one; a new one signs in', async () => {
    const page = await newPage();
    // Past the verifiers' 30 s clock skew.
    await page.goto(linkFor(await mintToken(stack.secret, ALICE, -120)));
    await page.getByRole('heading', { name: 'This sign-in link has expired' }).waitFor();
    await page.getByLabel('Sign-in link or token').fill(await mintToken(stack.secret, ALICE, 3600));
    await page.getByLabel('Sign-in link or token').press('Enter');
    await page.getByRole('navigation', { name: 'Agents' }).waitFor();
  });

  it('a token that expires mid-chat asks to sign in again, then the chat reconnects', async () => {
    const page = await newPage();
    await page.goto(linkFor(await mintToken(stack.secret, ALICE, 3600)));
    const form = page.getByRole('form', { name: 'Create an agent' });
    await page.getByRole('navigation', { name: 'Agents' }).waitFor();
    if ((await form.count()) === 0) await page.getByRole('button', { name: 'New agent' }).click();
    await form.getByLabel('Model').selectOption('dev-model');
    await form.getByLabel('Name').fill('Short session');
    await form.getByRole('button', { name: 'Create agent' }).click();
    await page.getByRole('heading', { name: 'Short session', level: 2 }).waitFor();
    // Swap in a token that expires in seconds, as a platform refresh would.
    const shortLived = await mintToken(stack.secret, ALICE, 8);
    await page.evaluate((t) => localStorage.setItem('access_token', t), shortLived);
    await page.reload();
    await page.getByTestId('connection-status').getByText('Connected').waitFor();
    await page.getByRole('textbox', { name: 'Message' }).fill('What time is it?');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await page.locator('.final-answer').first().waitFor();
    // The service closes the socket with 4401 at exp; the UI asks for a new sign-in.
    const dialog = page.getByRole('dialog');
    await dialog
      .getByRole('heading', { name: 'Your session has expired' })
      .waitFor({ timeout: 20_000 });
    // The conversation stays behind the dialog.
    expect(await page.locator('.final-answer').count()).toBe(1);
    await screenshot(page, '07-session-expired');
    await dialog
      .getByLabel('Sign-in link or token')
      .fill(await mintToken(stack.secret, ALICE, 3600));
    await dialog.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('connection-status').getByText('Connected').waitFor();
    await page.getByRole('textbox', { name: 'Message' }).fill('hello again');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    await page.locator('.final-answer').nth(1).waitFor({ timeout: 30_000 });
    expect(await page.locator('.final-answer').nth(1).textContent()).toContain('hello again');
  });

  it('a RESTRICTED user sees that the account cannot use agents', async () => {
    const page = await newPage();
    await page.goto(linkFor(await mintToken(stack.secret, RITA, 3600)));
    await page.getByRole('heading', { name: 'Your account cannot use agents' }).waitFor();
    expect(await page.getByText('with the role RESTRICTED').count()).toBe(1);
    expect(await page.getByRole('form', { name: 'Create an agent' }).count()).toBe(0);
    await screenshot(page, '08-forbidden');
    expect(await axeSerious(page)).toEqual([]);
  });
});

describe('hygiene', () => {
  it('no page logged a token, broke the content security policy or threw', () => {
    expect(consoleLines.filter((line) => /eyJ[\w-]+\.[\w-]+/.test(line))).toEqual([]);
    // The browser's own notes about refused API calls (401/403) are expected; nothing else is.
    const unexpected = consoleLines.filter(
      (line) =>
        !/^error: Failed to load resource: the server responded with a status of 40[13]/.test(line),
    );
    expect(unexpected).toEqual([]);
  });
});
