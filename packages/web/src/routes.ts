import { useRoute } from 'wouter';

/** The app's addresses: one per agent and tab, so a chat can be bookmarked, reloaded and shared. */
export const paths = {
  home: '/',
  chat: (agentId: string) => `/agents/${encodeURIComponent(agentId)}`,
  settings: (agentId: string) => `/agents/${encodeURIComponent(agentId)}/settings`,
} as const;

export type AgentTab = 'chat' | 'settings';

/**
 * The agent and tab the address names (`/agents/<id>` or `/agents/<id>/settings`), else nulls.
 * @example const { agentId, tab } = useAgentRoute()
 */
export function useAgentRoute(): { agentId: string | null; tab: AgentTab } {
  const [match, params] = useRoute<{ id: string; tab?: string }>('/agents/:id/:tab?');
  if (!match) return { agentId: null, tab: 'chat' };
  return { agentId: params.id, tab: params.tab === 'settings' ? 'settings' : 'chat' };
}
