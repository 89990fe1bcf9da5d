import type { Role, SessionUser } from '@agentauth/auth-core';
import { platformToken, TEST_SECRET_MIXED_CASE } from '@agentauth/auth-core/testing';

/**
 * The secret every process of the e2e stack runs with: auth-core's test secret in mixed case.
 * The issuer (and `tokenFor`) key by its lower-cased bytes, so every admitted token of the suite
 * proves the services lower-case it too.
 */
export const SECRET = TEST_SECRET_MIXED_CASE;

/** Seconds since the epoch, as `exp` counts them. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

export const ALICE: SessionUser = {
  uid: 7,
  name: 'alice',
  email: 'alice@example.com',
  role: 'REGULAR',
};
export const BOB: SessionUser = { uid: 8, name: 'bob', email: 'bob@example.com', role: 'ADMIN' };

/**
 * A token exactly as the platform issues it for `user`, valid for `ttlSeconds` from now.
 * @example tokenFor(ALICE) // 'eyJhbGciOiJIUzI1NiJ9.…'
 */
export function tokenFor(user: SessionUser, ttlSeconds = 3600): string {
  return platformToken(SECRET, {
    sub: user.name,
    userId: user.uid,
    email: user.email,
    role: user.role,
    exp: nowSeconds() + ttlSeconds,
  });
}

/** A user with a role, for tables. */
export const user = (uid: number, name: string, email: string | null, role: Role): SessionUser => ({
  uid,
  name,
  email,
  role,
});
