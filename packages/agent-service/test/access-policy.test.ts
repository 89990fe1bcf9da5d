import { CLOSE_CODE, DEFAULT_SETTINGS } from '@agentauth/agent-api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AgentAccessPolicy, AgentAction } from '../src/policy/agent-access.js';
import {
  ALICE,
  api,
  createAgent,
  type Harness,
  handshake,
  json,
  openSession,
  startHarness,
  tokenFor,
} from './harness.js';

// Every route and both WebSocket steps must ask the policy, with the action they perform. The
// policy here refuses exactly one action at a time: a route that skips the policy, or asks with
// another action, answers 200 where this suite expects 404 (and the reverse for the other
// actions), so either mutation fails a row.
let refused: AgentAction | undefined;
const asked: AgentAction[] = [];
const policy: AgentAccessPolicy = {
  mayAccess: (_user, _agent, action) => {
    asked.push(action);
    return action !== refused;
  },
};

let h: Harness;
let token = '';
beforeAll(async () => {
  h = await startHarness({ policy });
  token = await tokenFor(ALICE);
});
afterAll(() => h.close());
beforeEach(() => {
  refused = undefined;
  asked.length = 0;
});

const ACTIONS: readonly AgentAction[] = ['read', 'update', 'delete', 'run', 'stop'];

/** One way of acting on an agent: the action it must ask for and its status when allowed. */
interface Row {
  readonly name: string;
  readonly action: AgentAction;
  readonly allowed: number;
  /** Performs it on the agent and returns the HTTP status (a refused one must be 404). */
  run(id: string): Promise<number>;
}

const ROWS: readonly Row[] = [
  {
    name: 'GET /api/agents/:id',
    action: 'read',
    allowed: 200,
    run: async (id) => (await api(h, `/api/agents/${id}`, { token })).status,
  },
  {
    name: 'GET /api/agents/:id/settings',
    action: 'read',
    allowed: 200,
    run: async (id) => (await api(h, `/api/agents/${id}/settings`, { token })).status,
  },
  {
    name: 'PATCH /api/agents/:id/settings',
    action: 'update',
    allowed: 200,
    run: async (id) =>
      (
        await api(h, `/api/agents/${id}/settings`, {
          method: 'PATCH',
          token,
          body: { maxSteps: 2 },
        })
      ).status,
  },
  {
    name: 'POST /api/agents/:id/stop',
    action: 'stop',
    allowed: 200,
    run: async (id) => (await api(h, `/api/agents/${id}/stop`, { method: 'POST', token })).status,
  },
  {
    name: 'DELETE /api/agents/:id',
    action: 'delete',
    allowed: 204,
    run: async (id) => (await api(h, `/api/agents/${id}`, { method: 'DELETE', token })).status,
  },
  {
    name: 'the WebSocket upgrade',
    action: 'read',
    allowed: 101,
    run: async (id) =>
      (await handshake(`${h.wsUrl}/api/agents/${id}/react?access-token=${token}`)).status,
  },
];

describe('every agent route asks the access policy for its own action', () => {
  for (const row of ROWS) {
    for (const denied of ACTIONS) {
      const expected = denied === row.action ? 404 : row.allowed;
      it(`${row.name} answers ${expected} when the policy refuses ${denied}`, async () => {
        const agent = await createAgent(h, token);
        refused = denied;
        expect(await row.run(agent.id)).toBe(expected);
        expect(asked).toContain(row.action);
        refused = undefined;
        // A refused write changes nothing: the agent is still there with its settings.
        if (expected === 404) {
          const after = await api(h, `/api/agents/${agent.id}`, { token });
          expect(after.status).toBe(200);
          expect((await json(after)).settings).toEqual(DEFAULT_SETTINGS);
        }
      });
    }
  }

  it('the list shows only agents the policy lets the caller read', async () => {
    const agent = await createAgent(h, token);
    refused = 'update';
    const shown = await json(await api(h, '/api/agents', { token }));
    expect(shown.agents.map((a: { id: string }) => a.id)).toContain(agent.id);
    refused = 'read';
    const hidden = await json(await api(h, '/api/agents', { token }));
    expect(hidden.agents).toEqual([]);
  });
});

describe('an open session asks the access policy for every frame', () => {
  it.each([
    ['prompt', 'run', { v: 1, type: 'prompt', text: 'hello' }],
    ['stop', 'stop', { v: 1, type: 'stop' }],
  ] as const)(
    'a %s frame is refused (ERR_NOT_FOUND, close 4404) when the policy refuses %s',
    async (_, action, frame) => {
      const agent = await createAgent(h, token);
      const session = await openSession(
        `${h.wsUrl}/api/agents/${agent.id}/react?access-token=${token}`,
      );
      expect(asked).toEqual(['read']); // the upgrade's own check
      asked.length = 0;
      refused = action;
      const error = session.next((e) => e.type === 'error');
      session.send(frame);
      expect(await error).toMatchObject({ type: 'error', code: 'ERR_NOT_FOUND' });
      expect((await session.closed).code).toBe(CLOSE_CODE.agentDeleted);
      expect(asked).toEqual([action]);
      // Nothing ran: no step was stored for the refused prompt.
      expect(await h.store.listSteps(agent.id, 10)).toEqual([]);
    },
  );

  it('a prompt frame runs when the policy refuses only stop', async () => {
    const agent = await createAgent(h, token);
    const session = await openSession(
      `${h.wsUrl}/api/agents/${agent.id}/react?access-token=${token}`,
    );
    asked.length = 0;
    refused = 'stop';
    const completed = session.next((e) => e.type === 'status' && e.state === 'completed');
    session.send({ v: 1, type: 'prompt', text: 'hello' });
    await completed;
    expect(asked).toEqual(['run']);
    session.ws.close();
  });
});
