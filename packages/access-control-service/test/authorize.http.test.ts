import { once } from 'node:events';
import { connect } from 'node:net';
import {
  type AuthErrorCode,
  bearerProtocol,
  createTokenVerifier,
  readIdentityHeaders,
} from '@agentauth/auth-core';
import {
  rawToken,
  TEST_KEY,
  TEST_SECRET,
  tokenMatrix,
  tokenParamSpellings,
} from '@agentauth/auth-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorCode,
  METHODS,
  type Reply,
  type Running,
  SHAPES,
  type ShapeName,
  SPOOFED_IDENTITY,
  send,
  sendRaw,
  startService,
} from './harness.js';

// The service's verifier reads a clock frozen when the file starts, and the matrix is built
// against it: rows near the skew boundary keep their verdict however long the file runs.
const NOW_MS = Date.now();
const ROWS = tokenMatrix(TEST_SECRET, NOW_MS);
const ALICE = ROWS[0];
if (ALICE?.status !== 200 || !ALICE.user) throw new Error('tokenMatrix row 0 must be a good token');
const GOOD = ALICE.token;
const BEARER = ['Authorization', `Bearer ${GOOD}`];
const SHAPE_NAMES = Object.keys(SHAPES) as ShapeName[];
// The agent chat's subprotocol (agent-api REACT_SUBPROTOCOL); any real protocol name works here.
const REACT_SUBPROTOCOL = 'agentauth.react.v1';

let service: Running;
beforeAll(async () => {
  service = await startService({
    verifier: createTokenVerifier({ key: TEST_KEY, clock: () => NOW_MS }),
  });
});
afterAll(() => service.close());

const ask = (shape: ShapeName, method: string, target: string, headers: readonly string[] = []) =>
  send(service.port, SHAPES[shape](method, target, headers));

/** Checks everything an answer must satisfy for its status, whatever the request was. */
function expectAnswer(
  reply: Reply,
  method: string,
  expected: { status: 200 | 401 | 403; code?: AuthErrorCode | undefined },
  token?: string,
) {
  expect(reply.status).toBe(expected.status);
  expect(reply.headers['cache-control']).toBe('no-store');
  if (token) expect(reply.body).not.toContain(token);
  const identityLines = reply.rawHeaders.filter((_, i) => i % 2 === 0 && /^x[-_]user/i.test(_));
  if (expected.status === 200) {
    // exactly the three identity headers, once each, lower-case, never a client's spelling
    expect(identityLines).toEqual(['x-user-id', 'x-user-name', 'x-user-email']);
    return;
  }
  expect(identityLines).toEqual([]);
  expect(Boolean(reply.headers['www-authenticate'])).toBe(expected.status === 401);
  if (method !== 'HEAD') expect(errorCode(reply)).toBe(expected.code);
}

describe.each(SHAPE_NAMES)('the %s-shaped authorize request', (shape) => {
  describe('× every method × every token of the auth core matrix', () => {
    it.each(ROWS)('answers $status for $name', async (row) => {
      for (const method of METHODS) {
        const reply = await ask(shape, method, '/api/agents/42/settings', [
          'Authorization',
          `Bearer ${row.token}`,
          ...SPOOFED_IDENTITY,
        ]);
        expectAnswer(reply, method, row, row.token);
        if (row.status === 200)
          expect(readIdentityHeaders(reply.headers)).toEqual(identity(row.user));
      }
      // The WebSocket handshake carries its token in the query of the original target.
      const ws = await ask(
        shape,
        'GET',
        `/api/agents/42/react?access-token=${encodeURIComponent(row.token)}`,
        SPOOFED_IDENTITY,
      );
      expectAnswer(ws, 'GET', row, row.token);
      if (row.status === 200) expect(readIdentityHeaders(ws.headers)).toEqual(identity(row.user));
      // ... or in a bearer entry of Sec-WebSocket-Protocol (no token in any URL).
      const sub = await ask(shape, 'GET', '/api/agents/42/react', [
        'Sec-WebSocket-Protocol',
        `${REACT_SUBPROTOCOL}, ${bearerProtocol(row.token)}`,
        ...SPOOFED_IDENTITY,
      ]);
      expectAnswer(sub, 'GET', row, row.token);
      if (row.status === 200) expect(readIdentityHeaders(sub.headers)).toEqual(identity(row.user));
    });
  });

  describe('× the token under every source and spelling', () => {
    it.each(tokenParamSpellings())('reads ?%s= as the token', async (name) => {
      const reply = await ask(shape, 'GET', `/api/agents/42/react?${name}=${GOOD}`);
      expectAnswer(reply, 'GET', { status: 200 }, GOOD);
      const bad = await ask(shape, 'GET', `/api/agents/42/react?${name}=${GOOD}x`);
      expectAnswer(bad, 'GET', { status: 401, code: 'ERR_TOKEN_SIGNATURE' }, GOOD);
    });

    it('refuses a different token in the subprotocol and the query or header (401 ambiguous)', async () => {
      const other = ROWS.find((r) => r.name === 'an ADMIN token')?.token ?? '';
      const protocol = ['Sec-WebSocket-Protocol', `${REACT_SUBPROTOCOL}, ${bearerProtocol(other)}`];
      for (const reply of [
        await ask(shape, 'GET', `/api/agents/42/react?access-token=${GOOD}`, protocol),
        await ask(shape, 'GET', '/api/agents/42/react', [...protocol, ...BEARER]),
      ])
        expectAnswer(reply, 'GET', { status: 401, code: 'ERR_TOKEN_AMBIGUOUS' }, GOOD);
    });
  });

  describe('× every method × path classes, with a good token', () => {
    it.each(PATHS.filter((p) => !p.only || p.only === shape))(
      '$class: $target → $expect',
      async ({ target, expect: outcome, tokenInQuery }) => {
        for (const method of METHODS) {
          const reply = await ask(shape, method, target, [
            ...(tokenInQuery ? [] : BEARER),
            ...SPOOFED_IDENTITY,
          ]);
          if (outcome === 200) {
            expectAnswer(reply, method, { status: 200 }, GOOD);
            expect(readIdentityHeaders(reply.headers)).toEqual(identity(ALICE.user));
          } else {
            expectAnswer(reply, method, { status: 403, code: outcome }, GOOD);
          }
        }
      },
    );
  });
});

type PathRow = {
  class: string;
  target: string;
  expect: 200 | 'ERR_PATH_INVALID' | 'ERR_PATH_NOT_GOVERNED';
  tokenInQuery?: boolean;
  /** Targets only one gateway can ask about (Envoy always appends a path starting with "/"). */
  only?: ShapeName;
};

const q = encodeURIComponent(GOOD);
const PATHS: PathRow[] = [
  { class: 'agent root', target: '/api/agents', expect: 200 },
  { class: 'agent root', target: '/api/agents/', expect: 200 },
  { class: 'agent root', target: '/api/agents?page=2', expect: 200 },
  { class: 'agent subpath', target: '/api/agents/models', expect: 200 },
  { class: 'agent subpath', target: '/api/agents/42', expect: 200 },
  { class: 'agent subpath', target: '/api/agents/42/stop', expect: 200 },
  {
    class: 'WebSocket',
    target: `/api/agents/42/react?access-token=${q}`,
    expect: 200,
    tokenInQuery: true,
  },
  {
    class: 'WebSocket',
    target: `/api/agents/42/react?v=1&access-token=${q}&x=y`,
    expect: 200,
    tokenInQuery: true,
  },
  { class: 'lookalike', target: '/api/agentsX', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'lookalike', target: '/api/agents-admin', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'lookalike', target: '/api/agents.json', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'lookalike', target: '/api/agent', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'lookalike', target: '/x/api/agents', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'lookalike', target: '/API/AGENTS', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'lookalike', target: '/api/Agents/42', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'lookalike', target: '/api/agents%3F/x', expect: 'ERR_PATH_NOT_GOVERNED' },
  {
    class: 'lookalike',
    target: '/static/api/agents?access-token=x',
    expect: 'ERR_PATH_NOT_GOVERNED',
  },
  { class: 'dot segment', target: '/api/agents/./42', expect: 200 },
  { class: 'dot segment', target: '/api/agents/42/..', expect: 200 },
  { class: 'dot segment', target: '/api/x/../agents/42', expect: 200 },
  { class: 'dot segment', target: '/api/agents/../admin', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'dot segment', target: '/api/agents/../../etc/passwd', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'dot segment', target: '/api/agents/../../../x', expect: 'ERR_PATH_INVALID' },
  { class: 'dot segment', target: '/..', expect: 'ERR_PATH_INVALID' },
  { class: 'encoded', target: '/api/%61gents/42', expect: 200 },
  { class: 'encoded', target: '/api/agents/%2e/42', expect: 200 },
  { class: 'encoded', target: '/api/agents/%2E%2E/admin', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'encoded', target: '/api/agents/.%2e/%2e%2E/%2e%2e', expect: 'ERR_PATH_INVALID' },
  { class: 'encoded', target: '/api/agents/%C3%A9t%C3%A9', expect: 200 },
  { class: 'encoded', target: '/api/agents%2F42', expect: 'ERR_PATH_INVALID' },
  { class: 'encoded', target: '/api%2fagents', expect: 'ERR_PATH_INVALID' },
  { class: 'encoded', target: '/api/agents/%5C..%5Cadmin', expect: 'ERR_PATH_INVALID' },
  { class: 'encoded', target: '/api/agents\\42', expect: 'ERR_PATH_INVALID' },
  { class: 'encoded', target: '/api/agents/%00', expect: 'ERR_PATH_INVALID' },
  { class: 'encoded', target: '/api/agents/%0d%0aX-User-Id:%201', expect: 'ERR_PATH_INVALID' },
  { class: 'encoded', target: '/api/agents/%zz', expect: 'ERR_PATH_INVALID' },
  { class: 'encoded', target: '/api/agents/%4', expect: 'ERR_PATH_INVALID' },
  { class: 'encoded', target: '/api/agents/#frag', expect: 'ERR_PATH_INVALID' },
  { class: 'duplicate slash', target: '//api/agents', expect: 200 },
  { class: 'duplicate slash', target: '/api//agents///42//settings', expect: 200 },
  {
    class: 'duplicate slash',
    target: '/api/agents//../..//admin',
    expect: 'ERR_PATH_NOT_GOVERNED',
  },
  { class: 'non-agent', target: '/', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'non-agent', target: '/api/auth', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'non-agent', target: '/api/healthcheck', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'non-agent', target: '/api/workflows/1', expect: 'ERR_PATH_NOT_GOVERNED' },
  { class: 'non-agent', target: '/dashboard?access-token=x', expect: 'ERR_PATH_NOT_GOVERNED' },
  {
    class: 'not origin-form',
    target: 'http://evil.example/api/agents',
    expect: 'ERR_PATH_INVALID',
    only: 'nginx',
  },
  { class: 'not origin-form', target: 'api/agents', expect: 'ERR_PATH_INVALID', only: 'nginx' },
  { class: 'not origin-form', target: '*', expect: 'ERR_PATH_INVALID', only: 'nginx' },
  {
    class: 'raw control character',
    target: '/api/agents/\t42',
    expect: 'ERR_PATH_INVALID',
    only: 'nginx',
  },
  {
    class: 'raw non-ASCII byte',
    target: '/api/agents/\u00e9',
    expect: 'ERR_PATH_INVALID',
    only: 'nginx',
  },
];

describe('token sources', () => {
  const tokenOf = (name: string) => ROWS.find((r) => r.name === name)?.token ?? '';
  const admin = tokenOf('an ADMIN token');

  it('reads the WebSocket token from the original target, not from the nginx subrequest URL', async () => {
    const own = await send(service.port, {
      path: `/api/auth?access-token=${q}`,
      headers: ['X-Original-URI', '/api/agents/42/react', 'X-Original-Method', 'GET'],
    });
    expectAnswer(own, 'GET', { status: 401, code: 'ERR_TOKEN_MISSING' });
    const original = await send(service.port, {
      path: '/api/auth?access-token=garbage',
      headers: ['X-Original-URI', `/api/agents/42/react?access-token=${q}`],
    });
    expectAnswer(original, 'GET', { status: 200 });
  });

  it.each(SHAPE_NAMES)(
    '%s: refuses two different tokens, accepts the same one twice',
    async (shape) => {
      const both = await ask(
        shape,
        'GET',
        `/api/agents/1/react?access-token=${encodeURIComponent(admin)}`,
        BEARER,
      );
      expectAnswer(both, 'GET', { status: 401, code: 'ERR_TOKEN_AMBIGUOUS' });
      const same = await ask(shape, 'GET', `/api/agents/1/react?access-token=${q}`, BEARER);
      expectAnswer(same, 'GET', { status: 200 });
      const twoHeaders = await ask(shape, 'GET', '/api/agents', [
        ...BEARER,
        'Authorization',
        `Bearer ${admin}`,
      ]);
      expectAnswer(twoHeaders, 'GET', { status: 401, code: 'ERR_TOKEN_AMBIGUOUS' });
      const twoQueries = await ask(
        shape,
        'GET',
        `/api/agents?access-token=${q}&access-token=${encodeURIComponent(admin)}`,
      );
      expectAnswer(twoQueries, 'GET', { status: 401, code: 'ERR_TOKEN_AMBIGUOUS' });
    },
  );

  it.each(SHAPE_NAMES)(
    '%s: treats other schemes as no token and an empty query token as malformed',
    async (shape) => {
      expectAnswer(
        await ask(shape, 'GET', '/api/agents', ['Authorization', `Basic ${GOOD}`]),
        'GET',
        {
          status: 401,
          code: 'ERR_TOKEN_MISSING',
        },
      );
      expectAnswer(await ask(shape, 'GET', '/api/agents?access-token='), 'GET', {
        status: 401,
        code: 'ERR_TOKEN_MALFORMED',
      });
      expectAnswer(await ask(shape, 'GET', '/api/agents', ['Authorization', 'bearer']), 'GET', {
        status: 401,
        code: 'ERR_TOKEN_MALFORMED',
      });
      expectAnswer(
        await ask(shape, 'GET', '/api/agents', ['Authorization', `bEaReR   ${GOOD}`]),
        'GET',
        {
          status: 200,
        },
      );
    },
  );

  describe('a body, when the gateway forwards one (Envoy shape)', () => {
    const post = (headers: string[], body: string | Buffer) =>
      send(service.port, { method: 'POST', path: '/api/auth/api/agents', headers, body });

    it('reads the token field of a JSON or form body', async () => {
      expectAnswer(
        await post(['Content-Type', 'application/json'], JSON.stringify({ token: GOOD })),
        'POST',
        { status: 200 },
      );
      expectAnswer(
        await post(
          ['Content-Type', 'application/json; charset=UTF-8'],
          JSON.stringify({ token: GOOD, name: 'x' }),
        ),
        'POST',
        { status: 200 },
      );
      expectAnswer(
        await post(['Content-Type', 'application/x-www-form-urlencoded'], `token=${q}&x=1`),
        'POST',
        { status: 200 },
      );
    });

    it('ignores bodies without a token and bodies of other media types', async () => {
      expectAnswer(
        await post([...BEARER, 'Content-Type', 'application/json'], '{"name":"agent"}'),
        'POST',
        { status: 200 },
      );
      expectAnswer(
        await post(['Content-Type', 'text/plain'], JSON.stringify({ token: GOOD })),
        'POST',
        { status: 401, code: 'ERR_TOKEN_MISSING' },
      );
      expectAnswer(
        await post([...BEARER, 'Content-Type', 'application/octet-stream'], Buffer.from([0, 1, 2])),
        'POST',
        { status: 200 },
      );
    });

    it('refuses a body token that differs from the header token', async () => {
      expectAnswer(
        await post(
          [...BEARER, 'Content-Type', 'application/json'],
          JSON.stringify({ token: admin }),
        ),
        'POST',
        { status: 401, code: 'ERR_TOKEN_AMBIGUOUS' },
      );
    });

    it('denies (401, never 400/413/500) a body it cannot read', async () => {
      const json = ['Content-Type', 'application/json'];
      expectAnswer(await post([...BEARER, ...json], '{"token":'), 'POST', {
        status: 401,
        code: 'ERR_TOKEN_MALFORMED',
      });
      expectAnswer(await post([...BEARER, ...json], Buffer.from([0x7b, 0xff, 0x7d])), 'POST', {
        status: 401,
        code: 'ERR_TOKEN_MALFORMED',
      });
      expectAnswer(await post([...BEARER, ...json, 'Content-Encoding', 'gzip'], 'xx'), 'POST', {
        status: 401,
        code: 'ERR_TOKEN_MALFORMED',
      });
      expectAnswer(
        await post([...BEARER, 'Content-Type', 'application/json; charset=latin1'], '{}'),
        'POST',
        { status: 401, code: 'ERR_TOKEN_MALFORMED' },
      );
      expectAnswer(
        await post([...BEARER, ...json], JSON.stringify({ pad: 'x'.repeat(20_000) })),
        'POST',
        { status: 401, code: 'ERR_TOKEN_TOO_LARGE' },
      );
      expectAnswer(
        await post(['Content-Type', 'application/x-www-form-urlencoded'], `token=${q}&token=${q}`),
        'POST',
        { status: 401, code: 'ERR_TOKEN_MALFORMED' },
      );
    });

    it('still decides (and logs) when the client goes away in the middle of its body', async () => {
      const before = service.records().filter((r) => r.msg === 'decision').length;
      const socket = connect(service.port, '127.0.0.1');
      await once(socket, 'connect');
      // end() flushes the partial body and then closes: the client is gone mid-body, and no
      // sleep is needed to be sure the service received the head first.
      socket.end(
        'POST /api/auth/api/agents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"token":',
      );
      await expect
        .poll(() =>
          service
            .records()
            .filter((r) => r.msg === 'decision')
            .slice(before),
        )
        .toEqual([expect.objectContaining({ status: 401, code: 'ERR_TOKEN_MALFORMED' })]);
    });

    it('reads a chunked body and stops reading one that grows past the limit', async () => {
      expect((await chunkedRaw(service.port, JSON.stringify({ token: GOOD }))).status).toBe(200);
      expect((await chunkedRaw(service.port, `{"pad":"${'x'.repeat(40_000)}"}`)).status).toBe(401);
    });
  });
});

describe('which request shape is honoured', () => {
  it('ignores X-Original-* on Envoy-shaped requests', async () => {
    const root = await send(service.port, {
      path: '/api/auth/',
      headers: [...BEARER, 'X-Original-URI', '/api/agents', 'X-Original-Method', 'GET'],
    });
    expectAnswer(root, 'GET', { status: 403, code: 'ERR_PATH_NOT_GOVERNED' });
    const agents = await send(service.port, {
      path: '/api/auth/api/agents',
      headers: [...BEARER, 'X-Original-URI', '/api/workflows'],
    });
    expectAnswer(agents, 'GET', { status: 200 });
  });

  it('denies a bare /api/auth without X-Original-URI, for every method', async () => {
    for (const method of METHODS) {
      const reply = await send(service.port, { method, path: '/api/auth', headers: BEARER });
      expectAnswer(reply, method, { status: 403, code: 'ERR_PATH_NOT_GOVERNED' });
    }
  });

  it('denies a repeated X-Original-URI instead of picking one', async () => {
    const reply = await send(service.port, {
      path: '/api/auth',
      headers: [...BEARER, 'X-Original-URI', '/api/agents', 'X-Original-URI', '/api/agents/1'],
    });
    expectAnswer(reply, 'GET', { status: 403, code: 'ERR_PATH_INVALID' });
  });

  it('decides nginx requests whatever X-Original-Method says', async () => {
    for (const method of ['get', 'PROPFIND', '', 'G E T']) {
      const reply = await send(service.port, {
        path: '/api/auth',
        headers: [...BEARER, 'X-Original-URI', '/api/agents', 'X-Original-Method', method],
      });
      expectAnswer(reply, 'GET', { status: 200 });
    }
  });

  it('decides every method, including ones express has no helper for', async () => {
    for (const method of ['PROPFIND', 'TRACE', 'PURGE']) {
      const reply = await send(service.port, {
        method,
        path: '/api/auth/api/agents',
        headers: BEARER,
      });
      expectAnswer(reply, method, { status: 200 });
    }
  });

  it('answers a fragment or odd byte in an Envoy-shaped target with a deny, not a 5xx', async () => {
    expect(
      await sendRaw(service.port, 'GET /api/auth/api/agents/%2e%2e/%2e%2e/%2e%2e HTTP/1.1'),
    ).toBe(403);
    expect(await sendRaw(service.port, 'GET /api/auth/api/agents/\u00e9 HTTP/1.1')).toBeOneOf([
      400, 403,
    ]);
  });
});

describe('identity headers', () => {
  it('come from the token, never from client-sent x-user-* in any spelling', async () => {
    const nonAscii = ROWS.find((r) => r.name === 'a non-ASCII name and email');
    for (const row of [ALICE, nonAscii]) {
      for (const shape of SHAPE_NAMES) {
        const reply = await ask(shape, 'PATCH', '/api/agents/42/settings', [
          ...SPOOFED_IDENTITY,
          'Authorization',
          `Bearer ${row?.token}`,
          ...SPOOFED_IDENTITY,
        ]);
        expect(reply.status).toBe(200);
        expect(readIdentityHeaders(reply.headers)).toEqual(identity(row?.user));
        expect(reply.rawHeaders.join('\n')).not.toMatch(/mallory|999/);
      }
    }
  });

  it('are never attempted for a name no header can carry (a lone surrogate): 401, not a 5xx', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const token = rawToken(
      '{"alg":"HS256"}',
      `{"sub":"x\\ud800","userId":7,"role":"REGULAR","exp":${exp}}`,
      TEST_KEY,
    );
    for (const shape of SHAPE_NAMES) {
      const reply = await ask(shape, 'GET', '/api/agents', ['Authorization', `Bearer ${token}`]);
      expectAnswer(reply, 'GET', { status: 401, code: 'ERR_TOKEN_CLAIMS' }, token);
    }
  });

  it('are all three present even when the token has no email', async () => {
    const row = ROWS.find((r) => r.name === 'a token without an email claim');
    const reply = await ask('envoy', 'GET', '/api/agents', [
      'Authorization',
      `Bearer ${row?.token}`,
      'X-User-Email',
      'mallory@evil.example',
    ]);
    expect(reply.headers['x-user-email']).toBe('');
    expect(reply.headers['x-user-id']).toBe('7');
    expect(reply.headers['x-user-name']).toBe('alice');
  });
});

function identity(user: (typeof ROWS)[number]['user']) {
  return user && { uid: user.uid, name: user.name, email: user.email };
}

function chunkedRaw(port: number, body: string): Promise<{ status: number }> {
  return import('node:http').then(
    ({ request }) =>
      new Promise((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'PUT',
            path: '/api/auth/api/agents/1/settings',
            headers: { 'content-type': 'application/json' },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
          },
        );
        req.on('error', reject);
        // Two writes before end() make node:http use chunked transfer encoding.
        const half = Math.floor(body.length / 2);
        req.write(body.slice(0, half));
        req.write(body.slice(half));
        req.end();
      }),
  );
}
