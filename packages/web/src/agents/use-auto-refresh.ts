import type { AgentListStore } from '@agentauth/agent-client';
import { useEffect } from 'react';

/** How often a visible page refreshes the agent list (agents created elsewhere, running marks). */
export const AUTO_REFRESH_MS = 10_000;

/**
 * Keeps the list current without a refresh button: every `AUTO_REFRESH_MS` while the page is
 * visible, and at once when the page comes back into view or the network returns (which also
 * clears a stale "could not refresh" error).
 * @example useAutoRefresh(store, signedIn)
 */
export function useAutoRefresh(store: AgentListStore, enabled: boolean, everyMs = AUTO_REFRESH_MS) {
  useEffect(() => {
    if (!enabled) return;
    const refresh = () => {
      if (document.visibilityState !== 'visible') return;
      if (store.getState().status === 'loading') return;
      void store.refresh();
    };
    const timer = setInterval(refresh, everyMs);
    const onVisible = () => refresh();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', onVisible);
    window.addEventListener('focus', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', onVisible);
      window.removeEventListener('focus', onVisible);
    };
  }, [store, enabled, everyMs]);
}
