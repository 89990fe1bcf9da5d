import { identityHeadersFor, type SessionUser } from '@agentauth/auth-core';
import { matrixAtUse, TEST_SECRET, tokenParamSpellings } from '@agentauth/auth-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createAgent, type Harness, json, startHarness, tokenFor } from './harness.js';

// The matrix's names and verdicts are fixed; its tokens carry `exp` relative to when they are
// built, so they are built once the service is up (not when the file is collected), and every
// token actually sent is remembered for the log check.
const matrix = matrixAtUse(TEST_SECRET);
const ROWS = matrix.rows;
/** Tokens this file sent besides the matrix's. */
const sent = new Set<string>();
const tokenOf = (name: string): string => matrix.row(name).token;
let h: Harness;
let owner = '';
beforeAll(async () => {
  h = await startHarness();
  owner = await tokenFor();
  sent.add(owner);
  matrix.build();
});
afterAll(() => h.close());

interface RouteCase {
  readonly name: string;
  readonly method: string;
  /** Builds the path (and creates what the route needs) for one request. */
  readonly path: () => Promise<string>;
  readonly body?: unknown;
  readonly ok: number;
}

const agentPath = async (suffix = '') => `/api/agents/${(await createAgent(h, owner)).id}${suffix}`;

const routes: RouteCase[] = [
  { name: 'GET /api/agents', method: 'GET', path: async () => '/api/agents', ok: 200 },
  {
    name: 'POST /api/agents',
    method: 'POST',
    path: async () => '/api/agents',
    body: { name: 'matrix', modelType: 'dev-model' },
    ok: 201,
  },
  {
    name: 'GET /api/agents/models',
    method: 'GET',
    path: async () => '/api/agents/models',
    ok: 200,
  },
  { name: 'GET /api/agents/:id', method: 'GET', path: () => agentPath(), ok: 200 },
  { name: 'DELETE /api/agents/:id', method: 'DELETE', path: () => agentPath(), ok: 204 },
  {
    name: 'GET /api/agents/:id/settings',
    method: 'GET',
    path: () => agentPath('/settings'),
    ok: 200,
  },
  {
    name: 'PATCH /api/agents/:id/settings',
    method: 'PATCH',
    path: () => agentPath('/settings'),
    body: { temperature: 1 },
    ok: 200,
  },
  { name: 'POST /api/agents/:id/stop', method: 'POST', path: () => agentPath('/stop'), ok: 200 },
];

/** What one row answers on one route: '' when it is as the auth core says, else the difference. */
async function mismatch(route: RouteCase, row: (typeof ROWS)[number]): Promise<string> {
  const token = tokenOf(row.name);
  const path = await route.path();
  const res = await api(h, path, { method: route.method, token, body: route.body });
  const text = await res.text();
  if (text.includes(token)) return `${row.name}: the answer contains the token`;
  if (row.status === 200) return res.status === route.ok ? '' : `${row.name}: ${res.status}`;
  const body = JSON.parse(text) as { error?: { code?: string; message?: unknown } };
  const challenged = Boolean(res.headers.get('www-authenticate'));
  if (
    res.status !== row.status ||
    body.error?.code !== row.code ||
    typeof body.error?.message !== 'string' ||
    Object.keys(body).length !== 1 ||
    challenged !== (row.status === 401)
  ) {
    return `${row.name}: ${res.status} ${text} (challenge: ${challenged})`;
  }
  return '';
}

// Every route mounts the same authentication middleware: the matrix is a case per row on one
// route (the layer that decides), and one case per other route that runs all rows as its table.
const [FIRST] = routes as [RouteCase, ...RouteCase[]];
describe(`${FIRST.name}, one case per token of the matrix`, () => {
  it.each(ROWS)('given $name answers as the auth core says', async (row) => {
    expect(await mismatch(FIRST, row)).toBe('');
  });
});

describe.each(routes)('$name', (route) => {
  if (route !== FIRST) {
    it('answers every token of the matrix as the auth core says', async ({ annotate }) => {
      const wrong: string[] = [];
      for (const row of ROWS) {
        const problem = await mismatch(route, row);
        if (problem) wrong.push(problem);
      }
      expect(wrong).toEqual([]);
      await annotate(String(ROWS.length), 'table-rows');
    });
  }

  it('answers 401 with a bare Bearer challenge without a token', async () => {
    const res = await api(h, await route.path(), { method: route.method, body: route.body });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="agentauth"');
    expect(await json(res)).toMatchObject({ error: { code: 'ERR_TOKEN_MISSING' } });
  });

  it('refuses spoofed x-user-* headers that disagree with the token (401)', async () => {
    const path = await route.path();
    const bob: SessionUser = { uid: 8, name: 'bob', email: null, role: 'ADMIN' };
    const res = await api(h, path, {
      method: route.method,
      token: owner,
      body: route.body,
      headers: identityHeadersFor(bob),
    });
    expect(res.status).toBe(401);
    expect(await json(res)).toMatchObject({ error: { code: 'ERR_IDENTITY_MISMATCH' } });
  });
});

describe('authentication details', () => {
  it('accepts identity headers that match the token, and the token from the query', async () => {
    const alice: SessionUser = {
      uid: 7,
      name: 'alice',
      email: 'alice@example.com',
      role: 'REGULAR',
    };
    const matching = await api(h, '/api/agents', {
      token: owner,
      headers: identityHeadersFor(alice),
    });
    expect(matching.status).toBe(200);
    const query = await fetch(`${h.url}/api/agents?access-token=${owner}`);
    expect(query.status).toBe(200);
  });

  // Behind a gateway the token (up to 8 KiB) arrives with identity headers that percent-encoding
  // makes up to ~3x the name's UTF-8 bytes: more than Node's default 16 KiB header limit (431).
  it('admits a valid user whose long non-ASCII name makes the gateway headers exceed 16 KiB', async () => {
    const user: SessionUser = {
      uid: 9,
      name: '山'.repeat(1700),
      email: 'zoë@exämple.org',
      role: 'REGULAR',
    };
    const token = await tokenFor(user);
    sent.add(token);
    expect(token.length).toBeLessThan(8192);
    const res = await api(h, '/api/agents', { token, headers: identityHeadersFor(user) });
    expect(res.status).toBe(200);
  });

  it('refuses two different tokens in one request', async () => {
    const other = await tokenFor({ uid: 8, name: 'bob', role: 'REGULAR' });
    sent.add(other);
    const res = await fetch(`${h.url}/api/agents?access-token=${other}`, {
      headers: { authorization: `Bearer ${owner}` },
    });
    expect(res.status).toBe(401);
    expect(await json(res)).toMatchObject({ error: { code: 'ERR_TOKEN_AMBIGUOUS' } });
  });

  it('answers 401, not 400 or 404, to an unauthenticated request with a bad body or path', async () => {
    const bad = await api(h, '/api/agents', { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(401);
    const unknown = await api(h, '/api/agents/nope/nothing');
    expect(unknown.status).toBe(401);
  });

  it('serves the healthcheck without a token, and ignores a bad one there', async () => {
    expect(await json(await api(h, '/api/healthcheck'))).toEqual({ status: 'ok' });
    expect((await api(h, '/api/healthcheck', { token: 'garbage' })).status).toBe(200);
  });

  it('never writes a token into its logs, under any spelling of its parameter name', async () => {
    await fetch(`${h.url}/api/agents?access-token=${owner}`);
    for (const name of tokenParamSpellings()) {
      // Each spelling is read as the token (200) and redacted from the request log.
      expect((await fetch(`${h.url}/api/agents?${name}=${owner}`)).status).toBe(200);
      expect((await fetch(`${h.url}/api/agents?x=1&${name}=${owner}x`)).status).toBe(401);
    }
    const logs = h.logs.join('');
    expect(logs).toContain('access-token=[REDACTED]');
    expect(matrix.sent.size).toBe(ROWS.length);
    for (const token of [...matrix.sent, ...sent]) expect(logs).not.toContain(token);
    expect(logs.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(
      1 + 2 * tokenParamSpellings().length,
    );
  });
});
