import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type AccessRule, type AuthDecision, authenticate, deny } from '../authenticate.js';
import type { AuthErrorCode } from '../errors.js';
import { identityHeadersAgree } from '../identity-headers.js';
import { queryTokens } from '../query-token.js';
import { refusal, writeUpgradeRefusal } from '../refusal.js';
import type { TokenVerifier } from '../token-verifier.js';
import { readOfferedProtocols } from '../websocket-protocol.js';

/**
 * Checks a WebSocket upgrade request (query `access-token`, a bearer `Sec-WebSocket-Protocol`
 * entry or `Authorization: Bearer`) before any 101 is sent; answer the 101 with
 * {@link selectProtocol}, never with the bearer entry. Identity headers from a gateway must agree
 * with the token.
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
      protocol:
        req.headersDistinct['sec-websocket-protocol'] ?? req.headers['sec-websocket-protocol'],
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

/**
 * The subprotocol a 101 may echo: the first offered entry the server speaks, never a bearer
 * entry (ws' `handleProtocols` option; `false` sends no `Sec-WebSocket-Protocol`).
 * @example new WebSocketServer({ noServer: true, handleProtocols: (offered) => selectProtocol(offered, ['agentauth.react.v1']) })
 */
export function selectProtocol(
  offered: Iterable<string>,
  spoken: readonly string[],
): string | false {
  const { protocols } = readOfferedProtocols([...offered].join(','));
  return protocols.find((p) => spoken.includes(p)) ?? false;
}
