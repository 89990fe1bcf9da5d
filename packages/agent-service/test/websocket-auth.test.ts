import { REACT_SUBPROTOCOL } from '@agentauth/agent-api';
import { bearerProtocol, identityHeadersFor } from '@agentauth/auth-core';
import { matrixAtUse, TEST_SECRET, tokenParamSpellings } from '@agentauth/auth-core/testing';
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

    it(`in a Sec-WebSocket-Protocol bearer entry answers ${row.status === 200 ? 101 : row.status}, echoing only the real protocol`, async () => {
      const result = await handshake(reactUrl, {}, [
        REACT_SUBPROTOCOL,
        bearerProtocol(tokenOf(row.name)),
      ]);
      expect(result.status).toBe(row.status === 200 ? 101 : row.status);
      if (row.status === 200) expect(result.protocol).toBe(REACT_SUBPROTOCOL);
      else expect(JSON.parse(result.body ?? '')).toMatchObject({ error: { code: row.code } });
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

  it('echoes the real protocol even when the bearer entry comes first', async () => {
    const result = await handshake(reactUrl, {}, [bearerProtocol(owner), REACT_SUBPROTOCOL]);
    expect(result).toEqual({ status: 101, protocol: REACT_SUBPROTOCOL });
  });

  it('refuses a different token in the subprotocol and the query as ambiguous (401)', async () => {
    const other = await tokenFor({ uid: 8, name: 'bob', email: null, role: 'REGULAR' });
    const result = await handshake(`${reactUrl}?access-token=${owner}`, {}, [
      REACT_SUBPROTOCOL,
      bearerProtocol(other),
    ]);
    expect(result.status).toBe(401);
    expect(result.body).toContain('ERR_TOKEN_AMBIGUOUS');
  });

  it('reads the token under every spelling of its parameter name and logs none of them', async () => {
    for (const name of tokenParamSpellings()) {
      expect((await handshake(`${reactUrl}?${name}=${owner}`)).status).toBe(101);
      expect((await handshake(`${reactUrl}?${name}=${owner}x`)).status).toBe(401);
    }
    const logs = h.logs.join('');
    expect(logs).not.toContain(owner);
    expect(logs).not.toContain(bearerProtocol(owner).split('.').at(-1));
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
