import { loadSecret, type Role, signToken } from '@agentauth/auth-core';

export interface TestUser {
  readonly uid: number;
  readonly name: string;
  readonly email?: string;
  readonly role: Role;
}

/**
 * Mints a token exactly as the platform does, with the stack's secret (the auth core lower-cases
 * it and signs; nothing is re-implemented here). `ttl` in seconds may be negative: an expired token.
 * @example await mintToken(stack.secret, { uid: 7, name: 'alice', role: 'REGULAR' }, 3600)
 */
export async function mintToken(secret: string, user: TestUser, ttl: number): Promise<string> {
  const { key } = await loadSecret({ AUTH_JWT_SECRET: secret });
  return signToken(
    { uid: user.uid, name: user.name, email: user.email ?? null, role: user.role },
    { key, ttl },
  );
}

/** The regular user most scenarios sign in as. */
export const ALICE: TestUser = {
  uid: 7,
  name: 'alice',
  email: 'alice@example.org',
  role: 'REGULAR',
};
