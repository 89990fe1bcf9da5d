import type { Response } from 'express';
import type { LlmError } from '../llm/llm-client.js';
import { sendError } from './send-error.js';
import { sendLimitRefusal } from './send-limit-refusal.js';

/** When the provider rate-limits without saying for how long. */
const DEFAULT_PROVIDER_RETRY_MS = 5000;

/**
 * Answers a provider failure with its code: a rate or budget refusal as 429 + `Retry-After`, the
 * rest with their status (`ERR_LLM_UNAVAILABLE` 502, …). The message is the user-safe one.
 * @example sendLlmError(res, error)
 */
export function sendLlmError(res: Response, error: LlmError): void {
  if (error.code === 'ERR_RATE_LIMITED' || error.code === 'ERR_BUDGET_EXCEEDED') {
    sendLimitRefusal(
      res,
      error.code,
      error.message,
      error.retryAfterMs ?? DEFAULT_PROVIDER_RETRY_MS,
    );
    return;
  }
  sendError(res, error.code, error.message);
}
