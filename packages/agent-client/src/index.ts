export {
  type AgentClient,
  type AgentClientOptions,
  type CallOptions,
  createAgentClient,
  type StepsPageRequest,
  type WebSocketConstructor,
} from './agent-client.js';
export {
  type AgentListState,
  type AgentListStore,
  createAgentListStore,
} from './agent-list-store.js';
export {
  type AgentSession,
  type AgentSessionDeps,
  type AgentSessionOptions,
  openAgentSession,
  type SessionState,
} from './agent-session.js';
export {
  AgentClientError,
  BadRequestError,
  CLIENT_ERROR_CODES,
  type ClientErrorCode,
  ForbiddenError,
  InvalidResponseError,
  isAgentClientError,
  NetworkError,
  NotFoundError,
  RateLimitedError,
  ServerError,
  SessionExpiredError,
} from './errors.js';
export {
  backoffDelay,
  DEFAULT_RETRY,
  type HttpMethod,
  IDEMPOTENT_METHODS,
  isRetryableMethod,
  RETRYABLE_STATUSES,
  type RetryPolicy,
} from './retry.js';
export { isTokenExpired, readTokenClaims, type TokenClaims } from './token-claims.js';
export {
  createTokenStore,
  memoryStorage,
  TOKEN_STORAGE_KEY,
  type TokenStorage,
  type TokenStore,
  type TokenStoreOptions,
} from './token-store.js';
