import type { AccessMode, Agent } from '@agentauth/agent-api';
import { mayUseAgents, type SessionUser } from '@agentauth/auth-core';

/** What a user wants to do with an agent. */
export type AgentAction = 'read' | 'update' | 'delete' | 'run' | 'stop';

/**
 * Decides whether a verified user may act on an agent. This is the one place the rule lives;
 * routes, the WebSocket upgrade, in-session frames and run events ask only this. An agent a user
 * may not read is answered as 404, so its existence does not leak.
 */
export interface AgentAccessPolicy {
  /** Which rule this is; the list answer tells the web app, which says when agents are shared. */
  readonly mode: AccessMode;
  mayAccess(user: SessionUser, agent: Agent, action: AgentAction): boolean;
}

/**
 * `shared` (the brief's Phase 1, the default): any REGULAR or ADMIN user may reach any agent.
 * @example phase1Policy.mayAccess(user, agent, 'run') // true for REGULAR/ADMIN
 */
export const phase1Policy: AgentAccessPolicy = {
  mode: 'shared',
  mayAccess: (user) => mayUseAgents(user),
};

/**
 * `owner`: a user acts only on the agents they created (the recorded `ownerUid`); an ADMIN on all.
 * @example ownerOnlyPolicy.mayAccess(bob, alicesAgent, 'read') // false
 */
export const ownerOnlyPolicy: AgentAccessPolicy = {
  mode: 'owner',
  mayAccess: (user, agent) =>
    mayUseAgents(user) && (user.role === 'ADMIN' || agent.ownerUid === user.uid),
};

/**
 * The policy for a configured mode.
 * @example const policy = accessPolicyFor(config.accessPolicy)
 */
export function accessPolicyFor(mode: AccessMode): AgentAccessPolicy {
  return mode === 'owner' ? ownerOnlyPolicy : phase1Policy;
}
