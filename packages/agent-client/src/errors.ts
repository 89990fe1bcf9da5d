import type { ErrorCode } from '@agentauth/auth-core/codes';

/**
 * Every way a client call can fail, as a stable code the UI can `switch` on exhaustively. Four
 * are codes of the system's error vocabulary (auth core), typed against it; the other four only
 * the client can say (no server answers with them).
 */
export const CLIENT_ERROR_CODES = [
  'ERR_SESSION_EXPIRED',
  ...([
    'ERR_FORBIDDEN',
    'ERR_NOT_FOUND',
    'ERR_BAD_REQUEST',
    'ERR_RATE_LIMITED',
  ] as const satisfies readonly ErrorCode[]),
  'ERR_SERVER',
  'ERR_NETWORK',
  'ERR_INVALID_RESPONSE',
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/** The service's CORS refusal: a deployment problem, not the user's role. */
export const ORIGIN_REFUSED: ErrorCode = 'ERR_ORIGIN_FORBIDDEN';

/**
 * Base class of every error the client throws. `message` is a sentence fit for the UI; it never
 * contains the token or a URL with the token.
 */
export class AgentClientError extends Error {
  readonly code: ClientErrorCode;
  /** HTTP status when the server answered, else `undefined`. */
  readonly status: number | undefined;
  /**
   * The server's own error code (e.g. `ERR_TOKEN_EXPIRED`, `ERR_AUTHORIZE_UNAVAILABLE`) when its
   * body carried one: one of the auth core's `ErrorCode`s, or a newer server's code kept as sent.
   */
  readonly serverCode: ErrorCode | (string & {}) | undefined;

  constructor(
    code: ClientErrorCode,
    message: string,
    details: { status?: number; serverCode?: string | undefined; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = details.status;
    this.serverCode = details.serverCode;
  }
}

/** 401, or no token stored: the user must sign in again. Local state is kept. */
export class SessionExpiredError extends AgentClientError {
  /** `missing`: no token was stored, nothing was sent; `rejected`: the server refused it. */
  readonly reason: 'missing' | 'rejected';
  constructor(
    reason: 'missing' | 'rejected',
    details: { status?: number; serverCode?: string } = {},
  ) {
    super(
      'ERR_SESSION_EXPIRED',
      reason === 'missing'
        ? 'You are not signed in. Sign in to use agents.'
        : 'Your session has expired. Sign in again to continue.',
      details,
    );
    this.reason = reason;
  }
}

/** 403: the token is valid but the account's role may not use agents. */
export class ForbiddenError extends AgentClientError {
  constructor(details: { status?: number; serverCode?: string } = {}) {
    super(
      'ERR_FORBIDDEN',
      'Your account cannot use agents. Ask an administrator for access.',
      details,
    );
  }
}

/** 404: the agent does not exist (any more). */
export class NotFoundError extends AgentClientError {
  constructor(message: string, details: { status?: number; serverCode?: string } = {}) {
    super('ERR_NOT_FOUND', message, details);
  }
}

/** 400, 413 and other 4xx: the server refused the input; `message` is the server's sentence. */
export class BadRequestError extends AgentClientError {
  constructor(message: string, details: { status?: number; serverCode?: string } = {}) {
    super('ERR_BAD_REQUEST', message, details);
  }
}

/**
 * 429: a limit that passes with time — the gateway's per-address caps, a user's run limits, or
 * the daily token budget (`serverCode` `ERR_BUDGET_EXCEEDED`). `retryAt` is when the answer's
 * `Retry-After` says to try again (ms since the epoch), if it said.
 */
export class RateLimitedError extends AgentClientError {
  readonly retryAt: number | undefined;
  constructor(
    details: { status?: number; serverCode?: string; retryAt?: number | undefined } = {},
  ) {
    super(
      'ERR_RATE_LIMITED',
      details.serverCode === 'ERR_BUDGET_EXCEEDED'
        ? 'Your daily language-model budget is used up.'
        : 'Too many requests for now.',
      details,
    );
    this.retryAt = details.retryAt;
  }
}

/** 5xx (after any retries). */
export class ServerError extends AgentClientError {
  constructor(message: string, details: { status?: number; serverCode?: string } = {}) {
    super('ERR_SERVER', message, details);
  }
}

/** The request never got an answer (offline, DNS, reset, timeout) — after any retries. */
export class NetworkError extends AgentClientError {
  constructor(cause?: unknown) {
    super('ERR_NETWORK', 'The agent service could not be reached. Check your connection.', {
      cause,
    });
  }
}

/** The server answered 2xx with a body that does not match the agent-api schema. */
export class InvalidResponseError extends AgentClientError {
  constructor(what: string, cause?: unknown) {
    super('ERR_INVALID_RESPONSE', `The agent service sent an unexpected ${what}.`, { cause });
  }
}

/**
 * True for any error this client throws.
 * @example if (isAgentClientError(e) && e.code === 'ERR_SESSION_EXPIRED') showSignIn()
 */
export function isAgentClientError(value: unknown): value is AgentClientError {
  return value instanceof AgentClientError;
}
