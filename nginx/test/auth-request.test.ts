import {
  AUTH_ERROR_MESSAGES,
  type AuthErrorCode,
  GATEWAY_ERROR_MESSAGES,
  IDENTITY_HEADERS,
  identityHeadersFor,
  refusal,
  statusForCode,
  wwwAuthenticate,
} from '@agentauth/auth-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accessEntries } from './support/access-log.js';
import {
  type Answer,
  type RecordingServer,
  startRecordingServer,
} from './support/fake-authorize.js';
import { type RunningGateway, startGateway } from './support/gateway.js';
import { rawRequest } from './support/raw-http.js';

// nginx in front of two recording stand-ins, so each test sees exactly what nginx sends to the
// access-control-service and to the agent-service (or that it sent nothing).

const ALICE = { uid: 7, name: 'Zoë 山田', email: 'zoe@example.com', role: 'REGULAR' } as const;
const allow: Answer = { status: 200, headers: identityHeadersFor(ALICE) };
const deny = (code: AuthErrorCode): Answer => {
  const challenge = wwwAuthenticate(code);
  return {
    status: statusForCode(code),
    headers: challenge ? { 'www-authenticate': challenge } : {},
    body: JSON.stringify({ error: { code, message: AUTH_ERROR_MESSAGES[code] } }),
  };
};

let answer: (url: string | undefined) => Answer | 'hang' = () => allow;
let acs: RecordingServer;
let agent: RecordingServer;
let gw: RunningGateway;

const get = (target: string, headers: string[] = []) =>
  rawRequest(gw.port, [`GET ${target} HTTP/1.1`, 'Host: gateway.test', ...headers]);

beforeAll(async () => {
  acs = await startRecordingServer((r) =>
    answer(r.headers['x-original-uri'] as string | undefined),
  );
  agent = await startRecordingServer((r) => ({
    status: 200,
    body: JSON.stringify({ echo: r.url }),
  }));
  gw = await startGateway({
    accessControlService: acs.address,
    agentService: agent.address,
  });
});

afterAll(async () => {
  await gw?.stop();
  await acs?.close();
  await agent?.close();
});

afterEach(() => {
  answer = () => allow;
  acs.requests.length = 0;
  agent.requests.length = 0;
});

describe('the authorize subrequest', () => {
  it('is exactly GET /api/auth with the original method, raw target and Authorization', async () => {
    const res = await rawRequest(
      gw.port,
      [
        'PATCH /api/agents/42/settings?x=1&y=%20 HTTP/1.1',
        'Host: gateway.test',
        'Authorization: Bearer abc.def.ghi',
        'Cookie: session=1',
        'X-Original-URI: /api/agents/spoofed',
        'X-Original-Method: GET',
        'Content-Type: application/json',
      ],
      '{"model":"m"}',
    );
    expect(res.status).toBe(200);
    expect(acs.requests).toHaveLength(1);
    const call = acs.requests[0];
    expect(call?.method).toBe('GET');
    expect(call?.url).toBe('/api/auth');
    expect(call?.headers['x-original-uri']).toBe('/api/agents/42/settings?x=1&y=%20');
    expect(call?.headers['x-original-method']).toBe('PATCH');
    expect(call?.headers.authorization).toBe('Bearer abc.def.ghi');
    expect(call?.body).toBe('');
    expect(call?.headers['content-length']).toBeUndefined();
    expect(call?.headers['transfer-encoding']).toBeUndefined();
    expect(call?.headers.cookie).toBeUndefined();
    expect(call?.headers['content-type']).toBeUndefined();
  });

  it('is never made for a request with two Authorization headers (nginx answers 400)', async () => {
    const res = await get('/api/agents', ['Authorization: Bearer a', 'Authorization: Bearer b']);
    expect(res.status).toBe(400);
    expect(acs.requests).toHaveLength(0);
    expect(agent.requests).toHaveLength(0);
  });

  it('does not forward client identity headers to the access-control-service', async () => {
    await get('/api/agents', ['x-user-id: 1', 'X-User-Name: root']);
    expect(Object.keys(acs.requests[0]?.headers ?? {})).not.toContain('x-user-id');
    expect(Object.keys(acs.requests[0]?.headers ?? {})).not.toContain('x-user-name');
  });
});

describe('an allowed request', () => {
  it('reaches the agent-service with the raw target, the token and the identity headers', async () => {
    const res = await get('/api/agents/1/settings?access-token=tok', ['Authorization: Bearer tok']);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ echo: '/api/agents/1/settings?access-token=tok' });
    const seen = agent.requests[0];
    expect(seen?.url).toBe('/api/agents/1/settings?access-token=tok');
    expect(seen?.headers.authorization).toBe('Bearer tok');
    for (const name of IDENTITY_HEADERS) {
      expect(seen?.headers[name]).toBe(identityHeadersFor(ALICE)[name]);
    }
  });

  it('keeps an empty identity header (no email) present and empty', async () => {
    answer = () => ({ status: 200, headers: identityHeadersFor({ ...ALICE, email: null }) });
    expect((await get('/api/agents')).status).toBe(200);
    const seen = agent.requests[0];
    expect(seen?.headers['x-user-email']).toBe('');
    expect(seen?.headers['x-user-id']).toBe('7');
  });

  it.each([
    ['lower case', 'x-user-id: 1'],
    ['upper case', 'X-USER-ID: 1'],
    ['mixed case', 'X-User-Id: 1'],
    ['underscores', 'x_user_id: 1'],
    ['upper-case underscores', 'X_USER_ID: 1'],
    ['mixed separators', 'x-user_id: 1'],
    ['name with underscore', 'x_user_name: root'],
    ['email with underscore', 'X_User_Email: root@evil'],
  ])('drops a client-sent identity header spelled with %s', async (_, header) => {
    const res = await get('/api/agents', [header, 'X-User-Name: root', 'x-user-email: a@evil']);
    expect(res.status).toBe(200);
    const seen = agent.requests[0];
    const names = seen?.headerNames.map((n) => n.toLowerCase().replaceAll('_', '-')) ?? [];
    for (const name of IDENTITY_HEADERS) {
      expect(names.filter((n) => n === name)).toHaveLength(1);
      expect(seen?.headers[name]).toBe(identityHeadersFor(ALICE)[name]);
    }
  });

  it('drops repeated client identity headers', async () => {
    const res = await get('/api/agents', ['x-user-id: 1', 'x-user-id: 2', 'X-User-Id: 3']);
    expect(res.status).toBe(200);
    expect(agent.requests[0]?.headers['x-user-id']).toBe('7');
  });

  it('never lets a client identity header through when the answer lacks identity', async () => {
    answer = () => ({ status: 200 });
    await get('/api/agents', ['x-user-id: 1', 'x-user-name: root', 'x-user-email: r@x']);
    const seen = agent.requests[0];
    for (const name of IDENTITY_HEADERS) expect(seen?.headers[name]).toBe('');
  });

  it('passes a POST body with Content-Length without stalling', async () => {
    const body = JSON.stringify({ name: 'agent', prompt: 'x'.repeat(20_000) });
    const res = await rawRequest(
      gw.port,
      ['POST /api/agents HTTP/1.1', 'Host: t', 'Content-Type: application/json'],
      body,
      8_000,
    );
    expect(res.status).toBe(200);
    expect(agent.requests[0]?.body).toBe(body);
    expect(acs.requests[0]?.body).toBe('');
  });

  it('passes a chunked POST body without stalling', async () => {
    const chunk = '{"name":"agent"}';
    const chunked = `${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`;
    const res = await rawRequest(
      gw.port,
      ['POST /api/agents HTTP/1.1', 'Host: t', 'Transfer-Encoding: chunked'],
      chunked,
      8_000,
    );
    expect(res.status).toBe(200);
    expect(agent.requests[0]?.body).toBe(chunk);
  });
});

describe('upstream connections', () => {
  it('are kept alive to both services', async () => {
    const before = { acs: acs.connections(), agent: agent.connections() };
    for (let i = 0; i < 20; i++) expect((await get('/api/agents')).status).toBe(200);
    // Two workers, each with its own pool: at most a couple of new connections per upstream.
    expect(acs.connections() - before.acs).toBeLessThanOrEqual(2);
    expect(agent.connections() - before.agent).toBeLessThanOrEqual(2);
  });
});

describe('a denied request', () => {
  it.each<AuthErrorCode>([
    'ERR_TOKEN_MISSING',
    'ERR_TOKEN_EXPIRED',
    'ERR_TOKEN_SIGNATURE',
    'ERR_TOKEN_AMBIGUOUS',
  ])('answers 401 %s with JSON and one WWW-Authenticate challenge', async (code) => {
    answer = () => deny(code);
    const res = await get('/api/agents');
    expect(res.status).toBe(401);
    expect(res.headers.filter(([n]) => n === 'www-authenticate')).toEqual([
      ['www-authenticate', wwwAuthenticate(code)],
    ]);
    expect(res.header('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toEqual({ error: { code, message: AUTH_ERROR_MESSAGES[code] } });
    expect(agent.requests).toHaveLength(0);
  });

  it.each([
    ['names no code', {}, 'ERR_FORBIDDEN'],
    [
      'names ERR_ROLE_FORBIDDEN',
      { 'x-agentauth-error': 'ERR_ROLE_FORBIDDEN' },
      'ERR_ROLE_FORBIDDEN',
    ],
    [
      'names ERR_PATH_NOT_GOVERNED',
      { 'x-agentauth-error': 'ERR_PATH_NOT_GOVERNED' },
      'ERR_PATH_NOT_GOVERNED',
    ],
    ['names a 401 code', { 'x-agentauth-error': 'ERR_TOKEN_EXPIRED' }, 'ERR_FORBIDDEN'],
    ['names a longer code', { 'x-agentauth-error': 'ERR_ROLE_FORBIDDEN_X' }, 'ERR_FORBIDDEN'],
    ['tries to add JSON', { 'x-agentauth-error': 'ERR_ROLE_FORBIDDEN","x":"y' }, 'ERR_FORBIDDEN'],
  ] as const)(
    'answers a 403 that %s with JSON, that code or ERR_FORBIDDEN, and no challenge',
    async (_, headers, code) => {
      answer = () => ({ status: 403, headers, body: '{}' });
      const res = await get('/api/agents/1');
      expect(res.status).toBe(403);
      expect(res.header('www-authenticate')).toBeUndefined();
      const message =
        code === 'ERR_FORBIDDEN' ? GATEWAY_ERROR_MESSAGES.ERR_FORBIDDEN : AUTH_ERROR_MESSAGES[code];
      expect(JSON.parse(res.body)).toEqual({ error: { code, message } });
      expect(agent.requests).toHaveLength(0);
    },
  );

  it.each([500, 502, 404, 400, 302])(
    'fails closed with 503 when the authorize answer is %i',
    async (status) => {
      answer = () => ({ status, headers: { location: '/elsewhere' } });
      const res = await get('/api/agents');
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body)).toEqual(
        JSON.parse(refusal('ERR_AUTHORIZE_UNAVAILABLE').body.toString('utf8')),
      );
      expect(agent.requests).toHaveLength(0);
    },
  );

  it('fails closed with 503 when the access-control-service hangs (its read timeout)', async () => {
    answer = () => 'hang';
    const res = await get('/api/agents');
    expect(res.status).toBe(503);
    // 504 is nginx's own upstream timeout (the wait is bounded by proxy_read_timeout, well inside
    // this test's 15 s); how long it takes is measured by the benchmark, not asserted here.
    expect(accessEntries(gw).at(-1)?.auth_status).toBe('504');
    expect(agent.requests).toHaveLength(0);
  }, 15_000);
});
