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
    expect((refused as LlmError).message).toBe('The LLM endpoint answered 401.');
    const unknown = await llm()
      .chat({ model: 'nope', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect((unknown as LlmError).message).toBe(
      'The LLM endpoint answered 404: The model `nope` does not exist.',
    );
    const down = await createOpenAiClient({ baseUrl: `http://127.0.0.1:${await closedPort()}/v1` })
      .listModels()
      .catch((e: unknown) => e);
    expect((down as LlmError).message).toMatch(
      /^The LLM endpoint cannot be reached \(ECONNREFUSED\)\.$/,
    );
  });
});

describe('createOpenAiClient against other providers', () => {
  const server = createServer((req, res) => {
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

  it('refuses a stream that ends before the model finished', async () => {
    const result = createOpenAiClient({ baseUrl: `${url}/other` }).chat({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    await expect(result).rejects.toThrow('The LLM stream ended before the model finished.');
  });
});
