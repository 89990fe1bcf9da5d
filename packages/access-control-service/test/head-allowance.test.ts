import { MAX_TOKEN_LENGTH } from '@agentauth/auth-core';
import { rawToken, TEST_KEY } from '@agentauth/auth-core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HEADER_SIZE } from '../src/server.js';
import { type Running, SHAPES, send, startService } from './harness.js';

/**
 * A valid REGULAR token exactly `length` characters long (padded with an extra claim, which
 * verifiers must tolerate), built at use time so its `exp` is an hour ahead whenever it runs.
 */
function tokenOfLength(length: number): string {
  const claims = (pad: string) => ({
    sub: 'alice',
    userId: 7,
    email: 'alice@example.com',
    role: 'REGULAR',
    exp: Math.floor(Date.now() / 1000) + 3600,
    avatar: pad,
  });
  const bare = rawToken('{"alg":"HS256"}', claims(''), TEST_KEY).length;
  // base64url grows by 4 characters per 3 bytes, so try the pad lengths around the estimate.
  const estimate = Math.floor(((length - bare) * 3) / 4);
  for (let pad = Math.max(0, estimate - 3); pad <= estimate + 3; pad++) {
    const token = rawToken('{"alg":"HS256"}', claims('x'.repeat(pad)), TEST_KEY);
    if (token.length === length) return token;
  }
  throw new Error(`no pad gives a token of exactly ${length} characters`);
}

let service: Running;
beforeAll(async () => {
  service = await startService();
});
afterAll(() => service.close());

// The gateway forwards the client's Authorization header and (nginx) the original URI with its
// query: a largest-allowed token in both must be decided, not refused by Node's header parser
// with a 431 (which nginx turns into a 500 and Envoy into an error).
describe('the head allowance', () => {
  it('is at least two largest tokens plus room for the rest of the head', () => {
    expect(MAX_HEADER_SIZE).toBeGreaterThanOrEqual(2 * MAX_TOKEN_LENGTH + 4096);
  });

  it.each(Object.keys(SHAPES) as (keyof typeof SHAPES)[])(
    '%s shape: a largest-allowed token in Authorization and in the query is allowed (200)',
    async (shape) => {
      const token = tokenOfLength(MAX_TOKEN_LENGTH);
      const target = `/api/agents/${crypto.randomUUID()}/react?access-token=${token}`;
      const reply = await send(
        service.port,
        SHAPES[shape]('GET', target, ['Authorization', `Bearer ${token}`]),
      );
      expect(reply.status).toBe(200);
      expect(reply.headers['x-user-name']).toBe('alice');
    },
  );

  it.each(Object.keys(SHAPES) as (keyof typeof SHAPES)[])(
    '%s shape: one character more in both places is decided as too large (401 ERR_TOKEN_TOO_LARGE)',
    async (shape) => {
      const token = tokenOfLength(MAX_TOKEN_LENGTH + 1);
      const target = `/api/agents/${crypto.randomUUID()}/react?access-token=${token}`;
      const reply = await send(
        service.port,
        SHAPES[shape]('GET', target, ['Authorization', `Bearer ${token}`]),
      );
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'ERR_TOKEN_TOO_LARGE' } });
    },
  );
});
