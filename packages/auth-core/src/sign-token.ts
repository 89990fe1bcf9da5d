import { SignJWT } from 'jose';
import { parseDuration } from './duration.js';
import type { Role } from './roles.js';
import { TOKEN_ALGORITHM } from './token-format.js';

/** What the issuer needs to know about a user. */
export interface TokenSubject {
  readonly uid: number;
  readonly name: string;
  readonly email?: string | null;
  readonly role: Role;
  readonly googleId?: string | null;
  readonly googleAvatar?: string | null;
}

export interface SignOptions {
  /** HMAC key: the UTF-8 bytes of the lower-cased secret. */
  readonly key: Uint8Array;
  /** Lifetime, in seconds or as a duration such as `'1h'`, `'30m'`, `'7d'`. */
  readonly ttl: number | string;
  /** Current time in milliseconds; default `Date.now()`. */
  readonly now?: number;
}

/**
 * Issues a token exactly as the platform's issuer does: header `{"alg":"HS256"}`, claims
 * `sub, userId, googleId, email, role, googleAvatar, exp` in that order (absent optional values
 * as JSON null), an integer `exp`, and no `iat`, `nbf`, `iss` or `aud`.
 * @example await signToken({ uid: 7, name: 'alice', role: 'REGULAR' }, { key, ttl: '1h' })
 */
export async function signToken(subject: TokenSubject, options: SignOptions): Promise<string> {
  const ttlSeconds = typeof options.ttl === 'number' ? options.ttl : parseDuration(options.ttl);
  const now = options.now ?? Date.now();
  const exp = Math.floor(now / 1000) + Math.floor(ttlSeconds);
  return new SignJWT({
    sub: subject.name,
    userId: subject.uid,
    googleId: subject.googleId ?? null,
    email: subject.email ?? null,
    role: subject.role,
    googleAvatar: subject.googleAvatar ?? null,
    exp,
  })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM })
    .sign(options.key);
}
