import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ListenError } from './config-error.js';
import { watchUnusedConnections } from './unused-connections.js';

/**
 * Outlasts nginx's upstream `keepalive_timeout` (60 s) and Envoy's default idle timeout: if a
 * service closed an idle pooled connection first, the gateway could reuse it at the moment it
 * closes and answer 502.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 75_000;
/** Must exceed the keep-alive timeout, or Node may cut a reused connection mid-request. */
export const HEADERS_TIMEOUT_MS = KEEP_ALIVE_TIMEOUT_MS + 1_000;

export interface ListenAddress {
  readonly port: number;
  readonly host: string;
  /** The variable that sets `port`, named in the error sentence. Default `PORT`. */
  readonly portVariable?: string;
}

/**
 * Applies the gateway-safe timeouts to a server (or a new one for `handler`), starts watching
 * its unused connections (so {@link drainServer} can close them) and binds it;
 * resolves once listening, rejects with a ListenError sentence when the address is taken.
 * @example const server = await listen(app, { port: 9096, host: '127.0.0.1' })
 */
export function listen(target: Server | RequestListener, address: ListenAddress): Promise<Server> {
  const server = typeof target === 'function' ? createServer(target) : target;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  watchUnusedConnections(server);
  const variable = address.portVariable ?? 'PORT';
  return new Promise((resolve, reject) => {
    const refuse = (error: NodeJS.ErrnoException) => {
      reject(
        new ListenError(
          `Cannot listen on ${address.host}:${address.port} (${error.code ?? error.message}); set ${variable} or HOST to a free local address.`,
        ),
      );
    };
    server.once('error', refuse);
    server.listen(address.port, address.host, () => {
      server.off('error', refuse);
      resolve(server);
    });
  });
}

/**
 * `http://host:port` of a listening server (IPv6 in brackets).
 * @example urlOf(server) // 'http://127.0.0.1:9096'
 */
export function urlOf(server: Server): string {
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shown}:${address.port}`;
}
