import { agentRoutes, type ModelListResponse } from '@agentauth/agent-api';
import { Router } from 'express';
import { sendLlmError } from '../http/send-llm-error.js';
import { LlmError } from '../llm/llm-client.js';
import type { RouteDeps } from './deps.js';
import { methodNotAllowed } from './method-not-allowed.js';

/**
 * `GET /api/agents/models` — the models agents may use: the LLM endpoint's `/models` (cached) on
 * the allow-list, or the provider failure's code (502 `ERR_LLM_UNAVAILABLE`, …). Mounted before
 * `/:id` so "models" is never taken for an id.
 * @example app.use(modelsRouter(deps))
 */
export function modelsRouter({ catalog, logger }: RouteDeps): Router {
  const router = Router({ caseSensitive: true });
  router
    .route(agentRoutes.models)
    .get(async (_req, res) => {
      try {
        res.json({ models: await catalog.list() } satisfies ModelListResponse);
      } catch (error) {
        if (!(error instanceof LlmError)) throw error;
        logger.warn(
          { status: error.status, code: error.code, detail: error.detail },
          'model list failed',
        );
        sendLlmError(res, error);
      }
    })
    .all(methodNotAllowed('GET'));
  return router;
}
