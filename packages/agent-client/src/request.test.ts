import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAgentClient } from './agent-client.js';
import { NetworkError, ServerError } from './errors.js';
import { backoffDelay, DEFAULT_RETRY, isRetryableMethod } from './retry.js';
import { createTokenStore, memoryStorage, TOKEN_STORAGE_KEY } from './token-store.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln';
const AGENT_ID = '6f1c2a8e-3b4d-4c5e-8f6a-7b8c9d0e1f2a';

/** A fetch that fails (or answers) from a script, recording each attempt. */
function scriptedFetch(script: (Response | Error)[]) {
  const attempts: { method: string; url: string; authorization: string | null }[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    attempts.push({
      method: init?.method ?? 'GET',
      url: String(input),
      authorization: new Headers(init?.headers).get('authorization'),
    });
    const next = script.shift() ?? new Error('script exhausted');
    if (next instanceof Error) throw next;
    return next;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, attempts };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const offline = () => new TypeError('fetch failed');

function clientWith(script: (Response | Error)[]) {
  const { fetch, attempts } = scriptedFetch(script);
  const client = createAgentClient({
    baseUrl: 'http://gateway.test',
    tokens: createTokenStore({ storage: memoryStorage({ [TOKEN_STORAGE_KEY]: TOKEN }) }),
    fetch,
    random: () => 0.5,
  });
  return { client, attempts };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('retries with backoff', () => {
  it('retries a GET after network failures, waiting longer each time', async () => {
    const { client, attempts } = clientWith([offline(), offline(), json(200, { agents: [] })]);
    const result = client.listAgents();
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(backoffDelay(0, DEFAULT_RETRY, () => 0.5) - 1);
    expect(attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(backoffDelay(1, DEFAULT_RETRY, () => 0.5));
    expect(attempts).toHaveLength(3);
    await expect(result).resolves.toEqual([]);
    // Every attempt carries the token, not just the first.
    expect(attempts.every((a) => a.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('gives up with NetworkError after the configured retries', async () => {
    const { client, attempts } = clientWith([offline(), offline(), offline(), offline()]);
    const result = client.listModels().catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(NetworkError);
    expect(attempts).toHaveLength(DEFAULT_RETRY.retries + 1);
  });

  it('retries a GET on 502/503/504 from the gateway', async () => {
    const { client, attempts } = clientWith([
      json(503, {}),
      json(502, {}),
      json(200, { models: [{ id: 'm' }] }),
    ]);
    const result = client.listModels();
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual([{ id: 'm' }]);
    expect(attempts).toHaveLength(3);
  });

  it('does not retry a 500, a 401 or a 403', async () => {
    const { client, attempts } = clientWith([json(500, {})]);
    const result = client.listAgents().catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(ServerError);
    expect(attempts).toHaveLength(1);
  });

  it('never retries a POST: a lost create answer may still have created the agent', async () => {
    const { client, attempts } = clientWith([offline(), json(201, {})]);
    const result = client.createAgent({ name: 'a', modelType: 'm' }).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(NetworkError);
    expect(attempts).toHaveLength(1);
  });

  it('never retries stop (a POST)', async () => {
    const { client, attempts } = clientWith([offline()]);
    const result = client.stopAgent(AGENT_ID).catch((e: unknown) => e);
    await vi.runAllTimersAsync();
    expect(await result).toBeInstanceOf(NetworkError);
    expect(attempts).toHaveLength(1);
  });

  it('retries a PATCH of settings: it sets absolute values, so twice is the same as once', async () => {
    const settings = { maxSteps: 3, temperature: 0.2, systemPrompt: '', tools: [] };
    const { client, attempts } = clientWith([offline(), json(200, settings)]);
    const result = client.updateSettings(AGENT_ID, { maxSteps: 3 });
    await vi.runAllTimersAsync();
    await expect(result).resolves.toEqual(settings);
    expect(attempts.map((a) => a.method)).toEqual(['PATCH', 'PATCH']);
  });

  it('treats a 404 on a retried DELETE as done: the lost first attempt deleted it', async () => {
    const { client, attempts } = clientWith([
      offline(),
      json(404, { error: { code: 'ERR_NOT_FOUND', message: 'No agent has this id.' } }),
    ]);
    const result = client.deleteAgent(AGENT_ID);
    await vi.runAllTimersAsync();
    await expect(result).resolves.toBeUndefined();
    expect(attempts).toHaveLength(2);
  });

  it('stops retrying when the caller aborts', async () => {
    const { client, attempts } = clientWith([offline(), offline(), offline()]);
    const controller = new AbortController();
    const result = client.listAgents({ signal: controller.signal }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    controller.abort(new DOMException('left the page', 'AbortError'));
    expect(((await result) as DOMException).name).toBe('AbortError');
    await vi.runAllTimersAsync();
    expect(attempts).toHaveLength(1);
  });
});

describe('isRetryableMethod', () => {
  it.each([
    ['GET', true],
    ['PATCH', true],
    ['DELETE', true],
    ['POST', false],
  ] as const)('%s → %s', (method, expected) => {
    expect(isRetryableMethod(method)).toBe(expected);
  });
});

describe('backoffDelay', () => {
  it('doubles up to the cap, with half of each step random', () => {
    const policy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 0))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
  });
});
