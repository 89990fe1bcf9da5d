import type { Response } from 'express';
import type { AuthErrorCode } from '../errors.js';
import { refusal, sendRefusal } from '../refusal.js';

/**
 * Answers a denied request with the auth core's refusal: the mapped status, `WWW-Authenticate` on
 * a 401, `no-store`, and a small JSON body `{ error: { code, message } }` that never echoes the token.
 * @example sendAuthFailure(res, 'ERR_TOKEN_EXPIRED')
 */
export function sendAuthFailure(res: Response, code: AuthErrorCode): void {
  sendRefusal(res, refusal(code));
}
