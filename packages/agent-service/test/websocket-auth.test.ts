import { identityHeadersFor } from '@agentauth/auth-core';
import { TEST_SECRET, type TokenCase, tokenMatrix } from '@agentauth/auth-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type Harness, handshake, startHarness, tokenFor } from './harness.js';

// Names and verdicts are fixed when the file is collected; the tokens (their `exp` relative to
// when they are built) are built once the service is up, and every token sent is remembered.
const ROWS = tokenMatrix(TEST_SECRET).map(({ name, status, code }) => ({ name, status, code }));
let h: Harness;
let owner = '';
let reactUrl = '';
let fresh = new Map<string, TokenCase>();
const sent = new Set<string>();
const tokenOf = (name: string): string => {
  const token = fresh.get(name)?.token;
  if (token === undefined) throw new Error(`no matrix row ${name}`);
  sent.add(token);
  return token;
};
beforeAll(async () => {
  h = await startHarness();
  owner = await tokenFor();
  sent.add(owner);
  const agent = await createAgent(h, owner);
  reactUrl = `${h.wsUrl}/api/agents/${agent.id}/react`;
  fresh = new Map(tokenMatrix(TEST_SECRET).map((row) => [row.name, row]));
});
afterAll(() => h.close());

describe('the WebSocket handshake', () => {
  describe.each(ROWS)('given $name', (row) => {
    it(`in ?access-token= answers ${row.status === 200 ? 101 : row.status} before any 101`, async () => {
      const token = tokenOf(row.name);
      const result = await handshake(`${reactUrl}?access-token=${encodeURIComponent(token)}`);
      expect(result.status).toBe(row.status === 200 ? 101 : row.status);
      if (row.status !== 200) {
        expect(JSON.parse(result.body ?? '')).toMatchObject({ error: { code: row.code } });
        expect(result.body).not.toContain(token);
      }
    });

    it(`in Authorization answers ${row.status === 200 ? 101 : row.status}`, async () => {
      const result = await handshake(reactUrl, { authorization: `Bearer ${tokenOf(row.name)}` });
      expect(result.status).toBe(row.status === 200 ? 101 : row.status);
    });
  });

  it('refuses a missing token with 401, and spoofed identity headers with 401', async () => {
    expect((await handshake(reactUrl)).status).toBe(401);
    const spoofed = await handshake(`${reactUrl}?access-token=${owner}`, {
      ...identityHeadersFor({ uid: 1, name: 'root', email: null, role: 'ADMIN' }),
    });
    expect(spoofed.status).toBe(401);
    expect(spoofed.body).toContain('ERR_IDENTITY_MISMATCH');
  });

  it('checks the token before saying whether an agent exists', async () => {
    const unknown = `${h.wsUrl}/api/agents/${crypto.randomUUID()}/react`;
    expect((await handshake(unknown)).status).toBe(401);
    expect((await handshake(`${unknown}?access-token=${owner}`)).status).toBe(404);
    expect((await handshake(`${h.wsUrl}/api/agents/42/react?access-token=${owner}`)).status).toBe(
      400,
    );
  });

  it('serves no WebSocket on other paths', async () => {
    expect((await handshake(`${h.wsUrl}/api/agents?access-token=${owner}`)).status).toBe(404);
    expect((await handshake(`${h.wsUrl}/api/healthcheck`)).status).toBe(404);
  });

  it('logs the upgrade URL with its token redacted: none of the tokens this file sent', () => {
    const logs = h.logs.join('');
    expect(logs).toContain('access-token=[REDACTED]');
    expect(sent.size).toBeGreaterThan(ROWS.length / 2);
    for (const token of sent) expect(logs).not.toContain(token);
  });
});
