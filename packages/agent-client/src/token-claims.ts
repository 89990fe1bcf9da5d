import { textOfBase64Url } from '@agentauth/auth-core/base64url';
/** What the UI shows about the signed-in user. */
export interface TokenClaims {
  readonly name: string;
  readonly role: string;
  readonly userId: number | undefined;
  readonly email: string | undefined;
  /** Expiry, seconds since the epoch. */
  readonly exp: number | undefined;
}

/**
 * Reads a JWT's payload for DISPLAY ONLY (name, role, expiry). The signature is not and cannot be
 * checked here: the gateway and the agent-service decide what the token may do. Returns `null`
 * for anything that is not a three-part token with a JSON object payload.
 * @example readTokenClaims(token)?.name // 'alice'
 */
export function readTokenClaims(token: string): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(textOfBase64Url(parts[1]));
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const claims = payload as Record<string, unknown>;
  return {
    name: typeof claims.sub === 'string' ? claims.sub : '',
    role: typeof claims.role === 'string' ? claims.role : '',
    userId: typeof claims.userId === 'number' ? claims.userId : undefined,
    email: typeof claims.email === 'string' ? claims.email : undefined,
    exp: typeof claims.exp === 'number' ? claims.exp : undefined,
  };
}

/**
 * Whether the token's `exp` has passed (display hint only; the server is the authority).
 * @example isTokenExpired(claims, Date.now())
 */
export function isTokenExpired(claims: TokenClaims, nowMs: number): boolean {
  return claims.exp !== undefined && claims.exp * 1000 <= nowMs;
}
