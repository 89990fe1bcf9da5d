import {
  AgentListResponse,
  CLOSE_CODE,
  DEFAULT_SETTINGS,
  ServerEvent,
  type Step,
} from '@agentauth/agent-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let h: Harness;
let token = '';
beforeAll(async () => {
  h = await startHarness({ devDelayMs: 2, wsMaxPayload: 4096 });
  token = await tokenFor(ALICE);
});
afterAll(() => h.close());

const reactUrl = (id: string, t = token) => `${h.wsUrl}/api/agents/${id}/react?access-token=${t}`;
const isStatus = (state: string) => (e: ServerEvent) => e.type === 'status' && e.state === state;
const stepsOf = (events: ServerEvent[]) =>
  events.flatMap((e) => (e.type === 'step' ? [e.step] : []));

describe('a session', () => {
  it('starts with a snapshot of the agent, its state and its (empty) history', async () => {
    const agent = await createAgent(h, token);
    const s = await openSession(reactUrl(agent.id));
    expect(ServerEvent.parse(s.events[0])).toEqual({
      v: 1,
      type: 'snapshot',
      agent,
      status: 'idle',
      steps: [],
    });
    s.ws.close();
  });

  it('runs a prompt: streamed text, a tool call, its result, then the final answer', async () => {
    const agent = await createAgent(h, token);
    const s = await openSession(reactUrl(agent.id));
    const completed = s.next(isStatus('completed'));
    s.send({ v: 1, type: 'prompt', text: 'Please calculate (2+3)*4' });
    await completed;
    for (const e of s.events) ServerEvent.parse(e);

    const steps = stepsOf(s.events);
    const kinds = steps.map((st) => st.kind);
    expect(kinds[0]).toBe('prompt');
    expect(kinds.filter((k) => k === 'text_delta').length).toBeGreaterThan(3);
    const completedSteps = steps.filter((st): st is Step => st.kind !== 'text_delta');
    expect(completedSteps.map((st) => st.kind)).toEqual([
      'prompt',
      'model_text',
      'tool_call',
      'tool_result',
      'final_answer',
    ]);
    expect(completedSteps.map((st) => st.seq)).toEqual([0, 1, 2, 3, 4]);
    const [, thought, call, result, final] = completedSteps;
    // The deltas of a turn add up to that turn's completed text.
    const deltas = (seq: number) =>
      steps
        .flatMap((st) => (st.kind === 'text_delta' && st.seq === seq ? [st.delta] : []))
        .join('');
    expect(thought).toMatchObject({ kind: 'model_text', text: 'Let me use the calculator tool.' });
    expect(deltas(1)).toBe('Let me use the calculator tool.');
    expect(call).toMatchObject({
      kind: 'tool_call',
      tool: 'calculator',
      arguments: '{"expression":"(2+3)*4"}',
    });
    expect(result).toMatchObject({
      kind: 'tool_result',
      tool: 'calculator',
      output: '20',
      ok: true,
    });
    expect(final).toMatchObject({ kind: 'final_answer', text: 'The answer is 20.' });
    expect(deltas(4)).toBe('The answer is 20.');

    const statuses = s.events.filter((e) => e.type === 'status');
    expect(statuses.map((e) => e.type === 'status' && e.state)).toEqual(['running', 'completed']);

    // The run went over real HTTP to the dev model server, with the agent's settings.
    const sent = h.dev.requests.at(-1);
    expect(sent?.model).toBe('dev-model');
    expect(sent?.stream).toBe(true);
    expect(sent?.tools?.map((t) => t.function.name)).toEqual([
      'calculator',
      'current_time',
      'word_count',
    ]);

    // History is persisted: a new socket's snapshot carries the completed steps.
    const again = await openSession(reactUrl(agent.id));
    const snapshot = again.events[0];
    expect(snapshot?.type === 'snapshot' && snapshot.status).toBe('completed');
    expect(snapshot?.type === 'snapshot' && snapshot.steps).toEqual(completedSteps);
    s.ws.close();
    again.ws.close();
  });

  it('gives the model the earlier conversation and the system prompt', async () => {
    const agent = await createAgent(h, token, {
      name: 'memory',
      modelType: 'dev-model',
      settings: { systemPrompt: 'Be terse.', tools: [] },
    });
    const s = await openSession(reactUrl(agent.id));
    let done = s.next(isStatus('completed'));
    s.send({ v: 1, type: 'prompt', text: 'first question' });
    await done;
    done = s.next(isStatus('completed'));
    s.send({ v: 1, type: 'prompt', text: 'second question' });
    await done;
    const messages = h.dev.requests.at(-1)?.messages.map((m) => [m.role, m.content]);
    expect(messages).toEqual([
      ['system', 'Be terse.'],
      ['user', 'first question'],
      ['assistant', 'You said: "first question". I am the deterministic development model.'],
      ['user', 'second question'],
    ]);
    expect(h.dev.requests.at(-1)?.tools).toBeUndefined();
    s.ws.close();
  });

  it('stops a run mid-stream with a stop frame: the LLM request is aborted', async () => {
    const slow = await startHarness({ devDelayMs: 20 });
    try {
      const agent = await createAgent(slow, token);
      const s = await openSession(
        `${slow.wsUrl}/api/agents/${agent.id}/react?access-token=${token}`,
      );
      const firstDelta = s.next((e) => e.type === 'step' && e.step.kind === 'text_delta');
      const stopped = s.next(isStatus('stopped'));
      s.send({ v: 1, type: 'prompt', text: 'count to 500' });
      await firstDelta;
      s.send({ v: 1, type: 'stop' });
      await stopped;
      await until(() => slow.dev.stats.streamsAborted === 1);
      expect(slow.dev.stats.streamsCompleted).toBe(0);
      // The partial text the user saw is kept as a model_text step.
      const partial = stepsOf(s.events).find((st) => st.kind === 'model_text');
      expect(partial).toMatchObject({ kind: 'model_text', text: expect.stringMatching(/^1\b/) });
      expect(stepsOf(s.events).some((st) => st.kind === 'final_answer')).toBe(false);

      // The agent is free again.
      const completed = s.next(isStatus('completed'));
      s.send({ v: 1, type: 'prompt', text: 'count to 3' });
      await completed;
      s.ws.close();
    } finally {
      await slow.close();
    }
  });

  it('keeps the text streamed before the model failed mid-stream, in the events and the history', async () => {
    const agent = await createAgent(h, token);
    const url = `${h.wsUrl}/api/agents/${agent.id}/react?access-token=${token}`;
    const s = await openSession(url);
    const failed = s.next(isStatus('error'));
    s.send({ v: 1, type: 'prompt', text: 'count to 20 #cut' });
    await failed;
    const steps = stepsOf(s.events).filter((st) => st.kind !== 'text_delta');
    const kinds = steps.map((st) => st.kind);
    expect(kinds).toEqual(['prompt', 'model_text', 'error']);
    expect(steps[1]).toMatchObject({ text: '1 2 3 4 5 6 7 8 9 10 ' });
    s.ws.close();
    // A new socket (a reload) gets the same partial answer from the saved history.
    const again = await openSession(url);
    const snapshot = again.events[0];
    expect(snapshot?.type === 'snapshot' && snapshot.steps).toEqual(steps);
    again.ws.close();
  });

  it('stops a run through POST /api/agents/:id/stop, and refuses a second prompt while running', async () => {
    const slow = await startHarness({ devDelayMs: 20 });
    try {
      const agent = await createAgent(slow, token);
      const s = await openSession(
        `${slow.wsUrl}/api/agents/${agent.id}/react?access-token=${token}`,
      );
      const running = s.next(isStatus('running'));
      s.send({ v: 1, type: 'prompt', text: 'count to 500' });
      await running;
      // The list marks the running agent (the sidebar's marker).
      const listed = AgentListResponse.parse(await json(await api(slow, '/api/agents', { token })));
      expect(listed.agents.find((a) => a.id === agent.id)?.running).toBe(true);
      const busy = s.next((e) => e.type === 'error');
      s.send({ v: 1, type: 'prompt', text: 'and another' });
      expect(await busy).toMatchObject({ code: 'ERR_RUN_IN_PROGRESS' });

      const stopped = s.next(isStatus('stopped'));
      const res = await api(slow, `/api/agents/${agent.id}/stop`, { method: 'POST', token });
      expect(await json(res)).toEqual({ stopped: true });
      await stopped;
      await until(() => slow.dev.stats.streamsAborted === 1);
      expect(slow.dev.stats.requests).toBe(1);
      const after = AgentListResponse.parse(await json(await api(slow, '/api/agents', { token })));
      expect(after.agents.find((a) => a.id === agent.id)?.running).toBe(false);
      s.ws.close();
    } finally {
      await slow.close();
    }
  });

  it('sends every event of an agent to all of its sockets', async () => {
    const agent = await createAgent(h, token);
    const bob = await tokenFor(BOB);
    const a = await openSession(reactUrl(agent.id));
    const b = await openSession(reactUrl(agent.id, bob));
    const done = b.next(isStatus('completed'));
    a.send({ v: 1, type: 'prompt', text: 'hello' });
    await done;
    expect(stepsOf(b.events).some((st) => st.kind === 'final_answer')).toBe(true);
    a.ws.close();
    b.ws.close();
  });

  it('ends with an error event and an error status when max steps run out', async () => {
    const agent = await createAgent(h, token, {
      name: 'loop',
      modelType: 'dev-model',
      settings: { maxSteps: 2 },
    });
    const s = await openSession(reactUrl(agent.id));
    const error = s.next((e) => e.type === 'error');
    const status = s.next(isStatus('error'));
    s.send({ v: 1, type: 'prompt', text: '#loop' });
    expect(await error).toMatchObject({ code: 'ERR_MAX_STEPS' });
    await status;
    expect(stepsOf(s.events).filter((st) => st.kind === 'tool_call')).toHaveLength(2);
    s.ws.close();
  });

  it('reports an LLM failure as an error event, then an error status', async () => {
    const agent = await createAgent(h, token);
    const s = await openSession(reactUrl(agent.id));
    const error = s.next((e) => e.type === 'error');
    const status = s.next(isStatus('error'));
    s.send({ v: 1, type: 'prompt', text: '#fail' });
    expect(await error).toMatchObject({ code: 'ERR_LLM_UNAVAILABLE' });
    await status;
    // An agent whose model the provider no longer lists (created before, or stored by hand).
    const unknownModel = await h.store.createAgent({
      name: 'x',
      modelType: 'gpt-nothing',
      ownerUid: 7,
      settings: DEFAULT_SETTINGS,
    });
    const u = await openSession(reactUrl(unknownModel.id));
    const e2 = u.next((e) => e.type === 'error');
    const before = h.dev.stats.requests;
    u.send({ v: 1, type: 'prompt', text: 'hi' });
    expect(await e2).toMatchObject({
      code: 'ERR_MODEL_UNKNOWN',
      message:
        'The model `gpt-nothing` is not available here; use one of: dev-model, dev-model-large.',
    });
    expect(h.dev.stats.requests).toBe(before);
    s.ws.close();
    u.ws.close();
  });
});

describe('frames the service refuses', () => {
  it.each([
    ['not JSON', 'hello', 'ERR_BAD_FRAME'],
    ['a JSON array', '[1]', 'ERR_BAD_FRAME'],
    ['a JSON string', '"prompt"', 'ERR_BAD_FRAME'],
    ['another version', { v: 2, type: 'prompt', text: 'x' }, 'ERR_UNSUPPORTED_VERSION'],
    ['no version', { type: 'stop' }, 'ERR_UNSUPPORTED_VERSION'],
    ['an unknown type', { v: 1, type: 'dance' }, 'ERR_BAD_FRAME'],
    ['a prompt without text', { v: 1, type: 'prompt' }, 'ERR_BAD_FRAME'],
    ['an empty prompt', { v: 1, type: 'prompt', text: '   ' }, 'ERR_BAD_FRAME'],
    ['an extra field', { v: 1, type: 'stop', force: true }, 'ERR_BAD_FRAME'],
  ])('answers %s with an error event and keeps the socket open', async (_, frame, code) => {
    const agent = await createAgent(h, token);
    const s = await openSession(reactUrl(agent.id));
    const error = s.next((e) => e.type === 'error');
    s.send(frame);
    const event = await error;
    expect(event).toMatchObject({
      v: 1,
      type: 'error',
      code,
      message: expect.stringMatching(/\.$/),
    });
    // Still usable.
    const done = s.next(isStatus('completed'));
    s.send({ v: 1, type: 'prompt', text: 'hi' });
    await done;
    s.ws.close();
  });

  it('closes the socket with 1009 on a frame over WS_MAX_PAYLOAD', async () => {
    const agent = await createAgent(h, token);
    const s = await openSession(reactUrl(agent.id));
    s.send({ v: 1, type: 'prompt', text: 'x'.repeat(5000) });
    expect((await s.closed).code).toBe(CLOSE_CODE.tooLarge);
    expect(h.dev.requests.some((r) => JSON.stringify(r).includes('x'.repeat(5000)))).toBe(false);
  });

  it('closes the socket with 1008 on a binary frame', async () => {
    const agent = await createAgent(h, token);
    const s = await openSession(reactUrl(agent.id));
    s.ws.send(Buffer.from('{"v":1,"type":"stop"}'), { binary: true });
    expect((await s.closed).code).toBe(CLOSE_CODE.policy);
  });
});

describe('session lifetime', () => {
  it('closes an open socket with 4401 when its token expires', async () => {
    const agent = await createAgent(h, token);
    const short = await tokenFor(ALICE, 3);
    const s = await openSession(reactUrl(agent.id, short));
    const error = s.next((e) => e.type === 'error', 8000);
    const closed = await s.closed;
    expect(closed.code).toBe(CLOSE_CODE.tokenExpired);
    expect(await error).toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
  }, 10_000);

  it('re-checks the token on every prompt: an expired session runs nothing and is closed with 4401', async () => {
    const agent = await createAgent(h, token);
    const s = await openSession(reactUrl(agent.id));
    const before = h.dev.stats.requests;
    h.advance(2 * 3600 * 1000);
    try {
      const error = s.next((e) => e.type === 'error');
      s.send({ v: 1, type: 'prompt', text: 'spend money' });
      expect(await error).toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
      expect((await s.closed).code).toBe(CLOSE_CODE.tokenExpired);
      expect(h.dev.stats.requests).toBe(before);
      expect(stepsOf(s.events)).toEqual([]);
    } finally {
      h.advance(-2 * 3600 * 1000);
    }
  });

  it('stops a run when the token that started it expires', async () => {
    const slow = await startHarness({ devDelayMs: 20 });
    try {
      const agent = await createAgent(slow, token);
      const short = await tokenFor(ALICE, 2);
      const s = await openSession(
        `${slow.wsUrl}/api/agents/${agent.id}/react?access-token=${short}`,
      );
      const running = s.next(isStatus('running'));
      s.send({ v: 1, type: 'prompt', text: 'count to 1000' });
      await running;
      expect((await s.closed).code).toBe(CLOSE_CODE.tokenExpired);
      await until(() => slow.dev.stats.streamsAborted === 1);
      expect(slow.dev.stats.streamsCompleted).toBe(0);
      const fresh = await openSession(
        `${slow.wsUrl}/api/agents/${agent.id}/react?access-token=${token}`,
      );
      const snapshot = fresh.events[0];
      expect(snapshot?.type === 'snapshot' && snapshot.status).toBe('stopped');
      fresh.ws.close();
    } finally {
      await slow.close();
    }
  }, 10_000);

  it('closes sockets with 4404 when their agent is deleted', async () => {
    const agent = await createAgent(h, token);
    const s = await openSession(reactUrl(agent.id));
    await api(h, `/api/agents/${agent.id}`, { method: 'DELETE', token });
    expect((await s.closed).code).toBe(CLOSE_CODE.agentDeleted);
  });

  it('closes sockets with 1001 on shutdown', async () => {
    const other = await startHarness();
    const agent = await createAgent(other, token);
    const s = await openSession(
      `${other.wsUrl}/api/agents/${agent.id}/react?access-token=${token}`,
    );
    await other.close();
    expect((await s.closed).code).toBe(CLOSE_CODE.goingAway);
  });

  it('never logs a token', () => {
    expect(h.logs.join('')).not.toContain(token);
  });
});
