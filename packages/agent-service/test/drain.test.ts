import { CLOSE_CODE, type ServerEvent } from '@agentauth/agent-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent, type Harness, openSession, startHarness, tokenFor } from './harness.js';

// SIGTERM in a rolling update: main calls service.drain(AGENT_RUN_GRACE_MS).
const isStatus = (state: string) => (e: ServerEvent) => e.type === 'status' && e.state === state;
let h: Harness;
afterEach(() => h.close());

describe('drain (rolling-update shutdown)', () => {
  it('lets a running run finish within the grace period, refuses new work, then closes every socket with 1012', async () => {
    h = await startHarness({ devDelayMs: 10 });
    const token = await tokenFor();
    const busy = await createAgent(h, token);
    const idle = await createAgent(h, token);
    const url = (id: string) => `${h.wsUrl}/api/agents/${id}/react?access-token=${token}`;
    const watching = await openSession(url(busy.id));
    const other = await openSession(url(idle.id));
    const running = watching.next(isStatus('running'));
    watching.send({ v: 1, type: 'prompt', text: 'count to 40' });
    await running;

    const drained = h.service.drain(30_000);
    // A socket with nothing running here moves at once; new connections go elsewhere.
    expect((await other.closed).code).toBe(CLOSE_CODE.serviceRestart);
    await expect(fetch(`${h.url}/api/healthcheck`)).rejects.toThrow();
    const refused = watching.next((e) => e.type === 'error');
    watching.send({ v: 1, type: 'prompt', text: 'count to 3' });
    // The running prompt still holds the agent, so this is refused either way; a draining
    // replica says it is restarting.
    expect(await refused).toMatchObject({ code: 'ERR_SERVICE_RESTARTING' });

    const completed = watching.next(isStatus('completed'), 10_000);
    expect(await drained).toEqual({ finished: 1, interrupted: 0, drained: true });
    await completed;
    expect((await watching.closed).code).toBe(CLOSE_CODE.serviceRestart);
    const steps = await h.store.listSteps(busy.id, 100);
    expect(steps.at(-1)).toMatchObject({ kind: 'final_answer' });
  });

  it('records a run still going when the grace period ends as interrupted, keeping its partial text', async () => {
    h = await startHarness({ devDelayMs: 10 });
    const token = await tokenFor();
    const agent = await createAgent(h, token);
    const s = await openSession(`${h.wsUrl}/api/agents/${agent.id}/react?access-token=${token}`);
    const running = s.next(isStatus('running'));
    s.send({ v: 1, type: 'prompt', text: 'count to 1000' });
    const started = await running;
    await s.next(
      (e) => e.type === 'step' && e.step.kind === 'text_delta' && e.step.delta.includes('3'),
    );
    const error = s.next((e) => e.type === 'error');
    expect(await h.service.drain(0)).toEqual({ finished: 0, interrupted: 1, drained: true });
    expect(await error).toMatchObject({ code: 'ERR_RUN_INTERRUPTED' });
    expect((await s.closed).code).toBe(CLOSE_CODE.serviceRestart);
    const runId = started.type === 'status' ? started.runId : undefined;
    const steps = (await h.store.listSteps(agent.id, 100)).filter((st) => st.runId === runId);
    expect(steps.map((st) => st.kind)).toEqual(['prompt', 'model_text', 'error']);
    expect(steps[1]?.kind === 'model_text' && steps[1].text).toMatch(/^1 2 3/);
    expect(steps[2]).toMatchObject({ code: 'ERR_RUN_INTERRUPTED', seq: 2 });
  });
});
