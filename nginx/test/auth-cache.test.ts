import { bearerProtocol, IDENTITY_HEADERS, identityHeadersFor } from '@agentauth/auth-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  type RecordingServer,
  startRecordingServer,
} from './support/fake-authorize.js';
import { type RunningGateway, startGateway } from './support/gateway.js';
import { rawRequest } from './support/raw-http.js';

const BOB = { uid: 12, name: 'bob', email: 'bob@example.com', role: 'REGULAR' } as const;
// The real service marks every answer no-store; the cache must be explicit about ignoring that.
const allow: Answer = {
  status: 200,
  headers: { ...identityHeadersFor(BOB), 'cache-control': 'no-store' },
};
let answer: Answer = allow;
let acs: RecordingServer;
let agent: RecordingServer;
let cached: RunningGateway;
let uncached: RunningGateway;

beforeAll(async () => {
  acs = await startRecordingServer(() => answer);
  agent = await startRecordingServer(() => ({ status: 200 }));
  const common = { accessControlService: acs.address, agentService: agent.address };
  cached = await startGateway({ ...common, authCache: true, authCacheSeconds: 30 });
  uncached = await startGateway(common);
});

afterAll(async () => {
  await cached?.stop();
  await uncached?.stop();
  await acs?.close();
  await agent?.close();
});

afterEach(() => {
  answer = allow;
  acs.requests.length = 0;
  agent.requests.length = 0;
});

const send = (gw: RunningGateway, method: string, target: string, token: string) =>
  rawRequest(gw.port, [
    `${method} ${target} HTTP/1.1`,
    'Host: t',
    `Authorization: Bearer ${token}`,
  ]);

describe('the auth decision cache', () => {
  it('is off by default: every request is decided', async () => {
    expect(uncached.config).not.toContain('proxy_cache ');
    await send(uncached, 'GET', '/api/agents', 'tok-a');
    await send(uncached, 'GET', '/api/agents', 'tok-a');
    expect(acs.requests).toHaveLength(2);
  });

  it('when on, answers a repeated request from the cache, identity included', async () => {
    await send(cached, 'GET', '/api/agents?page=1', 'tok-b');
    const res = await send(cached, 'GET', '/api/agents?page=1', 'tok-b');
    expect(res.status).toBe(200);
    expect(acs.requests).toHaveLength(1);
    expect(agent.requests).toHaveLength(2);
    for (const name of IDENTITY_HEADERS) {
      expect(agent.requests[1]?.headers[name]).toBe(identityHeadersFor(BOB)[name]);
    }
    expect(cached.accessLog()).toContain('"auth_cache":"HIT"');
  });

  it.each([
    ['the method', 'DELETE', '/api/agents/1', 'tok-c'],
    ['the path', 'GET', '/api/agents/2', 'tok-c'],
    ['the query', 'GET', '/api/agents/1?x=2', 'tok-c'],
    ['the token', 'GET', '/api/agents/1', 'tok-d'],
  ])('is keyed on %s', async (_, method, target, token) => {
    await send(cached, 'GET', '/api/agents/1', 'tok-c');
    acs.requests.length = 0;
    await send(cached, method, target, token);
    expect(acs.requests).toHaveLength(1);
    expect(acs.requests[0]?.headers['x-original-method']).toBe(method);
  });

  it('is keyed on the subprotocol list, which carries a browser WebSocket token', async () => {
    const ws = (protocol: string) =>
      rawRequest(cached.port, [
        'GET /api/agents/9/react HTTP/1.1',
        'Host: t',
        `Sec-WebSocket-Protocol: ${protocol}`,
      ]);
    await ws(`agentauth.react.v1, ${bearerProtocol('tok-f')}`);
    acs.requests.length = 0;
    // Without a token (or with another one), a cached allow must not be reused.
    await rawRequest(cached.port, ['GET /api/agents/9/react HTTP/1.1', 'Host: t']);
    await ws(`agentauth.react.v1, ${bearerProtocol('tok-g')}`);
    expect(acs.requests).toHaveLength(2);
  });

  it.each([401, 403])('never caches a %i', async (status) => {
    answer = { status, headers: { 'cache-control': 'max-age=60' } };
    await send(cached, 'GET', `/api/agents/denied-${status}`, 'tok-e');
    await send(cached, 'GET', `/api/agents/denied-${status}`, 'tok-e');
    expect(acs.requests).toHaveLength(2);
    expect(agent.requests).toHaveLength(0);
  });
});
