import { bearerProtocol, type TokenVerifier } from '@agentauth/auth-core';
import { TEST_SECRET, tokenMatrix, tokenParamSpellings } from '@agentauth/auth-core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type Running, type Send, SHAPES, send, startService } from './harness.js';

const ROWS = tokenMatrix(TEST_SECRET);
const tokenOf = (name: string) => {
  const row = ROWS.find((r) => r.name === name);
  if (!row) throw new Error(`no tokenMatrix row named ${name}`);
  return row.token;
};
const GOOD = tokenOf('a REGULAR token from the platform issuer');
const ADMIN = tokenOf('an ADMIN token');
const TAMPERED = tokenOf('a tampered signature');
const RESTRICTED = tokenOf('a RESTRICTED user');
const q = encodeURIComponent;

let service: Running | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

/** Every piece of a token that would give it away: the whole token and each segment. */
function secretsOf(token: string): string[] {
  return [token, ...token.split('.').filter((part) => part.length >= 16)];
}

function expectNoSecrets(lines: readonly string[], tokens: readonly string[]) {
  const text = lines.join('\n');
  for (const token of tokens)
    for (const piece of secretsOf(token)) expect(text).not.toContain(piece);
  expect(text).not.toContain('access-token');
  expect(text).not.toMatch(/bearer/i);
  expect(text).not.toContain(TEST_SECRET);
}

describe('decision logs', () => {
  it('write one line per decision with method, canonical path, shape, status, code and uid, and never a token or query', async () => {
    service = await startService();
    const requests: Send[] = [
      SHAPES.envoy('PATCH', '/api/agents/42/settings', [
        'Authorization',
        `Bearer ${GOOD}`,
        'X-Request-Id',
        '6f1c2b9e-94a4-4d0b-8c51-2f0a7e1d3c11',
      ]),
      SHAPES.envoy('GET', `/api/agents/42/react?access-token=${q(GOOD)}`),
      SHAPES.nginx('GET', `/api//agents/./42/react?access-token=${q(GOOD)}`),
      SHAPES.nginx('DELETE', '/api/agents/42', ['Authorization', `Bearer ${ADMIN}`]),
      SHAPES.envoy('GET', `/api/agents/1/react?access-token=${q(TAMPERED)}`),
      SHAPES.nginx('GET', '/api/agents', [
        'Authorization',
        `Bearer ${TAMPERED}`,
        'X-Request-Id',
        GOOD,
      ]),
      SHAPES.envoy('GET', '/api/agents', ['Authorization', `Bearer ${RESTRICTED}`]),
      SHAPES.envoy('GET', `/api/agents?access-token=${q(GOOD)}`, [
        'Authorization',
        `Bearer ${ADMIN}`,
      ]),
      SHAPES.nginx('GET', `/api/agents%2F1?access-token=${q(GOOD)}`),
      SHAPES.envoy('GET', `/dashboard?access-token=${q(GOOD)}`),

      {
        method: 'POST',
        path: '/api/auth/api/agents',
        headers: ['Content-Type', 'application/json'],
        body: JSON.stringify({ token: GOOD }),
      },
      {
        method: 'POST',
        path: '/api/auth/api/agents',
        headers: ['Content-Type', 'application/json'],
        body: `{"token":"${GOOD}"`,
      },
    ];
    for (const request of requests) await send(service.port, request);

    const decisions = service.records().filter((r) => r.msg === 'decision');
    expect(decisions).toHaveLength(requests.length);
    expect(
      decisions.map(({ method, path, shape, status, code, uid }) => ({
        method,
        path,
        shape,
        status,
        code,
        uid,
      })),
    ).toEqual([
      {
        method: 'PATCH',
        path: '/api/agents/42/settings',
        shape: 'envoy',
        status: 200,
        code: undefined,
        uid: 7,
      },
      {
        method: 'GET',
        path: '/api/agents/42/react',
        shape: 'envoy',
        status: 200,
        code: undefined,
        uid: 7,
      },
      {
        method: 'GET',
        path: '/api/agents/42/react',
        shape: 'nginx',
        status: 200,
        code: undefined,
        uid: 7,
      },
      {
        method: 'DELETE',
        path: '/api/agents/42',
        shape: 'nginx',
        status: 200,
        code: undefined,
        uid: 1,
      },
      {
        method: 'GET',
        path: '/api/agents/1/react',
        shape: 'envoy',
        status: 401,
        code: 'ERR_TOKEN_SIGNATURE',
        uid: undefined,
      },
      {
        method: 'GET',
        path: '/api/agents',
        shape: 'nginx',
        status: 401,
        code: 'ERR_TOKEN_SIGNATURE',
        uid: undefined,
      },
      {
        method: 'GET',
        path: '/api/agents',
        shape: 'envoy',
        status: 403,
        code: 'ERR_ROLE_FORBIDDEN',
        uid: undefined,
      },
      {
        method: 'GET',
        path: '/api/agents',
        shape: 'envoy',
        status: 401,
        code: 'ERR_TOKEN_AMBIGUOUS',
        uid: undefined,
      },
      {
        method: 'GET',
        path: undefined,
        shape: 'nginx',
        status: 403,
        code: 'ERR_PATH_INVALID',
        uid: undefined,
      },
      {
        method: 'GET',
        path: '/dashboard',
        shape: 'envoy',
        status: 403,
        code: 'ERR_PATH_NOT_GOVERNED',
        uid: undefined,
      },
      { method: 'POST', path: '/api/agents', shape: 'envoy', status: 200, code: undefined, uid: 7 },
      {
        method: 'POST',
        path: '/api/agents',
        shape: 'envoy',
        status: 401,
        code: 'ERR_TOKEN_MALFORMED',
        uid: undefined,
      },
    ]);
    for (const d of decisions) expect(d.level).toBe(30);
    // a request id is logged only in a shape too short to be a token
    expect(decisions.map((d) => d.requestId)).toEqual([
      '6f1c2b9e-94a4-4d0b-8c51-2f0a7e1d3c11',
      ...Array(requests.length - 1).fill(undefined),
    ]);
    expectNoSecrets(service.lines, [GOOD, ADMIN, TAMPERED, RESTRICTED]);
  });

  it('hold no token from a subprotocol entry or any spelling of the query parameter', async () => {
    service = await startService();
    const requests: Send[] = [
      SHAPES.envoy('GET', '/api/agents/1/react', [
        'Sec-WebSocket-Protocol',
        `agentauth.react.v1, ${bearerProtocol(GOOD)}`,
      ]),
      SHAPES.nginx('GET', '/api/agents/1/react', [
        'Sec-WebSocket-Protocol',
        `agentauth.react.v1, ${bearerProtocol(TAMPERED)}`,
      ]),
      ...tokenParamSpellings().flatMap((name) => [
        SHAPES.envoy('GET', `/api/agents/1/react?${name}=${q(GOOD)}`),
        SHAPES.nginx('GET', `/api/agents/1/react?${name}=${q(TAMPERED)}`),
      ]),
    ];
    for (const request of requests) await send(service.port, request);
    const decisions = service.records().filter((r) => r.msg === 'decision');
    expect(decisions.map((d) => d.status)).toEqual(
      requests.map((_, i) => (i % 2 === 0 ? 200 : 401)),
    );
    expectNoSecrets(service.lines, [GOOD, TAMPERED]);
    for (const token of [GOOD, TAMPERED])
      expect(service.lines.join('\n')).not.toContain(bearerProtocol(token).split('.').at(-1));
  });

  it('log an unexpected failure at error level, without the token or the error message, and deny', async () => {
    const verifier: TokenVerifier = {
      peek: () => undefined,
      verify: (token) => Promise.reject(new TypeError(`cannot handle ${token}`)),
      cacheSize: 0,
    };
    service = await startService({ verifier });
    for (const request of [
      SHAPES.envoy('GET', '/api/agents', ['Authorization', `Bearer ${GOOD}`]),
      SHAPES.nginx('GET', `/api/agents/1/react?access-token=${q(GOOD)}`),
    ]) {
      const reply = await send(service.port, request);
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toContain('Bearer');
    }
    const failures = service.records().filter((r) => r.level === 50);
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({
      msg: 'decision failed unexpectedly; denied',
      path: '/api/agents',
      shape: 'envoy',
      status: 401,
      err: { type: 'TypeError', frames: expect.stringContaining('at ') },
    });
    expect(service.lines.join('\n')).not.toContain('cannot handle');
    expectNoSecrets(service.lines, [GOOD]);
  });
});
