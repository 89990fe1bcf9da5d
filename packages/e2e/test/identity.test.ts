import { identityHeadersFor, readIdentityHeaders, type SessionUser } from '@agentauth/auth-core';
import { type RunningNginx, startNginx } from '@agentauth/nginx';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAgent, listAgents } from '../src/agent-client.js';
import { send } from '../src/http-client.js';
import { httpRequest, rawExchange } from '../src/raw-http.js';
import { type RecordingUpstream, startRecordingUpstream } from '../src/recording-upstream.js';
import { type E2eStack, startE2eStack } from '../src/stack.js';
import { ALICE, tokenFor, user } from '../src/tokens.js';
import { closeSession, openSocket } from '../src/websocket-client.js';

// Who the agent-service thinks the caller is comes from the token and nothing else: non-ASCII
// identities survive every hop intact, and identity headers a client sends are dropped or refused.

let stack: E2eStack;
/** nginx → the stack's real access-control-service → a recording stand-in for the agent-service. */
let recorded: { gateway: RunningNginx; upstream: RecordingUpstream };

beforeAll(async () => {
  stack = await startE2eStack();
  const upstream = await startRecordingUpstream();
  const gateway = await startNginx({
    accessControlService: new URL(stack.acsUrl).host,
    agentService: upstream.address,
  });
  recorded = { gateway, upstream };
});
afterAll(async () => {
  await recorded?.gateway.stop();
  await recorded?.upstream.close();
  await stack?.stop();
});
beforeEach(() => {
  if (recorded) recorded.upstream.requests.length = 0;
});

const people: SessionUser[] = [
  user(101, 'Zoë 山田', 'zoë@exämple.org', 'REGULAR'),
  user(102, '🦊 Ωmega', null, 'ADMIN'),
  user(103, 'مريم العلي', 'مريم@مثال.مصر', 'REGULAR'),
  user(104, '100% real+name, "quoted"; =?utf-8?q?x?=', 'a+b%41@example.com', 'REGULAR'),
  user(105, 'e\u0301 combining and \u200d zero-width', 'x@example.com', 'ADMIN'),
  user(106, '%2541 %E2%82%AC already-encoded-looking', '%40@example.com', 'REGULAR'),
  // Near auth-core's 8 KiB token limit: ~17 KiB of percent-encoded identity headers per hop.
  user(107, '山'.repeat(1900), 'ünïcödé@exämple.org', 'REGULAR'),
];
const label = (p: SessionUser) =>
  p.name.length > 40 ? `${p.name.slice(0, 3)}… (${p.name.length} chars)` : p.name;
const cases = people.map((p) => [label(p), p] as const);
const expected = (p: SessionUser) => ({ uid: p.uid, name: p.name, email: p.email });

describe('non-ASCII identities are admitted and identified at every layer', () => {
  it.each(cases)(
    '%s: the access-control-service answers its identity (both shapes)',
    async (_, p) => {
      const token = tokenFor(p);
      const envoy = await send(`${stack.acsUrl}/api/auth/api/agents`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}` },
      });
      const nginxShape = await send(`${stack.acsUrl}/api/auth`, {
        headers: {
          'x-original-uri': `/api/agents/x/react?access-token=${token}`,
          'x-original-method': 'GET',
        },
      });
      for (const res of [envoy, nginxShape]) {
        expect(res.status).toBe(200);
        for (const [name, value] of Object.entries(identityHeadersFor(p))) {
          expect(res.headers[name]).toBe(value);
        }
        expect(readIdentityHeaders(res.headers)).toEqual(expected(p));
      }
    },
  );

  it.each(cases)('%s: the upstream behind nginx receives exactly its identity', async (_, p) => {
    const res = await send(`${recorded.gateway.origin}/api/agents`, {
      headers: { authorization: `Bearer ${tokenFor(p)}` },
    });
    expect(res.status).toBe(200);
    expect(recorded.upstream.requests).toHaveLength(1);
    const seen = recorded.upstream.requests[0];
    expect(readIdentityHeaders(seen?.headers ?? {})).toEqual(expected(p));
  });

  it.each(cases)(
    '%s: the real agent-service records it as owner, through nginx and directly',
    async (_, p) => {
      const token = tokenFor(p);
      // The agent-service refuses identity headers that disagree with the token (must-match), so a
      // 201 through nginx also proves the headers it received decode to this user.
      const viaGateway = await createAgent(stack.origin, token, `agent of ${p.uid} via nginx`);
      const direct = await createAgent(stack.agentUrl, token, `agent of ${p.uid} direct`);
      expect(viaGateway.ownerUid).toBe(p.uid);
      expect(direct.ownerUid).toBe(p.uid);
      const listed = await listAgents(stack.origin, token);
      expect(listed.map((a) => a.id)).toEqual(expect.arrayContaining([viaGateway.id, direct.id]));
      const hs = await openSocket(
        `ws://127.0.0.1:${stack.gatewayPort}/api/agents/${viaGateway.id}/react?access-token=${token}`,
      );
      if (!('session' in hs)) throw new Error(`handshake answered ${hs.status}: ${hs.body}`);
      const snapshot = await hs.session.next((e) => e.type === 'snapshot');
      expect(snapshot).toMatchObject({ agent: { id: viaGateway.id, ownerUid: p.uid } });
      await closeSession(hs.session);
    },
  );
});

// Every spelling a client might use for the identity headers (case, underscores, mixed).
const SPOOFS = [
  'x-user-id: 1',
  'X-User-Id: 1',
  'X-USER-ID: 1',
  'x_user_id: 1',
  'X_User_Id: 1',
  'x-user_id: 1',
  'x_user-id: 1',
  'x-user-name: root',
  'X-User-Name: root',
  'x_user_name: root',
  'x-user-email: root@example.com',
  'X_USER_EMAIL: root@example.com',
];
const ALICE_IDENTITY = expected(ALICE);

describe('identity spoofing', () => {
  it('nginx drops every client spelling and forwards only the decided identity', async () => {
    const res = await rawExchange(
      recorded.gateway.port,
      httpRequest([
        'GET /api/agents HTTP/1.1',
        'Host: 127.0.0.1',
        'Connection: close',
        `Authorization: Bearer ${tokenFor(ALICE)}`,
        ...SPOOFS,
      ]),
    );
    expect(res.first.status).toBe(200);
    const seen = recorded.upstream.requests[0];
    expect(readIdentityHeaders(seen?.headers ?? {})).toEqual(ALICE_IDENTITY);
    const identityNames = (seen?.headerNames ?? []).filter((n) => /^x[-_]user[-_]/i.test(n));
    expect(identityNames.map((n) => n.toLowerCase()).sort()).toEqual([
      'x-user-email',
      'x-user-id',
      'x-user-name',
    ]);
  });

  it('without a token the spoofed identity gets 401 and reaches nothing', async () => {
    const res = await rawExchange(
      recorded.gateway.port,
      httpRequest(['GET /api/agents HTTP/1.1', 'Host: 127.0.0.1', 'Connection: close', ...SPOOFS]),
    );
    expect(res.first.status).toBe(401);
    expect(recorded.upstream.requests).toHaveLength(0);
  });

  it('through nginx the real agent-service records the token owner, not the spoofed one', async () => {
    const body = '{"name":"spoof check","modelType":"dev-model"}';
    const res = await rawExchange(
      stack.gatewayPort,
      httpRequest(
        [
          'POST /api/agents HTTP/1.1',
          'Host: 127.0.0.1',
          'Connection: close',
          `Authorization: Bearer ${tokenFor(ALICE)}`,
          ...SPOOFS,
          'Content-Type: application/json',
          `Content-Length: ${body.length}`,
        ],
        body,
      ),
    );
    expect(res.first.status).toBe(201);
    expect(JSON.parse(res.first.body)).toMatchObject({ name: 'spoof check', ownerUid: ALICE.uid });
  });

  it('straight to the agent-service, identity headers that disagree with the token are refused (401)', async () => {
    for (const spoof of ['x-user-id: 1', 'X-USER-NAME: root', 'X-User-Email: root@example.com']) {
      const res = await rawExchange(
        Number(new URL(stack.agentUrl).port),
        httpRequest([
          'GET /api/agents HTTP/1.1',
          'Host: 127.0.0.1',
          'Connection: close',
          `Authorization: Bearer ${tokenFor(ALICE)}`,
          spoof,
        ]),
      );
      expect(res.first.status, spoof).toBe(401);
      expect(res.first.body, spoof).toContain('ERR_IDENTITY_MISMATCH');
    }
  });

  it('straight to the agent-service, underscore spellings are not identity headers at all', async () => {
    const created = await send(`${stack.agentUrl}/api/agents`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokenFor(ALICE)}`,
        x_user_id: '1',
        x_user_name: 'root',
      },
      body: { name: 'underscore check', modelType: 'dev-model' },
    });
    expect(created.status).toBe(201);
    expect(created.json<{ ownerUid: number }>().ownerUid).toBe(ALICE.uid);
  });

  it('the access-control-service never echoes client identity headers', async () => {
    const res = await send(`${stack.acsUrl}/api/auth/api/agents`, {
      headers: {
        authorization: `Bearer ${tokenFor(ALICE)}`,
        'x-user-id': '1',
        'x-user-name': 'root',
        'x-user-email': 'root@example.com',
      },
    });
    expect(res.status).toBe(200);
    expect(readIdentityHeaders(res.headers)).toEqual(ALICE_IDENTITY);
  });
});

describe('gateway-only headers sent by the client', () => {
  it('X-Original-URI / X-Original-Method from a client do not change what is decided', async () => {
    const noToken = await send(`${recorded.gateway.origin}/api/agents`, {
      headers: { 'x-original-uri': '/api/healthcheck', 'x-original-method': 'GET' },
    });
    expect(noToken.status).toBe(401);
    const wrongPath = await send(`${recorded.gateway.origin}/api/agents`, {
      headers: {
        authorization: `Bearer ${tokenFor(ALICE)}`,
        'x-original-uri': '/etc/passwd',
        'x-original-method': 'DELETE',
      },
    });
    expect(wrongPath.status).toBe(200);
    expect(recorded.upstream.requests).toHaveLength(1);
    expect(recorded.upstream.requests[0]).toMatchObject({ method: 'GET', url: '/api/agents' });
  });

  it('the Envoy shape ignores X-Original-* (the path in the URL is what is judged)', async () => {
    const token = tokenFor(ALICE);
    const notGoverned = await send(`${stack.acsUrl}/api/auth/api/healthcheck`, {
      headers: { authorization: `Bearer ${token}`, 'x-original-uri': '/api/agents' },
    });
    expect(notGoverned.status).toBe(403);
    expect(notGoverned.code).toBe('ERR_PATH_NOT_GOVERNED');
    const governed = await send(`${stack.acsUrl}/api/auth/api/agents`, {
      headers: { authorization: `Bearer ${token}`, 'x-original-uri': '/api/healthcheck' },
    });
    expect(governed.status).toBe(200);
  });

  it('X-Forwarded-*, Forwarded, X-Real-IP and method/URL override headers change nothing', async () => {
    const tricks = {
      'x-forwarded-for': '10.0.0.1, 127.0.0.1',
      'x-forwarded-host': 'admin.internal',
      'x-forwarded-proto': 'https',
      'x-forwarded-prefix': '/api/agents',
      forwarded: 'for=10.0.0.1;proto=https;host=admin.internal',
      'x-real-ip': '10.0.0.1',
      'x-original-url': '/api/agents',
      'x-rewrite-url': '/api/agents',
      'x-http-method-override': 'DELETE',
    };
    const denied = await send(`${recorded.gateway.origin}/api/agents`, { headers: tricks });
    expect(denied.status).toBe(401);
    expect(recorded.upstream.requests).toHaveLength(0);
    const allowed = await send(`${recorded.gateway.origin}/api/agents/42`, {
      headers: { ...tricks, authorization: `Bearer ${tokenFor(ALICE)}` },
    });
    expect(allowed.status).toBe(200);
    const seen = recorded.upstream.requests[0];
    expect(seen).toMatchObject({ method: 'GET', url: '/api/agents/42' });
    expect(seen?.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen?.headers['x-forwarded-proto']).toBe('http');
    expect(readIdentityHeaders(seen?.headers ?? {})).toEqual(ALICE_IDENTITY);

    // The real agent-service does not honour a method override either: the agent survives.
    const token = tokenFor(ALICE);
    const agent = await createAgent(stack.origin, token, 'override target');
    const get = await send(`${stack.origin}/api/agents/${agent.id}`, {
      headers: { ...tricks, authorization: `Bearer ${token}` },
    });
    expect(get.status).toBe(200);
    expect((await listAgents(stack.origin, token)).map((a) => a.id)).toContain(agent.id);
  });
});

describe('after the identity checks', () => {
  it('leaves every process alive and healthy', async () => {
    expect(Object.values(await stack.health())).toEqual([true, true, true, true]);
  });
});
