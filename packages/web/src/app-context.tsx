import type { AgentClient, AgentListStore } from '@agentauth/agent-client';
import { createContext, useContext } from 'react';

/** What every view needs: the client, the list store, and how to report a dead session. */
export interface AppServices {
  readonly client: AgentClient;
  readonly store: AgentListStore;
  /**
   * Hand any client error here: a `SessionExpiredError` opens the sign-in dialog (local state is
   * kept); anything else is ignored, and the caller shows it where it happened.
   */
  readonly reportError: (error: unknown) => void;
}

export const AppContext = createContext<AppServices | null>(null);

/**
 * The app's services; throws outside `<App>` (a wiring bug, not a user error).
 * @example const { client } = useApp();
 */
export function useApp(): AppServices {
  const services = useContext(AppContext);
  if (services === null) throw new Error('useApp() is only available inside <App>.');
  return services;
}
