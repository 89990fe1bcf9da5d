import type { Agent } from '@agentauth/agent-api';
import { ForbiddenError, readTokenClaims } from '@agentauth/agent-client';
import { useApp } from '../app-context.js';
import { ErrorMessage } from '../ui/error-message.js';
import { useAgentList } from './use-agent-list.js';

/** The user's agents, with loading, empty and error states; a failed refresh keeps the list. */
export function AgentList({
  selectedId,
  onSelect,
}: {
  selectedId: string | null;
  onSelect: (agent: Agent) => void;
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
        <p className="muted empty">No agents yet. Create your first one below.</p>
      ) : (
        <ul className="agent-list" aria-label="Your agents">
          {agents.map((agent) => (
            <li key={agent.id}>
              <button
                type="button"
                className="agent-item"
                aria-current={agent.id === selectedId ? 'true' : undefined}
                onClick={() => onSelect(agent)}
              >
                <span className="agent-name">{agent.name}</span>
                <span className="muted small">
                  {agent.modelType} · owner: {owner(agent)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
