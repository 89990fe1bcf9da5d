import type { ServiceErrorCode } from '@agentauth/auth-core/codes';
import { z } from 'zod';

/**
 * Error codes of the agent-service's own answers: the auth core's `ServiceErrorCode` (declared there
 * with their statuses, beside every other code). Authentication failures use the auth core's codes
 * (`ERR_TOKEN_*`, `ERR_ROLE_FORBIDDEN`, `ERR_IDENTITY_MISMATCH`) in the same body shape.
 */
export type ApiErrorCode = ServiceErrorCode;

/**
 * Every non-2xx body: `{ error: { code, message } }`, the shape auth-core's failures use too.
 * `code` is a plain string so auth failures parse with the same schema.
 * @example const { error } = ApiError.parse(await res.json()); error.code
 */
export const ApiError = z.object({
  error: z.object({ code: z.string().min(1), message: z.string() }),
});
export type ApiError = z.infer<typeof ApiError>;

/**
 * Builds an error body.
 * @example apiError('ERR_NOT_FOUND', 'No agent has this id.')
 */
export function apiError(code: ApiErrorCode, message: string): ApiError {
  return { error: { code, message } };
}

/** Body of `GET /api/healthcheck`. */
export const HealthResponse = z.object({ status: z.literal('ok') });
export type HealthResponse = z.infer<typeof HealthResponse>;
