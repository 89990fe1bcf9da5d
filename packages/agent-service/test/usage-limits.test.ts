import type { ServerEvent } from '@agentauth/agent-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utcDayStart } from '../src/usage/usage-store.js';
import {
  ALICE,
  api,
  BOB,
  createAgent,
  type Harness,
  json,
  openSession,
  startHarness,
  tokenFor,
  until,
} from './harness.js';

const prompt = (h: Harness, id: string, token: string, text: string) =>
  api(h, `/api/agents/${id}/prompt`, { method: 'POST', token, body: { text } });

const socket = (h: Harness, id: string, token: string) =>
  openSession(`${h.wsUrl}/api/agents/${id}/react?access-token=${token}`);

async function idle(h: Harness, id: string): Promise<void> {
  await until(async () => (await h.service.runs.status(id)).state !== 'running', 10_000);
}

async function metric(h: Harness, line: RegExp): Promise<number> {
  const text = await h.service.metrics.registry.metrics();
  const found = text.split('\n').find((l) => line.test(l));
  return found ? Number(found.split(' ').at(-1)) : 0;
}

const isStatus = (state: string) => (e: ServerEvent) => e.type === 'status' && e.state === state;

describe('identity and usage reach the provider and the usage route', () => {
  let h: Harness;
  let alice = '';
  beforeAll(async () => {
    h = await startHarness({ config: { llm: { maxTokens: 321 } } });
    alice = await tokenFor(ALICE);
  });
  afterAll(() => h.close());

  it('names the user, the agent and the run on every call, caps max_tokens and asks for usage', async () => {
    const agent = await createAgent(h, alice, {
      name: 'tools',
      modelType: 'dev-model',
      settings: { tools: ['calculator'] },
    });
    const s = await socket(h, agent.id, alice);
    const running = s.next(isStatus('running'));
    const done = s.next(isStatus('completed'));
    const before = h.dev.requests.length;
    s.send({ v: 1, type: 'prompt', text: 'calculate 6*7' });
    const { runId } = (await running) as { runId: string };
    await done;
    const calls = h.dev.requests.slice(before);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call).toMatchObject({
        user: String(ALICE.uid),
        metadata: { agent_id: agent.id, run_id: runId },
        max_tokens: 321,
        stream_options: { include_usage: true },
      });
    }
    s.ws.close();
  });

  it('records the tokens the provider reported per step and per run, and counts them by model', async () => {
    const agent = await createAgent(h, alice);
    const before = await json(await api(h, '/api/agents/usage', { token: alice }));
    const tokensBefore = await metric(h, /^agent_service_llm_tokens_total\{.*kind="completion"/);
    expect((await prompt(h, agent.id, alice, 'count to 3')).status).toBe(202);
    await idle(h, agent.id);
    const after = await json(await api(h, '/api/agents/usage', { token: alice }));
    expect(after.total.llmCalls - before.total.llmCalls).toBe(1);
    // The dev model streams "1 ", "2 ", "3": three completion tokens, as it reported.
    expect(after.total.completionTokens - before.total.completionTokens).toBe(3);
    expect(after.total.promptTokens).toBeGreaterThan(before.total.promptTokens);
    expect(after.byModel.map((m: { model: string }) => m.model)).toContain('dev-model');
    expect(after.limits).toMatchObject({ maxTokensPerCall: 321, dailyTokenBudget: null });
    expect(after.since).toBe(new Date(utcDayStart(Date.now())).toISOString());
    expect(
      (await metric(h, /^agent_service_llm_tokens_total\{.*kind="completion"/)) - tokensBefore,
    ).toBe(3);
  });

  it('bills a stopped stream by what it streamed (a stop is no way around a budget)', async () => {
    const agent = await createAgent(h, alice);
    const s = await socket(h, agent.id, alice);
    const firstDelta = s.next((e) => e.type === 'step' && e.step.kind === 'text_delta');
    const stopped = s.next(isStatus('stopped'));
    const before = await json(await api(h, '/api/agents/usage', { token: alice }));
    s.send({ v: 1, type: 'prompt', text: 'count to 5000' });
    await firstDelta;
    s.send({ v: 1, type: 'stop' });
    await stopped;
    await until(async () => (await h.service.runs.status(agent.id)).state === 'stopped');
    const after = await json(await api(h, '/api/agents/usage', { token: alice }));
    expect(after.total.llmCalls - before.total.llmCalls).toBe(1);
    expect(after.total.completionTokens).toBeGreaterThan(before.total.completionTokens);
    s.ws.close();
  });
});

describe('per-user limits: concurrent runs', () => {
  let h: Harness;
  let alice = '';
  let bob = '';
  beforeAll(async () => {
    h = await startHarness({
      devDelayMs: 5,
      config: {
        limits: { maxConcurrentRuns: 2, runStartsPerMinute: 100, dailyTokenBudget: undefined },
      },
    });
    [alice, bob] = await Promise.all([tokenFor(ALICE), tokenFor(BOB)]);
  });
  afterAll(() => h.close());

  it('refuses a third run with 429 + Retry-After on REST and an error event with a retry time on the socket', async () => {
    const agents = await Promise.all([1, 2, 3, 4].map(() => createAgent(h, alice)));
    const [a, b, c, d] = agents as [{ id: string }, { id: string }, { id: string }, { id: string }];
    const refusedBefore = await metric(
      h,
      /^agent_service_limit_refusals_total\{code="ERR_RATE_LIMITED",limit="concurrency"\}/,
    );
    expect((await prompt(h, a.id, alice, 'count to 5000')).status).toBe(202);
    expect((await prompt(h, b.id, alice, 'count to 5000')).status).toBe(202);

    const third = await prompt(h, c.id, alice, 'hello');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await json(third)).toMatchObject({ error: { code: 'ERR_RATE_LIMITED' } });
    expect((await h.service.runs.status(c.id)).state).toBe('idle');

    const s = await socket(h, d.id, alice);
    const error = s.next((e) => e.type === 'error');
    s.send({ v: 1, type: 'prompt', text: 'hello' });
    expect(await error).toMatchObject({
      code: 'ERR_RATE_LIMITED',
      retryAfterMs: expect.any(Number),
    });

    // Another user is not affected by Alice's runs.
    const bobs = await createAgent(h, bob);
    expect((await prompt(h, bobs.id, bob, 'hello')).status).toBe(202);

    expect(
      (await metric(
        h,
        /^agent_service_limit_refusals_total\{code="ERR_RATE_LIMITED",limit="concurrency"\}/,
      )) - refusedBefore,
    ).toBe(2);

    // A finished run frees its slot.
    await api(h, `/api/agents/${a.id}/stop`, { method: 'POST', token: alice });
    await idle(h, a.id);
    expect((await prompt(h, c.id, alice, 'hello')).status).toBe(202);
    await api(h, `/api/agents/${b.id}/stop`, { method: 'POST', token: alice });
    await Promise.all([idle(h, b.id), idle(h, c.id), idle(h, bobs.id)]);
    s.ws.close();
  });

  it('holds across two services sharing one database (two replicas on one node)', async () => {
    const other = await startHarness({
      dev: h.dev,
      dbPath: h.dbPath,
      config: {
        limits: { maxConcurrentRuns: 2, runStartsPerMinute: 100, dailyTokenBudget: undefined },
      },
    });
    try {
      const [a, b, c] = await Promise.all([1, 2, 3].map(() => createAgent(h, alice)));
      expect((await prompt(h, a.id, alice, 'count to 5000')).status).toBe(202);
      expect((await prompt(other, b.id, alice, 'count to 5000')).status).toBe(202);
      const third = await prompt(other, c.id, alice, 'hello');
      expect(third.status).toBe(429);
      const fourth = await prompt(h, c.id, alice, 'hello');
      expect(fourth.status).toBe(429);
      await api(h, `/api/agents/${a.id}/stop`, { method: 'POST', token: alice });
      await api(other, `/api/agents/${b.id}/stop`, { method: 'POST', token: alice });
      await Promise.all([idle(h, a.id), idle(other, b.id)]);
    } finally {
      await other.close({ keepDir: true });
    }
  });
});

describe('per-user limits: run starts per minute', () => {
  let h: Harness;
  let alice = '';
  beforeAll(async () => {
    h = await startHarness({
      config: {
        limits: { maxConcurrentRuns: 10, runStartsPerMinute: 2, dailyTokenBudget: undefined },
      },
    });
    alice = await tokenFor(ALICE);
  });
  afterAll(() => h.close());

  it('refuses the third start within a minute until the window moves on', async () => {
    const agent = await createAgent(h, alice);
    for (let i = 0; i < 2; i++) {
      expect((await prompt(h, agent.id, alice, 'hello')).status).toBe(202);
      await idle(h, agent.id);
    }
    const refused = await prompt(h, agent.id, alice, 'hello');
    expect(refused.status).toBe(429);
    const retry = Number(refused.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    expect(await json(refused)).toMatchObject({ error: { code: 'ERR_RATE_LIMITED' } });
    h.advance(retry * 1000);
    expect((await prompt(h, agent.id, alice, 'hello')).status).toBe(202);
    await idle(h, agent.id);
  });
});

describe('per-user limits: daily token budget', () => {
  let h: Harness;
  let alice = '';
  let bob = '';
  beforeAll(async () => {
    h = await startHarness({
      config: { limits: { maxConcurrentRuns: 10, runStartsPerMinute: 100, dailyTokenBudget: 40 } },
    });
    [alice, bob] = await Promise.all([tokenFor(ALICE), tokenFor(BOB)]);
  });
  afterAll(() => h.close());

  it('ends a run between calls once the budget is spent, then refuses new runs until 00:00 UTC', async () => {
    const agent = await createAgent(h, alice, {
      name: 'looper',
      modelType: 'dev-model',
      settings: { tools: ['current_time'], maxSteps: 50 },
    });
    const s = await socket(h, agent.id, alice);
    const error = s.next((e) => e.type === 'error');
    const status = s.next(isStatus('error'));
    s.send({ v: 1, type: 'prompt', text: '#loop' });
    const event = await error;
    await status;
    expect(event).toMatchObject({ code: 'ERR_BUDGET_EXCEEDED', retryAfterMs: expect.any(Number) });
    const usage = await json(await api(h, '/api/agents/usage', { token: alice }));
    expect(usage.limits.dailyTokenBudget).toBe(40);
    expect(usage.total.promptTokens + usage.total.completionTokens).toBeGreaterThanOrEqual(40);
    expect(usage.total.llmCalls).toBeLessThan(50);

    const refused = await prompt(h, agent.id, alice, 'hello');
    expect(refused.status).toBe(429);
    expect(await json(refused)).toMatchObject({ error: { code: 'ERR_BUDGET_EXCEEDED' } });
    const now = Date.now();
    const untilMidnight = Math.ceil((utcDayStart(now) + 86_400_000 - now) / 1000);
    expect(
      Math.abs(Number(refused.headers.get('retry-after')) - untilMidnight),
    ).toBeLessThanOrEqual(2);

    // Bob's budget is his own.
    const bobs = await createAgent(h, bob);
    expect((await prompt(h, bobs.id, bob, 'hello')).status).toBe(202);
    await idle(h, bobs.id);

    // The next UTC day starts a new budget.
    h.advance(untilMidnight * 1000 + 1000);
    expect((await prompt(h, agent.id, alice, 'hello')).status).toBe(202);
    await idle(h, agent.id);
    s.ws.close();
  });
});

describe('models agents may use', () => {
  let h: Harness;
  let alice = '';
  beforeAll(async () => {
    h = await startHarness({
      config: { llm: { modelAllowList: ['dev-model', 'gpt-not-served'] } },
    });
    alice = await tokenFor(ALICE);
  });
  afterAll(() => h.close());

  it.each([
    ['a model the provider does not list', 'gpt-4-32k-most-expensive'],
    ['a listed model the allow-list leaves out', 'dev-model-large'],
    ['an allowed name the provider does not serve', 'gpt-not-served'],
  ])('refuses %s at creation with 400, naming the allowed ones', async (_, modelType) => {
    const res = await api(h, '/api/agents', {
      method: 'POST',
      token: alice,
      body: { name: 'x', modelType },
    });
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({
      error: {
        code: 'ERR_MODEL_UNKNOWN',
        message: `The model \`${modelType}\` is not available here; use one of: dev-model.`,
      },
    });
    const list = await json(await api(h, '/api/agents', { token: alice }));
    expect(list.agents).toEqual([]);
  });

  it('lists only the allowed models the provider serves, and creates with one of them', async () => {
    const models = await json(await api(h, '/api/agents/models', { token: alice }));
    expect(models.models.map((m: { id: string }) => m.id)).toEqual(['dev-model']);
    expect((await createAgent(h, alice)).modelType).toBe('dev-model');
  });
});
