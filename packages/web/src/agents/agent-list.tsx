import type { Agent } from '@agentauth/agent-api';
import { ForbiddenError, readTokenClaims } from '@agentauth/agent-client';
import type { MouseEvent } from 'react';
import { useApp } from '../app-context.js';
import { paths } from '../routes.js';
import { ErrorMessage } from '../ui/error-message.js';
import { useAgentList } from './use-agent-list.js';

/**
 * The user's agents as links (one address each), filtered by the search text, with a marker on
 * the running ones; loading, empty, no-match and error states. A failed refresh keeps the list.
 */
export function AgentList({
  selectedId,
  query,
  runningNow,
  onOpen,
}: {
  selectedId: string | null;
  query: string;
  /** The open agent's live run state, newer than the list's. */
  runningNow: { id: string; running: boolean } | null;
  onOpen: (agent: Agent) => void;
}) {
  const { store, client } = useApp();
  const { agents, status, error, loaded, access } = useAgentList(store);
  const myUid = readTokenClaims(client.tokens.get() ?? '')?.userId;
  const owner = (agent: Agent) => (agent.ownerUid === myUid ? 'you' : `user ${agent.ownerUid}`);
  const refresh = () => void store.refresh();

  if (!loaded && status !== 'error') {
    return (
      <p className="muted" role="status">
        Loading agents…
      </p>
    );
  }
  if (!loaded && error) {
    // A 403 is explained once, in the main panel.
    if (error instanceof ForbiddenError) return null;
    return <ErrorMessage error={error} onRetry={refresh} prefix="Could not load your agents." />;
  }
  const needle = query.trim().toLowerCase();
  const shown = needle
    ? agents.filter(
        (a) => a.name.toLowerCase().includes(needle) || a.modelType.toLowerCase().includes(needle),
      )
    : agents;
  const isRunning = (agent: Agent) =>
    runningNow?.id === agent.id ? runningNow.running : agent.running === true;
  const open = (agent: Agent) => (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    onOpen(agent);
  };
  return (
    <>
      {error && !(error instanceof ForbiddenError) ? (
        <ErrorMessage error={error} onRetry={refresh} prefix="Could not refresh the list." />
      ) : null}
      {access === 'shared' ? (
        <p className="muted small" role="note">
          Agents are shared: everyone signed in can see, run and change every agent.
        </p>
      ) : null}
      {agents.length === 0 ? (
        <p className="muted empty">No agents yet. Create your first one with New agent.</p>
      ) : shown.length === 0 ? (
        <p className="muted empty" role="status">
          No agent matches “{query.trim()}”.
        </p>
      ) : (
        <ul className="agent-list" aria-label="Your agents">
          {shown.map((agent) => (
            <li key={agent.id}>
              <a
                href={paths.chat(agent.id)}
                className="agent-item"
                aria-current={agent.id === selectedId ? 'page' : undefined}
                onClick={open(agent)}
              >
                <span className="agent-name">{agent.name}</span>
                <span className="agent-meta muted small">
                  {agent.modelType} · owner: {owner(agent)}
                  {isRunning(agent) ? (
                    <span className="running-marker" data-testid="running-marker">
                      <span aria-hidden="true">●</span> running
                    </span>
                  ) : null}
                </span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
