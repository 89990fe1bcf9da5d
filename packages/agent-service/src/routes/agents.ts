import {
  type AgentListResponse,
  AgentSettings,
  agentRoutes,
  CreateAgentRequest,
  DEFAULT_SETTINGS,
} from '@agentauth/agent-api';
import { authOf } from '@agentauth/auth-core/express';
import { Router } from 'express';
import { readBody } from '../http/json-body.js';
import { sendError } from '../http/send-error.js';
import { sendLlmError } from '../http/send-llm-error.js';
import { LlmError } from '../llm/llm-client.js';
import { unknownModelMessage } from '../llm/model-catalog.js';
import { loadAgent } from './agent-param.js';
import type { RouteDeps } from './deps.js';
import { methodNotAllowed } from './method-not-allowed.js';

/**
 * `GET/POST /api/agents`, `GET/DELETE /api/agents/:id`. The creator's uid (from the verified
 * token, never from the body) is recorded as the owner; the model must be one the provider lists
 * and the allow-list admits. The list holds only the agents the policy lets the caller read.
 * @example app.use(agentsRouter(deps))
 */
export function agentsRouter({ store, runs, policy, logger, catalog }: RouteDeps): Router {
  const router = Router({ caseSensitive: true });

  router
    .route(agentRoutes.list)
    .get(async (_req, res) => {
      const { user } = authOf(res);
      const readable = (await store.listAgents()).filter((a) => policy.mayAccess(user, a, 'read'));
      const running = await runs.runningAgents();
      const agents = readable.map((a) => ({ ...a, running: running.has(a.id) }));
      res.json({ agents, access: policy.mode } satisfies AgentListResponse);
    })
    .post(async (req, res) => {
      const body = readBody(req.body, res, CreateAgentRequest);
      if (!body) return;
      const { user } = authOf(res);
      let check: Awaited<ReturnType<typeof catalog.check>>;
      try {
        check = await catalog.check(body.modelType);
      } catch (error) {
        // The model cannot be checked: refuse rather than let an unchecked name reach the provider.
        if (!(error instanceof LlmError)) throw error;
        logger.warn({ code: error.code, detail: error.detail }, 'model list failed');
        return sendLlmError(res, error);
      }
      if (!check.ok) {
        return sendError(
          res,
          'ERR_MODEL_UNKNOWN',
          unknownModelMessage(body.modelType, check.allowed),
        );
      }
      const agent = await store.createAgent({
        name: body.name,
        modelType: body.modelType,
        ownerUid: user.uid,
        settings: AgentSettings.parse({ ...DEFAULT_SETTINGS, ...body.settings }),
      });
      logger.info({ agentId: agent.id, uid: user.uid }, 'agent created');
      res.status(201).location(`${agentRoutes.list}/${agent.id}`).json(agent);
    })
    .all(methodNotAllowed('GET, POST'));

  router
    .route(agentRoutes.one)
    .get(async (req, res) => {
      const agent = await loadAgent(req, res, store, policy, 'read');
      if (agent) res.json(agent);
    })
    .delete(async (req, res) => {
      const agent = await loadAgent(req, res, store, policy, 'delete');
      if (!agent) return;
      await store.deleteAgent(agent.id);
      await runs.deleted(agent.id);
      logger.info({ agentId: agent.id, uid: authOf(res).user.uid }, 'agent deleted');
      res.status(204).end();
    })
    .all(methodNotAllowed('GET, DELETE'));

  return router;
}
