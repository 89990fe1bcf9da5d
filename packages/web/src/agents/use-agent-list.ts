import type { AgentListState, AgentListStore } from '@agentauth/agent-client';
import { useSyncExternalStore } from 'react';

/**
 * The list store's state, re-rendering on every change.
 * @example const { agents, status } = useAgentList(store)
 */
export function useAgentList(store: AgentListStore): AgentListState {
  return useSyncExternalStore(store.subscribe, store.getState, store.getState);
}
