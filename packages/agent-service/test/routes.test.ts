import {
  Agent,
  AgentListResponse,
  DEFAULT_SETTINGS,
  ModelListResponse,
} from '@agentauth/agent-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ownerOnlyPolicy } from '../src/policy/agent-access.js';
import { closedPort } from './closed-port.js';
import {
  ALICE,
  api,
  BOB,
  createAgent,
  type Harness,
  json,
  startHarness,
  tokenFor,
} from './harness.js';

let h: Harness;
let alice = '';
let bob = '';
beforeAll(async () => {
  h = await startHarness();
  alice = await tokenFor(ALICE);
  bob = await tokenFor(BOB);
});
afterAll(() => h.close());

describe('agents', () => {
  it('creates an agent with a random UUID, the creator as owner and default settings', async () => {
    const res = await api(h, '/api/agents', {
      method: 'POST',
      token: alice,
      body: { name: '  helper ', modelType: 'dev-model' },
    });
    expect(res.status).toBe(201);
    const agent = Agent.parse(await json(res));
    expect(res.headers.get('location')).toBe(`/api/agents/${agent.id}`);
    expect(agent).toMatchObject({ name: 'helper', modelType: 'dev-model', ownerUid: 7 });
    expect(agent.settings).toEqual(DEFAULT_SETTINGS);
    expect(agent.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const again = await createAgent(h, alice);
    expect(again.id).not.toBe(agent.id);
  });

  it('merges partial settings given at creation with the defaults', async () => {
    const agent = await createAgent(h, alice, {
      name: 'a',
      modelType: 'dev-model',
      settings: { maxSteps: 3, tools: ['calculator'] },
    });
    expect(agent.settings).toEqual({ ...DEFAULT_SETTINGS, maxSteps: 3, tools: ['calculator'] });
  });

  it('lists, reads and deletes agents; a deleted agent is 404', async () => {
    const agent = await createAgent(h, alice);
    const list = AgentListResponse.parse(await json(await api(h, '/api/agents', { token: bob })));
    expect(list.agents.map((a) => a.id)).toContain(agent.id);
    expect(await json(await api(h, `/api/agents/${agent.id}`, { token: bob }))).toEqual(agent);
    expect(
      (await api(h, `/api/agents/${agent.id}`, { method: 'DELETE', token: alice })).status,
    ).toBe(204);
    const gone = await api(h, `/api/agents/${agent.id}`, { token: alice });
    expect(gone.status).toBe(404);
    expect(await json(gone)).toEqual({
      error: { code: 'ERR_NOT_FOUND', message: 'No agent has this id.' },
    });
    expect(
      (await api(h, `/api/agents/${agent.id}`, { method: 'DELETE', token: alice })).status,
    ).toBe(404);
  });

  it('answers 404 for an unknown agent on every agent route, and 400 for an id that is not a UUID', async () => {
    const unknown = crypto.randomUUID();
    for (const [method, suffix] of [
      ['GET', ''],
      ['DELETE', ''],
      ['GET', '/settings'],
      ['POST', '/stop'],
    ] as const) {
      expect(
        (await api(h, `/api/agents/${unknown}${suffix}`, { method, token: alice })).status,
      ).toBe(404);
    }
    const patch = await api(h, `/api/agents/${unknown}/settings`, {
      method: 'PATCH',
      token: alice,
      body: { temperature: 1 },
    });
    expect(patch.status).toBe(404);
    const bad = await api(h, '/api/agents/42', { token: alice });
    expect(bad.status).toBe(400);
    expect(await json(bad)).toEqual({
      error: { code: 'ERR_BAD_REQUEST', message: 'The agent id must be a UUID.' },
    });
  });

  it.each([
    ['/api/agents/%/settings'],
    ['/api/agents/%E0%A4%A'],
    ['/api/agents/%zz/stop'],
    ['/api/agents/%E0%A4%A/steps'],
  ])(
    'answers a malformed percent-escape in %s with 400 ERR_BAD_REQUEST and no stack trace',
    async (path) => {
      const before = h.logs.length;
      const method = path.endsWith('/stop') ? 'POST' : 'GET';
      const res = await api(h, path, { method, token: alice });
      expect(res.status).toBe(400);
      expect(await json(res)).toEqual({
        error: { code: 'ERR_BAD_REQUEST', message: 'The path has a malformed percent-escape.' },
      });
      const logged = h.logs.slice(before).join('');
      expect(logged).not.toContain('"stack"');
      expect(logged).not.toContain('request failed');
    },
  );

  it.each([
    ['malformed JSON', '{"name":', 'The body is not valid JSON.'],
    ['a JSON array', '[]', 'The body must be a JSON object (Content-Type: application/json).'],
    ['no name', { modelType: 'dev-model' }, 'name must be a string.'],
    ['an empty name', { name: ' ', modelType: 'dev-model' }, 'name must not be empty.'],
    [
      'a name that is too long',
      { name: 'x'.repeat(101), modelType: 'm' },
      'name must be at most 100 characters.',
    ],
    [
      'a NUL character',
      { name: 'a\u0000b', modelType: 'm' },
      'name must not contain NUL characters.',
    ],
    ['a chosen owner', { name: 'a', modelType: 'm', ownerUid: 1 }, 'Unknown field: ownerUid.'],
    ['a chosen id', { name: 'a', modelType: 'm', id: crypto.randomUUID() }, 'Unknown field: id.'],
    [
      'bad settings',
      { name: 'a', modelType: 'm', settings: { maxSteps: 0 } },
      'maxSteps must be at least 1.',
    ],
  ])('refuses a create body with %s (400, clear message)', async (_, body, message) => {
    const res = await api(h, '/api/agents', { method: 'POST', token: alice, body });
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ error: { code: 'ERR_BAD_REQUEST', message } });
  });

  it('refuses a body without a JSON content type, and one over the size limit (413)', async () => {
    const text = await api(h, '/api/agents', {
      method: 'POST',
      token: alice,
      body: '{"name":"a","modelType":"m"}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(400);
    const huge = await api(h, '/api/agents', {
      method: 'POST',
      token: alice,
      body: { name: 'a', modelType: 'm', pad: 'x'.repeat(70_000) },
    });
    expect(huge.status).toBe(413);
    expect(await json(huge)).toMatchObject({ error: { code: 'ERR_PAYLOAD_TOO_LARGE' } });
  });

  it('accepts the token as a body field without treating it as agent data', async () => {
    const res = await api(h, '/api/agents', {
      method: 'POST',
      body: { name: 'via-body', modelType: 'dev-model', token: alice },
    });
    expect(res.status).toBe(201);
  });

  it('answers 405 with Allow for a wrong method and 404 for an unknown route', async () => {
    const put = await api(h, '/api/agents', { method: 'PUT', token: alice, body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST');
    expect(put.headers.get('cache-control')).toBe('no-store');
    expect(await json(put)).toEqual({
      error: { code: 'ERR_METHOD_NOT_ALLOWED', message: 'This route allows GET, POST only.' },
    });
    const unknown = await api(h, '/api/agents/models/extra', { token: alice });
    expect(unknown.status).toBe(404);
    expect((await api(h, '/nothing')).status).toBe(404);
    expect((await api(h, '/API/AGENTS', { token: alice })).status).toBe(404);
    expect((await api(h, '/api/Agents/models', { token: alice })).status).toBe(404);
  });
});

describe('settings', () => {
  it('reads and partially updates settings atomically, bumping updatedAt', async () => {
    const agent = await createAgent(h, alice);
    expect(await json(await api(h, `/api/agents/${agent.id}/settings`, { token: alice }))).toEqual(
      DEFAULT_SETTINGS,
    );
    const res = await api(h, `/api/agents/${agent.id}/settings`, {
      method: 'PATCH',
      token: bob,
      body: { maxSteps: 12, systemPrompt: 'Be brief.' },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      ...DEFAULT_SETTINGS,
      maxSteps: 12,
      systemPrompt: 'Be brief.',
    });
    const after = await json(await api(h, `/api/agents/${agent.id}`, { token: alice }));
    expect(after.settings.maxSteps).toBe(12);
    expect(after.updatedAt >= agent.updatedAt).toBe(true);
    expect(after.ownerUid).toBe(7);
  });

  it.each([
    [{ maxSteps: 51 }, 'maxSteps must be at most 50.'],
    [{ maxSteps: 0 }, 'maxSteps must be at least 1.'],
    [{ temperature: 3 }, 'temperature must be at most 2.'],
    [{ temperature: 'hot' }, 'temperature must be a number.'],
    [{ systemPrompt: 'x'.repeat(8001) }, 'systemPrompt must be at most 8000 characters.'],
    [{ systemPrompt: 'nul\u0000' }, 'systemPrompt must not contain NUL characters.'],
    [
      { tools: ['shell'] },
      'tools.0: Invalid option: expected one of "calculator"|"current_time"|"word_count".',
    ],
    [{ ownerUid: 1 }, 'Unknown field: ownerUid.'],
    [{}, 'Send at least one setting to change.'],
  ])('refuses the patch %j with 400 and leaves the settings alone', async (patch, message) => {
    const agent = await createAgent(h, alice);
    const res = await api(h, `/api/agents/${agent.id}/settings`, {
      method: 'PATCH',
      token: alice,
      body: patch,
    });
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ error: { code: 'ERR_BAD_REQUEST', message } });
    expect(await json(await api(h, `/api/agents/${agent.id}/settings`, { token: alice }))).toEqual(
      DEFAULT_SETTINGS,
    );
  });
});

describe('models and stop', () => {
  it('lists the models of the configured LLM endpoint', async () => {
    const res = await api(h, '/api/agents/models', { token: alice });
    expect(res.status).toBe(200);
    const body = ModelListResponse.parse(await json(res));
    expect(body.models).toEqual([
      { id: 'dev-model', ownedBy: 'agentauth' },
      { id: 'dev-model-large', ownedBy: 'agentauth' },
    ]);
  });

  it('answers 502 ERR_LLM_UNAVAILABLE when the LLM endpoint is down', async () => {
    const down = await startHarness({ llmBaseUrl: `http://127.0.0.1:${await closedPort()}/v1` });
    try {
      const res = await api(down, '/api/agents/models', { token: alice });
      expect(res.status).toBe(502);
      expect(await json(res)).toMatchObject({ error: { code: 'ERR_LLM_UNAVAILABLE' } });
    } finally {
      await down.close();
    }
  });

  it('answers stopped: false when nothing runs', async () => {
    const agent = await createAgent(h, alice);
    const res = await api(h, `/api/agents/${agent.id}/stop`, { method: 'POST', token: alice });
    expect(await json(res)).toEqual({ stopped: false });
  });
});

describe('the access policy is the one place that decides', () => {
  it('with an owner-only policy, hides other users’ agents as 404 and from the list', async () => {
    const strict = await startHarness({ policy: ownerOnlyPolicy });
    try {
      const agent = await createAgent(strict, alice);
      expect((await api(strict, `/api/agents/${agent.id}`, { token: bob })).status).toBe(404);
      const list = await json(await api(strict, '/api/agents', { token: bob }));
      expect(list.agents).toEqual([]);
      expect((await api(strict, `/api/agents/${agent.id}`, { token: alice })).status).toBe(200);
      const admin = await tokenFor({ uid: 1, name: 'root', role: 'ADMIN' });
      expect((await api(strict, `/api/agents/${agent.id}`, { token: admin })).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
