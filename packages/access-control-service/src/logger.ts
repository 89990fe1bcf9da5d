import pino, { type DestinationStream, type Level, type Logger } from 'pino';

/** Log levels accepted by `LOG_LEVEL`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = Level | 'silent';

/** A logger plus a way to push out what it has buffered before the process exits. */
export interface ServiceLogger {
  readonly logger: Logger;
  readonly flush: () => void;
}

/**
 * A pino JSON logger. By default it writes to stdout asynchronously, so a burst of decisions
 * costs one write per batch instead of one system call per line; call `flush()` before exiting.
 * Tests pass their own `destination` to capture lines.
 * @example const { logger, flush } = createLogger('info'); logger.info({ port }, 'listening')
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): ServiceLogger {
  const stream = destination ?? pino.destination({ dest: 1, sync: false });
  const logger = pino({ name: 'access-control-service', level }, stream);
  return {
    logger,
    flush: () => {
      if (destination === undefined) (stream as ReturnType<typeof pino.destination>).flushSync();
    },
  };
}
