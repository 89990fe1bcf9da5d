import { type AgentSettings, agentRoutes, UpdateSettingsRequest } from '@agentauth/agent-api';
import { authOf } from '@agentauth/auth-core/express';
import { Router } from 'express';
import { readBody } from '../http/json-body.js';
import { sendError } from '../http/send-error.js';
import { loadAgent } from './agent-param.js';
import type { RouteDeps } from './deps.js';
import { methodNotAllowed } from './method-not-allowed.js';

/**
 * `GET /api/agents/:id/settings` and `PATCH` (a validated, strict, partial update applied
 * atomically; answers the merged settings). A running prompt keeps the settings it started with.
 * @example app.use(settingsRouter(deps))
 */
export function settingsRouter({ store, policy, logger }: RouteDeps): Router {
  const router = Router({ caseSensitive: true });
  router
    .route(agentRoutes.settings)
    .get(async (req, res) => {
      const agent = await loadAgent(req, res, store, policy, 'read');
      if (agent) res.json(agent.settings satisfies AgentSettings);
    })
    .patch(async (req, res) => {
      const agent = await loadAgent(req, res, store, policy, 'update');
      if (!agent) return;
      const patch = readBody(req.body, res, UpdateSettingsRequest);
      if (!patch) return;
      const settings = await store.updateSettings(agent.id, patch);
      if (!settings) return sendError(res, 'ERR_NOT_FOUND', 'No agent has this id.');
      logger.info(
        { agentId: agent.id, uid: authOf(res).user.uid, keys: Object.keys(patch) },
        'settings updated',
      );
      res.json(settings);
    })
    .all(methodNotAllowed('GET, PATCH'));
  return router;
}
