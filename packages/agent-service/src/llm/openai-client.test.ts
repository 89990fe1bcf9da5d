import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDevModelServer } from '@agentauth/dev-model-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmError } from './llm-client.js';
import { createOpenAiClient } from './openai-client.js';

const dev = createDevModelServer({ apiKey: 'sk-test-secret-key', tokenDelayMs: 5 });
let base = '';
beforeAll(async () => {
  base = `${await dev.listen(0)}/v1`;
});
afterAll(() => dev.close());

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

const tools = [
  {
    type: 'function' as const,
    function: { name: 'calculator', description: 'math', parameters: { type: 'object' } },
  },
];

describe('createOpenAiClient against the dev model server', () => {
  const llm = () => createOpenAiClient({ baseUrl: base, apiKey: 'sk-test-secret-key' });

  it('lists models', async () => {
    expect((await llm().listModels()).map((m) => m.id)).toEqual(['dev-model', 'dev-model-large']);
  });

  it('streams text deltas and assembles the turn', async () => {
    const deltas: string[] = [];
    const turn = await llm().chat(
      { model: 'dev-model', messages: [{ role: 'user', content: 'count to 4' }] },
      { onTextDelta: (d) => deltas.push(d) },
    );
    expect(deltas).toEqual(['1 ', '2 ', '3 ', '4']);
    expect(turn).toEqual({ content: '1 2 3 4', toolCalls: [], finishReason: 'stop' });
  });

  it('assembles a tool call from its streamed pieces', async () => {
    const turn = await llm().chat({
      model: 'dev-model',
      messages: [{ role: 'user', content: 'calculate 2+2' }],
      tools,
    });
    expect(turn.finishReason).toBe('tool_calls');
    expect(turn.toolCalls).toEqual([
      {
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'calculator', arguments: '{"expression":"2+2"}' },
      },
    ]);
  });

  it('aborts the HTTP request when the signal fires', async () => {
    const controller = new AbortController();
    const before = dev.stats.streamsAborted;
    const pending = llm().chat(
      { model: 'dev-model', messages: [{ role: 'user', content: 'count to 1000' }] },
      { signal: controller.signal, onTextDelta: () => controller.abort() },
    );
    await expect(pending).rejects.toThrow();
    // The dev server sees the abort after the client does: wait for it (bounded), no sleep.
    await expect.poll(() => dev.stats.streamsAborted, { timeout: 5_000 }).toBe(before + 1);
  });

  it('reports failures as LlmError without the API key', async () => {
    const wrongKey = createOpenAiClient({ baseUrl: base, apiKey: 'sk-wrong' });
    const refused = await wrongKey.listModels().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LlmError);
    expect(refused).toMatchObject({
      code: 'ERR_LLM_PROVIDER_AUTH',
      status: 401,
      message:
        'The LLM provider refused this service’s credentials; an operator must check its LLM_API_KEY.',
    });
    const unknown = await llm()
      .chat({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(unknown).toMatchObject({
      code: 'ERR_MODEL_UNKNOWN',
      message: 'The LLM provider does not serve `nope`.',
      detail: 'The model `nope` does not exist.',
    });
    const down = await createOpenAiClient({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1` })
      .listModels()
      .catch((e: unknown) => e);
    expect((down as LlmError).message).toMatch(
      /^The LLM endpoint cannot be reached \(ECONNREFUSED\)\.$/,
    );
  });
});

describe('createOpenAiClient against other providers', () => {
  let seen: { headers: Record<string, unknown>; body: Record<string, unknown> } | undefined;
  const chunk = (body: object) => `data: ${JSON.stringify(body)}\n\n`;
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const piece of req) raw += piece;
    seen = { headers: req.headers, body: raw ? JSON.parse(raw) : {} };
    if (req.url === '/litellm/chat/completions') {
      // LiteLLM: a priced call reports its cost in a header, and usage in the last chunk.
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'x-litellm-response-cost': '0.0042',
      });
      res.write(chunk({ choices: [{ delta: { content: 'hi' } }] }));
      res.write(chunk({ choices: [{ delta: {}, finish_reason: 'stop' }] }));
      res.write(chunk({ choices: [], usage: { prompt_tokens: 11, completion_tokens: 1 } }));
      res.end('data: [DONE]\n\n');
      return;
    }
    if (req.url === '/error-chunk/chat/completions') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ choices: [{ delta: { content: 'par' } }] }));
      res.end(
        chunk({
          error: { message: 'Upstream overloaded\u0007 (key sk-abcdef123456)', code: '503' },
        }),
      );
      return;
    }
    if (req.url === '/cut/chat/completions') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk({ choices: [{ delta: { content: 'partial ' } }] }), () => res.destroy());
      return;
    }
    if (req.url === '/v1/chat/completions') {
      // A proxy that ignores stream: true and answers a whole completion.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          choices: [{ message: { content: 'whole', tool_calls: null }, finish_reason: 'stop' }],
        }),
      );
      return;
    }
    // A stream that stops without finishing.
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end('data: {"choices":[{"delta":{"content":"par"}}]}\n\n');
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());

  it('accepts a non-streamed completion', async () => {
    const deltas: string[] = [];
    const turn = await createOpenAiClient({ baseUrl: `${url}/v1` }).chat(
      { model: 'm', messages: [{ role: 'user', content: 'x' }] },
      { onTextDelta: (d) => deltas.push(d) },
    );
    expect(turn).toEqual({ content: 'whole', toolCalls: [], finishReason: 'stop' });
    expect(deltas).toEqual(['whole']);
  });

  it('names the user in the body and the LiteLLM end-user header, carries metadata, asks for usage and reads its cost', async () => {
    const usage: unknown[] = [];
    const turn = await createOpenAiClient({ baseUrl: `${url}/litellm` }).chat(
      {
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        user: '7',
        metadata: { agent_id: 'a1', run_id: 'r1' },
        maxTokens: 99,
      },
      { onUsage: (u) => usage.push(u) },
    );
    expect(turn.content).toBe('hi');
    expect(seen?.headers['x-litellm-end-user-id']).toBe('7');
    expect(seen?.body).toMatchObject({
      user: '7',
      metadata: { agent_id: 'a1', run_id: 'r1' },
      max_tokens: 99,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(usage).toEqual([
      { promptTokens: 11, completionTokens: 1, costUsd: 0.0042, estimated: false },
    ]);
  });

  it('keeps the sanitised message of a mid-stream error chunk, and still reports usage', async () => {
    const usage: { estimated: boolean }[] = [];
    const deltas: string[] = [];
    const error = await createOpenAiClient({ baseUrl: `${url}/error-chunk` })
      .chat(
        { model: 'm', messages: [{ role: 'user', content: 'x' }] },
        { onTextDelta: (d) => deltas.push(d), onUsage: (u) => usage.push(u) },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).message).toBe(
      'The LLM provider reported an error mid-stream: Upstream overloaded (key [REDACTED]).',
    );
    expect(deltas).toEqual(['par']);
    expect(usage).toEqual([expect.objectContaining({ estimated: true, completionTokens: 1 })]);
  });

  it('reports a stream cut mid-way as an LlmError after the text it streamed', async () => {
    const deltas: string[] = [];
    const error = await createOpenAiClient({ baseUrl: `${url}/cut` })
      .chat(
        { model: 'm', messages: [{ role: 'user', content: 'x' }] },
        { onTextDelta: (d) => deltas.push(d) },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).code).toBe('ERR_LLM_UNAVAILABLE');
    expect(deltas).toEqual(['partial ']);
  });

  it('refuses a stream that ends before the model finished', async () => {
    const result = createOpenAiClient({ baseUrl: `${url}/other` }).chat({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    await expect(result).rejects.toThrow('The LLM stream ended before the model finished.');
  });
});
