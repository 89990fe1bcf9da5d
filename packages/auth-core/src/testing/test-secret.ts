import { secretKey } from '../secret-key.js';
import { rawToken } from './raw-token.js';

/** A fixed, strong-looking secret for tests only (never used by a running service). */
export const TEST_SECRET = 'test-only-secret-0123456789abcdef0123456789abcdef';

/** The HMAC key for `TEST_SECRET` (the auth core's key rule). */
export const TEST_KEY: Uint8Array = secretKey(TEST_SECRET);

/**
 * `TEST_SECRET` with every other letter upper-cased. The platform's issuer lower-cases the secret
 * before keying, so a verifier given this one must accept tokens keyed by `TEST_KEY`; services and
 * the e2e stack run with it so that a verifier that stopped lower-casing fails their tests.
 * @example spawn('node', [main], { env: { AUTH_JWT_SECRET: TEST_SECRET_MIXED_CASE } })
 */
export const TEST_SECRET_MIXED_CASE = [...TEST_SECRET]
  .map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c))
  .join('');

/**
 * Two tokens for one REGULAR user, built now: `issued` keyed as the platform's issuer keys
 * `TEST_SECRET_MIXED_CASE` (lower-cased, so a service running on that secret must admit it) and
 * `asTyped` keyed by the secret exactly as written (which such a service must refuse).
 * @example const { issued, asTyped } = mixedCaseSecretTokens()
 */
export function mixedCaseSecretTokens(ttlSeconds = 600): { issued: string; asTyped: string } {
  const claims = {
    sub: 'alice',
    userId: 7,
    role: 'REGULAR',
    exp: Math.floor(Date.now() / 1000) + ttlSeconds,
  };
  return {
    issued: rawToken('{"alg":"HS256"}', claims, TEST_KEY),
    asTyped: rawToken('{"alg":"HS256"}', claims, TEST_SECRET_MIXED_CASE),
  };
}
