export { authOf, type RequestAuth, type RequireAuthOptions, requireAuth } from './require-auth.js';
export { sendAuthFailure } from './send-auth-failure.js';
