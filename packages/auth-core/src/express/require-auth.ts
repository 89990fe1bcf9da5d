import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type AccessRule, authenticate } from '../authenticate.js';
import { identityHeadersAgree } from '../identity-headers.js';
import { queryTokens } from '../query-token.js';
import type { SessionUser } from '../session-user.js';
import type { TokenVerifier } from '../token-verifier.js';
import { sendAuthFailure } from './send-auth-failure.js';

/** What a request that passed `requireAuth` carries in `res.locals.auth`. */
export interface RequestAuth {
  readonly user: SessionUser;
  /** Token expiry, seconds since the epoch. */
  readonly exp: number;
}

export interface RequireAuthOptions {
  readonly verifier: TokenVerifier;
  /** Who may pass once the token verifies; default REGULAR or ADMIN. */
  readonly rule?: AccessRule;
  /**
   * What to do with gateway identity headers (`x-user-*`): `'must-match'` refuses a request whose
   * headers disagree with the token (401); `'ignore'` never reads them. Default `'must-match'`.
   */
  readonly identityHeaders?: 'must-match' | 'ignore';
}

/**
 * Express middleware that verifies the request's token (query, subprotocol entry, Bearer header or parsed body) and
 * applies the access rule; on success `res.locals.auth` holds the user.
 * @example app.use('/api/agents', requireAuth({ verifier }))
 */
export function requireAuth(options: RequireAuthOptions): RequestHandler {
  const { verifier, rule, identityHeaders = 'must-match' } = options;
  return (req: Request, res: Response, next: NextFunction) => {
    authenticate(
      verifier,
      {
        query: queryTokens(req.originalUrl),
        protocol: req.headersDistinct['sec-websocket-protocol'],
        // Every Authorization line: req.headers keeps only the first, hiding a second token.
        authorization: req.headersDistinct.authorization ?? req.headers.authorization,
        body: req.body,
      },
      rule,
    ).then((decision) => {
      if (!decision.allow) return sendAuthFailure(res, decision.code);
      if (identityHeaders === 'must-match' && !identityHeadersAgree(req.headers, decision.user)) {
        return sendAuthFailure(res, 'ERR_IDENTITY_MISMATCH');
      }
      res.locals.auth = { user: decision.user, exp: decision.exp } satisfies RequestAuth;
      next();
    }, next);
  };
}

/**
 * The authenticated user of a request that passed `requireAuth`; throws if it did not.
 * @example const user = authOf(res).user
 */
export function authOf(res: Response): RequestAuth {
  const auth = res.locals.auth as RequestAuth | undefined;
  if (!auth) throw new Error('authOf() called on a route without requireAuth().');
  return auth;
}
