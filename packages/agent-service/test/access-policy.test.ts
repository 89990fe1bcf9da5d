import type { Agent } from '@agentauth/agent-api';
import type { SessionUser } from '@agentauth/auth-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentAccessPolicy,
  type AgentAction,
  ownerOnlyPolicy,
  phase1Policy,
} from '../src/policy/agent-access.js';
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

const ADMIN = { uid: 1, name: 'root', email: null, role: 'ADMIN' } as const;

interface RouteCase {
  readonly name: string;
  readonly method: string;
  readonly suffix: string;
  readonly action: AgentAction;
  readonly body?: unknown;
  readonly ok: number;
}

/** Every REST route that names an agent, with the action it must ask the policy for. */
const agentRoutes: RouteCase[] = [
  { name: 'GET /api/agents/:id', method: 'GET', suffix: '', action: 'read', ok: 200 },
  { name: 'DELETE /api/agents/:id', method: 'DELETE', suffix: '', action: 'delete', ok: 204 },
  {
    name: 'GET /api/agents/:id/settings',
    method: 'GET',
    suffix: '/settings',
    action: 'read',
    ok: 200,
  },
  {
    name: 'PATCH /api/agents/:id/settings',
    method: 'PATCH',
    suffix: '/settings',
    action: 'update',
    body: { systemPrompt: 'attacker prompt' },
    ok: 200,
  },
  { name: 'POST /api/agents/:id/stop', method: 'POST', suffix: '/stop', action: 'stop', ok: 200 },
  {
    name: 'POST /api/agents/:id/prompt',
    method: 'POST',
    suffix: '/prompt',
    action: 'run',
    body: { text: 'hello' },
    ok: 202,
  },
];

const call = (h: Harness, route: RouteCase, agent: Agent, token: string) =>
  api(h, `/api/agents/${agent.id}${route.suffix}`, {
    method: route.method,
    token,
    body: route.body,
  });

/** Waits until the agent has no run (a prompt route started one). */
function idle(h: Harness, agentId: string): Promise<void> {
  return until(async () => (await h.service.runs.status(agentId)).state !== 'running', 5000);
}

describe('AGENT_ACCESS_POLICY=owner', () => {
  let h: Harness;
  let alice = '';
  let bob = '';
  let admin = '';
  beforeAll(async () => {
    h = await startHarness({ config: { accessPolicy: 'owner' } });
    [alice, bob, admin] = await Promise.all([tokenFor(ALICE), tokenFor(BOB), tokenFor(ADMIN)]);
  });
  afterAll(() => h.close());

  describe.each(agentRoutes)('$name', (route) => {
    it("answers another user's agent as 404, the same as an unknown id, and changes nothing", async () => {
      const agent = await createAgent(h, alice);
      const res = await call(h, route, agent, bob);
      expect(res.status).toBe(404);
      const unknown = await call(h, route, { ...agent, id: crypto.randomUUID() }, bob);
      expect(await json(res)).toEqual(await json(unknown));
      const after = await json(await api(h, `/api/agents/${agent.id}`, { token: alice }));
      expect(after.settings.systemPrompt).toBe(agent.settings.systemPrompt);
      expect((await h.service.runs.status(agent.id)).state).toBe('idle');
    });

    it('serves the owner and an ADMIN', async () => {
      for (const token of [alice, admin]) {
        const agent = await createAgent(h, alice);
        const res = await call(h, route, agent, token);
        expect(res.status).toBe(route.ok);
        await idle(h, agent.id);
      }
    });
  });

  it("lists only the caller's own agents, all of them for an ADMIN, and says the policy", async () => {
    const mine = await createAgent(h, alice);
    const theirs = await createAgent(h, bob);
    const forBob = await json(await api(h, '/api/agents', { token: bob }));
    expect(forBob.access).toBe('owner');
    expect(forBob.agents.map((a: Agent) => a.id)).toContain(theirs.id);
    expect(forBob.agents.every((a: Agent) => a.ownerUid === BOB.uid)).toBe(true);
    const forAdmin = await json(await api(h, '/api/agents', { token: admin }));
    expect(forAdmin.agents.map((a: Agent) => a.id)).toEqual(
      expect.arrayContaining([mine.id, theirs.id]),
    );
  });

  it("refuses the WebSocket upgrade on another user's agent with 404, as for an unknown id", async () => {
    const agent = await createAgent(h, alice);
    const url = (id: string, token: string) =>
      `${h.wsUrl}/api/agents/${id}/react?access-token=${token}`;
    const refused = await handshake(url(agent.id, bob));
    expect(refused.status).toBe(404);
    expect(refused.body).toBe((await handshake(url(crypto.randomUUID(), bob))).body);
    expect((await handshake(url(agent.id, alice))).status).toBe(101);
    expect((await handshake(url(agent.id, admin))).status).toBe(101);
  });

  it("keeps another user's usage out of GET /api/agents/usage", async () => {
    const agent = await createAgent(h, alice);
    expect((await call(h, agentRoutes[5] as RouteCase, agent, alice)).status).toBe(202);
    await idle(h, agent.id);
    const forAlice = await json(await api(h, '/api/agents/usage', { token: alice }));
    const forBob = await json(await api(h, '/api/agents/usage', { token: bob }));
    expect(forAlice.uid).toBe(ALICE.uid);
    expect(forAlice.total.llmCalls).toBeGreaterThan(0);
    expect(forBob).toMatchObject({ uid: BOB.uid, total: { llmCalls: 0 } });
  });
});

describe('AGENT_ACCESS_POLICY=shared (the default)', () => {
  let h: Harness;
  let alice = '';
  let bob = '';
  beforeAll(async () => {
    h = await startHarness();
    [alice, bob] = await Promise.all([tokenFor(ALICE), tokenFor(BOB)]);
  });
  afterAll(() => h.close());

  it.each(agentRoutes)('lets another user reach an agent: $name', async (route) => {
    const agent = await createAgent(h, alice);
    expect((await call(h, route, agent, bob)).status).toBe(route.ok);
    await idle(h, agent.id);
  });

  it('lists every agent and says they are shared; the socket opens for another user', async () => {
    const agent = await createAgent(h, alice);
    const list = await json(await api(h, '/api/agents', { token: bob }));
    expect(list.access).toBe('shared');
    expect(list.agents.map((a: Agent) => a.id)).toContain(agent.id);
    const url = `${h.wsUrl}/api/agents/${agent.id}/react?access-token=${bob}`;
    expect((await handshake(url)).status).toBe(101);
  });
});

/**
 * A policy that refuses one action (for one user, or everyone) and allows the rest, switchable
 * while sockets are open: proves each entry point asks for its own action, at its own time.
 */
function refusing(): AgentAccessPolicy & { refuse(action?: AgentAction, uid?: number): void } {
  let refused: { action: AgentAction | undefined; uid: number | undefined } | undefined;
  return {
    mode: 'shared',
    mayAccess(user: SessionUser, agent: Agent, action: AgentAction) {
      if (
        refused &&
        (refused.action === undefined || refused.action === action) &&
        (refused.uid === undefined || refused.uid === user.uid)
      ) {
        return false;
      }
      return phase1Policy.mayAccess(user, agent, action);
    },
    refuse(action, uid) {
      refused = action === undefined && uid === undefined ? undefined : { action, uid };
    },
  };
}

describe('every entry point asks the policy for its own action', () => {
  const policy = refusing();
  let h: Harness;
  let alice = '';
  let bob = '';
  beforeAll(async () => {
    h = await startHarness({ policy });
    [alice, bob] = await Promise.all([tokenFor(ALICE), tokenFor(BOB)]);
  });
  afterAll(() => h.close());

  it.each(agentRoutes)('$name asks for $action', async (route) => {
    const actions: AgentAction[] = ['read', 'update', 'delete', 'run', 'stop'];
    for (const action of actions) {
      const agent = await createAgent(h, alice);
      policy.refuse(action);
      const res = await call(h, route, agent, alice);
      policy.refuse();
      expect([action, res.status]).toEqual([action, action === route.action ? 404 : route.ok]);
      await idle(h, agent.id);
    }
  });

  it('the list asks for read on each agent', async () => {
    const agent = await createAgent(h, alice);
    policy.refuse('read', BOB.uid);
    const list = await json(await api(h, '/api/agents', { token: bob }));
    policy.refuse();
    expect(list.agents.map((a: Agent) => a.id)).not.toContain(agent.id);
  });

  it('the WebSocket upgrade asks for read', async () => {
    const agent = await createAgent(h, alice);
    const url = `${h.wsUrl}/api/agents/${agent.id}/react?access-token=${alice}`;
    policy.refuse('read');
    const refused = await handshake(url);
    policy.refuse('run');
    const allowed = await handshake(url);
    policy.refuse();
    expect([refused.status, allowed.status]).toEqual([404, 101]);
  });

  it.each([
    ['prompt', 'run', { v: 1, type: 'prompt', text: 'hello' }],
    ['stop', 'stop', { v: 1, type: 'stop' }],
  ] as const)(
    'an in-session %s frame asks for %s, and a refusal closes the socket',
    async (_n, action, frame) => {
      const agent = await createAgent(h, alice);
      const s = await openSession(`${h.wsUrl}/api/agents/${agent.id}/react?access-token=${alice}`);
      policy.refuse(action);
      const error = s.next((e) => e.type === 'error');
      s.send(frame);
      expect(await error).toMatchObject({ code: 'ERR_NOT_FOUND' });
      policy.refuse();
      await s.closed;
      expect((await h.service.runs.status(agent.id)).state).toBe('idle');
    },
  );

  it('run events reach only sockets whose user may read the agent (asked at every event)', async () => {
    const agent = await createAgent(h, alice);
    const url = (token: string) => `${h.wsUrl}/api/agents/${agent.id}/react?access-token=${token}`;
    const own = await openSession(url(alice));
    const other = await openSession(url(bob));
    policy.refuse('read', BOB.uid);
    const done = own.next((e) => e.type === 'status' && e.state === 'completed');
    own.send({ v: 1, type: 'prompt', text: 'count to 5' });
    await done;
    policy.refuse();
    expect(own.events.filter((e) => e.type === 'step').length).toBeGreaterThan(0);
    expect(other.events.map((e) => e.type)).toEqual(['snapshot']);
    own.ws.close();
    other.ws.close();
  });
});

describe('ownerOnlyPolicy', () => {
  const agent = { ownerUid: 7 } as Agent;
  it.each([
    [{ uid: 7, role: 'REGULAR' }, true],
    [{ uid: 8, role: 'REGULAR' }, false],
    [{ uid: 8, role: 'ADMIN' }, true],
    [{ uid: 7, role: 'RESTRICTED' }, false],
    [{ uid: 7, role: 'INACTIVE' }, false],
  ] as const)('%j may act: %s', (user, allowed) => {
    const u = { name: 'x', email: null, ...user } as SessionUser;
    for (const action of ['read', 'update', 'delete', 'run', 'stop'] as const) {
      expect(ownerOnlyPolicy.mayAccess(u, agent, action)).toBe(allowed);
    }
  });
});
