import { type ErrorCode, fixedMessage, refusal } from '@agentauth/auth-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeAgentService, startFakeAgentService } from '../test/fake-agent-service.js';
import { type AgentClient, createAgentClient } from './agent-client.js';
import {
  BadRequestError,
  ForbiddenError,
  InvalidResponseError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  SessionExpiredError,
} from './errors.js';
import {
  createTokenStore,
  memoryStorage,
  TOKEN_STORAGE_KEY,
  type TokenStore,
} from './token-store.js';

// Real JWT-shaped tokens; the fake service only compares strings.
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
const RESTRICTED = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl';

let service: FakeAgentService;
let tokens: TokenStore;
let client: AgentClient;

beforeEach(async () => {
  service = await startFakeAgentService();
  service.tokens.allowed.add(TOKEN);
  service.tokens.restricted.add(RESTRICTED);
  tokens = createTokenStore({ storage: memoryStorage({ [TOKEN_STORAGE_KEY]: TOKEN }) });
  client = createAgentClient({
    baseUrl: service.baseUrl,
    tokens,
    retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
  });
});
afterEach(() => service.close());

describe('createAgentClient', () => {
  const calls: [string, string, string, (c: AgentClient, id: string) => Promise<unknown>][] = [
    ['listAgents', 'GET', '/api/agents', (c) => c.listAgents()],
    ['createAgent', 'POST', '/api/agents', (c) => c.createAgent({ name: 'n', modelType: 'm' })],
    ['listModels', 'GET', '/api/agents/models', (c) => c.listModels()],
    ['getAgent', 'GET', '/api/agents/:id', (c, id) => c.getAgent(id)],
    ['getSettings', 'GET', '/api/agents/:id/settings', (c, id) => c.getSettings(id)],
    [
      'updateSettings',
      'PATCH',
      '/api/agents/:id/settings',
      (c, id) => c.updateSettings(id, { maxSteps: 3 }),
    ],
    ['stopAgent', 'POST', '/api/agents/:id/stop', (c, id) => c.stopAgent(id)],
    ['deleteAgent', 'DELETE', '/api/agents/:id', (c, id) => c.deleteAgent(id)],
    ['listSteps', 'GET', '/api/agents/:id/steps', (c, id) => c.listSteps(id)],
    ['getUsage', 'GET', '/api/agents/usage', (c) => c.getUsage()],
    ['promptAgent', 'POST', '/api/agents/:id/prompt', (c, id) => c.promptAgent(id, 'hello')],
    ['listAgentsWithAccess', 'GET', '/api/agents', (c) => c.listAgentsWithAccess()],
  ];

  it.each(calls)(
    '%s sends Authorization: Bearer <token> (%s %s)',
    async (_, method, path, call) => {
      const agent = service.addAgent('helper');
      await call(client, agent.id);
      expect(service.requests).toHaveLength(1);
      expect(service.requests[0]).toMatchObject({
        method,
        path: path.replace(':id', agent.id),
        authorization: `Bearer ${TOKEN}`,
      });
    },
  );

  it.each(calls)(
    '%s sends nothing and throws SessionExpiredError when signed out',
    async (...row) => {
      const agent = service.addAgent('helper');
      tokens.clear();
      const error = await row[3](client, agent.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SessionExpiredError);
      expect((error as SessionExpiredError).reason).toBe('missing');
      expect(service.requests).toHaveLength(0);
    },
  );

  it('reads the token when each request is sent, so a new sign-in applies at once', async () => {
    await client.listAgents();
    const fresh = `${TOKEN}x`;
    service.tokens.allowed.add(fresh);
    tokens.set(fresh);
    await client.listModels();
    expect(service.requests.map((r) => r.authorization)).toEqual([
      `Bearer ${TOKEN}`,
      `Bearer ${fresh}`,
    ]);
  });

  it('sends JSON bodies that match the agent-api request shapes', async () => {
    const agent = service.addAgent('helper');
    await client.createAgent({ name: 'new', modelType: 'dev-model', settings: { maxSteps: 2 } });
    await client.updateSettings(agent.id, { temperature: 1 });
    expect(service.requests.map((r) => JSON.parse(r.body))).toEqual([
      { name: 'new', modelType: 'dev-model', settings: { maxSteps: 2 } },
      { temperature: 1 },
    ]);
  });

  it('reads the usage, starts a run, and takes a list without an access field as shared', async () => {
    const agent = service.addAgent('helper');
    expect((await client.getUsage()).total).toEqual({
      llmCalls: 2,
      promptTokens: 30,
      completionTokens: 12,
    });
    expect(await client.promptAgent(agent.id, 'hello')).toBe('run-1');
    expect(JSON.parse(service.requests[1]?.body ?? '')).toEqual({ text: 'hello' });
    expect(await client.listAgentsWithAccess()).toEqual({ agents: [agent], access: 'shared' });
  });

  it('returns validated, typed answers', async () => {
    const agent = service.addAgent('helper');
    expect(await client.listAgents()).toEqual([agent]);
    expect(await client.listModels()).toEqual([{ id: 'dev-model', ownedBy: 'agentauth' }]);
    expect(await client.getSettings(agent.id)).toEqual(agent.settings);
    expect((await client.updateSettings(agent.id, { maxSteps: 4 })).maxSteps).toBe(4);
    expect(await client.stopAgent(agent.id)).toBe(false);
    await expect(client.deleteAgent(agent.id)).resolves.toBeUndefined();
    expect(service.agents.size).toBe(0);
  });

  it('pages through older steps with the cursor and limit in the query', async () => {
    const agent = service.addAgent('helper');
    expect(await client.listSteps(agent.id)).toEqual({ steps: [], older: '41' });
    expect(await client.listSteps(agent.id, { before: '41', limit: 20 })).toEqual({ steps: [] });
    expect(service.requests.map((r) => r.search)).toEqual(['', '?before=41&limit=20']);
  });

  it('turns a 401 into SessionExpiredError and keeps the token for the user to replace', async () => {
    tokens.set('eyJ.expired.token');
    const error = await client.listAgents().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect(error).toMatchObject({
      code: 'ERR_SESSION_EXPIRED',
      status: 401,
      serverCode: 'ERR_TOKEN_EXPIRED',
      reason: 'rejected',
    });
    expect(tokens.get()).toBe('eyJ.expired.token');
  });

  it('turns a 403 into ForbiddenError with the "cannot use agents" message', async () => {
    tokens.set(RESTRICTED);
    const error = await client.listModels().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toMatch(/cannot use agents/);
    expect(error).toMatchObject({ status: 403, serverCode: 'ERR_ROLE_FORBIDDEN' });
  });

  it('does not call a CORS refusal a role problem', async () => {
    service.failNext(403, { error: { code: 'ERR_ORIGIN_FORBIDDEN', message: 'Origin refused.' } });
    await expect(client.listAgents()).rejects.toBeInstanceOf(BadRequestError);
  });

  it.each([
    [404, { error: { code: 'ERR_NOT_FOUND', message: 'No agent has this id.' } }, NotFoundError],
    [
      400,
      { error: { code: 'ERR_BAD_REQUEST', message: 'name must not be empty.' } },
      BadRequestError,
    ],
    [413, undefined, BadRequestError],
    [500, { error: { code: 'ERR_INTERNAL', message: 'Internal error.' } }, ServerError],
    [502, '<html>bad gateway</html>', ServerError],
    [
      405,
      gatewayBody('ERR_METHOD_NOT_ALLOWED', 'This route allows GET, POST only.'),
      BadRequestError,
    ],
    [503, gatewayBody('ERR_AUTHORIZE_UNAVAILABLE'), ServerError],
    [502, gatewayBody('ERR_AGENT_SERVICE_UNAVAILABLE'), ServerError],
  ])('maps status %i to a typed error', async (status, body, type) => {
    service.failNext(status, body);
    const error = await client.listAgents().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ status });
    if (body && typeof body === 'object') {
      expect((error as Error).message).toBe(body.error.message);
      expect(error).toMatchObject({ serverCode: body.error.code });
    }
  });

  it.each([
    ['delay-seconds', '30', (sent: number) => sent + 30_000],
    ['an HTTP-date', 'Tue, 01 Dec 2026 14:31:05 GMT', () => Date.UTC(2026, 11, 1, 14, 31, 5)],
    ['nothing', undefined, () => undefined],
    ['something unreadable', 'soon', () => undefined],
  ])(
    'maps 429 with a Retry-After of %s to RateLimitedError and when to try again',
    async (_, after, expected) => {
      service.failNext(
        429,
        { error: { code: 'ERR_RATE_LIMITED', message: 'Too many requests or connections.' } },
        1,
        after === undefined ? {} : { 'retry-after': after },
      );
      const sent = Date.now();
      const error = (await client.listAgents().catch((e: unknown) => e)) as RateLimitedError;
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).toMatchObject({
        code: 'ERR_RATE_LIMITED',
        status: 429,
        serverCode: 'ERR_RATE_LIMITED',
        message: 'Too many requests for now.',
      });
      const want = expected(sent);
      if (want === undefined) expect(error.retryAt).toBeUndefined();
      // Delay-seconds count from when the answer arrived, a moment after `sent`.
      else expect(error.retryAt).toBeGreaterThanOrEqual(want);
      if (want !== undefined && after === '30') expect(error.retryAt).toBeLessThan(want + 60_000);
    },
  );

  it('says a used-up budget in its own words', async () => {
    service.failNext(429, {
      error: { code: 'ERR_BUDGET_EXCEEDED', message: 'Daily token budget reached.' },
    });
    const error = await client.listAgents().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'ERR_RATE_LIMITED',
      serverCode: 'ERR_BUDGET_EXCEEDED',
      message: 'Your daily language-model budget is used up.',
    });
  });

  it('refuses an answer that does not match the agent-api schema', async () => {
    service.failNext(200, { agents: [{ id: 'not-a-uuid' }] });
    await expect(client.listAgents()).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('never puts the token in an error message', async () => {
    tokens.set('eyJ.secret-looking.token');
    const errors: Error[] = await Promise.all([
      client.listAgents().then(
        () => new Error('resolved'),
        (e: Error) => e,
      ),
      client.getAgent('nope').then(
        () => new Error('resolved'),
        (e: Error) => e,
      ),
    ]);
    for (const error of errors) {
      expect(`${error.message} ${String(error.cause ?? '')}`).not.toContain('secret-looking');
    }
  });

  it('encodes agent ids in paths', async () => {
    await client.getAgent('a/../b').catch(() => undefined);
    expect(service.requests[0]?.path).toBe('/api/agents/a%2F..%2Fb');
  });
});

/** The body the auth core's refusal builder gives a code (what the gateway and services send). */
function gatewayBody(
  code: ErrorCode,
  message = fixedMessage(code) ?? '',
): { error: { code: string; message: string } } {
  return JSON.parse(refusal(code, message).body.toString('utf8'));
}
