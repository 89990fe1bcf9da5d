import type { Response } from 'express';
import { AUTH_ERROR_MESSAGES, type AuthErrorCode } from '../errors.js';
import { statusForCode, wwwAuthenticate } from '../http-status.js';

/**
 * Answers a denied request: the mapped status, `WWW-Authenticate` on a 401, `no-store`, and a
 * small JSON body `{ error: { code, message } }` that never echoes the token.
 * @example sendAuthFailure(res, 'ERR_TOKEN_EXPIRED')
 */
export function sendAuthFailure(res: Response, code: AuthErrorCode): void {
  const challenge = wwwAuthenticate(code);
  if (challenge) res.setHeader('WWW-Authenticate', challenge);
  res.setHeader('Cache-Control', 'no-store');
  res.status(statusForCode(code)).json({ error: { code, message: AUTH_ERROR_MESSAGES[code] } });
}
