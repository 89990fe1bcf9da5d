import { type AuthErrorCode, isAuthError } from './errors.js';
import { extractToken, type TokenSources } from './extract-token.js';
import { type DenyStatus, statusForCode } from './http-status.js';
import { mayUseAgents } from './roles.js';
import type { SessionUser } from './session-user.js';
import type { TokenVerifier } from './token-verifier.js';

/** An expected "no" is a value, not an exception. */
export type AuthDecision =
  | { readonly allow: true; readonly user: SessionUser; readonly exp: number }
  | { readonly allow: false; readonly status: DenyStatus; readonly code: AuthErrorCode };

/** Decides whether a verified user may proceed. Phase 1: any REGULAR or ADMIN user. */
export type AccessRule = (user: SessionUser) => boolean;

/**
 * Extracts, verifies and role-checks the token of a request in one step.
 * @example
 * const decision = await authenticate(verifier, { authorization: req.headers.authorization });
 * if (!decision.allow) res.status(decision.status)
 */
export async function authenticate(
  verifier: TokenVerifier,
  sources: TokenSources,
  rule: AccessRule = mayUseAgents,
): Promise<AuthDecision> {
  try {
    const token = extractToken(sources);
    const verified = verifier.peek(token) ?? (await verifier.verify(token));
    if (!rule(verified.user)) return deny('ERR_ROLE_FORBIDDEN');
    return { allow: true, user: verified.user, exp: verified.exp };
  } catch (error) {
    if (isAuthError(error)) return deny(error.code);
    throw error;
  }
}

/**
 * A deny decision for a code, with its mapped status.
 * @example deny('ERR_PATH_NOT_GOVERNED') // { allow: false, status: 403, code: 'ERR_PATH_NOT_GOVERNED' }
 */
export function deny(code: AuthErrorCode): AuthDecision & { allow: false } {
  return { allow: false, status: statusForCode(code), code };
}
