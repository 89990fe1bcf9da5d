import {
  CLOSE_CODE,
  DEFAULT_SNAPSHOT_MAX_BYTES,
  ServerEvent,
  type Step,
  StepsPage,
} from '@agentauth/agent-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { STEPS_PAGE_MAX_BYTES } from '../src/routes/steps.js';
import {
  ALICE,
  api,
  BOB,
  createAgent,
  type Harness,
  handshake,
  json,
  openSession,
  startHarness,
  tokenFor,
  until,
} from './harness.js';

// What one user (or one socket) can cost the service: a snapshot within its byte budget however
// long the history, older history a page at a time, sockets that do not read closed before they
// hold much memory, and caps on sockets and upgrades per user.

const STEP_CHARS = 16_000;
const HISTORY = 500;

/** A full history: 500 final answers of 16,000 characters (~8 MB), oldest first. */
function fullHistory(): Step[] {
  const runId = 'r-full';
  return Array.from({ length: HISTORY }, (_, seq) => ({
    runId,
    seq,
    at: new Date(1_700_000_000_000 + seq * 1000).toISOString(),
    kind: 'final_answer' as const,
    text: `${seq}:`.padEnd(STEP_CHARS, 'x'),
  }));
}

const closeAll = async (sockets: readonly (WebSocket | undefined)[]) => {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          if (!ws || ws.readyState === ws.CLOSED) return resolve();
          ws.once('close', () => resolve());
          ws.close();
        }),
    ),
  );
};

describe('the snapshot of a full-history agent', () => {
  let h: Harness;
  let token = '';
  let agentId = '';
  let steps: Step[] = [];
  beforeAll(async () => {
    h = await startHarness();
    token = await tokenFor(ALICE);
    agentId = (await createAgent(h, token)).id;
    steps = fullHistory();
    expect(await h.store.appendSteps(agentId, steps)).toBe(true);
  });
  afterAll(() => h.close());
  const reactUrl = () => `${h.wsUrl}/api/agents/${agentId}/react?access-token=${token}`;

  it('carries the newest steps within the byte budget and marks that older ones exist, on every upgrade', async () => {
    const sizes: number[] = [];
    // A reconnect storm, bounded: every upgrade sends at most the budget (plus the envelope).
    for (let i = 0; i < 10; i++) {
      const ws = new WebSocket(reactUrl());
      const frame = await new Promise<string>((resolve, reject) => {
        ws.once('message', (data) => resolve(String(data)));
        ws.once('error', reject);
      });
      sizes.push(Buffer.byteLength(frame));
      const snapshot = ServerEvent.parse(JSON.parse(frame));
      if (snapshot.type !== 'snapshot') throw new Error('the first event is not the snapshot');
      const stepBytes = snapshot.steps.reduce(
        (n, s) => n + Buffer.byteLength(JSON.stringify(s)),
        0,
      );
      expect(stepBytes).toBeLessThanOrEqual(DEFAULT_SNAPSHOT_MAX_BYTES);
      expect(snapshot.steps.length).toBeGreaterThan(0);
      expect(snapshot.steps).toEqual(steps.slice(-snapshot.steps.length));
      expect(snapshot.older).toMatch(/^[1-9]\d*$/);
      await closeAll([ws]);
    }
    const envelope = 4096; // agent, status and the JSON around the steps
    for (const size of sizes)
      expect(size).toBeLessThanOrEqual(DEFAULT_SNAPSHOT_MAX_BYTES + envelope);
  });

  it('shows a step added since the previous upgrade (the serialised snapshot is reused only while the history is unchanged)', async () => {
    const other = (await createAgent(h, token)).id;
    const url = `${h.wsUrl}/api/agents/${other}/react?access-token=${token}`;
    const first = await openSession(url);
    expect(first.events[0]).toMatchObject({ type: 'snapshot', steps: [] });
    first.ws.close();
    const added: Step = {
      runId: 'r-new',
      seq: 0,
      at: new Date().toISOString(),
      kind: 'prompt',
      text: 'hello again',
    };
    expect(await h.store.appendSteps(other, [added])).toBe(true);
    const second = await openSession(url);
    expect(ServerEvent.parse(second.events[0])).toMatchObject({ type: 'snapshot', steps: [added] });
    second.ws.close();
  });

  it('pages back through the rest of the history with the steps route, oldest first, each step once', async () => {
    const first = await openSession(reactUrl());
    const snapshot = first.events[0];
    first.ws.close();
    if (snapshot?.type !== 'snapshot') throw new Error('no snapshot');
    let collected = [...snapshot.steps];
    let before = snapshot.older;
    let pages = 0;
    while (before !== undefined && pages < 50) {
      const res = await api(h, `/api/agents/${agentId}/steps?before=${before}&limit=100`, {
        token,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const page = StepsPage.parse(await res.json());
      const bytes = page.steps.reduce((n, s) => n + Buffer.byteLength(JSON.stringify(s)), 0);
      expect(page.steps.length).toBeGreaterThan(0);
      expect(page.steps.length).toBeLessThanOrEqual(100);
      expect(bytes <= STEPS_PAGE_MAX_BYTES || page.steps.length === 1).toBe(true);
      collected = [...page.steps, ...collected];
      before = page.older;
      pages++;
    }
    expect(before).toBeUndefined();
    expect(collected).toEqual(steps);
    expect(pages).toBeGreaterThan(1);
  });

  it('serves the newest page without a cursor and honours limit', async () => {
    const res = await api(h, `/api/agents/${agentId}/steps?limit=3`, { token });
    const page = StepsPage.parse(await res.json());
    expect(page.steps).toEqual(steps.slice(-3));
    expect(page.older).toMatch(/^[1-9]\d*$/);
  });

  it.each([
    ['a cursor that is not one', '?before=abc', 'before must be a cursor from the service.'],
    ['a zero limit', '?limit=0', 'limit must be at least 1.'],
    ['a limit over the maximum', '?limit=101', 'limit must be at most 100.'],
    ['a fractional limit', '?limit=1.5', 'limit must be a whole number.'],
  ])('refuses %s with 400 ERR_BAD_REQUEST', async (_, query, message) => {
    const res = await api(h, `/api/agents/${agentId}/steps${query}`, { token });
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ error: { code: 'ERR_BAD_REQUEST', message } });
  });

  it('is authenticated, 404s an unknown agent and allows only GET', async () => {
    expect((await api(h, `/api/agents/${agentId}/steps`)).status).toBe(401);
    const unknown = await api(h, `/api/agents/${crypto.randomUUID()}/steps`, { token });
    expect(unknown.status).toBe(404);
    const post = await api(h, `/api/agents/${agentId}/steps`, { method: 'POST', token });
    expect(post.status).toBe(405);
  });

  it('answers an empty history with no steps and no cursor', async () => {
    const empty = (await createAgent(h, token)).id;
    const res = await api(h, `/api/agents/${empty}/steps`, { token });
    expect(await json(res)).toEqual({ steps: [] });
  });
});

describe('sockets that do not read', () => {
  let h: Harness;
  let token = '';
  let agentId = '';
  const CEILING = 65_536;
  beforeAll(async () => {
    // A snapshot budget far above the ceiling, so one snapshot leaves megabytes unsent to a client
    // that does not read (the kernel buffers of a loopback socket take the first few hundred KB).
    h = await startHarness({
      devDelayMs: 1,
      socketLimits: { snapshotMaxBytes: 6 * 1024 * 1024, maxBufferedBytes: CEILING },
    });
    token = await tokenFor(ALICE);
    agentId = (await createAgent(h, token)).id;
    expect(await h.store.appendSteps(agentId, fullHistory())).toBe(true);
  });
  afterAll(() => h.close());
  const slowClosed = async () =>
    (
      await h.service.metrics.registry.getSingleMetricAsString(
        'agent_service_websocket_slow_consumers_total',
      )
    ).match(/ (\d+)$/m)?.[1];

  it('are closed with 4408 once their backlog passes the ceiling; the run and a reading socket go on', async () => {
    const url = `${h.wsUrl}/api/agents/${agentId}/react?access-token=${token}`;
    const idle = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const ws = new WebSocket(url, { maxPayload: 1 << 24 });
        ws.on('error', () => {});
        await new Promise((resolve) => ws.once('upgrade', resolve));
        ws.pause();
        return ws;
      }),
    );
    const reader = await openSession(url);
    const completed = reader.next((e) => e.type === 'status' && e.state === 'completed', 20_000);
    reader.send({ v: 1, type: 'prompt', text: 'hello' });
    // The run's first event finds every idle socket over the ceiling.
    await until(async () => (await slowClosed()) === '20', 10_000);
    expect(await slowClosed()).toBe('20');
    // One of them starts reading again: behind its backlog it finds the close frame.
    const woken = idle[0] as WebSocket;
    const code = new Promise<number>((resolve) => woken.once('close', (c) => resolve(c)));
    woken.resume();
    expect(await code).toBe(CLOSE_CODE.slowConsumer);
    // The rest are torn down after the close grace; only the reader is left.
    await until(() => h.service.wss.clients.size === 1, 10_000);
    await completed;
    expect(reader.ws.readyState).toBe(WebSocket.OPEN);
    const stored = (await h.store.listSteps(agentId, 3)).map((s) => s.kind);
    expect(stored.at(-1)).toBe('final_answer');
    reader.ws.close();
    for (const ws of idle) ws.terminate();
  });
});

describe('per-user socket caps', () => {
  let h: Harness;
  let alice = '';
  let bob = '';
  let agentId = '';
  beforeAll(async () => {
    h = await startHarness({ socketLimits: { maxSocketsPerUser: 3, upgradesPerMinute: 8 } });
    alice = await tokenFor(ALICE);
    bob = await tokenFor(BOB);
    agentId = (await createAgent(h, alice)).id;
  });
  afterAll(() => h.close());
  const url = (t: string) => `${h.wsUrl}/api/agents/${agentId}/react?access-token=${t}`;
  /** A handshake whose socket, when accepted, stays open until `closeAll`. */
  const held = (u: string) => handshake(u, {}, [], { keepOpen: true });

  it('refuses a socket past the concurrent cap with 429 ERR_RATE_LIMITED and Retry-After, per user', async () => {
    const open = await Promise.all([1, 2, 3].map(() => held(url(alice))));
    expect(open.map((o) => o.status)).toEqual([101, 101, 101]);
    const over = await held(url(alice));
    expect(over.status).toBe(429);
    expect(over.retryAfter).toBe('5');
    expect(JSON.parse(over.body ?? '')).toEqual({
      error: { code: 'ERR_RATE_LIMITED', message: expect.stringContaining('3 WebSockets') },
    });
    const other = await held(url(bob));
    expect(other.status).toBe(101);
    // Closing one frees its slot.
    await closeAll([open[0]?.ws]);
    await until(() => h.service.wss.clients.size === 3);
    const again = await held(url(alice));
    expect(again.status).toBe(101);
    await closeAll([...open.map((o) => o.ws), other.ws, again.ws]);
  });

  it('refuses upgrades past the per-minute rate with 429 and the seconds until the window resets', async () => {
    // Alice used 5 of her 8 upgrades above (4 accepted + 1 refused by the cap).
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const a = await held(url(alice));
      answers.push(a);
      await closeAll([a.ws]);
    }
    expect(answers.map((a) => a.status)).toEqual([101, 101, 101, 429]);
    const limited = answers[3];
    expect(Number(limited?.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(limited?.retryAfter)).toBeLessThanOrEqual(60);
    expect(JSON.parse(limited?.body ?? '{}').error.code).toBe('ERR_RATE_LIMITED');
    // Bob has his own budget.
    const bobs = await held(url(bob));
    expect(bobs.status).toBe(101);
    await closeAll([bobs.ws]);
  });
});
