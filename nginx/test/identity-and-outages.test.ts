import { loadSecret, readIdentityHeaders, signToken } from '@agentauth/auth-core';
import { matrixAtUse, TEST_SECRET, type TokenCase } from '@agentauth/auth-core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accessEntries } from './support/access-log.js';
import { type RecordingServer, startRecordingServer } from './support/fake-authorize.js';
import { type RunningGateway, startGateway } from './support/gateway.js';
import { rawRequest } from './support/raw-http.js';
import { type RunningService, startService } from './support/services.js';

// The real access-control-service decides; a recording server stands in for the agent-service so
// the test sees exactly which requests and identity headers reach it.

let acs: RunningService;
let agent: RecordingServer;
let gw: RunningGateway;
// Names and verdicts at collection; tokens (exp relative to when they are built) once the
// services are up, and every token sent is remembered for the log check.
const fresh = matrixAtUse(TEST_SECRET);
const matrix = fresh.rows;
const tokenOf = (row: TokenCase): string => fresh.row(row.name).token;

beforeAll(async () => {
  acs = await startService('access-control-service');
  agent = await startRecordingServer(() => ({ status: 200 }));
  gw = await startGateway({ accessControlService: acs.address, agentService: agent.address });
  fresh.build();
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
      const token = tokenOf(row);
      const res = await send(token, ['X-User-Id: 999', 'x_user_name: mallory']);
      expect(res.status).toBe(200);
      expect(agent.requests).toHaveLength(1);
      const seen = agent.requests[0];
      expect(readIdentityHeaders(seen?.headers ?? {})).toEqual({
        uid: row.user?.uid,
        name: row.user?.name,
        email: row.user?.email ?? null,
      });
      expect(seen?.headers.authorization).toBe(`Bearer ${token}`);
      expect(seen?.headerNames.filter((n) => /^x[-_]user[-_]id$/i.test(n))).toHaveLength(1);
    },
  );

  it.each(matrix.filter((row) => row.status !== 200).map((row) => [row.name, row] as const))(
    '%s never reaches it',
    async (_, row: TokenCase) => {
      const res = await send(tokenOf(row));
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

  it('hangs (SIGSTOP): 503 at the subrequest timeout, agent-service not called', async () => {
    acs.child.process.kill('SIGSTOP');
    try {
      const res = await send(tokenOf(valid));
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body).error.code).toBe('ERR_AUTHORIZE_UNAVAILABLE');
      // 504 is nginx's own upstream timeout: the request waited for an answer that never came
      // (a refused or reset connection reads 502). How long it waited is a benchmark question.
      expect(accessEntries(gw).at(-1)?.auth_status).toBe('504');
      expect(agent.requests).toHaveLength(0);
    } finally {
      acs.child.process.kill('SIGCONT');
    }
  }, 15_000);

  it('recovers once it answers again', async () => {
    expect((await send(tokenOf(valid))).status).toBe(200);
  });

  it('is stopped: 503 at once, agent-service not called', async () => {
    await acs.stop();
    const res = await send(tokenOf(valid));
    expect(res.status).toBe(503);
    expect(res.header('retry-after')).toBe('5');
    expect(agent.requests).toHaveLength(0);
  });

  it('leaves no token in either log', () => {
    const logs = gw.accessLog() + gw.errorLog();
    expect(fresh.sent.size).toBe(matrix.length);
    for (const token of fresh.sent) expect(logs).not.toContain(token);
  });
});
