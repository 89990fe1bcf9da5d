import type { Agent } from '@agentauth/agent-api';
import { mayUseAgents, type SessionUser } from '@agentauth/auth-core';

/** What a user wants to do with an agent. */
export type AgentAction = 'read' | 'update' | 'delete' | 'run' | 'stop';

/**
 * Decides whether a verified user may act on an agent. This is the one place a stricter rule
 * (e.g. owner-only) goes; routes and the WebSocket ask only this. An agent a user may not read
 * is answered as 404, so its existence does not leak.
 */
export interface AgentAccessPolicy {
  mayAccess(user: SessionUser, agent: Agent, action: AgentAction): boolean;
}

/**
 * Phase 1 (the brief): any REGULAR or ADMIN user may reach any agent. The owner uid is still
 * recorded on every agent so a per-owner policy can replace this one.
 * @example phase1Policy.mayAccess(user, agent, 'run') // true for REGULAR/ADMIN
 */
export const phase1Policy: AgentAccessPolicy = {
  mayAccess: (user) => mayUseAgents(user),
};

/**
 * A stricter example: owners and ADMINs only. Not used by default; tests use it to prove the
 * routes and the WebSocket go through the policy.
 * @example createApp(config, { ...deps, policy: ownerOnlyPolicy })
 */
export const ownerOnlyPolicy: AgentAccessPolicy = {
  mayAccess: (user, agent) =>
    mayUseAgents(user) && (user.role === 'ADMIN' || agent.ownerUid === user.uid),
};
