/** The prefix of every path the agent-service serves (REST and the WebSocket). */
export const AGENT_PATH = '/api/agents';

/**
 * The governed-path rule: a canonical path is an agent path when it is exactly `/api/agents` or
 * lies below `/api/agents/`. Anchored and case-sensitive like the gateways' prefix routes, so
 * `/api/agentsX`, `/api/agents-admin`, `/API/agents` and `/x/api/agents` are not agent paths.
 * Expects the output of `canonicalTarget`, never a raw target.
 * @example isAgentPath('/api/agents/1/react') // true; isAgentPath('/api/agents-admin') // false
 */
export function isAgentPath(canonicalPath: string): boolean {
  return (
    canonicalPath.startsWith(AGENT_PATH) &&
    (canonicalPath.length === AGENT_PATH.length ||
      canonicalPath.charCodeAt(AGENT_PATH.length) === 0x2f)
  );
}
