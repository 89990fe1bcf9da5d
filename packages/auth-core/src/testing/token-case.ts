import type { AuthErrorCode } from '../errors.js';
import type { SessionUser } from '../session-user.js';

/** One row of the security matrix: a token and what every verifier must answer for it. */
export interface TokenCase {
  readonly name: string;
  readonly token: string;
  /** 200 = admitted on agent paths; 401/403 = refused with `code`. */
  readonly status: 200 | 401 | 403;
  readonly code?: AuthErrorCode;
  /** For admitted tokens: the identity a verifier must return. */
  readonly user?: SessionUser;
}

/** A row every verifier must admit as `user`. */
export const admitted = (name: string, token: string, user: SessionUser): TokenCase => ({
  name,
  token,
  status: 200,
  user,
});

/** A row every verifier must refuse with `code` (401 unless said). */
export const refused = (
  name: string,
  token: string,
  code: AuthErrorCode,
  status: 401 | 403 = 401,
): TokenCase => ({ name, token, status, code });
