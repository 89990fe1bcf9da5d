import { refusal } from '@agentauth/auth-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_NOT_FOUND_MESSAGE } from '../src/gateway-answers.js';
import { type RecordingServer, startRecordingServer } from './support/fake-authorize.js';
import { type RunningGateway, startGateway } from './support/gateway.js';

let acs: RecordingServer;
let agent: RecordingServer;
let gw: RunningGateway;

beforeAll(async () => {
  acs = await startRecordingServer(() => ({ status: 200 }));
  agent = await startRecordingServer(() => ({ status: 200 }));
  gw = await startGateway({ accessControlService: acs.address, agentService: agent.address });
});

afterAll(async () => {
  await gw?.stop();
  await acs?.close();
  await agent?.close();
});

describe('the web app', () => {
  it('is served at / with revalidation and security headers', async () => {
    const res = await fetch(`${gw.origin}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('<div id="root">');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('server')).toBe('nginx');
  });

  it('falls back to the app shell for client-side routes', async () => {
    const res = await fetch(`${gw.origin}/agents/42/chat`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<div id="root">');
  });

  it('serves hashed assets as immutable', async () => {
    const res = await fetch(`${gw.origin}/assets/index-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 404 for a missing asset instead of the app shell', async () => {
    expect((await fetch(`${gw.origin}/assets/missing-123.js`)).status).toBe(404);
  });
});

describe('API routing', () => {
  it.each(['/api/other', '/api/auth', '/api/healthcheck', '/api/agentsX', '/api/'])(
    '%s is a JSON 404 that reaches no service',
    async (path) => {
      acs.requests.length = 0;
      agent.requests.length = 0;
      const res = await fetch(`${gw.origin}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await res.json()).toEqual({
        error: { code: 'ERR_NOT_FOUND', message: API_NOT_FOUND_MESSAGE },
      });
      expect(acs.requests).toHaveLength(0);
      expect(agent.requests).toHaveLength(0);
    },
  );

  it('keeps the internal authorize location private', async () => {
    expect((await fetch(`${gw.origin}/_agentauth/authorize`)).status).toBe(404);
  });

  it('answers 502 JSON when the agent-service is down, after the decision', async () => {
    const down = await startRecordingServer(() => ({ status: 200 }));
    await down.close();
    const gw2 = await startGateway({
      accessControlService: acs.address,
      agentService: down.address,
    });
    try {
      const res = await fetch(`${gw2.origin}/api/agents`);
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual(
        JSON.parse(refusal('ERR_AGENT_SERVICE_UNAVAILABLE').body.toString('utf8')),
      );
    } finally {
      await gw2.stop();
    }
  });
});
