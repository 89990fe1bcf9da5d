import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './env.js';

/**
 * The one log shape of every service: pino JSON lines `{"level":30,"time":…,"pid":…,
 * "hostname":…,"name":"<service>","msg":…}`. By default it writes to stdout asynchronously (one
 * write per batch, not per line) and flushes when the process exits; tests pass a `destination`.
 * @example const logger = createLogger('agent-service', 'info'); logger.info({ port }, 'listening')
 */
export function createLogger(
  name: string,
  level: LogLevel,
  destination?: DestinationStream,
): Logger {
  if (destination !== undefined) return pino({ name, level }, destination);
  const stream = pino.destination({ dest: 1, sync: false });
  const flush = () => {
    try {
      stream.flushSync();
    } catch {
      // Not ready yet (nothing written) or stdout already closed: nothing to push out.
    }
  };
  process.once('exit', flush);
  return pino({ name, level }, stream);
}

// nginx sends its $request_id (32 hex), Envoy its x-request-id (a UUID): worth logging to
// correlate the hops, but only in a shape too short to carry a token (platform tokens are well
// over 100 characters) and unable to break a log line.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The gateway's request id (`X-Request-ID`) when it has a safe shape, for every request log line.
 * @example logger.info({ requestId: requestIdOf(req.headers), status }, 'request')
 */
export function requestIdOf(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | undefined {
  const id = headers['x-request-id'];
  return typeof id === 'string' && REQUEST_ID.test(id) ? id : undefined;
}
