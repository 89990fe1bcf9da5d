import { AuthError } from './errors.js';
import { readOfferedProtocols } from './websocket-protocol.js';

/** Body field carrying a token (JSON or form body). */
export const TOKEN_BODY_FIELD = 'token';

/** Where a request may carry its token, in the order they are consulted. */
export interface TokenSources {
  /** Every value of the `access-token` query parameter (see `queryTokens`). */
  readonly query?: readonly string[] | undefined;
  /** The `Sec-WebSocket-Protocol` header value(s): a bearer entry carries a token. */
  readonly protocol?: string | readonly string[] | undefined;
  /** The `Authorization` header value(s). */
  readonly authorization?: string | readonly string[] | undefined;
  /** A parsed JSON or form body, if the request had one. */
  readonly body?: unknown;
}

const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Finds the one token a request carries: query `access-token`, then a
 * `base64url.bearer.authorization.agentauth.dev.<token>` entry of `Sec-WebSocket-Protocol`, then
 * `Authorization: Bearer` (scheme case-insensitive), then a body `token` field. Two sources with
 * different tokens are refused (ERR_TOKEN_AMBIGUOUS) instead of silently picking one; a non-Bearer
 * scheme counts as no token; a Bearer header or subprotocol entry without a well-formed token is
 * ERR_TOKEN_MALFORMED.
 * @example extractToken({ authorization: 'Bearer eyJ...' }) // 'eyJ...'
 */
export function extractToken(sources: TokenSources): string {
  const found: string[] = [];
  for (const value of sources.query ?? []) {
    if (value.length === 0) throw new AuthError('ERR_TOKEN_MALFORMED');
    found.push(value);
  }
  for (const token of readOfferedProtocols(sources.protocol).tokens) {
    if (token === undefined || token.length === 0) throw new AuthError('ERR_TOKEN_MALFORMED');
    found.push(token);
  }
  const authorization = sources.authorization;
  for (const header of typeof authorization === 'string'
    ? [authorization]
    : (authorization ?? [])) {
    const scheme = header.trimStart().split(/\s/, 1)[0] ?? '';
    if (scheme.toLowerCase() !== 'bearer') continue;
    const match = BEARER.exec(header.trim());
    if (!match?.[1]) throw new AuthError('ERR_TOKEN_MALFORMED');
    found.push(match[1]);
  }
  const body = sources.body;
  if (body !== null && typeof body === 'object' && Object.hasOwn(body, TOKEN_BODY_FIELD)) {
    const value = (body as Record<string, unknown>)[TOKEN_BODY_FIELD];
    if (typeof value !== 'string' || value.length === 0) throw new AuthError('ERR_TOKEN_MALFORMED');
    found.push(value);
  }
  const [first] = found;
  if (first === undefined) throw new AuthError('ERR_TOKEN_MISSING');
  if (found.some((t) => t !== first)) throw new AuthError('ERR_TOKEN_AMBIGUOUS');
  return first;
}
