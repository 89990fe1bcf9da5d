import type { Role } from './roles.js';

/** The identity carried by a verified token, shaped like the platform's `SessionUser`. */
export interface SessionUser {
  /** The `userId` claim: the platform's integer user id. */
  readonly uid: number;
  /** The `sub` claim: the user name (non-empty). */
  readonly name: string;
  /** The `email` claim, or null when the token has none. */
  readonly email: string | null;
  readonly role: Role;
}

/** A verified session user together with when its token expires (seconds since the epoch). */
export interface VerifiedToken {
  readonly user: SessionUser;
  readonly exp: number;
}
