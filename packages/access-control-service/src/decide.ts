import {
  type AuthDecision,
  authenticate,
  deny,
  queryTokens,
  type TokenVerifier,
} from '@agentauth/auth-core';
import { isAgentPath } from './agent-paths.js';
import { canonicalTarget } from './canonical-path.js';
import { UnreadableBody } from './read-body.js';
import { type OriginalHeaders, readOriginalRequest, type Shape } from './request-shape.js';

/** An authorize request, as the HTTP layer hands it over. */
export interface DecisionInput {
  /** The authorize request's own method. */
  readonly method: string;
  /** The authorize request's own raw target (`req.url`), starting with `/api/auth`. */
  readonly target: string;
  readonly headers: OriginalHeaders & {
    readonly authorization?: string | readonly string[] | undefined;
    /** A WebSocket's subprotocol list, which may carry a bearer entry (Envoy: headersToExtAuth). */
    readonly 'sec-websocket-protocol'?: string | readonly string[] | undefined;
  };
  /** The parsed body, an {@link UnreadableBody}, or undefined when there was none. */
  readonly body?: unknown;
}

/** What was decided, with what it was decided about (safe to log: no query, no token). */
export type Decision = AuthDecision & {
  readonly shape: Shape;
  /** The client's method, when known. */
  readonly method: string | undefined;
  /** The canonical path; undefined when the target was missing or not canonicalisable. */
  readonly path: string | undefined;
  /** An unexpected exception that was turned into a deny; log it, never rethrow it. */
  readonly failure?: unknown;
};

/**
 * Decides an authorize request for either gateway shape. Order: a target must be present
 * (403 ERR_PATH_NOT_GOVERNED), canonicalisable (403 ERR_PATH_INVALID) and an agent path (403
 * ERR_PATH_NOT_GOVERNED); then the token (query `access-token` of the ORIGINAL target, a bearer
 * `Sec-WebSocket-Protocol` entry, Bearer header, body `token`) must verify (401) and carry REGULAR or ADMIN (403). Never rejects: an
 * unexpected exception becomes a 401 deny carrying `failure`.
 * @example
 * const d = await decide(verifier, { method: 'GET', target: '/api/auth/api/agents', headers });
 * if (d.allow) identityHeadersFor(d.user)
 */
export async function decide(verifier: TokenVerifier, input: DecisionInput): Promise<Decision> {
  let original: { shape: Shape; method: string | undefined } = {
    shape: 'envoy',
    method: undefined,
  };
  let path: string | undefined;
  try {
    const request = readOriginalRequest(input.method, input.target, input.headers);
    original = request;
    const { shape, method, target } = request;
    if (target === undefined) return { ...deny('ERR_PATH_NOT_GOVERNED'), shape, method, path };
    const canonical = canonicalTarget(target);
    if (canonical === undefined) return { ...deny('ERR_PATH_INVALID'), shape, method, path };
    path = canonical.path;
    if (!isAgentPath(path)) return { ...deny('ERR_PATH_NOT_GOVERNED'), shape, method, path };
    const { body } = input;
    if (body instanceof UnreadableBody) return { ...deny(body.code), shape, method, path };
    const decision = await authenticate(verifier, {
      query: canonical.search === '' ? undefined : queryTokens(canonical.search),
      protocol: input.headers['sec-websocket-protocol'],
      authorization: input.headers.authorization,
      body,
    });
    return { ...decision, shape, method, path };
  } catch (failure) {
    // No known path throws; if one does, the answer is still a deny (never a 5xx, which Envoy
    // may turn into an allow when configured to fail open). A 401 asks for a fresh token, the
    // remedy most likely to help; the log line and the `error` outcome tell operators apart.
    return { ...deny('ERR_TOKEN_MALFORMED'), ...original, path, failure };
  }
}
