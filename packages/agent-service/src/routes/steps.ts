import { agentRoutes, formatZodError, type StepsPage, StepsQuery } from '@agentauth/agent-api';
import { Router } from 'express';
import { sendError } from '../http/send-error.js';
import { loadAgent } from './agent-param.js';
import type { RouteDeps } from './deps.js';
import { methodNotAllowed } from './method-not-allowed.js';

/** Most bytes of step JSON one page carries (always at least one step when any remain). */
export const STEPS_PAGE_MAX_BYTES = 1024 * 1024;

/**
 * `GET /api/agents/:id/steps?before=<cursor>&limit=<n>` — older history, a page at a time, for a
 * client that scrolled past what the WebSocket snapshot carried (its `older` cursor).
 * @example app.use(stepsRouter(deps))
 */
export function stepsRouter({ store, policy }: RouteDeps): Router {
  const router = Router({ caseSensitive: true });
  router
    .route(agentRoutes.steps)
    .get(async (req, res) => {
      const agent = await loadAgent(req, res, store, policy, 'read');
      if (!agent) return;
      // The schema reads only `before` and `limit` and drops the rest of the query (the
      // WebSocket-style access-token among them): other parameters are not the route's concern.
      const parsed = StepsQuery.safeParse(req.query);
      if (!parsed.success) return sendError(res, 'ERR_BAD_REQUEST', formatZodError(parsed.error));
      const query = parsed.data;
      const page = await store.pageSteps(agent.id, {
        before: query.before,
        limit: query.limit,
        maxBytes: STEPS_PAGE_MAX_BYTES,
        atLeastOne: true,
      });
      res.json(page satisfies StepsPage);
    })
    .all(methodNotAllowed('GET'));
  return router;
}
