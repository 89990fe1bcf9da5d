import type { AuthErrorCode } from './errors.js';

/** The only statuses an authorization decision uses: never a 5xx (Envoy may fail open on those). */
export type DenyStatus = 401 | 403;

/**
 * One place maps each code to its HTTP status. A `Record` over the union makes a missing
 * mapping a compile error.
 *
 * A request with two different tokens is a 401 rather than RFC 6750's 400, because nginx
 * `auth_request` only understands 2xx/401/403 and turns anything else into a 500.
 */
export const STATUS_BY_CODE: Record<AuthErrorCode, DenyStatus> = {
  ERR_TOKEN_MISSING: 401,
  ERR_TOKEN_AMBIGUOUS: 401,
  ERR_TOKEN_MALFORMED: 401,
  ERR_TOKEN_TOO_LARGE: 401,
  ERR_TOKEN_ALGORITHM: 401,
  ERR_TOKEN_SIGNATURE: 401,
  ERR_TOKEN_EXPIRED: 401,
  ERR_TOKEN_NOT_YET_VALID: 401,
  ERR_TOKEN_CLAIMS: 401,
  ERR_TOKEN_AUDIENCE: 401,
  ERR_IDENTITY_MISMATCH: 401,
  ERR_ROLE_FORBIDDEN: 403,
  ERR_PATH_NOT_GOVERNED: 403,
  ERR_PATH_INVALID: 403,
};

/**
 * The HTTP status for a failure code.
 * @example statusForCode('ERR_TOKEN_EXPIRED') // 401
 */
export function statusForCode(code: AuthErrorCode): DenyStatus {
  return STATUS_BY_CODE[code];
}

/** Realm used in every `WWW-Authenticate` challenge. */
export const AUTH_REALM = 'agentauth';

/**
 * The RFC 6750 `WWW-Authenticate` value for a 401 code, or undefined for a 403.
 * A missing token gets a bare challenge (RFC 6750 §3.1: no error code when no credentials were sent).
 * @example wwwAuthenticate('ERR_TOKEN_EXPIRED')
 * // 'Bearer realm="agentauth", error="invalid_token", error_description="The access token has expired."'
 */
export function wwwAuthenticate(code: AuthErrorCode): string | undefined {
  if (STATUS_BY_CODE[code] !== 401) return undefined;
  if (code === 'ERR_TOKEN_MISSING') return `Bearer realm="${AUTH_REALM}"`;
  const error = code === 'ERR_TOKEN_AMBIGUOUS' ? 'invalid_request' : 'invalid_token';
  return `Bearer realm="${AUTH_REALM}", error="${error}", error_description="${DESCRIPTIONS[code]}"`;
}

// Short, quote-free descriptions (RFC 6750 restricts error_description to printable ASCII without `"` and `\`).
const DESCRIPTIONS: Record<AuthErrorCode, string> = {
  ERR_TOKEN_MISSING: 'No access token was sent.',
  ERR_TOKEN_AMBIGUOUS: 'Two different access tokens were sent.',
  ERR_TOKEN_MALFORMED: 'The access token is malformed.',
  ERR_TOKEN_TOO_LARGE: 'The access token is too large.',
  ERR_TOKEN_ALGORITHM: 'Only HS256 tokens are accepted.',
  ERR_TOKEN_SIGNATURE: 'The access token signature is invalid.',
  ERR_TOKEN_EXPIRED: 'The access token has expired.',
  ERR_TOKEN_NOT_YET_VALID: 'The access token is not valid yet.',
  ERR_TOKEN_CLAIMS: 'The access token claims are invalid.',
  ERR_TOKEN_AUDIENCE: 'The access token has an unexpected audience.',
  ERR_IDENTITY_MISMATCH: 'The identity headers do not match the access token.',
  ERR_ROLE_FORBIDDEN: 'This account is not allowed to use agents.',
  ERR_PATH_NOT_GOVERNED: 'This path is not governed here.',
  ERR_PATH_INVALID: 'The request path is invalid.',
};
