/**
 * The platform's token format, in one place. The Scala issuer (jose4j) signs a compact JWS
 * with header `{"alg":"HS256"}` over these claims; verifiers here must accept exactly what
 * it accepts.
 */
export const TOKEN_ALGORITHM = 'HS256';

/** Allowed clock skew when checking `exp` (and `nbf` if a token carries one), in seconds. */
export const CLOCK_SKEW_SECONDS = 30;

/** Tokens longer than this are refused before any parsing (real tokens are a few hundred bytes). */
export const MAX_TOKEN_LENGTH = 8192;

/** Claim names written by the issuer, in the order it writes them. */
export const CLAIM = {
  name: 'sub',
  uid: 'userId',
  googleId: 'googleId',
  email: 'email',
  role: 'role',
  googleAvatar: 'googleAvatar',
  avatar: 'avatar',
  expires: 'exp',
} as const;

/** The platform stores `uid` as a 32-bit signed integer; a larger `userId` would wrap there. */
export const MAX_UID = 2 ** 31 - 1;
export const MIN_UID = -(2 ** 31);
