import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevModelServer } from '../src/server.js';
import { json, readSse } from './sse.js';

const dev = createDevModelServer();
let base = '';
beforeAll(async () => {
  base = await dev.listen(0);
});
afterAll(() => dev.close());

const chat = (body: object, headers: Record<string, string> = {}) =>
  fetch(`${base}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

const tools = ['calculator', 'current_time', 'word_count'].map((name) => ({
  type: 'function',
  function: { name, parameters: { type: 'object' } },
}));

describe('dev model server over HTTP', () => {
  it('answers the health check and lists its models', async () => {
    expect(await json(await fetch(`${base}/api/healthcheck`))).toEqual({ status: 'ok' });
    const models = await json(await fetch(`${base}/v1/models`));
    expect(models.object).toBe('list');
    expect(models.data.map((m: { id: string }) => m.id)).toContain('dev-model');
  });

  it('serves the same API without the /v1 prefix', async () => {
    const models = await json(await fetch(`${base}/models`));
    expect(models.data[0].id).toBe('dev-model');
  });

  it('answers a plain prompt deterministically without streaming', async () => {
    const body = { model: 'dev-model', messages: [{ role: 'user', content: 'hello there' }] };
    const first = await json(await chat(body));
    const second = await json(await chat(body));
    expect(first.object).toBe('chat.completion');
    expect(first.choices[0].message.content).toBe(
      'You said: "hello there". I am the deterministic development model.',
    );
    expect(second.choices[0].message.content).toBe(first.choices[0].message.content);
    expect(first.choices[0].finish_reason).toBe('stop');
    expect(first.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('streams real SSE chunks with deltas and ends with [DONE]', async () => {
    const res = await chat({
      model: 'dev-model',
      stream: true,
      messages: [{ role: 'user', content: 'count to 5' }],
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const data = await readSse(res);
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    const text = chunks.map((c) => c.choices[0].delta.content ?? '').join('');
    expect(text).toBe('1 2 3 4 5');
    expect(chunks.filter((c) => c.choices[0].delta.content).length).toBe(5);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
  });

  it('under #cut streams half of the answer, then drops the connection without [DONE]', async () => {
    const res = await chat({
      model: 'dev-model',
      stream: true,
      messages: [{ role: 'user', content: 'count to 10 #cut' }],
    });
    const reader = res.body?.getReader();
    const decoder = new TextDecoder();
    let received = '';
    let failed = false;
    try {
      for (;;) {
        const { done, value } = (await reader?.read()) ?? { done: true, value: undefined };
        if (done) break;
        received += decoder.decode(value, { stream: true });
      }
    } catch {
      failed = true;
    }
    expect(failed).toBe(true);
    expect(received).not.toContain('[DONE]');
    const text = received
      .split('\n\n')
      .filter((block) => block.startsWith('data: '))
      .map((block) => JSON.parse(block.slice(6)).choices[0].delta.content ?? '')
      .join('');
    expect(text).toBe('1 2 3 4 5 ');
  });

  it('ends the stream with a usage chunk only when stream_options.include_usage asks', async () => {
    const messages = [{ role: 'user', content: 'count to 3' }];
    const asked = await readSse(
      await chat({
        model: 'dev-model',
        stream: true,
        stream_options: { include_usage: true },
        messages,
      }),
    );
    const last = JSON.parse(asked.at(-2) ?? '{}');
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual({ prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 });
    const plain = await readSse(await chat({ model: 'dev-model', stream: true, messages }));
    expect(plain.slice(0, -1).some((d) => 'usage' in JSON.parse(d))).toBe(false);
  });

  it('streams a tool call when asked to calculate, then answers from the tool result', async () => {
    const messages: object[] = [{ role: 'user', content: 'Please calculate (2+3)*4' }];
    const data = await readSse(await chat({ model: 'dev-model', stream: true, tools, messages }));
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    const calls = chunks.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({
      index: 0,
      type: 'function',
      function: { name: 'calculator' },
    });
    const args = calls
      .map((c: { function: { arguments: string } }) => c.function.arguments)
      .join('');
    expect(JSON.parse(args)).toEqual({ expression: '(2+3)*4' });
    expect(chunks.at(-1).choices[0].finish_reason).toBe('tool_calls');

    messages.push(
      {
        role: 'assistant',
        content: 'Let me use the calculator tool.',
        tool_calls: [
          { id: calls[0].id, type: 'function', function: { name: 'calculator', arguments: args } },
        ],
      },
      { role: 'tool', tool_call_id: calls[0].id, content: '20' },
    );
    const final = await json(await chat({ model: 'dev-model', tools, messages }));
    expect(final.choices[0].message.content).toBe('The answer is 20.');
    expect(final.choices[0].message.tool_calls).toBeUndefined();
  });

  it('plans several tool calls in order and never calls a tool it was not offered', async () => {
    const prompt = 'What is 2+2, what time is it, and count words: "a b c"';
    const first = await json(
      await chat({ model: 'dev-model', tools, messages: [{ role: 'user', content: prompt }] }),
    );
    expect(first.choices[0].message.tool_calls[0].function.name).toBe('calculator');
    const none = await json(
      await chat({ model: 'dev-model', messages: [{ role: 'user', content: prompt }] }),
    );
    expect(none.choices[0].message.tool_calls).toBeUndefined();
  });

  it('answers OpenAI-style errors for unknown models, bad JSON and bad requests', async () => {
    const unknown = await chat({ model: 'gpt-9', messages: [{ role: 'user', content: 'x' }] });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe('model_not_found');
    const badJson = await fetch(`${base}/v1/chat/completions`, { method: 'POST', body: '{' });
    expect(badJson.status).toBe(400);
    const noMessages = await chat({ model: 'dev-model', messages: [] });
    expect(noMessages.status).toBe(400);
    const fail = await chat({ model: 'dev-model', messages: [{ role: 'user', content: '#fail' }] });
    expect(fail.status).toBe(500);
  });
});

describe('dev model server with an API key and a token delay', () => {
  const keyed = createDevModelServer({ apiKey: 'llm-key-123', tokenDelayMs: 20 });
  let url = '';
  beforeAll(async () => {
    url = await keyed.listen(0);
  });
  afterAll(() => keyed.close());

  it('refuses /v1 requests without the key and accepts them with it', async () => {
    expect((await fetch(`${url}/v1/models`)).status).toBe(401);
    const wrong = await fetch(`${url}/v1/models`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).error.code).toBe('invalid_api_key');
    const ok = await fetch(`${url}/v1/models`, {
      headers: { authorization: 'Bearer llm-key-123' },
    });
    expect(ok.status).toBe(200);
    expect((await fetch(`${url}/api/healthcheck`)).status).toBe(200);
  });

  it('stops streaming when the client aborts mid-stream', async () => {
    const controller = new AbortController();
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: 'Bearer llm-key-123', 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'dev-model',
        stream: true,
        messages: [{ role: 'user', content: 'count to 1000' }],
      }),
    });
    const reader = res.body?.getReader();
    await reader?.read();
    await reader?.read();
    controller.abort();
    // Wait for the server to notice (bounded), rather than sleeping and hoping it has.
    await expect.poll(() => keyed.stats.streamsAborted, { timeout: 5_000 }).toBe(1);
    expect(keyed.stats.streamsCompleted).toBe(0);
  });
});
