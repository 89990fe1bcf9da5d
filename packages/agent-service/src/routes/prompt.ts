import { agentRoutes, PromptRequest, type PromptResponse } from '@agentauth/agent-api';
import { authOf } from '@agentauth/auth-core/express';
import { Router } from 'express';
import { startRun } from '../agent/start-run.js';
import { readBody } from '../http/json-body.js';
import { sendError } from '../http/send-error.js';
import { sendLimitRefusal } from '../http/send-limit-refusal.js';
import { loadAgent } from './agent-param.js';
import type { RouteDeps } from './deps.js';
import { methodNotAllowed } from './method-not-allowed.js';

/**
 * `POST /api/agents/:id/prompt` — starts a run as a WebSocket prompt frame does (202 + run id; its
 * events go to the agent's sockets). 409 `ERR_RUN_IN_PROGRESS` while one runs; 429 + `Retry-After`
 * with `ERR_RATE_LIMITED` / `ERR_BUDGET_EXCEEDED` past a per-user limit; 400 `ERR_MODEL_UNKNOWN`
 * when the agent's model is no longer allowed.
 * @example app.use(promptRouter(deps))
 */
export function promptRouter(deps: RouteDeps): Router {
  const { store, policy } = deps;
  const router = Router({ caseSensitive: true });
  router
    .route(agentRoutes.prompt)
    .post(async (req, res) => {
      const agent = await loadAgent(req, res, store, policy, 'run');
      if (!agent) return;
      const body = readBody(req.body, res, PromptRequest);
      if (!body) return;
      const auth = authOf(res);
      const result = await startRun(deps, agent, body.text, { user: auth.user, exp: auth.exp });
      if (result.started) {
        res.status(202).json({ runId: result.runId } satisfies PromptResponse);
      } else if (result.code === 'ERR_RATE_LIMITED' || result.code === 'ERR_BUDGET_EXCEEDED') {
        sendLimitRefusal(res, result.code, result.message, result.retryAfterMs ?? 1000);
      } else if (result.code === 'ERR_SERVICE_RESTARTING') {
        sendError(res, 'ERR_SERVICE_UNAVAILABLE', result.message);
      } else {
        sendError(res, result.code, result.message);
      }
    })
    .all(methodNotAllowed('POST'));
  return router;
}
