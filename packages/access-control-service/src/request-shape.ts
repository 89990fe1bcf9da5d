/** The authorize endpoint: Envoy appends the original target to it, nginx calls it bare. */
export const AUTHORIZE_PATH = '/api/auth';

/** Which gateway shaped an authorize request. */
export type Shape = 'envoy' | 'nginx';

/** The client request a gateway asks about, as read from the authorize request. */
export interface OriginalRequest {
  readonly shape: Shape;
  /** The client's method; undefined when nginx did not send a usable `X-Original-Method`. */
  readonly method: string | undefined;
  /** The client's raw target (path + query); undefined when nginx sent no `X-Original-URI`. */
  readonly target: string | undefined;
}

/** The request headers this service reads (Node's `IncomingHttpHeaders` fits). */
export interface OriginalHeaders {
  readonly 'x-original-uri'?: string | string[] | undefined;
  readonly 'x-original-method'?: string | string[] | undefined;
}

// RFC 9110 token; bounded so a silly header cannot bloat a log line.
const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;
const AFTER_PREFIX = AUTHORIZE_PATH.length;

/**
 * True when `url` (a raw `req.url`) addresses the authorize endpoint: `/api/auth`, `/api/auth?…`
 * or `/api/auth/…`. Case-sensitive: the gateways are configured with this exact path.
 * @example isAuthorizeUrl('/api/auth/api/agents') // true; isAuthorizeUrl('/api/authz') // false
 */
export function isAuthorizeUrl(url: string): boolean {
  if (!url.startsWith(AUTHORIZE_PATH)) return false;
  const next = url.charCodeAt(AFTER_PREFIX);
  return Number.isNaN(next) || next === 0x2f || next === 0x3f;
}

/**
 * Reads which client request an authorize request asks about.
 * Envoy shape: `/api/auth` + original path + query, with the client's own method; any
 * `X-Original-*` header is ignored (a client could have sent it through Envoy).
 * nginx shape: exactly `/api/auth` (a query on it is ignored), the original target in
 * `X-Original-URI` and the method in `X-Original-Method`. `/api/auth/` is Envoy asking about `/`.
 * Expects `isAuthorizeUrl(url)`.
 * @example readOriginalRequest('PATCH', '/api/auth/api/agents/1/settings', {})
 * // { shape: 'envoy', method: 'PATCH', target: '/api/agents/1/settings' }
 */
export function readOriginalRequest(
  method: string,
  url: string,
  headers: OriginalHeaders,
): OriginalRequest {
  if (url.charCodeAt(AFTER_PREFIX) === 0x2f) {
    return { shape: 'envoy', method, target: url.slice(AFTER_PREFIX) };
  }
  const uri = headers['x-original-uri'];
  const originalMethod = headers['x-original-method'];
  return {
    shape: 'nginx',
    method:
      typeof originalMethod === 'string' && METHOD.test(originalMethod)
        ? originalMethod
        : undefined,
    // Node joins a repeated X-Original-URI with ", ", which then fails canonicalisation.
    target: typeof uri === 'string' ? uri : undefined,
  };
}
