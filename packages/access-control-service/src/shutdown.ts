import type { Server } from 'node:http';
import type { Logger } from 'pino';

/** How long in-flight requests get after SIGTERM before their connections are cut. */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

/**
 * On SIGTERM or SIGINT: stop accepting connections, let in-flight requests finish (idle
 * keep-alive connections are closed at once), then call `exit(0)`; after `timeoutMs` the
 * remaining connections are cut and `exit(1)` is called. A second signal is ignored.
 * @example onShutdownSignals(server, logger, (code) => { flush(); process.exit(code); })
 */
export function onShutdownSignals(
  server: Server,
  logger: Logger,
  exit: (code: number) => void,
  timeoutMs: number = SHUTDOWN_TIMEOUT_MS,
): void {
  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.warn({ timeoutMs }, 'shutdown timed out; closing the remaining connections');
      server.closeAllConnections();
      exit(1);
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      logger.info('stopped');
      exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
