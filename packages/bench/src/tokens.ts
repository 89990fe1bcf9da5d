import { randomBytes } from 'node:crypto';
import { secretKey, signToken } from '@agentauth/auth-core';

/** The run's secret: fresh per run, strong, never written anywhere. */
export interface BenchSecret {
  /** What the services read from `AUTH_JWT_SECRET`. */
  readonly value: string;
  /** HMAC key: UTF-8 bytes of the lower-cased secret (the auth core's rule). */
  readonly key: Uint8Array;
}

/**
 * A random 64-hex secret for this run.
 * @example const secret = benchSecret(); env.AUTH_JWT_SECRET = secret.value
 */
export function benchSecret(): BenchSecret {
  const value = randomBytes(32).toString('hex');
  return { value, key: secretKey(value) };
}

/**
 * Pre-signs one REGULAR token per user (uid 1…count), valid for two hours, so a load run can
 * rotate through `count` distinct users without signing anything while it measures.
 * @example const tokens = await signUserTokens(secret.key, 10_000)
 */
export async function signUserTokens(key: Uint8Array, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let uid = 1; uid <= count; uid++) {
    tokens.push(
      await signToken(
        { uid, name: `bench-user-${uid}`, email: `user${uid}@bench.example`, role: 'REGULAR' },
        { key, ttl: '2h' },
      ),
    );
  }
  return tokens;
}
