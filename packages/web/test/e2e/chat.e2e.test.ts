import type { Page, WebSocketRoute } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from './harness/agents-api.js';
import { axeSerious } from './harness/axe.js';
import { screenshot } from './harness/screenshots.js';
import { e2eSuite } from './harness/suite.js';
import { ALICE, mintToken } from './harness/tokens.js';
import { VIEWPORT_NAMES } from './harness/viewports.js';

// Issue 18, problems 1–4 and the chat parts of 10–11, on a laptop and a phone, against the real
// stack (Chromium → nginx → access-control-service → agent-service → dev model server).

const suite = e2eSuite();
const { log } = suite;
let token: string;

beforeAll(async () => {
  token = await mintToken(suite.stack.secret, ALICE, 3600);
});

/** Signs in with the link and opens the agent's own address. */
async function openAgent(page: Page, agentId: string) {
  await page.goto(`${suite.stack.baseUrl}/agents/${agentId}#access_token=${token}`);
  await page.getByTestId('connection-status').getByText('Connected').waitFor();
}

const transcriptScroll = (page: Page) =>
  page.locator('.transcript').evaluate((el) => ({
    top: el.scrollTop,
    height: el.scrollHeight,
    client: el.clientHeight,
  }));

const streamedLength = (page: Page) =>
  page
    .locator('.step.streaming')
    .first()
    .evaluate((el) => el.textContent?.length ?? 0)
    .catch(() => 0);

/** The message box's bottom edge is on the screen, and the page itself did not scroll. */
async function expectComposerOnScreen(page: Page) {
  const box = await page.getByRole('textbox', { name: 'Message' }).boundingBox();
  const height = page.viewportSize()?.height ?? 0;
  expect(box).not.toBeNull();
  expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(height);
  expect(await page.evaluate(() => document.scrollingElement?.scrollTop ?? -1)).toBe(0);
}

/** Waits (bounded) for a value the page reaches by itself. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 20_000 });

async function send(page: Page, text: string) {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await box.press('Enter');
}

describe.each(VIEWPORT_NAMES)('the chat on a %s', (viewport) => {
  it('1 · follows the stream only at the bottom, offers "Jump to latest", and never scrolls the page', async () => {
    const agent = await createAgent(suite.stack, token, `Counter ${viewport}`, { tools: [] });
    const page = await log.newPage(suite.browser, viewport);
    await openAgent(page, agent.id);
    // A tall question first, so the transcript scrolls on any screen.
    const question = Array.from({ length: 40 }, (_, i) => `line ${i + 1} of the question`);
    await send(page, `${question.join('\n')}\ncount to 400`);
    await page.getByTestId('run-status').getByText('Running…').waitFor();
    // Long enough to scroll: while the reader is at the end, the view follows.
    await eventually(async () => {
      const s = await transcriptScroll(page);
      return s.height > s.client * 1.5;
    }).toBe(true);
    await eventually(async () => {
      const s = await transcriptScroll(page);
      return s.height - s.top - s.client;
    }).toBeLessThanOrEqual(24);
    await expectComposerOnScreen(page);

    // Scrolled up to read, the view stays put while the stream goes on.
    await page.locator('.transcript').evaluate((el) => {
      el.scrollTop = 0;
    });
    const before = await streamedLength(page);
    await eventually(() => streamedLength(page)).toBeGreaterThan(before + 60);
    expect((await transcriptScroll(page)).top).toBe(0);
    const jump = page.getByRole('button', { name: 'Jump to latest ↓' });
    await jump.waitFor();
    await expectComposerOnScreen(page);
    await screenshot(page, `${viewport}-01-reading-while-streaming`);
    await jump.click();
    await eventually(async () => {
      const s = await transcriptScroll(page);
      return s.height - s.top - s.client;
    }).toBeLessThanOrEqual(24);

    // 10 · Escape stops the run; 11 · the stop is marked, also after a reload.
    await page.keyboard.press('Escape');
    await page.getByTestId('run-status').getByText('Stopped').waitFor();
    await page.getByText('Stopped before the answer was finished.').waitFor();
    expect(
      await page
        .getByRole('textbox', { name: 'Message' })
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await page.reload();
    await page.getByText('Stopped before the answer was finished.').waitFor();
    expect(await page.locator('.badge.interrupted').count()).toBe(1);
    await screenshot(page, `${viewport}-02-stopped`);
  });

  it('2 · one worded error per failed run, with Retry and the fix; cleared when the next run starts', async () => {
    const agent = await createAgent(suite.stack, token, `Looper ${viewport}`, {
      maxSteps: 2,
      tools: ['current_time'],
    });
    const page = await log.newPage(suite.browser, viewport);
    await openAgent(page, agent.id);
    await send(page, 'what time is it #loop');
    const failure = page.locator('.run-failure');
    await failure.getByText('The agent ran out of steps').waitFor({ timeout: 30_000 });
    expect(await failure.getByRole('button', { name: 'Retry' }).isEnabled()).toBe(true);
    await failure.getByRole('button', { name: 'Raise Max steps in Settings' }).waitFor();
    await expectComposerOnScreen(page);
    await screenshot(page, `${viewport}-03-max-steps-error`);
    expect(await axeSerious(page)).toEqual([]);

    await send(page, 'please #fail');
    await page.locator('.run-failure').getByText('The language model stopped answering').waitFor();
    // Only the newest failure has the full card; the older one is a short note.
    expect(
      await page.locator('.run-failure').count(),
      (await page.locator('.steps').textContent()) ?? '',
    ).toBe(1);
    expect(
      await page.locator('.run-end.failed').count(),
      (await page.locator('.steps').textContent()) ?? '',
    ).toBe(1);

    await send(page, 'hello there');
    await page
      .locator('.final-answer')
      .getByText(/You said: "hello there"/)
      .waitFor();
    expect(await page.locator('.run-failure').count()).toBe(0);
    expect(await page.getByRole('alert').count()).toBe(0);
    const words = (await page.locator('.transcript').textContent()) ?? '';
    expect(words).not.toMatch(/ERR_|UND_ERR|LLM endpoint answered/);
    await expectComposerOnScreen(page);
    expect(await page.getByRole('button', { name: 'Send' }).isVisible()).toBe(true);

    // The fix opens Settings at Max steps (after another max-steps failure).
    await send(page, 'what time is it #loop');
    await page
      .locator('.run-failure')
      .getByRole('button', { name: 'Raise Max steps in Settings' })
      .click({ timeout: 30_000 });
    await eventually(() =>
      page.getByLabel('Max steps').evaluate((el) => el === document.activeElement),
    ).toBe(true);
    expect(new URL(page.url()).pathname).toBe(`/agents/${agent.id}/settings`);
  });

  it('3 · keeps a partial answer, marked interrupted, when the model fails mid-stream (also after a reload)', async () => {
    const agent = await createAgent(suite.stack, token, `Cut ${viewport}`, { tools: [] });
    const page = await log.newPage(suite.browser, viewport);
    await openAgent(page, agent.id);
    await send(page, 'count to 40 #cut');
    await page.locator('.run-failure').getByText('The language model stopped answering').waitFor();
    const partial = page.locator('.model-text');
    expect((await partial.textContent()) ?? '').toContain('1 2 3 4 5 6 7 8 9 10');
    await partial.locator('.badge.interrupted').waitFor();
    await screenshot(page, `${viewport}-04-interrupted`);
    await page.reload();
    await page.locator('.model-text .badge.interrupted').waitFor();
    expect((await page.locator('.model-text').textContent()) ?? '').toContain('20');
  });

  it('3 · explains a lost connection while it lasts and clears stale errors when it returns', async () => {
    const agent = await createAgent(suite.stack, token, `Offline ${viewport}`, { tools: [] });
    const page = await log.newPage(suite.browser, viewport);
    // The network between this browser and the gateway can be cut: sockets closed, requests
    // refused (the gateway, the services and the sockets on the other side are the real ones).
    let down = false;
    const sockets = new Set<WebSocketRoute>();
    await page.routeWebSocket(/\/react(\?|$)/, (ws) => {
      if (down) return ws.close({ code: 1011, reason: 'down' });
      ws.connectToServer();
      sockets.add(ws);
    });
    await page.route(/\/api\/agents/, (route) =>
      down ? route.abort('connectionrefused') : route.continue(),
    );
    await openAgent(page, agent.id);
    down = true;
    for (const ws of sockets) await ws.close({ code: 1001, reason: 'restart' });
    sockets.clear();
    // The list's next refresh fails too (a page that comes back into view refreshes at once).
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await page
      .getByTestId('connection-banner')
      .getByText(/connection to the agent service was lost/)
      .waitFor();
    await page.getByText('Could not refresh the list.').first().waitFor({ state: 'attached' });
    await screenshot(page, `${viewport}-05-connection-lost`);
    down = false;
    await page.getByTestId('connection-status').getByText('Connected').waitFor({ timeout: 30_000 });
    await eventually(() => page.getByTestId('connection-banner').count()).toBe(0);
    await eventually(() => page.getByText('Could not refresh the list.').count()).toBe(0);
  });

  it('3 · says so while the agent service is down (killed; pnpm start restarts it), then recovers', async () => {
    const agent = await createAgent(suite.stack, token, `Restart ${viewport}`, { tools: [] });
    const page = await log.newPage(suite.browser, viewport);
    await openAgent(page, agent.id);
    // Everything the banner ever said, however briefly (the restart takes about a second).
    await page.evaluate(() => {
      const said: string[] = [];
      Object.assign(window, { __banner: said });
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="connection-banner"]')?.textContent;
        if (text && said.at(-1) !== text) said.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const pid = suite.stack.servicePid('agent-service');
    expect(pid, 'the agent-service process').not.toBeNull();
    process.kill(pid as number, 'SIGKILL');
    await eventually(() =>
      page.evaluate(() => (window as unknown as { __banner: string[] }).__banner.length),
    ).toBeGreaterThan(0);
    expect(
      await page.evaluate(() => (window as unknown as { __banner: string[] }).__banner[0]),
    ).toMatch(/connection to the agent service was lost/);
    // Back: connected again, the banner gone, the list without a stale error, and the chat works.
    await eventually(async () => suite.stack.servicePid('agent-service')).not.toBe(pid);
    await page.getByTestId('connection-status').getByText('Connected').waitFor({ timeout: 30_000 });
    await eventually(() => page.getByTestId('connection-banner').count()).toBe(0);
    await eventually(() => page.getByText('Could not refresh the list.').count()).toBe(0);
    await send(page, 'hello again');
    await page
      .locator('.final-answer')
      .getByText(/You said: "hello again"/)
      .waitFor({ timeout: 30_000 });
  });

  it('4 · renders markdown safely with code copy, links, timestamps, a growing box and collapsible tools', async () => {
    const agent = await createAgent(suite.stack, token, `Writer ${viewport}`, {
      tools: ['calculator'],
    });
    const page = await log.newPage(suite.browser, viewport);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: suite.stack.baseUrl,
    });
    await openAgent(page, agent.id);
    await send(page, 'show me #markdown');
    const answer = page.locator('.final-answer').last();
    await answer.locator('pre').waitFor({ timeout: 30_000 });
    expect(await answer.locator('strong').first().textContent()).toBe('bold');
    expect(await answer.locator('p code').first().textContent()).toBe('inline code');
    expect(await answer.locator('li').count()).toBe(2);
    const link = answer.getByRole('link', { name: 'https://example.org/docs' });
    expect(await link.getAttribute('href')).toBe('https://example.org/docs');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    const mono = await answer.locator('pre code').evaluate((el) => getComputedStyle(el).fontFamily);
    expect(mono).toMatch(/mono/i);
    await answer.getByRole('button', { name: 'Copy code' }).click();
    await answer.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(
      'const answer = 6 * 7;',
    );
    // Readable times, not ISO strings.
    const time = (await answer.locator('time').textContent()) ?? '';
    expect(time).toMatch(/^\d{1,2}:\d{2}/);

    // Tool steps are one collapsed line that opens.
    await send(page, 'What is (2+3)*4?');
    await page.locator('.final-answer').getByText('The answer is 20.').waitFor({ timeout: 30_000 });
    const tool = page.locator('.tool-step details').last();
    expect(await tool.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    expect((await tool.locator('summary').textContent()) ?? '').toMatch(
      /Used Calculator · done in .* · \d{1,2}:\d{2}:\d{2}/,
    );
    await tool.locator('summary').click();
    await tool.getByText('"expression": "(2+3)*4"').waitFor();

    // The message box grows with its text instead of scrolling inside itself.
    const box = page.getByRole('textbox', { name: 'Message' });
    const empty = (await box.boundingBox())?.height ?? 0;
    await box.fill('line 1\nline 2\nline 3\nline 4\nline 5');
    const grown = (await box.boundingBox())?.height ?? 0;
    expect(grown).toBeGreaterThan(empty * 2);
    expect(await box.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1);
    await expectComposerOnScreen(page);
    await screenshot(page, `${viewport}-06-markdown`);
    expect(await axeSerious(page)).toEqual([]);
  });
});

describe('hygiene', () => {
  it('no page logged a token, broke the content security policy or threw', () => {
    expect(log.tokenLines()).toEqual([]);
    // On purpose: the cut network's refused requests, and the gateway's answers and the failed
    // socket handshakes while the agent service restarts.
    expect(
      log.unexpected([
        /net::ERR_CONNECTION_REFUSED/,
        /^error: Failed to load resource: the server responded with a status of 50[23]/,
        /^error: WebSocket connection to '[^'?]+' failed/,
      ]),
    ).toEqual([]);
  });
});
