/**
 * Every way an authentication or authorization check can say "no", as a stable code.
 * Messages are fixed sentences: they never contain a token, a claim value or a secret.
 */
export const AUTH_ERROR_MESSAGES = {
  ERR_TOKEN_MISSING: 'No access token was sent.',
  ERR_TOKEN_AMBIGUOUS: 'The request carries two different access tokens.',
  ERR_TOKEN_MALFORMED: 'The access token is not a well-formed compact JWS.',
  ERR_TOKEN_TOO_LARGE: 'The access token is larger than allowed.',
  ERR_TOKEN_ALGORITHM: 'The access token is not signed with HS256.',
  ERR_TOKEN_SIGNATURE: 'The access token signature does not verify.',
  ERR_TOKEN_EXPIRED: 'The access token has expired.',
  ERR_TOKEN_NOT_YET_VALID: 'The access token is not valid yet.',
  ERR_TOKEN_CLAIMS: 'The access token is missing a required claim or has one of the wrong type.',
  ERR_TOKEN_AUDIENCE: 'The access token carries an audience, which this platform never issues.',
  ERR_IDENTITY_MISMATCH: 'The identity headers do not match the access token.',
  ERR_ROLE_FORBIDDEN: 'This account is not allowed to use agents.',
  ERR_PATH_NOT_GOVERNED: 'This path is not governed by the authorize endpoint.',
  ERR_PATH_INVALID: 'The request path cannot be canonicalised.',
} as const;

export type AuthErrorCode = keyof typeof AUTH_ERROR_MESSAGES;

export const AUTH_ERROR_CODES = Object.keys(AUTH_ERROR_MESSAGES) as AuthErrorCode[];

/**
 * A typed authentication failure with a stable `code`, like jose's `JWTExpired`.
 * @example
 * try { await verifier.verify(token) } catch (e) { if (e instanceof AuthError) e.code }
 */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, options?: { cause?: unknown }) {
    super(AUTH_ERROR_MESSAGES[code], options);
    this.code = code;
  }
}

/** True when `value` is an AuthError (works across duplicated module copies too). */
export function isAuthError(value: unknown): value is AuthError {
  return (
    value instanceof AuthError ||
    (value instanceof Error &&
      value.name === 'AuthError' &&
      typeof (value as Error & { code?: unknown }).code === 'string' &&
      String((value as Error & { code?: unknown }).code) in AUTH_ERROR_MESSAGES)
  );
}
