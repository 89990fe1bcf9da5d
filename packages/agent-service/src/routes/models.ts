import { agentRoutes, type ModelListResponse } from '@agentauth/agent-api';
import { Router } from 'express';
import { sendError } from '../http/send-error.js';
import { LlmError } from '../llm/llm-client.js';
import type { RouteDeps } from './deps.js';
import { methodNotAllowed } from './method-not-allowed.js';

/**
 * `GET /api/agents/models` — the models of the configured LLM endpoint (`/models`), or 502
 * `ERR_LLM_UNAVAILABLE` when it fails. Mounted before `/:id` so "models" is never taken for an id.
 * @example app.use(modelsRouter(deps))
 */
export function modelsRouter({ llm, logger }: RouteDeps): Router {
  const router = Router({ caseSensitive: true });
  router
    .route(agentRoutes.models)
    .get(async (_req, res) => {
      try {
        res.json({ models: await llm.listModels() } satisfies ModelListResponse);
      } catch (error) {
        if (!(error instanceof LlmError)) throw error;
        logger.warn({ status: error.status, reason: error.message }, 'model list failed');
        sendError(res, 'ERR_LLM_UNAVAILABLE', error.message);
      }
    })
    .all(methodNotAllowed('GET'));
  return router;
}
