import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { TEST_KEY, TEST_SECRET } from '../testing/test-secret.js';
import { tokenMatrix } from '../testing/token-matrix.js';
import { createTokenVerifier } from '../token-verifier.js';
import { authenticateUpgrade, rejectUpgrade } from './authenticate-upgrade.js';
import { onTokenExpiry } from './session-expiry.js';

const verifier = createTokenVerifier({ key: TEST_KEY });
const server = createServer();
const wss = new WebSocketServer({ noServer: true });
let url = '';

beforeAll(async () => {
  server.on('upgrade', async (req, socket, head) => {
    const decision = await authenticateUpgrade(req, verifier);
    if (!decision.allow) return rejectUpgrade(socket, decision.code);
    wss.handleUpgrade(req, socket, head, (ws) => ws.send(JSON.stringify(decision.user)));
  });
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/agents/1/react`;
});
afterAll(() => {
  wss.close();
  server.close();
});

function connect(target: string, headers: Record<string, string | string[]> = {}) {
  return new Promise<{ status: number; message?: unknown }>((resolve) => {
    const ws = new WebSocket(target, { headers });
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on('message', (data) => {
      resolve({ status: 101, message: JSON.parse(String(data)) });
      ws.close();
    });
    ws.on('error', () => {});
  });
}

describe('authenticateUpgrade with a real WebSocket client', () => {
  describe.each(tokenMatrix(TEST_SECRET))('given $name in ?access-token=', (row) => {
    it(`answers ${row.status === 200 ? 101 : row.status}`, async () => {
      const result = await connect(`${url}?access-token=${encodeURIComponent(row.token)}`);
      expect(result.status).toBe(row.status === 200 ? 101 : row.status);
      if (row.status === 200) expect(result.message).toEqual(row.user);
    });
  });

  it('accepts an Authorization header and refuses no token with 401', async () => {
    const good = tokenMatrix(TEST_SECRET)[0]?.token ?? '';
    expect((await connect(url, { authorization: `Bearer ${good}` })).status).toBe(101);
    expect((await connect(url)).status).toBe(401);
  });

  it('refuses two Authorization headers with different tokens instead of using the first', async () => {
    const [a, b] = tokenMatrix(TEST_SECRET);
    const headers = { authorization: [`Bearer ${a?.token}`, `Bearer ${b?.token}`] };
    expect((await connect(url, headers)).status).toBe(401);
    const same = { authorization: [`Bearer ${a?.token}`, `Bearer ${a?.token}`] };
    expect((await connect(url, same)).status).toBe(101);
  });
});

describe('onTokenExpiry', () => {
  // On a clock the test moves (fake timers), so each "not yet" is exact, not a guess after a sleep.
  it('fires once the exp has passed and can be cancelled', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 1) });
    try {
      const now = Math.floor(Date.now() / 1000);
      const fired: string[] = [];
      onTokenExpiry(now - 1, () => fired.push('past'));
      const cancel = onTokenExpiry(now - 1, () => fired.push('cancelled'));
      cancel();
      onTokenExpiry(now + 3600, () => fired.push('future'));
      expect(fired).toEqual([]);
      vi.advanceTimersByTime(0);
      expect(fired).toEqual(['past']);
      vi.advanceTimersByTime(3_600_000 - 1);
      expect(fired).toEqual(['past']);
      vi.advanceTimersByTime(1);
      expect(fired).toEqual(['past', 'future']);
    } finally {
      vi.useRealTimers();
    }
  });
});
