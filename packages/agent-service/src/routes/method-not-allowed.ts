import { apiError } from '@agentauth/agent-api';
import type { RequestHandler } from 'express';

/**
 * 405 with an `Allow` header for a known path used with the wrong method.
 * @example router.route('/x').get(h).all(methodNotAllowed('GET'))
 */
export function methodNotAllowed(allow: string): RequestHandler {
  return (_req, res) => {
    res.setHeader('Allow', allow);
    res.status(405).json(apiError('ERR_BAD_REQUEST', `This route allows ${allow} only.`));
  };
}
