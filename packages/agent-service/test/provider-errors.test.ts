import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerEvent, Step } from '@agentauth/agent-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALICE,
  createAgent,
  type Harness,
  openSession,
  startHarness,
  tokenFor,
  until,
} from './harness.js';

/** What the stand-in provider does with the next chat call. */
type Mode = 'cut' | 'rate-limited' | 'auth' | 'internal';
let mode: Mode = 'cut';
const chunk = (body: object) => `data: ${JSON.stringify(body)}\n\n`;

// A provider that fails the ways real ones do (the dev model server answers only deterministic
// successes and a plain 500).
const provider: Server = createServer((req, res) => {
  if (req.url === '/v1/models') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: [{ id: 'dev-model' }] }));
    return;
  }
  req.resume();
  const fail = (status: number, message: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify({ error: { message, type: 'x', code: String(status) } }));
  };
  if (mode === 'rate-limited')
    return fail(429, 'litellm.RateLimitError: rpm', { 'retry-after': '9' });
  if (mode === 'auth') return fail(401, 'Invalid proxy server token passed. sk-operator-key-1');
  if (mode === 'internal') {
    return fail(
      500,
      'litellm.InternalServerError: model group dev-model No fallback was attempted',
    );
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write(chunk({ choices: [{ delta: { content: 'The answer ' } }] }));
  res.write(chunk({ choices: [{ delta: { content: 'is ' } }] }), () => res.destroy());
});

let h: Harness;
let alice = '';
beforeAll(async () => {
  await new Promise<void>((r) => provider.listen(0, '127.0.0.1', r));
  const { port } = provider.address() as AddressInfo;
  h = await startHarness({ llmBaseUrl: `http://127.0.0.1:${port}/v1` });
  alice = await tokenFor(ALICE);
});
afterAll(async () => {
  await h.close();
  provider.closeAllConnections();
  await new Promise((r) => provider.close(r));
});

async function runOnce(text: string) {
  const agent = await createAgent(h, alice);
  const s = await openSession(`${h.wsUrl}/api/agents/${agent.id}/react?access-token=${alice}`);
  const error = s.next((e) => e.type === 'error');
  const status = s.next((e) => e.type === 'status' && e.state !== 'running');
  s.send({ v: 1, type: 'prompt', text });
  const result = { agent, error: await error, status: await status };
  s.ws.close();
  return result;
}

describe('provider failures, as the user sees them', () => {
  it('keeps the text of a stream that failed mid-way, then records the error (history and events)', async () => {
    mode = 'cut';
    const { agent, error, status } = await runOnce('question');
    expect(error).toMatchObject({ code: 'ERR_LLM_UNAVAILABLE' });
    expect(status).toMatchObject({ state: 'error' });
    await until(async () => (await h.service.runs.status(agent.id)).state === 'error');
    const s = await openSession(`${h.wsUrl}/api/agents/${agent.id}/react?access-token=${alice}`);
    const snapshot = s.events[0] as Extract<ServerEvent, { type: 'snapshot' }>;
    expect(snapshot.steps.map((st: Step) => st.kind)).toEqual(['prompt', 'model_text', 'error']);
    expect(snapshot.steps[1]).toMatchObject({ kind: 'model_text', text: 'The answer is ' });
    s.ws.close();
  });

  it("passes the provider's rate limit on with its retry time, and counts it", async () => {
    mode = 'rate-limited';
    const { error } = await runOnce('question');
    expect(error).toMatchObject({ code: 'ERR_RATE_LIMITED', retryAfterMs: 9000 });
    expect((error as { message: string }).message).not.toMatch(/litellm/i);
    const metrics = await h.service.metrics.registry.metrics();
    expect(metrics).toMatch(
      /agent_service_limit_refusals_total\{code="ERR_RATE_LIMITED",limit="provider"\} 1/,
    );
  });

  it('turns a provider 401 into the operator code without the provider’s words', async () => {
    mode = 'auth';
    const { error } = await runOnce('question');
    expect(error).toMatchObject({ code: 'ERR_LLM_PROVIDER_AUTH' });
    expect(JSON.stringify(error)).not.toMatch(/sk-operator|proxy server token/);
  });

  it('keeps provider internals out of the message of a 500', async () => {
    mode = 'internal';
    const { error } = await runOnce('question');
    expect(error).toMatchObject({
      code: 'ERR_LLM_UNAVAILABLE',
      message: 'The LLM provider failed (500); try again later.',
    });
    expect(h.logs.join('')).toContain('No fallback was attempted');
  });
});
