import { AUTH_ERROR_MESSAGES, type AuthErrorCode } from './errors.js';
import { STATUS_BY_CODE } from './http-status.js';

/**
 * The codes of the agent-service's own answers (input, routing, CORS, the LLM, its database, bugs). Their
 * messages say what was wrong with this request, so each answer brings its own sentence.
 */
export const SERVICE_ERROR_CODES = [
  'ERR_BAD_REQUEST',
  'ERR_NOT_FOUND',
  'ERR_METHOD_NOT_ALLOWED',
  'ERR_ORIGIN_FORBIDDEN',
  'ERR_PAYLOAD_TOO_LARGE',
  'ERR_LLM_UNAVAILABLE',
  'ERR_INTERNAL',
  /** A prompt while the agent already runs one. */
  'ERR_RUN_IN_PROGRESS',
  /** A model the provider does not list or the allow-list excludes (the message lists the allowed ones). */
  'ERR_MODEL_UNKNOWN',
  /**
   * A per-user or per-client limit (WebSocket socket caps, run limits, the gateway's
   * limit_conn/limit_req) or the provider's rate limit; sent with `Retry-After`.
   */
  'ERR_RATE_LIMITED',
  /** A user's daily token budget (or the provider's budget) is spent; sent with `Retry-After`. */
  'ERR_BUDGET_EXCEEDED',
  /** The LLM provider refuses the service's own credentials: for an operator. */
  'ERR_LLM_PROVIDER_AUTH',
  /** The agent database went away after start-up (PostgreSQL mode); retry shortly. */
  'ERR_SERVICE_UNAVAILABLE',
] as const;
export type ServiceErrorCode = (typeof SERVICE_ERROR_CODES)[number];

/**
 * What the nginx gateway answers by itself, each with its fixed sentence: a 401 whose challenge it
 * cannot read, every 403 (auth_request passes no body), an authorize call that failed, an agent
 * service it cannot reach.
 */
export const GATEWAY_ERROR_MESSAGES = {
  ERR_UNAUTHORIZED: 'The request is not authenticated.',
  ERR_FORBIDDEN: 'This request is not allowed.',
  ERR_AUTHORIZE_UNAVAILABLE: 'The authorization service is unavailable.',
  ERR_AGENT_SERVICE_UNAVAILABLE: 'The agent service is unavailable.',
} as const;
export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_MESSAGES;

/** Every code any agentauth component (gateway, access-control-service, agent-service) answers. */
export type ErrorCode = AuthErrorCode | ServiceErrorCode | GatewayErrorCode;

/**
 * The HTTP status of every code, in one table (trpc's `getHTTPStatusCode`): a `Record` over the
 * union, so a code without a status does not compile.
 * @example ERROR_STATUS.ERR_AUTHORIZE_UNAVAILABLE // 503
 */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  ...STATUS_BY_CODE,
  ERR_BAD_REQUEST: 400,
  ERR_NOT_FOUND: 404,
  ERR_METHOD_NOT_ALLOWED: 405,
  ERR_ORIGIN_FORBIDDEN: 403,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_LLM_UNAVAILABLE: 502,
  ERR_INTERNAL: 500,
  ERR_RUN_IN_PROGRESS: 409,
  ERR_MODEL_UNKNOWN: 400,
  ERR_RATE_LIMITED: 429,
  ERR_BUDGET_EXCEEDED: 429,
  ERR_LLM_PROVIDER_AUTH: 502,
  ERR_SERVICE_UNAVAILABLE: 503,
  ERR_UNAUTHORIZED: 401,
  ERR_FORBIDDEN: 403,
  ERR_AUTHORIZE_UNAVAILABLE: 503,
  ERR_AGENT_SERVICE_UNAVAILABLE: 502,
};

/** Every code, for tables and exhaustive tests. */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** True when `value` is one of the codes above (e.g. a code read from an answer's body). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}

/** The fixed sentence of a code that has one (auth and gateway codes), else undefined. */
export function fixedMessage(code: ErrorCode): string | undefined {
  if (Object.hasOwn(AUTH_ERROR_MESSAGES, code)) return AUTH_ERROR_MESSAGES[code as AuthErrorCode];
  if (Object.hasOwn(GATEWAY_ERROR_MESSAGES, code))
    return GATEWAY_ERROR_MESSAGES[code as GatewayErrorCode];
  return undefined;
}
