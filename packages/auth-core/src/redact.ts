import { TOKEN_BODY_FIELD, TOKEN_QUERY_PARAM } from './extract-token.js';

export const REDACTED = '[REDACTED]';

const SECRET_QUERY = new RegExp(`([?&](?:${TOKEN_QUERY_PARAM}|${TOKEN_BODY_FIELD})=)[^&#]*`, 'gi');
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

/**
 * A URL or request target with token-bearing query values replaced, safe to log.
 * @example redactUrl('/api/agents/1/react?access-token=eyJ') // '/api/agents/1/react?access-token=[REDACTED]'
 */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, `$1${REDACTED}`);
}

/**
 * A copy of a header map with credentials masked, safe to log.
 * @example redactHeaders({ authorization: 'Bearer x' }) // { authorization: '[REDACTED]' }
 */
export function redactHeaders<T extends Record<string, unknown>>(headers: T): T {
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    copy[name] = SECRET_HEADERS.has(name.toLowerCase()) && value !== undefined ? REDACTED : value;
  }
  return copy as T;
}
