import {
  ERROR_STATUS,
  type ErrorCode,
  GATEWAY_ERROR_MESSAGES,
  type GatewayErrorCode,
} from '@agentauth/auth-core';

/** The code nginx answers a 401 with when it cannot read the authorize answer's challenge. */
export const FALLBACK_UNAUTHORIZED: GatewayErrorCode = 'ERR_UNAUTHORIZED';

/** The code nginx answers a 403 with when the authorize answer names no auth-core 403 code. */
export const FALLBACK_FORBIDDEN: GatewayErrorCode = 'ERR_FORBIDDEN';

/** The sentence of the gateway's own 404 for an `/api/` path nothing serves. */
export const API_NOT_FOUND_MESSAGE = 'No such API route.';

/** The sentence of the gateway's 429 when a per-client limit (limit_conn, limit_req) is reached. */
export const RATE_LIMITED_MESSAGE =
  'Too many requests or connections from this address; retry after the Retry-After delay.';

/**
 * The `return` directives of the gateway's own answers, rendered from the auth core's error
 * vocabulary (code, status, fixed sentence), so no code or status is typed into a template.
 * @example gatewayAnswers().rateLimitedReturn // `return 429 '{"error":{"code":"ERR_RATE_LIMITED",…}}\n';`
 */
export function gatewayAnswers() {
  return {
    apiNotFoundReturn: returnJson('ERR_NOT_FOUND', API_NOT_FOUND_MESSAGE),
    // The code and sentence come from the deny maps (one entry per auth-core 401 code).
    unauthorizedReturn: returnDirective(
      ERROR_STATUS[FALLBACK_UNAUTHORIZED],
      body('$agentauth_unauthorized_code', '$agentauth_unauthorized_message'),
    ),
    // The code and sentence come from the deny maps (one entry per auth-core 403 code).
    forbiddenReturn: returnDirective(
      ERROR_STATUS[FALLBACK_FORBIDDEN],
      body('$agentauth_forbidden_code', '$agentauth_forbidden_message'),
    ),
    authorizeUnavailableReturn: returnJson('ERR_AUTHORIZE_UNAVAILABLE'),
    agentServiceUnavailableReturn: returnJson('ERR_AGENT_SERVICE_UNAVAILABLE'),
    rateLimitedReturn: returnJson('ERR_RATE_LIMITED', RATE_LIMITED_MESSAGE),
  };
}

function returnJson(code: GatewayErrorCode): string;
function returnJson(code: ErrorCode, message: string): string;
function returnJson(code: ErrorCode, message?: string): string {
  const text = message ?? GATEWAY_ERROR_MESSAGES[code as GatewayErrorCode];
  if (/[$]/.test(text)) throw new Error(`Cannot place ${JSON.stringify(text)} in nginx.`);
  return returnDirective(ERROR_STATUS[code], body(code, text));
}

function body(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/** `return <status> '<json>\n';`: single-quoted, so the JSON may hold neither `'` nor `\`. */
function returnDirective(status: number, json: string): string {
  if (/['\\\n\r]/.test(json)) throw new Error(`Cannot place ${json} in an nginx string.`);
  return `return ${status} '${json}\\n';`;
}
