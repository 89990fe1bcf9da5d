// Browser-safe entry (`@agentauth/auth-core/codes`): the error vocabulary without any Node import,
// for the typed client and the web app.

export {
  ERROR_CODES,
  ERROR_STATUS,
  type ErrorCode,
  fixedMessage,
  GATEWAY_ERROR_MESSAGES,
  type GatewayErrorCode,
  isErrorCode,
  SERVICE_ERROR_CODES,
  type ServiceErrorCode,
} from './error-codes.js';
export { AUTH_ERROR_CODES, AUTH_ERROR_MESSAGES, type AuthErrorCode } from './errors.js';
export { type DenyStatus, STATUS_BY_CODE } from './http-status.js';
