import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { closeUnusedConnections } from './unused-connections.js';

/** How long in-flight work gets after SIGTERM before connections are cut. */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * Stops accepting connections and resolves once every in-flight request has finished; idle
 * keep-alive connections close at once, and so do connections that never sent a byte (when the
 * server was bound by `listen`, which watches them). After `timeoutMs` the remaining connections
 * are cut and it resolves `false` (true when everything finished).
 * @example const drained = await drainServer(server, 10_000)
 */
export function drainServer(server: Server, timeoutMs = SHUTDOWN_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve(true);
    // A keep-alive connection turns idle when its in-flight request ends; close it then, so the
    // drain ends with the last request instead of with the client's idle timeout.
    const closeIdle = () => {
      server.closeIdleConnections();
      closeUnusedConnections(server);
    };
    const idle = setInterval(closeIdle, 25);
    const timer = setTimeout(() => {
      clearInterval(idle);
      server.closeAllConnections();
      resolve(false);
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearInterval(idle);
      clearTimeout(timer);
      resolve(true);
    });
    closeIdle();
  });
}

export interface ShutdownOptions {
  /** The bound of the whole stop; then `exit(1)`. Default {@link SHUTDOWN_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Default `process.exit` (buffered logs are flushed on exit). */
  readonly exit?: (code: number) => void;
}

/**
 * On SIGTERM or SIGINT: logs `shutting down`, runs `stop` with the signal (stop accepting, finish
 * in-flight work, close stores; a service may drain longer on SIGTERM, a rolling update, than on
 * SIGINT, Ctrl-C), logs `stopped` and exits 0; exits 1 when `stop` fails, resolves `false` (its
 * drain had to cut connections) or outlasts `timeoutMs`.
 * A second signal is ignored.
 * @example onShutdownSignals(logger, () => drainServer(server).then(() => {}))
 */
export function onShutdownSignals(
  logger: Logger,
  stop: (signal: NodeJS.Signals) => Promise<unknown>,
  { timeoutMs = SHUTDOWN_TIMEOUT_MS, exit = (code) => process.exit(code) }: ShutdownOptions = {},
): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.warn({ timeoutMs }, 'shutdown timed out');
      exit(1);
    }, timeoutMs + 1_000);
    timer.unref();
    stop(signal).then(
      (finished) => {
        clearTimeout(timer);
        if (finished === false) {
          logger.warn({ timeoutMs }, 'shutdown timed out; closed the remaining connections');
          exit(1);
          return;
        }
        logger.info('stopped');
        exit(0);
      },
      (error: unknown) => {
        clearTimeout(timer);
        logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
