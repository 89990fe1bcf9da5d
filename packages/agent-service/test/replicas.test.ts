import { CLOSE_CODE, type ServerEvent } from '@agentauth/agent-api';
import { createDevModelServer, type DevModelServer } from '@agentauth/dev-model-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgres } from '../src/testing/postgres-server.js';
import {
  api,
  createAgent,
  type Harness,
  handshake,
  json,
  openSession,
  type Session,
  startHarness,
  tokenFor,
  until,
} from './harness.js';

// Two replicas (two services, each with its own pool, listener and run manager) on one real
// PostgreSQL database: what one replica does must be seen and obeyed by the other.
let server: PostgresServer;
let dev: DevModelServer;
let token: string;
beforeAll(async () => {
  server = await startPostgres();
  dev = createDevModelServer({ tokenDelayMs: 15 });
  await dev.listen(0);
  token = await tokenFor();
}, 60_000);
afterAll(async () => {
  await dev.close();
  await server.stop();
});

const opened: Harness[] = [];
const sockets: Session[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.ws.close();
  await Promise.all(opened.splice(0).map((h) => h.close()));
});

async function replicas(leaseMs = 15_000): Promise<[Harness, Harness]> {
  const databaseUrl = await server.createDatabase();
  const a = await startHarness({ dev, databaseUrl, leaseMs, replicaId: 'replica-a' });
  const b = await startHarness({ dev, databaseUrl, leaseMs, replicaId: 'replica-b' });
  opened.push(a, b);
  return [a, b];
}
const session = async (h: Harness, agentId: string) => {
  const s = await openSession(`${h.wsUrl}/api/agents/${agentId}/react?access-token=${token}`);
  sockets.push(s);
  return s;
};
const isStatus = (state: string) => (e: ServerEvent) => e.type === 'status' && e.state === state;
const textOf = (events: ServerEvent[], runId: string) =>
  events
    .flatMap((e) =>
      e.type === 'step' && e.step.kind === 'text_delta' && e.step.runId === runId
        ? [e.step.delta]
        : [],
    )
    .join('');

describe('two replicas on one PostgreSQL database', { timeout: 20_000 }, () => {
  it('streams a run started through one replica to a socket held by the other', async () => {
    const [a, b] = await replicas();
    const agent = await createAgent(a, token);
    const onA = await session(a, agent.id);
    const onB = await session(b, agent.id);
    const doneOnB = onB.next(isStatus('completed'), 10_000);
    const doneOnA = onA.next(isStatus('completed'), 10_000);
    onA.send({ v: 1, type: 'prompt', text: 'count to 12' });
    const done = await doneOnB;
    const runId = done.type === 'status' ? (done.runId ?? '') : '';
    await doneOnA;
    expect(
      onB.events.some((e) => e.type === 'status' && e.state === 'running' && e.runId === runId),
    ).toBe(true);
    const finalOn = (s: Session) =>
      s.events.flatMap((e) =>
        e.type === 'step' && e.step.kind === 'final_answer' ? [e.step.text] : [],
      );
    expect(finalOn(onB)).toEqual(finalOn(onA));
    expect(finalOn(onB)[0]).toContain('1 2 3 4 5 6 7 8 9 10 11 12');
    // B relays deltas read from the run row: in order, never twice — a prefix of what A streamed
    // (the completed step, not a last delta, brings the final words).
    expect(textOf(onB.events, runId).length).toBeGreaterThan(0);
    expect(textOf(onA.events, runId).startsWith(textOf(onB.events, runId))).toBe(true);
    const kinds = (s: Session) =>
      s.events.flatMap((e) =>
        e.type === 'step' && e.step.kind !== 'text_delta' ? [e.step.kind] : [],
      );
    expect(kinds(onB)).toEqual(kinds(onA));
  });

  it('runs at most one prompt per agent across replicas', async () => {
    const [a, b] = await replicas();
    const agent = await createAgent(a, token);
    const onA = await session(a, agent.id);
    const onB = await session(b, agent.id);
    const running = onB.next(isStatus('running'));
    onA.send({ v: 1, type: 'prompt', text: 'count to 400' });
    await running;
    const refused = onB.next((e) => e.type === 'error');
    onB.send({ v: 1, type: 'prompt', text: 'count to 3' });
    expect(await refused).toMatchObject({ code: 'ERR_RUN_IN_PROGRESS' });
    // A stop frame on B stops the run that A executes.
    const stoppedOnA = onA.next(isStatus('stopped'), 10_000);
    const stoppedOnB = onB.next(isStatus('stopped'), 10_000);
    onB.send({ v: 1, type: 'stop' });
    await Promise.all([stoppedOnA, stoppedOnB]);
  });

  it('stops a run from the other replica over REST, and says so', async () => {
    const [a, b] = await replicas();
    const agent = await createAgent(a, token);
    const onA = await session(a, agent.id);
    const running = onA.next(isStatus('running'));
    onA.send({ v: 1, type: 'prompt', text: 'count to 400' });
    await running;
    const stopped = onA.next(isStatus('stopped'), 10_000);
    const res = await api(b, `/api/agents/${agent.id}/stop`, { method: 'POST', token });
    expect(await json(res)).toEqual({ stopped: true });
    await stopped;
    const again = await api(b, `/api/agents/${agent.id}/stop`, { method: 'POST', token });
    expect(await json(again)).toEqual({ stopped: false });
  });

  it('applies a settings change made on one replica to the next run on the other', async () => {
    const [a, b] = await replicas();
    const agent = await createAgent(a, token);
    await api(b, `/api/agents/${agent.id}/settings`, {
      method: 'PATCH',
      token,
      body: { maxSteps: 1 },
    });
    const onA = await session(a, agent.id);
    const error = onA.next((e) => e.type === 'error', 10_000);
    onA.send({ v: 1, type: 'prompt', text: 'what is 6*7?' });
    expect(await error).toMatchObject({ code: 'ERR_MAX_STEPS' });
  });

  it('closes the sockets of every replica with 4404 when the agent is deleted on one', async () => {
    const [a, b] = await replicas();
    const agent = await createAgent(a, token);
    const onA = await session(a, agent.id);
    const onB = await session(b, agent.id);
    const running = onA.next(isStatus('running'));
    onA.send({ v: 1, type: 'prompt', text: 'count to 400' });
    await running;
    expect((await api(b, `/api/agents/${agent.id}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await onA.closed).code).toBe(CLOSE_CODE.agentDeleted);
    expect((await onB.closed).code).toBe(CLOSE_CODE.agentDeleted);
    // The run on A was aborted by B's deletion and ends (recording nothing for a gone agent).
    await until(() => a.service.runs.activeCount === 0);
  });

  it('serves a snapshot on one replica with the steps a run on the other replica appended', async () => {
    const [a, b] = await replicas();
    const agent = await createAgent(a, token);
    // B serves (and keeps) the empty history first.
    const early = await session(b, agent.id);
    expect(early.events[0]).toMatchObject({ type: 'snapshot', steps: [] });
    early.ws.close();
    await early.closed;
    const onA = await session(a, agent.id);
    const done = onA.next(isStatus('completed'), 10_000);
    onA.send({ v: 1, type: 'prompt', text: 'count to 3' });
    await done;
    const stored = await a.store.listSteps(agent.id, 100);
    expect(stored.at(-1)?.kind).toBe('final_answer');
    const later = await session(b, agent.id);
    expect(later.events[0]).toMatchObject({ type: 'snapshot', steps: stored });
  });

  it('gives a socket that joins mid-run the text streamed so far, then the rest', async () => {
    const [a, b] = await replicas();
    const agent = await createAgent(a, token);
    const onA = await session(a, agent.id);
    const running = onA.next(isStatus('running'));
    onA.send({ v: 1, type: 'prompt', text: 'count to 60' });
    const started = await running;
    const runId = started.type === 'status' ? (started.runId ?? '') : '';
    await onA.next(
      (e) =>
        e.type === 'step' &&
        e.step.kind === 'text_delta' &&
        textOf(onA.events, runId).includes(' 8 '),
      10_000,
    );
    const late = await session(b, agent.id);
    const snapshot = late.events[0];
    expect(snapshot?.type === 'snapshot' && snapshot.status).toBe('running');
    await late.next(isStatus('completed'), 10_000);
    const final = late.events.flatMap((e) =>
      e.type === 'step' && e.step.kind === 'final_answer' ? [e.step.text] : [],
    );
    // Nothing missing, nothing twice: the late socket's deltas start with the text streamed before
    // it joined and are a prefix of the final answer.
    const seen = textOf(late.events, runId);
    expect(seen.startsWith('1 2 3 4 5 6 7 8 ')).toBe(true);
    expect(final[0]?.startsWith(seen)).toBe(true);
  });

  it('lets the agent run again on the survivor once a dead replica’s lease runs out, recording the run as interrupted with its partial text', async () => {
    const [a, b] = await replicas(1500);
    const agent = await createAgent(a, token);
    const onB = await session(b, agent.id);
    const onA = await session(a, agent.id);
    const running = onA.next(isStatus('running'));
    onA.send({ v: 1, type: 'prompt', text: 'count to 1000' });
    const started = await running;
    const runId = started.type === 'status' ? (started.runId ?? '') : '';
    await onB.next(
      (e) =>
        e.type === 'step' &&
        e.step.kind === 'text_delta' &&
        textOf(onB.events, runId).includes(' 5 '),
      10_000,
    );
    // A "dies": its lease is no longer renewed and nothing it does reaches the database.
    a.coordinator.renew = async () => 'ok';
    const ownStore = a.store;
    ownStore.appendSteps = async () => true;
    const interrupted = onB.next(
      (e) => e.type === 'error' && e.code === 'ERR_RUN_INTERRUPTED',
      10_000,
    );
    await interrupted;
    const steps = await b.store.listSteps(agent.id, 100);
    const partial = steps.find((s) => s.kind === 'model_text' && s.runId === runId);
    expect(partial?.kind === 'model_text' && partial.text).toMatch(/^1 2 3 4 5/);
    expect(steps.at(-1)).toMatchObject({ kind: 'error', code: 'ERR_RUN_INTERRUPTED', runId });
    const done = onB.next(isStatus('completed'), 10_000);
    onB.send({ v: 1, type: 'prompt', text: 'count to 3' });
    await done;
    await a.service.runs.stop(agent.id);
  });

  it('answers 503 while the database is away and recovers when it returns, resyncing its sockets', async () => {
    const [a] = await replicas();
    const agent = await createAgent(a, token);
    const open = await session(a, agent.id);
    await server.pause();
    try {
      const res = await api(a, '/api/agents', { token });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect((await json(res)).error.code).toBe('ERR_SERVICE_UNAVAILABLE');
      const refused = await handshake(
        `${a.wsUrl}/api/agents/${agent.id}/react?access-token=${token}`,
      );
      expect(refused.status).toBe(503);
      expect(refused.body).toContain('ERR_SERVICE_UNAVAILABLE');
    } finally {
      await server.resume();
    }
    const back = await api(a, '/api/agents', { token });
    expect(back.status).toBe(200);
    // Events sent while its LISTEN was down are lost: the socket is moved on to get a snapshot.
    expect((await open.closed).code).toBe(CLOSE_CODE.serviceRestart);
    expect((await json(back)).agents.map((x: { id: string }) => x.id)).toContain(agent.id);
  });
});
