import { redactQueryTokens } from './query-token.js';
import { redactProtocolHeader } from './websocket-protocol.js';

export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/**
 * A URL or request target with every token-carrying query value replaced, safe to log. It removes
 * exactly what token extraction reads (see `queryTokens`): every parameter whose decoded name is
 * `access-token`, however its name is percent-encoded.
 * @example redactUrl('/api/agents/1/react?access%2Dtoken=eyJ') // '/api/agents/1/react?access%2Dtoken=[REDACTED]'
 */
export function redactUrl(url: string): string {
  return redactQueryTokens(url, REDACTED);
}

/**
 * A copy of a header map with credentials masked, safe to log: the credential headers entirely,
 * and the bearer entry of `Sec-WebSocket-Protocol` (its real protocol names are kept).
 * @example redactHeaders({ authorization: 'Bearer x' }) // { authorization: '[REDACTED]' }
 */
export function redactHeaders<T extends Record<string, unknown>>(headers: T): T {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (SECRET_HEADERS.has(lower) && value !== undefined) copy[name] = REDACTED;
    else if (lower === 'sec-websocket-protocol' && value !== undefined)
      copy[name] = Array.isArray(value)
        ? value.map((v) => redactProtocolHeader(String(v), REDACTED))
        : redactProtocolHeader(String(value), REDACTED);
    else copy[name] = value;
  }
  return copy as T;
}
