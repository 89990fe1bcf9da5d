import { identityHeadersFor } from '@agentauth/auth-core';
import { matrixAtUse, TEST_SECRET } from '@agentauth/auth-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type Harness, handshake, startHarness, tokenFor } from './harness.js';

// Names and verdicts are fixed when the file is collected; the tokens (their `exp` relative to
// when they are built) are built once the service is up, and every token sent is remembered.
const matrix = matrixAtUse(TEST_SECRET);
const ROWS = matrix.rows;
const tokenOf = (name: string): string => matrix.row(name).token;
let h: Harness;
let owner = '';
let reactUrl = '';
beforeAll(async () => {
  h = await startHarness();
  owner = await tokenFor();
  const agent = await createAgent(h, owner);
  reactUrl = `${h.wsUrl}/api/agents/${agent.id}/react`;
  matrix.build();
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
    expect(matrix.sent.size).toBe(ROWS.length);
    for (const token of [...matrix.sent, owner]) expect(logs).not.toContain(token);
  });
});
