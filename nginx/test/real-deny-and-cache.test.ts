import { ERROR_CODE_HEADER, IDENTITY_HEADERS, readIdentityHeaders } from '@agentauth/auth-core';
import { matrixAtUse, TEST_SECRET } from '@agentauth/auth-core/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accessEntries } from './support/access-log.js';
import { type RecordingServer, startRecordingServer } from './support/fake-authorize.js';
import { type RunningGateway, startGateway } from './support/gateway.js';
import { rawRequest } from './support/raw-http.js';
import { type RunningService, startService } from './support/services.js';

// The deny and cache paths with the real access-control-service deciding (auth-request.test.ts
// and auth-cache.test.ts script its answers). The agent-service is a recording stand-in on
// purpose: with the real one behind, a gateway deny and the agent-service's own refusal look the
// same to a client, so only a recorder shows that nothing was forwarded.

let acs: RunningService;
let agent: RecordingServer;
let gw: RunningGateway;
let cached: RunningGateway;

beforeAll(async () => {
  acs = await startService('access-control-service');
  agent = await startRecordingServer(() => ({ status: 200, body: '{"agents":[]}' }));
  const common = { accessControlService: acs.address, agentService: agent.address };
  gw = await startGateway(common);
  cached = await startGateway({ ...common, authCache: true, authCacheSeconds: 30 });
  matrix.build();
}, 60_000);

afterAll(async () => {
  await gw?.stop();
  await cached?.stop();
  await agent?.close();
  await acs?.stop();
});

afterEach(() => {
  agent.requests.length = 0;
});

const send = (on: RunningGateway, token: string, target = '/api/agents') =>
  rawRequest(on.port, [`GET ${target} HTTP/1.1`, 'Host: t', `Authorization: Bearer ${token}`]);

/** What the real service itself answers for the same request, asked the way nginx asks. */
const askService = (token: string, target = '/api/agents') =>
  rawRequest(acs.port, [
    'GET /api/auth HTTP/1.1',
    'Host: t',
    `X-Original-URI: ${target}`,
    'X-Original-Method: GET',
    `Authorization: Bearer ${token}`,
  ]);

// Names and verdicts at collection; the tokens (exp relative to now) when each case runs.
const matrix = matrixAtUse(TEST_SECRET);
const DENIED = matrix.rows.filter((row) => row.status !== 200);
const fresh = (name: string) => matrix.row(name);

describe('a denial by the real access-control-service', () => {
  it.each(DENIED)(
    '$name: the client gets $status $code, as the service decided; nothing is forwarded',
    async ({ name, status, code }) => {
      const { token } = fresh(name);
      const res = await send(gw, token);
      expect(res.status).toBe(status);
      const direct = await askService(token);
      expect(direct.status).toBe(status);
      expect(JSON.parse(direct.body).error.code).toBe(code);
      // auth_request drops the answer's body; a 401's code travels in its challenge, a 403's in
      // the code header every refusal carries (README, "Answers").
      expect(direct.header(ERROR_CODE_HEADER)).toBe(code);
      expect(JSON.parse(res.body).error).toEqual({
        code,
        message: JSON.parse(direct.body).error.message,
      });
      // The challenge is the service's own (not one nginx made up), present exactly for a 401.
      expect(res.headers.filter(([n]) => n === 'www-authenticate').map(([, v]) => v)).toEqual(
        status === 401 ? [direct.header('www-authenticate')] : [],
      );
      expect(accessEntries(gw).at(-1)?.auth_status).toBe(String(status));
      expect(agent.requests).toEqual([]);
      expect(res.body).not.toContain(token);
    },
  );
});

describe('the auth cache with the real access-control-service', () => {
  const valid = (name: string) => fresh(name);

  it('answers a repeated allow from the cache (the service marks it no-store), with its identity', async () => {
    const row = valid('a REGULAR token from the platform issuer');
    const target = `/api/agents?cache=${crypto.randomUUID()}`;
    expect((await send(cached, row.token, target)).status).toBe(200);
    expect((await send(cached, row.token, target)).status).toBe(200);
    expect(
      accessEntries(cached)
        .slice(-2)
        .map((e) => e.auth_cache),
    ).toEqual(['MISS', 'HIT']);
    expect(agent.requests).toHaveLength(2);
    for (const seen of agent.requests) {
      expect(readIdentityHeaders(seen.headers)).toEqual({
        uid: row.user?.uid,
        name: row.user?.name,
        email: row.user?.email ?? null,
      });
    }
  });

  it('is keyed on the token: another user on the same target is decided, and gets their own identity', async () => {
    const regular = valid('a REGULAR token from the platform issuer');
    const admin = valid('an ADMIN token');
    const target = `/api/agents?cache=${crypto.randomUUID()}`;
    await send(cached, regular.token, target);
    expect((await send(cached, admin.token, target)).status).toBe(200);
    expect(accessEntries(cached).at(-1)?.auth_cache).toBe('MISS');
    expect(readIdentityHeaders(agent.requests.at(-1)?.headers ?? {})).toMatchObject({
      uid: admin.user?.uid,
      name: admin.user?.name,
    });
    for (const name of IDENTITY_HEADERS) expect(agent.requests.at(-1)?.headers[name]).toBeDefined();
  });

  it.each(DENIED.slice(0, 6))(
    'never caches a denial ($name): each repeat is decided again, nothing forwarded',
    async ({ name, status }) => {
      const { token } = fresh(name);
      const target = `/api/agents?cache=${crypto.randomUUID()}`;
      expect((await send(cached, token, target)).status).toBe(status);
      expect((await send(cached, token, target)).status).toBe(status);
      expect(
        accessEntries(cached)
          .slice(-2)
          .map((e) => e.auth_status),
      ).toEqual([String(status), String(status)]);
      expect(
        accessEntries(cached)
          .slice(-2)
          .map((e) => e.auth_cache),
      ).not.toContain('HIT');
      expect(agent.requests).toEqual([]);
    },
  );
});
