import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type AccessRule, type AuthDecision, authenticate, deny } from '../authenticate.js';
import type { AuthErrorCode } from '../errors.js';
import { queryTokens } from '../extract-token.js';
import { identityHeadersAgree } from '../identity-headers.js';
import { refusal, writeUpgradeRefusal } from '../refusal.js';
import type { TokenVerifier } from '../token-verifier.js';

/**
 * Checks a WebSocket upgrade request (query `access-token` or `Authorization: Bearer`) before any
 * 101 is sent. Identity headers from a gateway must agree with the token.
 * @example
 * server.on('upgrade', async (req, socket, head) => {
 *   const decision = await authenticateUpgrade(req, verifier);
 *   if (!decision.allow) return rejectUpgrade(socket, decision.code);
 *   wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req, decision.user));
 * });
 */
export async function authenticateUpgrade(
  req: IncomingMessage,
  verifier: TokenVerifier,
  rule?: AccessRule,
): Promise<AuthDecision> {
  const decision = await authenticate(
    verifier,
    {
      query: queryTokens(req.url ?? ''),
      // Every Authorization line: req.headers keeps only the first, hiding a second token.
      authorization: req.headersDistinct.authorization ?? req.headers.authorization,
    },
    rule,
  );
  if (decision.allow && !identityHeadersAgree(req.headers, decision.user))
    return deny('ERR_IDENTITY_MISMATCH');
  return decision;
}

/**
 * Answers a refused upgrade with the auth core's refusal as a plain HTTP 401/403 (never a 101) and
 * destroys the socket.
 * @example rejectUpgrade(socket, 'ERR_TOKEN_EXPIRED')
 */
export function rejectUpgrade(socket: Duplex, code: AuthErrorCode): void {
  writeUpgradeRefusal(socket, refusal(code));
}
