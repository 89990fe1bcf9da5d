import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * Large enough for the biggest token the auth core reads (8 KiB) in both the `Authorization`
 * header and the `X-Original-URI` query, so such a request is decided (401) instead of being
 * refused by Node's parser with a 431 that nginx would turn into a 500.
 */
export const MAX_HEADER_SIZE = 32 * 1024;

/**
 * The service's HTTP server (not yet listening: the runtime's `listen` binds it with the
 * gateway-safe keep-alive).
 * @example await listen(createServiceServer(app), { port: 9096, host: '127.0.0.1' })
 */
export function createServiceServer(handler: RequestListener): Server {
  return createServer({ maxHeaderSize: MAX_HEADER_SIZE }, handler);
}
