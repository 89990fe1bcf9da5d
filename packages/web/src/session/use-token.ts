import type { TokenStore } from '@agentauth/agent-client';
import { useSyncExternalStore } from 'react';

/**
 * The current token, re-rendering on sign-in, sign-out and changes from other tabs.
 * @example const token = useToken(client.tokens)
 */
export function useToken(tokens: TokenStore): string | null {
  return useSyncExternalStore(tokens.subscribe, tokens.get, tokens.get);
}
