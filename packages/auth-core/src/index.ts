export { AuthConfSyntaxError, readAuthConf } from './auth-conf.js';
export { type AccessRule, type AuthDecision, authenticate, deny } from './authenticate.js';
// The error vocabulary, also served alone (browser-safe) as `@agentauth/auth-core/codes`.
export * from './codes.js';
export { parseDuration } from './duration.js';
export { AuthError, isAuthError } from './errors.js';
export { extractToken, TOKEN_BODY_FIELD, type TokenSources } from './extract-token.js';
export { AUTH_REALM, statusForCode, wwwAuthenticate } from './http-status.js';
export {
  type HeaderIdentity,
  IDENTITY_HEADER,
  IDENTITY_HEADERS,
  type IdentityHeaderName,
  identityHeadersAgree,
  identityHeadersFor,
  readIdentityHeaders,
} from './identity-headers.js';
export { queryTokens, redactQueryTokens, TOKEN_QUERY_PARAM } from './query-token.js';
export { REDACTED, redactHeaders, redactUrl } from './redact.js';
export {
  ERROR_CODE_HEADER,
  type Refusal,
  refusal,
  sendRefusal,
  writeUpgradeRefusal,
} from './refusal.js';
export { AGENT_ROLES, isRole, isRoleOf, mayUseAgents, ROLES, type Role } from './roles.js';
export {
  AUTH_CONF_SECRET_KEY,
  type JwtSecret,
  type LoadSecretDeps,
  loadSecret,
  MIN_SECRET_LENGTH,
  PUBLIC_DEFAULT_SECRET,
  SECRET_ENV,
  SecretConfigError,
} from './secret.js';
export { secretKey } from './secret-key.js';
export type { SessionUser, VerifiedToken } from './session-user.js';
export { type SignOptions, signToken, type TokenSubject } from './sign-token.js';
export { importHmacKey, signatureMatches } from './signature-check.js';
export { CLAIM, CLOCK_SKEW_SECONDS, MAX_TOKEN_LENGTH, TOKEN_ALGORITHM } from './token-format.js';
export {
  createTokenVerifier,
  type TokenVerifier,
  type TokenVerifierOptions,
} from './token-verifier.js';
export { type VerifyOptions, verifyToken } from './verify-token.js';
export {
  BEARER_PROTOCOL_DOMAIN,
  BEARER_PROTOCOL_PREFIX,
  bearerProtocol,
  type OfferedProtocols,
  readOfferedProtocols,
  redactProtocolHeader,
} from './websocket-protocol.js';
