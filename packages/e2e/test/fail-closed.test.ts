import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayErrorCode } from '@agentauth/auth-core';
import { type RunningNginx, startNginx } from '@agentauth/nginx';
import { reservePort } from '@agentauth/service-runtime/process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, listAgents } from '../src/agent-client.js';
import { send } from '../src/http-client.js';
import { type RecordingUpstream, startRecordingUpstream } from '../src/recording-upstream.js';
import { startService } from '../src/service.js';
import { type E2eStack, startE2eStack } from '../src/stack.js';
import { startHungAuthorizer, startSlowAuthorizer } from '../src/stalling-authorizer.js';
import { ALICE, BOB, tokenFor } from '../src/tokens.js';
import { closeSession, type Event, openSocket, type Session } from '../src/websocket-client.js';

// When the authorization service is gone, stuck or late, requests fail with an error and the
// agent upstream receives nothing; when the agent-service restarts, nothing it stored is lost; when
// a token expires, its WebSocket session ends.

const TOKEN = tokenFor(ALICE);

/** A gateway whose agent upstream is a recording server, so "receives nothing" is observable. */
async function gatewayInFrontOf(accessControlService: string) {
  const upstream = await startRecordingUpstream();
  const gateway = await startNginx({ accessControlService, agentService: upstream.address });
  return {
    upstream,
    gateway,
    stop: async () => {
      await gateway.stop();
      await upstream.close();
    },
  };
}

async function expectUnavailable(gateway: RunningNginx, upstream: RecordingUpstream) {
  const [rest, ws] = await Promise.all([
    send(`${gateway.origin}/api/agents`, { headers: { authorization: `Bearer ${TOKEN}` } }),
    openSocket(`ws://127.0.0.1:${gateway.port}/api/agents/a/react?access-token=${TOKEN}`),
  ]);
  expect(rest.status).toBe(503);
  expect(rest.code).toBe('ERR_AUTHORIZE_UNAVAILABLE' satisfies GatewayErrorCode);
  expect(rest.headers['retry-after']).toBe('5');
  expect(ws.status).toBe(503);
  expect(upstream.requests).toEqual([]);
}

describe('the access-control-service fails: closed, nothing reaches the agent upstream', () => {
  it('stopped (SIGTERM): 503, and allowed again once it is back on its port', async () => {
    // Held across the restart: while the service is down its port refuses connections (what
    // nginx sees of a stopped service) and no other process can be handed it.
    const port = reservePort();
    const acs = await startService('access-control-service', {}, port.port);
    const { gateway, upstream, stop } = await gatewayInFrontOf(acs.address);
    try {
      const before = await send(`${gateway.origin}/api/agents`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(before.status).toBe(200);
      upstream.requests.length = 0;
      await acs.stop();
      await expectUnavailable(gateway, upstream);
      const again = await startService('access-control-service', {}, port.port);
      try {
        const after = await send(`${gateway.origin}/api/agents`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        expect(after.status).toBe(200);
      } finally {
        await again.stop();
      }
    } finally {
      await stop();
      port.release();
    }
  });

  it('hung (accepts connections, never answers): 503 after the 5 s read timeout', async () => {
    const hung = await startHungAuthorizer();
    const { gateway, upstream, stop } = await gatewayInFrontOf(hung.address);
    try {
      await expectUnavailable(gateway, upstream);
      expect(hung.seen()).toBeGreaterThan(0);
    } finally {
      await stop();
      await hung.close();
    }
  });

  it('slower than the timeout: the gateway drops each authorize connection before its late ALLOW, nothing forwarded', async () => {
    const slow = await startSlowAuthorizer(6_500, { ...BOB, role: 'ADMIN' });
    const { gateway, upstream, stop } = await gatewayInFrontOf(slow.address);
    try {
      await expectUnavailable(gateway, upstream);
      // The late ALLOW cannot arrive: the gateway dropped each authorize connection at its timeout,
      // before the answer was due (waited for, not slept through). With the connections gone and
      // both requests answered 503, nothing can be released to the upstream afterwards.
      expect(await slow.settled()).toEqual([
        'dropped before answering',
        'dropped before answering',
      ]);
      expect(upstream.requests).toEqual([]);
    } finally {
      await stop();
      await slow.close();
    }
  });

  it.each([500, 502, 404, 302, 400])(
    'answering %i (not a decision): 503, nothing forwarded',
    async (status) => {
      const odd = createServer((_req, res) => {
        res
          .writeHead(status, {
            'x-user-id': '1',
            'x-user-name': 'root',
            'x-user-email': '',
            location: '/',
          })
          .end();
      });
      await new Promise<void>((r) => odd.listen(0, '127.0.0.1', r));
      const { port } = odd.address() as AddressInfo;
      const { gateway, upstream, stop } = await gatewayInFrontOf(`127.0.0.1:${port}`);
      try {
        const res = await send(`${gateway.origin}/api/agents`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        // nginx passes 401/403 on and turns every other non-2xx authorize answer into a 500 (503 here).
        expect(res.status).toBe(503);
        expect(upstream.requests).toEqual([]);
      } finally {
        await stop();
        await new Promise((r) => odd.close(r));
      }
    },
  );
});

describe('the real stack under restarts and expiring tokens', () => {
  let stack: E2eStack;
  beforeAll(async () => {
    // No grace period: a SIGTERM interrupts the running run at once (recorded as interrupted).
    stack = await startE2eStack({ modelDelayMs: 15, runGraceMs: 0 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const socketUrl = (id: string, token = TOKEN) =>
    `ws://127.0.0.1:${stack.gatewayPort}/api/agents/${id}/react?access-token=${token}`;
  const open = async (id: string, token = TOKEN): Promise<Session> => {
    const hs = await openSocket(socketUrl(id, token));
    if (!('session' in hs)) throw new Error(`handshake answered ${hs.status}: ${hs.body}`);
    return hs.session;
  };
  type Step = { kind: string; runId: string; seq: number; text?: string };
  const stepsOf = (events: readonly unknown[]): Step[] =>
    (events as Event[])
      .filter((e) => e.type === 'step' && (e.step as Step).kind !== 'text_delta')
      .map((e) => e.step as Step);

  it('agent-service restarted (SIGTERM) mid-conversation: no agent, setting or step is lost', async () => {
    const agent = await createAgent(stack.origin, TOKEN, 'survives restarts');
    const patched = await send(`${stack.origin}/api/agents/${agent.id}/settings`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: { temperature: 1.25 },
    });
    expect(patched.status).toBe(200);

    const s1 = await open(agent.id);
    s1.send({ v: 1, type: 'prompt', text: 'what is 6*7?' });
    await s1.next((e) => e.type === 'status' && e.state === 'completed');
    s1.send({ v: 1, type: 'prompt', text: 'count to 400' });
    // Mid-stream: some deltas have arrived, the run is still going.
    await s1.next(
      (e) =>
        e.type === 'step' &&
        (e.step as Step).kind === 'text_delta' &&
        String((e.step as { delta: string }).delta).includes('20'),
    );
    const completedBefore = stepsOf(s1.events);
    const interruptedRun = (s1.events as Event[])
      .filter((e) => e.type === 'status' && e.state === 'running')
      .at(-1)?.runId as string;
    const streamedBefore = (s1.events as Event[])
      .filter(
        (e) =>
          e.type === 'step' &&
          (e.step as Step).kind === 'text_delta' &&
          (e.step as Step).runId === interruptedRun,
      )
      .map((e) => (e.step as { delta: string }).delta)
      .join('');

    await stack.stopAgentService();
    const { code } = await s1.closed;
    expect(code).toBe(1012); // service restart: clients reconnect
    expect(s1.events).toContainEqual(
      expect.objectContaining({
        type: 'error',
        code: 'ERR_RUN_INTERRUPTED',
        runId: interruptedRun,
      }),
    );
    const down = await send(`${stack.origin}/api/agents`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(down.status).toBe(502);
    expect(down.code).toBe('ERR_AGENT_SERVICE_UNAVAILABLE' satisfies GatewayErrorCode);

    await stack.startAgentService();
    const again = await send(`${stack.origin}/api/agents/${agent.id}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(again.status).toBe(200);
    expect(again.json()).toMatchObject({
      id: agent.id,
      ownerUid: ALICE.uid,
      settings: { temperature: 1.25 },
    });
    expect((await listAgents(stack.origin, TOKEN)).map((a) => a.id)).toContain(agent.id);

    const s2 = await open(agent.id);
    const snapshot = await s2.next((e) => e.type === 'snapshot');
    const persisted = snapshot.steps as Step[];
    for (const step of completedBefore) expect(persisted).toContainEqual(step);
    const interrupted = persisted.filter((s) => s.runId === interruptedRun);
    expect(interrupted[0]).toMatchObject({ kind: 'prompt', text: 'count to 400' });
    const partial = interrupted.find((s) => s.kind === 'model_text');
    expect(partial?.text?.startsWith(streamedBefore)).toBe(true);
    expect(interrupted.at(-1)).toMatchObject({ kind: 'error', code: 'ERR_RUN_INTERRUPTED' });
    expect(snapshot.status).toBe('idle');

    // The conversation goes on from there, and the new turn is stored after the old ones.
    s2.send({ v: 1, type: 'prompt', text: 'what is 2+3?' });
    await s2.next((e) => e.type === 'status' && e.state === 'completed');
    await closeSession(s2);
    const s3 = await open(agent.id);
    const latest = (await s3.next((e) => e.type === 'snapshot')).steps as Step[];
    expect(latest.slice(0, persisted.length)).toEqual(persisted);
    expect(latest.at(-1)).toMatchObject({ kind: 'final_answer', text: 'The answer is 5.' });
    await closeSession(s3);
    console.warn(`restart: ${persisted.length} steps kept, ${latest.length} after the next turn`);
  });

  it('a token expiring during an open WebSocket ends the session with 4401 (through nginx)', async () => {
    const agent = await createAgent(stack.origin, TOKEN, 'expiry');
    const session = await open(agent.id, tokenFor(ALICE, 3));
    await session.next((e) => e.type === 'snapshot');
    // The close is the event waited for; it comes from the expiry, as its error event says.
    const { code } = await session.closed;
    expect(code).toBe(4401);
    expect(session.events).toContainEqual(
      expect.objectContaining({ type: 'error', code: 'ERR_TOKEN_EXPIRED' }),
    );
  });

  it('a token past exp but inside the 30 s skew opens (101) and is closed at once with 4401, running nothing', async () => {
    const agent = await createAgent(stack.origin, TOKEN, 'inside the skew');
    // Built now, 5 s past exp: the handshake's verdict holds for the next 25 s.
    const hs = await openSocket(socketUrl(agent.id, tokenFor(ALICE, -5)));
    expect(hs.status).toBe(101);
    if (!('session' in hs)) throw new Error('no session');
    hs.session.send({ v: 1, type: 'prompt', text: 'what is 6*7?' });
    expect((await hs.session.closed).code).toBe(4401);
    expect(hs.session.events).toContainEqual(
      expect.objectContaining({ type: 'error', code: 'ERR_TOKEN_EXPIRED' }),
    );
    expect(hs.session.events).not.toContainEqual(
      expect.objectContaining({ type: 'status', state: 'running' }),
    );
    // Nothing ran: the agent's history is empty for a fresh reader.
    const reader = await open(agent.id);
    const snapshot = await reader.next((e) => e.type === 'snapshot');
    expect(snapshot.steps).toEqual([]);
    await closeSession(reader);
  });

  it('a run started with a token that then expires is stopped with it', async () => {
    const agent = await createAgent(stack.origin, TOKEN, 'expiring run');
    const observer = await open(agent.id);
    const shortLived = tokenFor(ALICE, 3);
    const runner = await open(agent.id, shortLived);
    runner.send({ v: 1, type: 'prompt', text: 'count to 2000' });
    await observer.next((e) => e.type === 'status' && e.state === 'running');
    expect((await runner.closed).code).toBe(4401);
    const end = await observer.next((e) => e.type === 'status' && e.state !== 'running', 10_000);
    expect(end.state).toBe('stopped');
    await closeSession(observer);
  });

  it('leaves every process alive and healthy', async () => {
    expect(Object.values(await stack.health())).toEqual([true, true, true, true]);
  });
});
