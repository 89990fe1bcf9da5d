import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * Large enough for the biggest token the auth core reads (8 KiB) in both the `Authorization`
 * header and the `X-Original-URI` query, so such a request is decided (401) instead of being
 * refused by Node's parser with a 431 that nginx would turn into a 500.
 */
export const MAX_HEADER_SIZE = 32 * 1024;
/**
 * Outlasts nginx's upstream `keepalive_timeout` (60 s): if this side closed idle connections
 * first, nginx could reuse one at the moment it closes (Envoy's idle timeout should be below it).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 75_000;

/** Thrown when the service cannot bind its address, in one sentence. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
}

/**
 * Creates the HTTP server for a request listener and binds it; resolves once listening.
 * @example const server = await listen(app, { port: 0, host: '127.0.0.1' })
 */
export function listen(
  handler: RequestListener,
  address: { readonly port: number; readonly host: string },
): Promise<Server> {
  const server = createServer({ maxHeaderSize: MAX_HEADER_SIZE }, handler);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new ListenError(
          `Cannot listen on ${address.host}:${address.port} (${error.code ?? error.message}); set PORT or HOST to a free local address.`,
        ),
      );
    });
    server.listen(address.port, address.host, () => resolve(server));
  });
}
