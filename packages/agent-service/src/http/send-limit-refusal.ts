import type { Response } from 'express';
import type { LimitCode } from '../usage/usage-store.js';
import { sendError } from './send-error.js';

/**
 * A per-user refusal: 429, `Retry-After` in whole seconds (at least 1), the code and a sentence.
 * @example sendLimitRefusal(res, 'ERR_RATE_LIMITED', 'Too many runs at once.', 2000)
 */
export function sendLimitRefusal(
  res: Response,
  code: LimitCode,
  message: string,
  retryAfterMs: number,
): void {
  res.setHeader('Retry-After', String(retryAfterSeconds(retryAfterMs)));
  sendError(res, code, message);
}

/**
 * A wait in milliseconds as a `Retry-After` value: whole seconds, rounded up, at least 1.
 * @example retryAfterSeconds(1200) // 2
 */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
