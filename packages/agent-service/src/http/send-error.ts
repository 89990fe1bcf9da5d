import type { ApiErrorCode } from '@agentauth/agent-api';
import { refusal, sendRefusal } from '@agentauth/auth-core';
import type { Response } from 'express';

/**
 * Answers with the auth core's refusal for one of the service's own codes: the code's status,
 * `no-store`, and `{ error: { code, message } }`. Headers set earlier (`Vary`, `Allow`) stay.
 * @example sendError(res, 'ERR_NOT_FOUND', 'No agent has this id.')
 */
export function sendError(res: Response, code: ApiErrorCode, message: string): void {
  sendRefusal(res, refusal(code, message));
}
