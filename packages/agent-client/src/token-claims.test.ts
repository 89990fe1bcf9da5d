import { platformToken, TEST_SECRET } from '@agentauth/auth-core/testing';
import { describe, expect, it } from 'vitest';
import { isTokenExpired, readTokenClaims } from './token-claims.js';

describe('readTokenClaims', () => {
  it("reads name, role, id, email and expiry from a platform token's payload", () => {
    const token = platformToken(TEST_SECRET, {
      sub: 'Zoë',
      userId: 7,
      email: 'zoe@example.org',
      role: 'ADMIN',
      exp: 2_000_000_000,
    });
    expect(readTokenClaims(token)).toEqual({
      name: 'Zoë',
      role: 'ADMIN',
      userId: 7,
      email: 'zoe@example.org',
      exp: 2_000_000_000,
    });
  });

  it.each(['', 'abc', 'a.b', 'a.!!!.c', 'a.bnVsbA.c', `a.${btoa('[1]')}.c`])(
    'returns null for %j',
    (token) => {
      expect(readTokenClaims(token)).toBeNull();
    },
  );
});

describe('isTokenExpired', () => {
  const claims = { name: 'a', role: 'REGULAR', userId: 1, email: undefined, exp: 100 };
  it('compares exp with the clock', () => {
    expect(isTokenExpired(claims, 99_999)).toBe(false);
    expect(isTokenExpired(claims, 100_000)).toBe(true);
    expect(isTokenExpired({ ...claims, exp: undefined }, 1e15)).toBe(false);
  });
});
