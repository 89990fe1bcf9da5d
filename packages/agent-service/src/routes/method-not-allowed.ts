import type { RequestHandler } from 'express';
import { sendError } from '../http/send-error.js';

/**
 * 405 `ERR_METHOD_NOT_ALLOWED` with an `Allow` header for a known path used with the wrong method.
 * @example router.route('/x').get(h).all(methodNotAllowed('GET'))
 */
export function methodNotAllowed(allow: string): RequestHandler {
  return (_req, res) => {
    res.setHeader('Allow', allow);
    sendError(res, 'ERR_METHOD_NOT_ALLOWED', `This route allows ${allow} only.`);
  };
}
