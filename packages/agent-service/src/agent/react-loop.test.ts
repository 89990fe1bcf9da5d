import { type Agent, DEFAULT_SETTINGS, type Step, type TextDelta } from '@agentauth/agent-api';
import { describe, expect, it } from 'vitest';
import type { ChatRequest, ChatTurn, LlmClient } from '../llm/llm-client.js';
import { LlmError } from '../llm/llm-client.js';
import { runReact } from './react-loop.js';

const agent: Agent = {
  id: crypto.randomUUID(),
  name: 'a',
  modelType: 'scripted',
  ownerUid: 1,
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
  settings: { ...DEFAULT_SETTINGS, tools: ['calculator', 'word_count'] },
};

/** An LLM that plays back scripted turns, streaming their text word by word. */
function scripted(turns: (ChatTurn | Error)[]) {
  const requests: ChatRequest[] = [];
  const llm: LlmClient = {
    listModels: async () => [],
    async chat(request, options = {}) {
      requests.push(structuredClone(request));
      const turn = turns.shift();
      if (!turn) throw new Error('script exhausted');
      if (turn instanceof Error) throw turn;
      for (const word of turn.content.match(/\S+\s*/g) ?? []) options.onTextDelta?.(word);
      return turn;
    },
  };
  return { llm, requests };
}

function run(
  llm: LlmClient,
  overrides: Partial<Agent['settings']> = {},
  signal = new AbortController().signal,
) {
  const steps: Step[] = [];
  const deltas: TextDelta[] = [];
  const outcome = runReact({
    agent: { ...agent, settings: { ...agent.settings, ...overrides } },
    runId: 'run-1',
    prompt: 'q',
    history: [
      { role: 'user', content: 'earlier' },
      { role: 'assistant', content: 'answer' },
    ],
    llm,
    signal,
    clock: () => 0,
    onDelta: (d) => deltas.push(d),
    onStep: (s) => steps.push(s),
  });
  return { outcome, steps, deltas };
}

const call = (id: string, name: string, args: string) => ({
  id,
  type: 'function' as const,
  function: { name, arguments: args },
});

describe('runReact', () => {
  it('reasons, runs several tool calls of one turn, feeds the results back, then answers', async () => {
    const { llm, requests } = scripted([
      {
        content: 'Two tools.',
        toolCalls: [
          call('c1', 'calculator', '{"expression":"2*21"}'),
          call('c2', 'word_count', '{"text":"a b"}'),
        ],
        finishReason: 'tool_calls',
      },
      { content: '42 and 2.', toolCalls: [], finishReason: 'stop' },
    ]);
    const { outcome, steps, deltas } = run(llm);
    expect(await outcome).toEqual({ state: 'completed' });
    expect(steps.map((s) => [s.seq, s.kind])).toEqual([
      [0, 'prompt'],
      [1, 'model_text'],
      [2, 'tool_call'],
      [3, 'tool_result'],
      [4, 'tool_call'],
      [5, 'tool_result'],
      [6, 'final_answer'],
    ]);
    expect(steps[3]).toMatchObject({ output: '42', ok: true });
    expect(steps[5]).toMatchObject({ output: '2', ok: true });
    expect(
      deltas
        .filter((d) => d.seq === 6)
        .map((d) => d.delta)
        .join(''),
    ).toBe('42 and 2.');
    expect(requests[0]?.messages).toEqual([
      { role: 'system', content: DEFAULT_SETTINGS.systemPrompt },
      { role: 'user', content: 'earlier' },
      { role: 'assistant', content: 'answer' },
      { role: 'user', content: 'q' },
    ]);
    expect(requests[0]?.temperature).toBe(DEFAULT_SETTINGS.temperature);
    expect(requests[0]?.tools?.map((t) => t.function.name)).toEqual(['calculator', 'word_count']);
    expect(requests[1]?.messages.slice(-3)).toEqual([
      {
        role: 'assistant',
        content: 'Two tools.',
        tool_calls: [
          call('c1', 'calculator', '{"expression":"2*21"}'),
          call('c2', 'word_count', '{"text":"a b"}'),
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '42' },
      { role: 'tool', tool_call_id: 'c2', content: '2' },
    ]);
  });

  it('tells the model about a tool it may not use, instead of running it', async () => {
    const { llm, requests } = scripted([
      { content: '', toolCalls: [call('c1', 'current_time', '{}')], finishReason: 'tool_calls' },
      { content: 'ok', toolCalls: [], finishReason: 'stop' },
    ]);
    const { outcome, steps } = run(llm);
    await outcome;
    expect(steps.find((s) => s.kind === 'tool_result')).toMatchObject({
      ok: false,
      output: 'Unknown tool "current_time".',
    });
    expect(requests[1]?.messages.at(-2)).toMatchObject({ role: 'assistant', content: null });
  });

  it('stops after maxSteps model turns with ERR_MAX_STEPS', async () => {
    const loop = {
      content: '',
      toolCalls: [call('c', 'calculator', '{"expression":"1"}')],
      finishReason: 'tool_calls',
    };
    const { llm, requests } = scripted([loop, loop, loop, loop]);
    const { outcome, steps } = run(llm, { maxSteps: 3 });
    expect(await outcome).toMatchObject({ state: 'error', code: 'ERR_MAX_STEPS' });
    expect(requests).toHaveLength(3);
    expect(steps.at(-1)).toMatchObject({ kind: 'error', code: 'ERR_MAX_STEPS' });
  });

  it('turns an LLM failure into an error step and outcome', async () => {
    const { llm } = scripted([new LlmError('The LLM endpoint answered 500.', 500)]);
    const { outcome, steps } = run(llm);
    expect(await outcome).toEqual({
      state: 'error',
      code: 'ERR_LLM_UNAVAILABLE',
      message: 'The LLM endpoint answered 500.',
    });
    expect(steps.map((s) => s.kind)).toEqual(['prompt', 'error']);
  });

  it('keeps the text a model streamed before it failed, then records the error', async () => {
    const llm: LlmClient = {
      listModels: async () => [],
      async chat(_request, options = {}) {
        options.onTextDelta?.('1 2 ');
        options.onTextDelta?.('3 ');
        throw new LlmError('The LLM endpoint closed the stream early.', 502);
      },
    };
    const { outcome, steps, deltas } = run(llm);
    expect(await outcome).toMatchObject({ state: 'error', code: 'ERR_LLM_UNAVAILABLE' });
    expect(deltas.map((d) => d.delta).join('')).toBe('1 2 3 ');
    expect(steps.map((s) => [s.seq, s.kind])).toEqual([
      [0, 'prompt'],
      [1, 'model_text'],
      [2, 'error'],
    ]);
    expect(steps[1]).toMatchObject({ kind: 'model_text', text: '1 2 3 ' });
  });

  it('ends as stopped when the signal is already aborted, after recording the prompt', async () => {
    const controller = new AbortController();
    controller.abort();
    const { llm, requests } = scripted([]);
    const { outcome, steps } = run(llm, {}, controller.signal);
    expect(await outcome).toEqual({ state: 'stopped' });
    expect(requests).toHaveLength(0);
    expect(steps.map((s) => s.kind)).toEqual(['prompt']);
  });

  it('omits an empty system prompt', async () => {
    const { llm, requests } = scripted([{ content: 'x', toolCalls: [], finishReason: 'stop' }]);
    await run(llm, { systemPrompt: '  ' }).outcome;
    expect(requests[0]?.messages[0]).toEqual({ role: 'user', content: 'earlier' });
  });
});
