import { bearerProtocol } from '@agentauth/auth-core';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './harness/chromium.js';
import { type Stack, startStack } from './harness/stack.js';
import { mintToken } from './harness/tokens.js';

// Chromium prints the URL of every WebSocket that fails to connect ("WebSocket connection to
// 'ws://…' failed"), once per reconnect attempt. The web client therefore sends its token in a
// bearer Sec-WebSocket-Protocol entry, never in the URL: this suite takes the whole stack down
// under an open chat and reads every console line of the reconnects that follow.

let stack: Stack;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launchChromium();
  stack = await startStack();
});

afterAll(async () => {
  await context?.close().catch(() => {});
  await browser?.close();
  await stack?.stop();
});

/** The token and every long piece of it (a segment, its subprotocol encoding). */
const piecesOf = (token: string) => [
  token,
  ...token.split('.').filter((p) => p.length >= 16),
  bearerProtocol(token).split('.').at(-1) as string,
];

describe('the chat WebSocket in Chromium', () => {
  it('carries no token in its URL and the console never shows one, through an outage with reconnects', async () => {
    const token = await mintToken(
      stack.secret,
      { uid: 7, name: 'alice', email: 'alice@example.org', role: 'REGULAR' },
      3600,
    );
    const created = await fetch(`${stack.baseUrl}/api/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Outage probe', modelType: 'dev-model' }),
    });
    expect(created.status).toBe(201);

    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const consoleLines: string[] = [];
    const socketUrls: string[] = [];
    page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => consoleLines.push(String(error)));
    page.on('websocket', (socket) => socketUrls.push(socket.url()));
    // What the browser really sent in the handshake, from the DevTools protocol.
    const offered: string[] = [];
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.webSocketWillSendHandshakeRequest', (event) => {
      const headers = event.request.headers as Record<string, string>;
      const entry = Object.entries(headers).find(
        ([n]) => n.toLowerCase() === 'sec-websocket-protocol',
      );
      if (entry) offered.push(entry[1]);
    });

    await page.goto(`${stack.baseUrl}/#access_token=${token}`);
    // Agents are links (one address each) since issue 18.
    await page.getByRole('link', { name: /Outage probe/ }).click();
    await page.getByTestId('connection-status').getByText('Connected').waitFor();
    expect(offered[0]).toBe(`agentauth.react.v1, ${bearerProtocol(token)}`);

    // The outage: every service and the gateway go away; the client keeps reconnecting.
    await stack.stop();
    const failedSockets = () =>
      consoleLines.filter((line) => /WebSocket connection to .* failed/.test(line));
    await expect.poll(() => failedSockets().length, { timeout: 45_000 }).toBeGreaterThanOrEqual(3);

    // Every socket the page opened, before and during the outage, has no query at all.
    expect(socketUrls.length).toBeGreaterThanOrEqual(4);
    for (const url of socketUrls) expect(new URL(url).search).toBe('');
    const text = consoleLines.join('\n');
    for (const piece of piecesOf(token)) expect(text).not.toContain(piece);
    expect(text).not.toContain('access-token');
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+/);
  }, 120_000);
});
