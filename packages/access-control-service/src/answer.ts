import type { ServerResponse } from 'node:http';
import {
  AUTH_ERROR_CODES,
  type AuthErrorCode,
  identityHeadersFor,
  type Refusal,
  refusal,
  type SessionUser,
  sendRefusal,
} from '@agentauth/auth-core';

// Deny answers never vary per request, so each of the auth core's refusals is built once.
const DENIES = new Map<AuthErrorCode, Refusal>(
  AUTH_ERROR_CODES.map((code) => [code, refusal(code)]),
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
  sendRefusal(res, DENIES.get(code) as Refusal);
}
