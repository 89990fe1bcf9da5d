import { loadSecret, readIdentityHeaders, signToken } from '@agentauth/auth-core';
import { TEST_SECRET, type TokenCase, tokenMatrix } from '@agentauth/auth-core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RecordingServer, startRecordingServer } from './support/fake-authorize.js';
import { type RunningGateway, startGateway } from './support/gateway.js';
import { rawRequest } from './support/raw-http.js';
import { type RunningService, startService } from './support/services.js';

// The real access-control-service decides; a recording server stands in for the agent-service so
// the test sees exactly which requests and identity headers reach it.

let acs: RunningService;
let agent: RecordingServer;
let gw: RunningGateway;
const matrix = tokenMatrix(TEST_SECRET);

beforeAll(async () => {
  acs = await startService('access-control-service');
  agent = await startRecordingServer(() => ({ status: 200 }));
  gw = await startGateway({ accessControlService: acs.address, agentService: agent.address });
}, 30_000);

afterAll(async () => {
  await gw?.stop();
  await acs?.stop();
  await agent?.close();
});

afterEach(() => {
  agent.requests.length = 0;
});

const send = (token: string, extra: string[] = []) =>
  rawRequest(gw.port, [
    'GET /api/agents HTTP/1.1',
    'Host: t',
    `Authorization: Bearer ${token}`,
    ...extra,
  ]);

describe('identity at the agent-service', () => {
  const admitted = matrix.filter((row) => row.status === 200);

  it.each(admitted.map((row) => [row.name, row] as const))(
    '%s arrives with its own identity, percent-encoded',
    async (_, row: TokenCase) => {
      const res = await send(row.token, ['X-User-Id: 999', 'x_user_name: mallory']);
      expect(res.status).toBe(200);
      expect(agent.requests).toHaveLength(1);
      const seen = agent.requests[0];
      expect(readIdentityHeaders(seen?.headers ?? {})).toEqual({
        uid: row.user?.uid,
        name: row.user?.name,
        email: row.user?.email ?? null,
      });
      expect(seen?.headers.authorization).toBe(`Bearer ${row.token}`);
      expect(seen?.headerNames.filter((n) => /^x[-_]user[-_]id$/i.test(n))).toHaveLength(1);
    },
  );

  it.each(matrix.filter((row) => row.status !== 200).map((row) => [row.name, row] as const))(
    '%s never reaches it',
    async (_, row: TokenCase) => {
      const res = await send(row.token);
      expect(res.status).toBe(row.status);
      expect(agent.requests).toHaveLength(0);
    },
  );
});

describe('long identities', () => {
  it('passes a 1,500-character non-ASCII name (13.5 KB percent-encoded) intact', async () => {
    const { key } = await loadSecret({ AUTH_JWT_SECRET: TEST_SECRET });
    const name = '山'.repeat(1_500);
    const token = await signToken(
      { uid: 5, name, email: 'z@example.com', role: 'REGULAR' },
      { key, ttl: 60 },
    );
    const res = await send(token);
    expect(res.status).toBe(200);
    expect(readIdentityHeaders(agent.requests[0]?.headers ?? {})).toEqual({
      uid: 5,
      name,
      email: 'z@example.com',
    });
  });
});

describe('when the access-control-service fails', () => {
  const valid = matrix[0] as TokenCase;

  it('hangs (SIGSTOP): 503 after the 5 s subrequest timeout, agent-service not called', async () => {
    acs.child.process.kill('SIGSTOP');
    try {
      const started = Date.now();
      const res = await send(valid.token);
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body).error.code).toBe('ERR_AUTHORIZE_UNAVAILABLE');
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
      expect(agent.requests).toHaveLength(0);
    } finally {
      acs.child.process.kill('SIGCONT');
    }
  }, 15_000);

  it('recovers once it answers again', async () => {
    expect((await send(valid.token)).status).toBe(200);
  });

  it('is stopped: 503 at once, agent-service not called', async () => {
    await acs.stop();
    const res = await send(valid.token);
    expect(res.status).toBe(503);
    expect(res.header('retry-after')).toBe('5');
    expect(agent.requests).toHaveLength(0);
  });

  it('leaves no token in either log', () => {
    const logs = gw.accessLog() + gw.errorLog();
    for (const row of matrix) expect(logs).not.toContain(row.token);
  });
});
