import { createTokenVerifier, loadSecret } from '@agentauth/auth-core';
import { TEST_SECRET } from '@agentauth/auth-core/testing';
import { describe, expect, it } from 'vitest';
import { DEMO_USER, signInLink } from './sign-in-link.js';

describe('signInLink', () => {
  it('carries a 12 h token of the demo REGULAR user in the fragment only', async () => {
    const { key } = await loadSecret({ AUTH_JWT_SECRET: TEST_SECRET });
    const now = Date.now();
    const link = new URL(await signInLink('http://127.0.0.1:8080', key, now));
    expect(link.origin).toBe('http://127.0.0.1:8080');
    expect(link.pathname).toBe('/');
    expect(link.search).toBe('');
    const token = new URLSearchParams(link.hash.slice(1)).get('access_token') ?? '';
    const verified = await createTokenVerifier({ key }).verify(token);
    expect(verified.user).toEqual({
      uid: DEMO_USER.uid,
      name: DEMO_USER.name,
      email: DEMO_USER.email,
      role: 'REGULAR',
    });
    expect(verified.exp).toBe(Math.floor(now / 1000) + 12 * 3600);
  });
});
