import { identityHeadersFor } from '@agentauth/auth-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  type RecordingServer,
  startRecordingServer,
} from './support/fake-authorize.js';
import { type RunningGateway, startGateway } from './support/gateway.js';
import { rawRequest } from './support/raw-http.js';

// nginx picks a location by the normalised path (decoded, slashes merged, dot segments resolved)
// but proxies the raw target. The rule these tests pin down: whatever raw target reaches the
// agent-service is exactly the target the access-control-service decided on, and nothing reaches
// it without a decision.

/** Targets nginx routes to an agent location: decided on verbatim, forwarded verbatim. */
const DECIDED = [
  '/api/agents',
  '/api/agents/',
  '/api/agents/1/settings',
  '/api/agents/1/react?access-token=t',
  '//api/agents',
  '/api//agents',
  '/api/agents//1',
  '/./api/agents',
  '/api/./agents',
  '/api/x/../agents',
  '/api/other/../agents',
  '/api/agents/1/../2',
  '/api/agents/1/react/..',
  '/api/%61gents',
  '/%61pi/agents',
  '/api/agents/1/%72eact',
  '/api/agents/%2e/1',
  '/api/agents%2F1',
  '/api%2fagents',
  '/api/other%2F..%2Fagents',
  '/api/agents/%252e%252e/x',
  '/api/agents/1/react%3F',
];

/** Targets nginx answers itself (404, 400, or 200 with the app shell): never decided or forwarded. */
const NOT_ROUTED: ReadonlyArray<readonly [string, number]> = [
  ['/api/agentsX', 404],
  ['/api/agents-admin', 404],
  ['/api/Agents', 404],
  ['/API/agents', 200],
  ['/api/agents;x', 404],
  ['/api/agents/../other', 404],
  ['/api/agents/%2e%2e/other', 404],
  ['/api/agents/.%2e/x', 404],
  ['/api/agents/..%2fother', 404],
  ['/api/agents%2f..%2fother', 404],
  ['/api/agents%00', 400],
  ['/api/agents/../../etc/passwd', 200],
  ['/../api/agents', 400],
  ['/_agentauth/authorize', 404],
  ['*', 400],
];

let answer: Answer = { status: 200 };
let acs: RecordingServer;
let agent: RecordingServer;
let gw: RunningGateway;

beforeAll(async () => {
  acs = await startRecordingServer(() => answer);
  agent = await startRecordingServer(() => ({ status: 200 }));
  gw = await startGateway({ accessControlService: acs.address, agentService: agent.address });
});

afterAll(async () => {
  await gw?.stop();
  await acs?.close();
  await agent?.close();
});

afterEach(() => {
  acs.requests.length = 0;
  agent.requests.length = 0;
});

const send = (target: string) =>
  rawRequest(gw.port, [`GET ${target} HTTP/1.1`, 'Host: gateway.test']);

describe('with an access-control-service that allows everything', () => {
  beforeAll(() => {
    answer = {
      status: 200,
      headers: identityHeadersFor({ uid: 1, name: 'a', role: 'ADMIN', email: null }),
    };
  });

  it.each(DECIDED)('%s is decided on and forwarded verbatim', async (target) => {
    const res = await send(target);
    expect(res.status).toBe(200);
    expect(acs.requests.map((r) => r.headers['x-original-uri'])).toEqual([target]);
    expect(agent.requests.map((r) => r.url)).toEqual([target]);
  });

  it('decides on the path of an absolute-form target, the one it forwards', async () => {
    const res = await send('http://elsewhere.test/api/agents/1');
    expect(res.status).toBe(200);
    expect(acs.requests.map((r) => r.headers['x-original-uri'])).toEqual(['/api/agents/1']);
    expect(agent.requests.map((r) => r.url)).toEqual(['/api/agents/1']);
  });

  it.each(NOT_ROUTED)('%s is answered by nginx with %i', async (target, status) => {
    const res = await send(target);
    expect(res.status).toBe(status);
    if (status === 200) expect(res.body).toContain('<title>agentauth</title>');
    expect(acs.requests).toHaveLength(0);
    expect(agent.requests).toHaveLength(0);
  });
});

describe('with an access-control-service that denies everything', () => {
  beforeAll(() => {
    answer = { status: 403 };
  });

  it.each(DECIDED)('%s is refused with 403', async (target) => {
    expect((await send(target)).status).toBe(403);
    expect(agent.requests).toHaveLength(0);
  });

  it.each(NOT_ROUTED)('%s never reaches the agent-service', async (target, status) => {
    expect((await send(target)).status).toBe(status);
    expect(agent.requests).toHaveLength(0);
  });
});
