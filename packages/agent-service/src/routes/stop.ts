import { agentRoutes, type StopResponse } from '@agentauth/agent-api';
import { Router } from 'express';
import { loadAgent } from './agent-param.js';
import type { RouteDeps } from './deps.js';
import { methodNotAllowed } from './method-not-allowed.js';

/**
 * `POST /api/agents/:id/stop` — interrupts the agent's running prompt (the LLM request is aborted);
 * `{ stopped: false }` when nothing was running.
 * @example app.use(stopRouter(deps))
 */
export function stopRouter({ store, runs, policy }: RouteDeps): Router {
  const router = Router({ caseSensitive: true });
  router
    .route(agentRoutes.stop)
    .post(async (req, res) => {
      const agent = await loadAgent(req, res, store, policy, 'stop');
      if (agent) res.json({ stopped: await runs.stop(agent.id) } satisfies StopResponse);
    })
    .all(methodNotAllowed('POST'));
  return router;
}
