import { HEALTHCHECK_PATH, type HealthResponse } from '@agentauth/agent-api';
import { Router } from 'express';

/**
 * `GET /api/healthcheck` — the only unauthenticated route. Says nothing about users or agents.
 * @example app.use(healthRouter())
 */
export function healthRouter(): Router {
  const router = Router({ caseSensitive: true });
  router.get(HEALTHCHECK_PATH, (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' } satisfies HealthResponse);
  });
  return router;
}
