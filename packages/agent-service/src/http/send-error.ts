import { API_ERROR_CODES, type ApiErrorCode, apiError } from '@agentauth/agent-api';
import type { Response } from 'express';

/**
 * Answers with the service's error body `{ error: { code, message } }` and the code's status.
 * @example sendError(res, 'ERR_NOT_FOUND', 'No agent has this id.')
 */
export function sendError(res: Response, code: ApiErrorCode, message: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.status(API_ERROR_CODES[code]).json(apiError(code, message));
}
