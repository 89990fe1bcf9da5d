import type { RequestHandler } from 'express';
import { sendError } from './send-error.js';

const METHODS = 'GET, POST, PATCH, DELETE, OPTIONS';
const HEADERS = 'Authorization, Content-Type';

/**
 * CORS for exactly the configured origins. A preflight from any other origin gets 403
 * `ERR_ORIGIN_FORBIDDEN`; other requests from it get no CORS headers, so a browser will not let the
 * page read the answer. Credentials (cookies) are never allowed: the API uses Bearer tokens.
 * @example app.use(cors(['https://texera.example']))
 */
export function cors(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    res.vary('Origin');
    const ok = allowed.has(origin);
    const preflight =
      req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (preflight) {
      if (!ok)
        return sendError(
          res,
          'ERR_ORIGIN_FORBIDDEN',
          'This origin may not call the agent-service.',
        );
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', METHODS);
      res.setHeader('Access-Control-Allow-Headers', HEADERS);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    if (ok) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', 'WWW-Authenticate');
    }
    next();
  };
}
