import type { ServerResponse } from 'node:http';
import {
  AUTH_ERROR_CODES,
  AUTH_ERROR_MESSAGES,
  type AuthErrorCode,
  identityHeadersFor,
  type SessionUser,
  statusForCode,
  wwwAuthenticate,
} from '@agentauth/auth-core';

interface PreparedDeny {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

// Deny answers never vary per request, so each is built once.
const DENIES = new Map<AuthErrorCode, PreparedDeny>(
  AUTH_ERROR_CODES.map((code) => {
    const body = Buffer.from(
      JSON.stringify({ error: { code, message: AUTH_ERROR_MESSAGES[code] } }),
    );
    const challenge = wwwAuthenticate(code);
    const headers: Record<string, string> = {
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(body.length),
    };
    if (challenge) headers['www-authenticate'] = challenge;
    return [code, { status: statusForCode(code), headers, body }];
  }),
);

/**
 * Answers an allowed request: 200, empty body, `no-store`, and all three identity headers from
 * the token's user (the only `x-user-*` this service ever writes; client copies are never read).
 * @example answerAllow(res, decision.user)
 */
export function answerAllow(res: ServerResponse, user: SessionUser): void {
  const identity = identityHeadersFor(user);
  res.writeHead(200, {
    'cache-control': 'no-store',
    'content-length': '0',
    'x-user-id': identity['x-user-id'],
    'x-user-name': identity['x-user-name'],
    'x-user-email': identity['x-user-email'],
  });
  res.end();
}

/**
 * Answers a denied request: 401 (with an RFC 6750 `WWW-Authenticate`) or 403, `no-store`, and a
 * small JSON body `{ error: { code, message } }` that never echoes the request.
 * @example answerDeny(res, 'ERR_TOKEN_EXPIRED')
 */
export function answerDeny(res: ServerResponse, code: AuthErrorCode): void {
  const prepared = DENIES.get(code) as PreparedDeny;
  res.writeHead(prepared.status, prepared.headers);
  res.end(prepared.body);
}
