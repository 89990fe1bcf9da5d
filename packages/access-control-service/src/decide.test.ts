import { createTokenVerifier } from '@agentauth/auth-core';
import { TEST_KEY, TEST_SECRET, tokenMatrix } from '@agentauth/auth-core/testing';
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { UnreadableBody } from './read-body.js';

const verifier = createTokenVerifier({ key: TEST_KEY });
const [alice] = tokenMatrix(TEST_SECRET);
const authorization = `Bearer ${alice?.token}`;

describe('decide', () => {
  it('allows a good token on an agent path and says what it decided about', async () => {
    const decision = await decide(verifier, {
      method: 'PATCH',
      target: '/api/auth/api//agents/1/./settings?x=1',
      headers: { authorization },
    });
    expect(decision).toMatchObject({
      allow: true,
      user: alice?.user,
      shape: 'envoy',
      method: 'PATCH',
      path: '/api/agents/1/settings',
    });
  });

  it('checks the path before the token, and an unreadable body after the path', async () => {
    const ask = (target: string, body?: unknown) =>
      decide(verifier, { method: 'GET', target, headers: {}, body });
    expect(await ask('/api/auth/api/agents%2F1')).toMatchObject({
      status: 403,
      code: 'ERR_PATH_INVALID',
    });
    expect(await ask('/api/auth/api/workflows')).toMatchObject({
      status: 403,
      code: 'ERR_PATH_NOT_GOVERNED',
    });
    expect(await ask('/api/auth')).toMatchObject({
      status: 403,
      code: 'ERR_PATH_NOT_GOVERNED',
      shape: 'nginx',
    });
    expect(await ask('/api/auth/x', new UnreadableBody('ERR_TOKEN_TOO_LARGE'))).toMatchObject({
      code: 'ERR_PATH_NOT_GOVERNED',
    });
    expect(
      await ask('/api/auth/api/agents', new UnreadableBody('ERR_TOKEN_TOO_LARGE')),
    ).toMatchObject({ status: 401, code: 'ERR_TOKEN_TOO_LARGE' });
    expect(await ask('/api/auth/api/agents')).toMatchObject({
      status: 401,
      code: 'ERR_TOKEN_MISSING',
    });
  });

  it('never rejects: an unexpected exception becomes a deny that carries the failure', async () => {
    const failure = new Error('boom');
    const decision = await decide(
      { peek: () => undefined, verify: () => Promise.reject(failure), cacheSize: 0 },
      { method: 'GET', target: '/api/auth/api/agents', headers: { authorization } },
    );
    expect(decision).toMatchObject({ allow: false, status: 401, path: '/api/agents', failure });
  });
});
