import { createDevModelServer } from '@agentauth/dev-model-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiClient } from '../../src/llm/openai-client.js';
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
} from '../harness.js';
import { type LiteLlmProxy, startLiteLlm } from './litellm-proxy.js';

// The agent-service against the real LiteLLM proxy, as the platform runs it: LiteLLM in front of
// the dev model server (our stand-in for the paid provider), one shared key.

const dev = createDevModelServer({ tokenDelayMs: 5 });
let proxy: LiteLlmProxy;
let h: Harness;
beforeAll(async () => {
  const devUrl = await dev.listen(0);
  proxy = await startLiteLlm(`${devUrl}/v1`);
  h = await startHarness({ dev, llmBaseUrl: proxy.baseUrl, llmApiKey: proxy.apiKey });
}, 180_000);
afterAll(async () => {
  await h?.close();
  await proxy?.stop();
  await dev.close();
});

const llm = () => createOpenAiClient({ baseUrl: proxy.baseUrl, apiKey: proxy.apiKey });

describe('the OpenAI client through LiteLLM', () => {
  it('lists the models LiteLLM serves', async () => {
    expect((await llm().listModels()).map((m) => m.id)).toContain('dev-model');
  });

  it('streams token by token and gets the usage LiteLLM passes on', async () => {
    const deltas: string[] = [];
    const usage: unknown[] = [];
    const turn = await llm().chat(
      { model: 'dev-model', messages: [{ role: 'user', content: 'count to 6' }] },
      { onTextDelta: (d) => deltas.push(d), onUsage: (u) => usage.push(u) },
    );
    expect(turn.content).toBe('1 2 3 4 5 6');
    expect(deltas.length).toBeGreaterThan(1);
    expect(usage).toEqual([
      expect.objectContaining({ estimated: false, completionTokens: expect.any(Number) }),
    ]);
  });

  it('passes tool calls through', async () => {
    const turn = await llm().chat({
      model: 'dev-model',
      messages: [{ role: 'user', content: 'calculate 6*7' }],
      tools: [
        {
          type: 'function',
          function: { name: 'calculator', description: 'math', parameters: { type: 'object' } },
        },
      ],
    });
    expect(turn.finishReason).toBe('tool_calls');
    expect(turn.toolCalls[0]?.function.name).toBe('calculator');
    expect(JSON.parse(turn.toolCalls[0]?.function.arguments ?? '')).toEqual({ expression: '6*7' });
  });

  it('cancels the upstream stream when the client stops', async () => {
    const before = dev.stats.streamsAborted;
    const controller = new AbortController();
    const pending = llm().chat(
      { model: 'dev-model', messages: [{ role: 'user', content: 'count to 3000' }] },
      { signal: controller.signal, onTextDelta: () => controller.abort() },
    );
    await expect(pending).rejects.toThrow();
    await until(() => dev.stats.streamsAborted > before, 20_000);
  });

  it('maps an unknown model to ERR_MODEL_UNKNOWN without LiteLLM internals', async () => {
    const error = await llm()
      .chat({ model: 'gpt-4-32k-most-expensive', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_MODEL_UNKNOWN' });
    expect((error as Error).message).not.toMatch(/litellm/i);
  });
});

describe('the agent-service through LiteLLM', () => {
  it('LiteLLM records the right end user, with agent and run ids, for each of two users', async () => {
    const users = [
      { subject: ALICE, token: await tokenFor(ALICE) },
      { subject: BOB, token: await tokenFor(BOB) },
    ];
    const runs: { uid: number; agentId: string; runId: string }[] = [];
    for (const { subject, token } of users) {
      const agent = await createAgent(h, token);
      const s = await openSession(`${h.wsUrl}/api/agents/${agent.id}/react?access-token=${token}`);
      const running = s.next((e) => e.type === 'status' && e.state === 'running');
      const done = s.next((e) => e.type === 'status' && e.state === 'completed', 20_000);
      s.send({ v: 1, type: 'prompt', text: `hello from ${subject.name}` });
      const { runId } = (await running) as { runId: string };
      await done;
      runs.push({ uid: subject.uid, agentId: agent.id, runId });
      s.ws.close();
    }
    // LiteLLM logs after the response: wait for its record of each run.
    await until(
      () =>
        runs.every((r) => proxy.records().some((c) => c.requester_metadata?.run_id === r.runId)),
      20_000,
    );
    for (const run of runs) {
      const calls = proxy.records().filter((c) => c.requester_metadata?.run_id === run.runId);
      expect(calls.length).toBeGreaterThan(0);
      for (const call of calls) {
        expect(call).toMatchObject({
          status: 'success',
          end_user: String(run.uid),
          requester_metadata: { agent_id: run.agentId, run_id: run.runId },
        });
      }
    }
    // The service's own record of each user's usage matches what LiteLLM counted.
    for (const { subject, token } of users) {
      const usage = await json(await api(h, '/api/agents/usage', { token }));
      const counted = proxy
        .records()
        .filter((c) => c.end_user === String(subject.uid))
        .reduce((n, c) => n + (c.completion_tokens ?? 0), 0);
      expect(usage.total.completionTokens).toBe(counted);
    }
  });
});
