import type { SessionUser } from './session-user.js';

/** The identity headers a gateway sets after a successful authorize decision. */
export const IDENTITY_HEADER = {
  uid: 'x-user-id',
  name: 'x-user-name',
  email: 'x-user-email',
} as const;

/** All identity header names, lower-case, in a fixed order. */
export const IDENTITY_HEADERS = [
  IDENTITY_HEADER.uid,
  IDENTITY_HEADER.name,
  IDENTITY_HEADER.email,
] as const;

export type IdentityHeaderName = (typeof IDENTITY_HEADERS)[number];

/**
 * The three identity headers for a user, always all present (Envoy only overwrites the headers
 * an answer contains, so a missing one would let a client-sent copy through). Name and email
 * are percent-encoded UTF-8 so non-ASCII identities survive HTTP header rules; a missing email
 * is the empty string.
 * @example identityHeadersFor({ uid: 7, name: 'zoë', email: null, role: 'REGULAR' })
 * // { 'x-user-id': '7', 'x-user-name': 'zo%C3%AB', 'x-user-email': '' }
 */
export function identityHeadersFor(user: SessionUser): Record<IdentityHeaderName, string> {
  return {
    [IDENTITY_HEADER.uid]: String(user.uid),
    [IDENTITY_HEADER.name]: encodeURIComponent(user.name),
    [IDENTITY_HEADER.email]: encodeURIComponent(user.email ?? ''),
  };
}

/** Identity read back from headers. */
export interface HeaderIdentity {
  readonly uid: number;
  readonly name: string;
  readonly email: string | null;
}

type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

/**
 * Reads identity headers set by a gateway: `undefined` when none is present, `'invalid'` when
 * some are missing, repeated or undecodable, else the decoded identity.
 * @example readIdentityHeaders(req.headers)
 */
export function readIdentityHeaders(headers: HeaderBag): HeaderIdentity | 'invalid' | undefined {
  const raw = IDENTITY_HEADERS.map((name) => headers[name]);
  if (raw.every((v) => v === undefined)) return undefined;
  if (raw.some((v) => typeof v !== 'string')) return 'invalid';
  const [uid, name, email] = raw as [string, string, string];
  if (!/^-?\d+$/.test(uid)) return 'invalid';
  try {
    const decodedEmail = decodeURIComponent(email);
    return {
      uid: Number(uid),
      name: decodeURIComponent(name),
      email: decodedEmail === '' ? null : decodedEmail,
    };
  } catch {
    return 'invalid';
  }
}

/**
 * True when gateway identity headers are absent or agree with the verified user; false when they
 * are present but disagree or are malformed (a caller should then trust neither).
 * @example identityHeadersAgree(req.headers, user)
 */
export function identityHeadersAgree(headers: HeaderBag, user: SessionUser): boolean {
  const identity = readIdentityHeaders(headers);
  if (identity === undefined) return true;
  if (identity === 'invalid') return false;
  return (
    identity.uid === user.uid &&
    identity.name === user.name &&
    (identity.email ?? '') === (user.email ?? '')
  );
}
