import type { Agent } from '@agentauth/agent-api';
import { ForbiddenError } from '@agentauth/agent-client';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { AgentDetail } from './agents/agent-detail.js';
import { AgentList } from './agents/agent-list.js';
import { CreateAgentForm } from './agents/create-agent-form.js';
import { useAgentList } from './agents/use-agent-list.js';
import { useAutoRefresh } from './agents/use-auto-refresh.js';
import { useApp } from './app-context.js';
import { useGuard } from './navigation-guard.js';
import { paths, useAgentRoute } from './routes.js';

/**
 * The signed-in app: the sidebar (New agent, search, the list, scrolling on its own) and the open
 * agent, whose address is in the URL. On a phone only one of the two shows: the list at `/`, the
 * chat at `/agents/<id>`.
 */
export function Workspace({ role, signedIn }: { role: string; signedIn: boolean }) {
  const { store } = useApp();
  const { navigate } = useGuard();
  const { agents, error, loaded } = useAgentList(store);
  const { agentId, tab } = useAgentRoute();
  const [query, setQuery] = useState('');
  const [creating, setCreating] = useState(false);
  const [goneIds, setGoneIds] = useState<ReadonlySet<string>>(new Set());
  const [runningNow, setRunningNow] = useState<{ id: string; running: boolean } | null>(null);
  const [focusSearch, setFocusSearch] = useState(false);
  const seen = useRef(new Map<string, Agent>());
  const deletedHere = useRef(new Set<string>());
  const searchRef = useRef<HTMLInputElement>(null);
  const newAgentRef = useRef<HTMLButtonElement>(null);
  const searchId = useId();

  // A refresh that hits a 401 is judged by <App> (sign-in page or dialog).
  useAutoRefresh(store, signedIn);
  useEffect(() => {
    if (focusSearch) {
      (searchRef.current ?? newAgentRef.current)?.focus();
      setFocusSearch(false);
    }
  }, [focusSearch]);

  for (const agent of agents) seen.current.set(agent.id, agent);
  const listed = agentId ? agents.find((a) => a.id === agentId) : undefined;
  const selected = listed ?? (agentId ? seen.current.get(agentId) : undefined);
  const gone =
    agentId !== null &&
    !deletedHere.current.has(agentId) &&
    (goneIds.has(agentId) || (selected !== undefined && listed === undefined));

  const open = (agent: Agent) => navigate(paths.chat(agent.id));
  const onGone = useCallback(() => {
    if (agentId) setGoneIds((ids) => new Set(ids).add(agentId));
    void store.refresh();
  }, [agentId, store]);
  const onRunningChange = useCallback(
    (running: boolean) => {
      if (agentId) setRunningNow({ id: agentId, running });
    },
    [agentId],
  );

  if (error instanceof ForbiddenError) {
    return (
      <main className="forbidden" id="main">
        <div className="card" role="alert">
          <h1>Your account cannot use agents</h1>
          <p>
            You are signed in{role ? ` with the role ${role}` : ''}, but only regular users and
            administrators may create and run agents. Ask an administrator for access.
          </p>
        </div>
      </main>
    );
  }

  const showCreate = creating || (loaded && agents.length === 0);
  return (
    <div className={`workspace${agentId ? ' has-agent' : ''}`}>
      <nav className="sidebar" aria-label="Agents">
        <div className="sidebar-head">
          <h2>Agents</h2>
          <button
            ref={newAgentRef}
            type="button"
            className="small nowrap"
            aria-expanded={showCreate}
            onClick={() => setCreating((c) => !c)}
          >
            New agent
          </button>
        </div>
        {showCreate ? (
          <CreateAgentForm
            autoFocus={creating}
            onCancel={
              agents.length > 0
                ? () => {
                    setCreating(false);
                    newAgentRef.current?.focus();
                  }
                : undefined
            }
            onCreated={(agent) => {
              setCreating(false);
              open(agent);
            }}
          />
        ) : null}
        {agents.length > 0 ? (
          <div className="search">
            <label htmlFor={searchId} className="visually-hidden">
              Search agents
            </label>
            <input
              id={searchId}
              ref={searchRef}
              type="search"
              placeholder="Search agents"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              autoComplete="off"
            />
          </div>
        ) : null}
        <div className="sidebar-list">
          <AgentList selectedId={agentId} query={query} runningNow={runningNow} onOpen={open} />
        </div>
      </nav>
      <main className="main" id="main">
        {agentId && selected ? (
          <AgentDetail
            key={agentId}
            agent={selected}
            tab={tab}
            gone={gone}
            onGone={onGone}
            onRunningChange={onRunningChange}
            onDeleted={() => {
              deletedHere.current.add(agentId);
              setFocusSearch(true);
              navigate(paths.home);
            }}
          />
        ) : agentId && !loaded ? (
          <p className="muted placeholder" role="status">
            Loading the agent…
          </p>
        ) : agentId ? (
          <div className="placeholder">
            <h2>This agent does not exist</h2>
            <p className="muted">It may have been deleted, or the address is wrong.</p>
            <a
              href={paths.home}
              onClick={(event) => {
                event.preventDefault();
                navigate(paths.home);
              }}
            >
              Back to your agents
            </a>
          </div>
        ) : agents.length === 0 && loaded ? (
          <div className="placeholder">
            <h2>Create your first agent</h2>
            <p className="muted">
              An agent answers your questions with a model and a few built-in tools. Give it a name
              and choose a model under New agent.
            </p>
          </div>
        ) : (
          <div className="placeholder">
            <h2>Choose an agent</h2>
            <p className="muted">
              Pick one from the list to chat with it or change its settings, or create a new one.
            </p>
          </div>
        )}
      </main>
    </div>
  );
}
