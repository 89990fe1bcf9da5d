import { AgentListResponse, agentPaths, PROTOCOL_VERSION } from '@agentauth/agent-api';
import {
  loadSecret,
  type Role,
  signToken,
  statusForCode,
  wwwAuthenticate,
} from '@agentauth/auth-core';
import { TEST_SECRET, type TokenCase, tokenMatrix } from '@agentauth/auth-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningGateway, startGateway } from './support/gateway.js';
import { rawRequest } from './support/raw-http.js';
import { type Services, startServices } from './support/services.js';
import { handshake, waitForMessage } from './support/websocket.js';

// Real nginx in front of the real access-control-service and agent-service (with the dev model
// server as its LLM), each started from its built dist/main.js.

let services: Services;
let gw: RunningGateway;
let matrix: TokenCase[];
const minted: string[] = [];

async function tokenFor(uid: number, name: string, role: Role, ttl = 600): Promise<string> {
  const { key } = await loadSecret({ AUTH_JWT_SECRET: TEST_SECRET });
  const token = await signToken({ uid, name, role, email: `${name}@example.com` }, { key, ttl });
  minted.push(token);
  return token;
}

const api = (path: string, token: string | undefined, init: RequestInit = {}) =>
  fetch(`${gw.origin}${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...(init.headers as Record<string, string> | undefined),
    },
  });

async function createAgent(
  token: string,
  name = 'helper',
): Promise<{ id: string; ownerUid: number }> {
  const res = await api(agentPaths.list(), token, {
    method: 'POST',
    body: JSON.stringify({ name, modelType: 'dev-model' }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; ownerUid: number };
}

const socketUrl = (id: string, token?: string) =>
  `ws://127.0.0.1:${gw.port}${agentPaths.react(id)}${token === undefined ? '' : `?access-token=${token}`}`;

beforeAll(async () => {
  services = await startServices();
  gw = await startGateway({
    accessControlService: services.acs.address,
    agentService: services.agent.address,
  });
  matrix = tokenMatrix(TEST_SECRET);
}, 60_000);

afterAll(async () => {
  await gw?.stop();
  await services?.stop();
});

describe('REST through the gateway', () => {
  it.each([
    ['REGULAR', 21],
    ['ADMIN', 22],
  ] as const)('lets a %s user list and create agents as themselves', async (role, uid) => {
    const token = await tokenFor(uid, `user${uid}`, role);
    const list = await api(agentPaths.list(), token);
    expect(list.status).toBe(200);
    AgentListResponse.parse(await list.json());
    const agent = await createAgent(token);
    expect(agent.ownerUid).toBe(uid);
    const one = await api(agentPaths.one(agent.id), token);
    expect(one.status).toBe(200);
  });

  it('passes PATCH with a body and the original method', async () => {
    const token = await tokenFor(23, 'patcher', 'REGULAR');
    const agent = await createAgent(token);
    const res = await api(agentPaths.settings(agent.id), token, {
      method: 'PATCH',
      body: JSON.stringify({ temperature: 0.5 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ temperature: 0.5 });
  });

  it('serves the model list', async () => {
    const res = await api(agentPaths.models(), await tokenFor(24, 'm', 'REGULAR'));
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain('dev-model');
  });
});

describe('every token class of the auth-core matrix', () => {
  it.each(tokenMatrixRows())('%s → %i (Bearer header)', async (_, status, index) => {
    const row = matrix[index] as TokenCase;
    const res = await api(agentPaths.list(), row.token);
    expect(res.status).toBe(status);
    await expectDenialShape(res, row);
  });

  it.each(tokenMatrixRows())('%s → %i (access-token query)', async (_, status, index) => {
    const row = matrix[index] as TokenCase;
    const res = await fetch(`${gw.origin}${agentPaths.list()}?access-token=${row.token}`);
    expect(res.status).toBe(status);
    await expectDenialShape(res, row);
  });

  it('refuses a request without a token with a bare challenge', async () => {
    const res = await api(agentPaths.list(), undefined);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(wwwAuthenticate('ERR_TOKEN_MISSING'));
    expect(await res.json()).toMatchObject({ error: { code: 'ERR_TOKEN_MISSING' } });
  });

  it('refuses two different tokens (query and header) as ambiguous', async () => {
    const a = await tokenFor(25, 'a', 'REGULAR');
    const b = await tokenFor(26, 'b', 'REGULAR');
    const res = await api(`${agentPaths.list()}?access-token=${a}`, b);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'ERR_TOKEN_AMBIGUOUS' } });
  });
});

function tokenMatrixRows(): Array<[string, number, number]> {
  // Built at collection time for the test names; the tokens themselves come from `matrix`.
  return tokenMatrix(TEST_SECRET).map((row, index) => [row.name, row.status, index]);
}

async function expectDenialShape(res: Response, row: TokenCase) {
  if (row.status === 200) {
    AgentListResponse.parse(await res.json());
    return;
  }
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
  if (row.status === 401 && row.code) {
    expect(statusForCode(row.code)).toBe(401);
    expect(body.error.code).toBe(row.code);
    expect(res.headers.get('www-authenticate')).toBe(wwwAuthenticate(row.code));
  } else {
    expect(res.headers.get('www-authenticate')).toBeNull();
  }
}

describe('identity headers', () => {
  it.each([
    ['X-User-Id: 1'],
    ['x-user-id: 1'],
    ['X-USER-NAME: root'],
    ['x-user-email: root@example.com'],
    ['x_user_id: 1'],
    ['X_User_Name: root'],
  ])('a spoofed "%s" never reaches the agent-service', async (header) => {
    // The agent-service refuses (401) identity headers that disagree with the token; a 200 means
    // the only identity headers it saw were the gateway's.
    const token = await tokenFor(27, 'honest', 'REGULAR');
    const res = await rawRequest(gw.port, [
      `GET ${agentPaths.list()} HTTP/1.1`,
      'Host: t',
      `Authorization: Bearer ${token}`,
      header,
    ]);
    expect(res.status).toBe(200);
  });
});

describe('path variants', () => {
  const variants = [
    '/api//agents',
    '//api/agents',
    '/api/./agents',
    '/api/x/../agents',
    '/api/%61gents',
    '/api/agents%2F1',
    '/api/other%2F..%2Fagents',
    '/api/agents/1/react',
  ];

  it.each(variants)('%s without a token is refused by the decision', async (target) => {
    const res = await rawRequest(gw.port, [`GET ${target} HTTP/1.1`, 'Host: t']);
    expect([401, 403]).toContain(res.status);
  });

  it('an encoded slash is refused even with a valid token (ERR_PATH_INVALID)', async () => {
    const token = await tokenFor(28, 'slash', 'REGULAR');
    const res = await rawRequest(gw.port, [
      'GET /api/agents%2Fmodels HTTP/1.1',
      'Host: t',
      `Authorization: Bearer ${token}`,
    ]);
    expect(res.status).toBe(403);
  });
});

describe('the WebSocket', () => {
  it('opens with ?access-token= and runs a prompt to completion', async () => {
    const token = await tokenFor(29, 'chatter', 'REGULAR');
    const agent = await createAgent(token, 'chat');
    const hs = await handshake(socketUrl(agent.id, token));
    if (!hs.opened) throw new Error(`handshake refused with ${hs.status}: ${hs.body}`);
    try {
      await waitForMessage(hs.messages, (m) => m.type === 'snapshot');
      hs.socket.send(JSON.stringify({ v: PROTOCOL_VERSION, type: 'prompt', text: 'What is 6*7?' }));
      await waitForMessage(hs.messages, (m) => m.type === 'status' && m.state === 'running');
      await waitForMessage(
        hs.messages,
        (m) => m.type === 'status' && m.state === 'completed',
        20_000,
      );
      expect(hs.messages.some((m) => (m as { type: string }).type === 'step')).toBe(true);
    } finally {
      hs.socket.close();
    }
  });

  it.each<[string, () => Promise<string | undefined>, number]>([
    ['no token', async () => undefined, 401],
    [
      'a forged token',
      async () => matrix.find((r) => r.code === 'ERR_TOKEN_SIGNATURE')?.token,
      401,
    ],
    ['an expired token', async () => tokenFor(30, 'old', 'REGULAR', -3600), 401],
    ['a RESTRICTED user', async () => tokenFor(31, 'rita', 'RESTRICTED'), 403],
    ['an INACTIVE user', async () => tokenFor(32, 'ian', 'INACTIVE'), 403],
  ])('refuses %s before any 101', async (_, token, status) => {
    const owner = await tokenFor(33, 'owner', 'REGULAR');
    const agent = await createAgent(owner, 'target');
    const hs = await handshake(socketUrl(agent.id, await token()));
    expect(hs.opened).toBe(false);
    if (!hs.opened) {
      expect(hs.status).toBe(status);
      expect(JSON.parse(hs.body).error.code).toMatch(/^ERR_/);
    }
  });
});

describe('logs after all of the above', () => {
  it('the access log and the error log hold no token', () => {
    const logs = gw.accessLog() + gw.errorLog();
    expect(logs.length).toBeGreaterThan(0);
    for (const token of [...minted, ...matrix.map((r) => r.token)]) {
      // Every token has a long, unique signature part; look for it alone too.
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(token.split('.')[2] || token);
    }
  });
});
