import { STEPS_PAGE_DEFAULT, type StepsPage } from '@agentauth/agent-api';
import { useCallback, useRef, useState } from 'react';
import { useApp } from '../app-context.js';

/**
 * Loads the page of history before `older` (the snapshot's or the last page's cursor) and hands
 * it to `onPage`; one request at a time. Used when the user scrolls to the top of the chat.
 * @example const { loadEarlier, loading } = useEarlierSteps(agentId, transcript.older, (page) => dispatch({ type: 'older', page }))
 */
export function useEarlierSteps(
  agentId: string,
  older: string | undefined,
  onPage: (page: StepsPage) => void,
) {
  const { client, reportError } = useApp();
  const [loading, setLoading] = useState(false);
  const busy = useRef(false);
  const loadEarlier = useCallback(async () => {
    if (older === undefined || busy.current) return;
    busy.current = true;
    setLoading(true);
    try {
      onPage(await client.listSteps(agentId, { before: older, limit: STEPS_PAGE_DEFAULT }));
    } catch (error) {
      reportError(error);
    } finally {
      busy.current = false;
      setLoading(false);
    }
  }, [agentId, client, older, onPage, reportError]);
  return { loadEarlier, loading };
}
