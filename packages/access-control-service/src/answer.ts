import type { ServerResponse } from 'node:http';
import {
  type AuthErrorCode,
  identityHeadersFor,
  refusal,
  type SessionUser,
  sendRefusal,
} from '@agentauth/auth-core';

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
  // The auth core builds each fixed refusal once; a deny costs no JSON or Buffer per request.
  sendRefusal(res, refusal(code));
}
