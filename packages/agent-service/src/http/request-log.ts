import { redactUrl } from '@agentauth/auth-core';
import { requestIdOf } from '@agentauth/service-runtime';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { ServiceMetrics } from '../metrics.js';

/**
 * Logs one line per request and records metrics. The URL is logged through the auth core's
 * `redactUrl` (a query may carry `access-token`), with the gateway's request id; other headers and
 * bodies are never logged.
 * @example app.use(requestLog(logger, metrics))
 */
export function requestLog(
  logger: Logger,
  metrics: ServiceMetrics,
  clock: () => number,
): RequestHandler {
  return (req, res, next) => {
    const started = clock();
    res.on('finish', () => {
      const ms = clock() - started;
      const route = routeOf(req.route?.path, req.baseUrl);
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method: req.method, route }, ms / 1000);
      const uid = (res.locals.auth as { user?: { uid?: number } } | undefined)?.user?.uid;
      logger.info(
        {
          requestId: requestIdOf(req.headers),
          method: req.method,
          url: redactUrl(req.originalUrl),
          status: res.statusCode,
          ms,
          ...(uid === undefined ? {} : { uid }),
          ...(res.locals.authCode ? { code: res.locals.authCode } : {}),
        },
        'request',
      );
    });
    next();
  };
}

// Label by route pattern (bounded cardinality), never by the raw path.
function routeOf(path: unknown, base: string): string {
  return typeof path === 'string' ? `${base}${path}` : 'unmatched';
}
