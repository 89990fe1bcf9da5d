import type { Agent } from '@agentauth/agent-api';
import {
  type AgentClient,
  createAgentListStore,
  ForbiddenError,
  readTokenClaims,
  SessionExpiredError,
} from '@agentauth/agent-client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AgentDetail } from './agents/agent-detail.js';
import { AgentList } from './agents/agent-list.js';
import { CreateAgentForm } from './agents/create-agent-form.js';
import { useAgentList } from './agents/use-agent-list.js';
import { AppContext, type AppServices, useApp } from './app-context.js';
import { SignIn } from './session/sign-in.js';
import { useToken } from './session/use-token.js';
import { UserBadge } from './session/user-badge.js';

/**
 * The whole app. Signed out → the sign-in page. Signed in → agents and chat. A 401 anywhere opens
 * a sign-in dialog over the app without clearing anything; signing in again resumes (the chat
 * socket reconnects with the new token by itself).
 */
export function App({ client }: { client: AgentClient }) {
  const token = useToken(client.tokens);
  const [expired, setExpired] = useState(false);
  // A deliberate sign-out starts a fresh store so the next user never sees the previous list.
  const [epoch, setEpoch] = useState(0);
  // `epoch` is a dependency on purpose: a new store per sign-in epoch.
  const store = useMemo(() => createAgentListStore(client), [client, epoch]);
  const expiredToken = useRef<string | null>(null);

  const reportError = useCallback(
    (error: unknown) => {
      if (error instanceof SessionExpiredError) {
        expiredToken.current = client.tokens.get();
        setExpired(true);
      }
    },
    [client],
  );
  const services = useMemo<AppServices>(
    () => ({ client, store, reportError }),
    [client, store, reportError],
  );

  // A different token (sign-in here or in another tab) ends the expired state and reloads.
  useEffect(() => {
    if (token !== null && expired && token !== expiredToken.current) {
      setExpired(false);
      void store.refresh();
    }
  }, [token, expired, store]);

  useEffect(() => {
    if (token !== null) void store.refresh();
    // Only on sign-in and on a new store; later refreshes are explicit.
  }, [store, token !== null]);

  const signIn = (next: string) => client.tokens.set(next);
  const signOut = () => {
    client.tokens.clear();
    setExpired(false);
    setEpoch((n) => n + 1);
  };

  if (token === null) return <SignIn reason="signed-out" onToken={signIn} />;
  return (
    <AppContext.Provider value={services}>
      <SignedIn
        claims={readTokenClaims(token)}
        onSignOut={signOut}
        expired={expired}
        onSignIn={signIn}
      />
    </AppContext.Provider>
  );
}

function SignedIn({
  claims,
  onSignOut,
  expired,
  onSignIn,
}: {
  claims: ReturnType<typeof readTokenClaims>;
  onSignOut: () => void;
  expired: boolean;
  onSignIn: (token: string) => void;
}) {
  return (
    <>
      <div className="app" inert={expired}>
        <header className="topbar">
          <span className="brand">
            <span className="logo" aria-hidden="true">
              ◆
            </span>{' '}
            agentauth
          </span>
          <UserBadge claims={claims} onSignOut={onSignOut} />
        </header>
        <Workspace role={claims?.role ?? ''} />
      </div>
      {expired ? <SignIn reason="expired" onToken={onSignIn} asDialog /> : null}
    </>
  );
}

function Workspace({ role }: { role: string }) {
  const { store, reportError } = useApp();
  const { agents, error } = useAgentList(store);
  // A list refresh that hit a 401 opens the sign-in dialog like any other call.
  useEffect(() => {
    if (error) reportError(error);
  }, [error, reportError]);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = agents.find((a) => a.id === selectedId) ?? null;
  const select = (agent: Agent) => setSelectedId(agent.id);

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

  return (
    <div className="workspace">
      <nav className="sidebar" aria-label="Agents">
        <div className="sidebar-head">
          <h2>Agents</h2>
          <RefreshButton />
        </div>
        <AgentList selectedId={selectedId} onSelect={select} />
        <CreateAgentForm onCreated={select} />
      </nav>
      <main className="main" id="main">
        {selected ? (
          <AgentDetail key={selected.id} agent={selected} onDeleted={() => setSelectedId(null)} />
        ) : (
          <div className="placeholder">
            <h2>Choose an agent</h2>
            <p className="muted">
              Pick an agent on the left to chat with it or change its settings, or create a new one.
            </p>
          </div>
        )}
      </main>
    </div>
  );
}

function RefreshButton() {
  const { store } = useApp();
  const { status } = useAgentList(store);
  return (
    <button
      type="button"
      className="secondary small"
      onClick={() => void store.refresh()}
      disabled={status === 'loading'}
      aria-label="Refresh the agent list"
    >
      {status === 'loading' ? '…' : '↻'}
    </button>
  );
}
