import { type Agent, AgentId } from '@agentauth/agent-api';
import { authOf } from '@agentauth/auth-core/express';
import type { Request, Response } from 'express';
import { sendError } from '../http/send-error.js';
import type { AgentAccessPolicy, AgentAction } from '../policy/agent-access.js';
import type { AgentStore } from '../store/agent-store.js';

/**
 * The agent named by `:id`, if it exists and the policy lets the caller act on it; otherwise
 * answers 400 (not a UUID) or 404 and returns undefined.
 * @example const agent = await loadAgent(req, res, store, policy, 'read'); if (!agent) return;
 */
export async function loadAgent(
  req: Request,
  res: Response,
  store: AgentStore,
  policy: AgentAccessPolicy,
  action: AgentAction,
): Promise<Agent | undefined> {
  const id = AgentId.safeParse(req.params.id);
  if (!id.success) {
    sendError(res, 'ERR_BAD_REQUEST', 'The agent id must be a UUID.');
    return undefined;
  }
  const agent = await store.getAgent(id.data);
  if (!agent || !policy.mayAccess(authOf(res).user, agent, action)) {
    sendError(res, 'ERR_NOT_FOUND', 'No agent has this id.');
    return undefined;
  }
  return agent;
}
